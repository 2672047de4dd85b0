"""Reading short informal Vietnamese comments and posts: relevance to judgment enforcement and tone.

Comments are short, often typed without diacritics, in teencode ("ko dc", "thads"), with emoji and stretched
letters ("quáaaa"). The reader normalises them (emoji and emoticons → tone cues, stretched letters squeezed,
teencode expanded from nlp/data/teencode.tsv), then folds everything to the no-diacritic form, so that
"không được", "khong duoc" and "ko dc" give the same features.

- relevance: a rule on the folded text (enforcement wording, minus the criminal-sentence senses of "thi hành
  án"); real relevant comments are too rare in public comment data to train a model on (nlp/models/COMMENTS_CARD.md).
- tone: a linear model (`nlp.linear.LinearModel`, numpy only) trained on hand-labelled real comments; the
  tone toward the agency is the tone of a comment found relevant.

No segmentation: underthesea's word segmentation costs more than a comment is worth, and on folded text it
has nothing to work with; words and word pairs of the folded text plus character n-grams stand in for it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from domain.text import fold_diacritics, normalize_vietnamese
from nlp.linear import MARK, LinearModel

DATA_DIR = Path(__file__).parent / "data"
MODEL_DIR = Path(__file__).parent / "models"
TEENCODE = DATA_DIR / "teencode.tsv"
TONE_WORDS = DATA_DIR / "comment-tone-words.tsv"
TONE_MODEL = MODEL_DIR / "comments-tone"
TONES = ("tieu_cuc", "trung_lap", "tich_cuc")

# Emoji and emoticons → a cue token. Laughter is its own cue: in comments it is as often mockery as joy.
CUE_POSITIVE, CUE_NEGATIVE, CUE_LAUGH = f"{MARK}emo_pos", f"{MARK}emo_neg", f"{MARK}emo_laugh"
CUE_WORD = {"pos": f"{MARK}word_pos", "neg": f"{MARK}word_neg"}
_TURN = {"pos": "neg", "neg": "pos"}
_NEGATIONS = {"khong", "chang", "cha", "chua", "dau co"}
_EMOJI = {
    CUE_POSITIVE: "❤♥💕💖💗💓💞😍🥰😘😊☺🙂😇👍👏🙏💯🎉🌹🌸✨😻🤗💪",
    CUE_NEGATIVE: "😢😭😞😔😟😠😡🤬👎💩😤😒🙄😱😨😰😑😕🥴😪😩😫🤮🤢💔😖😣",
    CUE_LAUGH: "😂🤣😆😄😁😀😅😹😝😜🤪",
}
_EMOJI_CUE = {char: cue for cue, chars in _EMOJI.items() for char in chars}
_EMOTICONS = [  # in this order: "=)))" is laughter before ":)" is a smile
    (re.compile(r"[:;=]\){2,}|[:;=]\]{2,}|:v\b|\bxd\b|\b(?:(?:ha){2,}h?|(?:he){2,}|(?:hi){2,}|k{2,})\b"), CUE_LAUGH),
    (re.compile(r"[:;=]\)|[:;=]\]|\^_?\^|<3|:d\b"), CUE_POSITIVE),
    (re.compile(r"[:;=]\(+|:'\(|\bt_t\b|:\|"), CUE_NEGATIVE),
]
_OTHER_SYMBOLS = re.compile(r"[\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F\u200D]")
_THA = re.compile(r"\bTHA\b")
_RUN = re.compile(r"([^\W\d_])\1{2,}")  # three or more of one letter
_TOKEN_CHARS = re.compile(r"[^\W_]+")

# Relevance on the folded text. Strong: wording that only enforcement uses. Generic "thi hanh an" counts unless
# its sentence is about a criminal sentence (labelling guide §1: death penalty, prison, amnesty are not THADS).
_STRONG = re.compile(
    r"\b(?:thi hanh an dan su|thi hanh an hanh chinh|co quan thi hanh an|chi cuc thi hanh an|cuc thi hanh an|"
    r"phong thi hanh an|chap hanh vien|thua phat lai|cuong che thi hanh an|"
    r"ke bien(?! (?:thai|chat|hinh|doi|mat|gioi|phong|dang))|"
    r"nguoi (?:phai|duoc) thi hanh an|don yeu cau thi hanh an|quyet dinh thi hanh an|thu hoi tai san tham nhung|"
    r"dau gia tai san thi hanh an|chay (?:y|i) thi hanh an|cuc quan ly thi hanh an)\b"
)
_GENERIC = re.compile(r"\bthi hanh an\b|\bthi hanh ban an\b")
_CRIMINAL = re.compile(
    r"\b(?:thi hanh an tu|tu hinh|phat tu|an tu|trai giam|dac xa|tha tu|chap hanh an phat tu|tiem thuoc doc|"
    r"xu ban|chich thuoc|xin thi hanh an som|cho thi hanh an|hoan thi hanh an|pham nhan|tu nhan|truy na|quy an|"
    r"ra tu|tai pham|chung than|tu tu|xu tu)\b"
)


@dataclass(frozen=True, slots=True, kw_only=True)
class NormalisedComment:
    """A comment as the reader sees it: `text` normalised (NFC, lower case, teencode expanded, stretched
    letters squeezed, emoji removed), `folded` its no-diacritic form, `cues` the tone cues found."""

    text: str
    folded: str
    cues: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class CommentReading:
    relevant: bool
    relevance_rule: str  # what matched: "strong", "generic", "criminal" (excluded) or "none"
    tone: str  # one of TONES: the comment's own tone
    tone_scores: dict[str, float]
    agency_tone: str | None  # the tone toward the agency: the tone of a relevant comment, else None


def _pairs(path: Path) -> dict[str, str]:
    table: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        key, sep, value = line.partition("\t")
        if not sep or not key.strip() or not value.strip():
            raise ValueError(f"{path}:{number}: expected two columns separated by a tab, got {line!r}")
        table[unicodedata.normalize("NFC", key.strip().lower())] = unicodedata.normalize("NFC", value.strip())
    return table


@cache
def teencode(path: Path = TEENCODE) -> dict[str, str]:
    """Short form → expansion (lower case, NFC)."""
    return _pairs(path)


@cache
def tone_words(path: Path = TONE_WORDS) -> dict[tuple[str, ...], str]:
    """Folded word or phrase (as a tuple of words) → "pos" or "neg"."""
    table = {tuple(k.split()): v for k, v in _pairs(path).items()}
    wrong = {v for v in table.values()} - set(CUE_WORD)
    if wrong:
        raise ValueError(f"{path}: tones must be 'pos' or 'neg', not {sorted(wrong)}")
    return table


def word_cues(folded: str, table: dict[tuple[str, ...], str] | None = None) -> list[str]:
    """A cue per tone word or phrase of the folded text, turned round after a negation ("khong hay")."""
    table = tone_words() if table is None else table
    words = folded.split()
    cues: list[str] = []
    for i in range(len(words)):
        for size in (3, 2, 1):
            tone = table.get(tuple(words[i : i + size]))
            if tone:
                if words[i - 1 : i] and words[i - 1] in _NEGATIONS:
                    tone = _TURN[tone]
                cues.append(CUE_WORD[tone])
                break
    return cues


def squeeze(word: str) -> str:
    """Stretched letters back to one: 'quáaaa' → 'quá', 'likeeee' → 'like', 'đẹppp' → 'đẹp'.

    A run of three or more letters with the same base letter becomes its first (the one that carries the tone
    mark, if any); a toned vowel followed by its plain self ('quáa') loses the plain copy. Two plain equal
    letters stay ('xoong', 'cooperate')."""
    word = _RUN.sub(r"\1", word)
    out: list[str] = []
    for char in word:
        if out and char.isalpha() and char != out[-1] and fold_diacritics(out[-1]) == char:
            continue  # 'quáa': the toned vowel's plain echo
        out.append(char)
    return "".join(out)


def normalise_comment(text: str, table: dict[str, str] | None = None) -> NormalisedComment:
    """Emoji and emoticons → cues, letters squeezed, teencode expanded, lower case; then folded."""
    table = teencode() if table is None else table
    cues: list[str] = []
    text = _THA.sub("thi hành án", normalize_vietnamese(text)).lower()  # "THA" in capitals only: "tha" is a word
    for pattern, cue in _EMOTICONS:
        cues.extend(cue for _ in pattern.findall(text))
        text = pattern.sub(" ", text)
    kept: list[str] = []
    for char in text:
        emoji = _EMOJI_CUE.get(char)
        if emoji:
            cues.append(emoji)
            kept.append(" ")
        else:
            kept.append(" " if _OTHER_SYMBOLS.match(char) else char)
    words = [squeeze(w) for w in _TOKEN_CHARS.findall("".join(kept))]
    words = [table.get(w, w) for w in words]
    clean = " ".join(words)
    folded = fold_diacritics(clean)
    return NormalisedComment(text=clean, folded=folded, cues=(*cues, *word_cues(folded)))


def comment_tokens(comment: NormalisedComment) -> list[str]:
    """The features' tokens: folded words, then the cues (marks)."""
    return [*comment.folded.split(), *sorted(set(comment.cues))]


def relevance(comment: NormalisedComment) -> tuple[bool, str]:
    """Whether the comment is about civil/administrative judgment enforcement, and which rule said so."""
    folded = comment.folded
    if _STRONG.search(folded):
        return True, "strong"
    if _GENERIC.search(folded):
        if _CRIMINAL.search(folded):
            return False, "criminal"
        return True, "generic"
    return False, "none"


@cache
def load_tone_model(path: Path = TONE_MODEL) -> LinearModel:
    return LinearModel.load(path)


def read_comment(text: str, model: LinearModel | None = None) -> CommentReading:
    """Relevance and tone of one comment or short post."""
    comment = normalise_comment(text)
    relevant, rule = relevance(comment)
    model = load_tone_model() if model is None else model
    scores = model.scores(comment_tokens(comment), comment.folded)
    tone = max(scores, key=lambda c: scores[c])
    return CommentReading(
        relevant=relevant,
        relevance_rule=rule,
        tone=tone,
        tone_scores=scores,
        agency_tone=tone if relevant else None,
    )
