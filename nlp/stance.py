"""Reading feedback on a draft law: passages, their stance toward the draft (or a provision of it) and the
provisions they cite.

Stances: `ung_ho` (supports the draft or a provision), `phan_doi` (opposes it, criticises it, warns against it),
`de_xuat_sua_doi` (proposes a change: add, remove, reword, adjust), `trung_lap` (reports, describes, explains).
The reader is a small linear model (nlp/linear.py, stored as arrays: nlp/models/stance.*) over the passage's words
and cue marks of the rules below; without the model files the rules alone decide. Figures: nlp/models/STANCE_CARD.md
(trained and measured by nlp/stance_train.py on nlp/data/labels-draft-stance.jsonl).

Passages: an article's text split at line breaks (the corpora and the collectors keep one paragraph, often one
sentence, per line); the index of a passage is its line number in the stored text, so labels name passages by
(article id, index) and never copy the text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from domain.text import normalize_vietnamese
from nlp.linear import LinearModel

MODEL_PATH = Path(__file__).parent / "models" / "stance"
STANCES = ("ung_ho", "phan_doi", "de_xuat_sua_doi", "trung_lap")
STANCE_LABELS = {
    "ung_ho": "Ủng hộ",
    "phan_doi": "Phản đối, băn khoăn",
    "de_xuat_sua_doi": "Đề xuất sửa đổi",
    "trung_lap": "Trung lập, thông tin",
}
MIN_PASSAGE = 30  # characters: shorter lines are captions, bylines, headings' stubs
LONG_LINE = 400  # characters: a longer line (a feed that kept no paragraphs) is read sentence by sentence
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”»)]?\s+(?=[\"“«(]?[A-ZÀ-Ỹ0-9])")

# Cue phrases (matched on the normalize_vietnamese form, lower case, whole words).
_CUES: dict[str, tuple[str, ...]] = {
    "CUE_PROPOSE": (
        "đề nghị",
        "đề xuất",
        "kiến nghị",
        "nên",
        "cần phải",
        "cần",
        "bổ sung",
        "bỏ quy định",
        "chỉnh lý",
        "theo hướng",
        "thay vì",
        "sửa lại",
        "quy định rõ",
        "làm rõ",
        "mong",
    ),
    "CUE_OPPOSE": (
        "lo ngại",
        "băn khoăn",
        "không tán thành",
        "không đồng tình",
        "không nên",
        "chưa thỏa đáng",
        "không phù hợp",
        "chưa phù hợp",
        "bất cập",
        "cảnh báo",
        "e rằng",
        "quan ngại",
        "chưa hợp lý",
        "bất hợp lý",
        "xâm phạm",
        "rủi ro",
        "hệ lụy",
        "gánh nặng",
        "để ngỏ",
        "thận trọng",
        "chưa bao quát",
        "hiểu sai",
        "khó khăn",
    ),
    "CUE_SUPPORT": (
        "ủng hộ",
        "tán thành",
        "đồng tình",
        "nhất trí",
        "phù hợp",
        "hợp lý",
        "cần thiết",
        "khẳng định",
        "hoàn toàn khác",
        "không phải",
        "tốt hơn",
    ),
    "CUE_VOICE": ("cho rằng", "nói", "nêu", "phân tích", "nhấn mạnh", "quan điểm", "ý kiến"),
}
_CUE_PATTERNS = {
    mark: re.compile(r"(?<!\w)(?:" + "|".join(re.escape(normalize_vietnamese(p)) for p in phrases) + r")(?!\w)")
    for mark, phrases in _CUES.items()
}
_NEGATED_FIT = re.compile(r"(?<!\w)(?:không|chưa|bất) (?:phù hợp|hợp lý)(?!\w)")

# Provisions: "Điều 12", "khoản 3 Điều 5", "điểm a khoản 2 Điều 7", "khoản 1, 2 Điều 9" (point letters đ included).
_PROVISION = re.compile(
    r"(?:(?P<point>điểm\s+[a-zđ])\s+)?(?:(?P<clause>khoản\s+\d+(?:\s*(?:,|và)\s*\d+)*)\s+)?"
    r"(?P<article>điều\s+\d+[a-z]?)(?!\w)",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Passage:
    index: int  # line number in the article's stored text
    text: str  # as stored (source spelling), stripped
    part: int = 0  # the sentence within a long line (0 for a line read whole)


@dataclass(frozen=True, slots=True)
class Reading:
    stance: str
    provisions: tuple[str, ...]
    scores: dict[str, float]


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def sentences(line: str) -> list[str]:
    """A line cut after a sentence's end (. ! ? …, a closing quote) before a capital, a digit or an opening quote."""
    cuts = [m.start() for m in _SENTENCE_END.finditer(line)]
    out: list[str] = []
    start = 0
    for cut in cuts:
        end = cut + 1 if line[cut] in ".!?…" else cut
        while end < len(line) and line[end] in '"”»)':
            end += 1
        out.append(line[start:end].strip())
        start = end
    out.append(line[start:].strip())
    return [x for x in out if x]


def passages(text: str, *, minimum: int = MIN_PASSAGE) -> list[Passage]:
    """The article's passages: its lines (NFC), stripped, at least `minimum` characters, with their line index;
    a line longer than LONG_LINE is read sentence by sentence (`part`)."""
    out: list[Passage] = []
    for i, line in enumerate(nfc(text).split("\n")):
        line = line.strip()
        parts = sentences(line) if len(line) > LONG_LINE else [line]
        out.extend(Passage(i, part, k) for k, part in enumerate(parts) if len(part) >= minimum)
    return out


def _tidy_provision(point: str | None, clause: str | None, article: str) -> str:
    parts = []
    if point:
        parts.append("điểm " + point.split()[-1].lower())
    if clause:
        parts.append("khoản " + re.sub(r"\s+", " ", clause.split(None, 1)[1]).replace(" ,", ","))
    parts.append("Điều " + article.split()[-1])
    return " ".join(parts)


def provisions(text: str) -> tuple[str, ...]:
    """The provisions a passage cites, in order, each once: "Điều 12", "khoản 3 Điều 5", "điểm a khoản 2 Điều 7"."""
    seen: dict[str, None] = {}
    for m in _PROVISION.finditer(nfc(text)):
        seen.setdefault(_tidy_provision(m.group("point"), m.group("clause"), m.group("article")), None)
    return tuple(seen)


def article_of(provision: str) -> int | None:
    """The article number a provision belongs to ("khoản 3 Điều 5" → 5), for ordering."""
    m = re.search(r"Điều (\d+)", provision)
    return int(m.group(1)) if m else None


def cue_marks(text: str) -> list[str]:
    """The cue marks present in the passage (the rules' evidence, also features of the model)."""
    low = normalize_vietnamese(text).lower()
    marks = [mark for mark, pattern in _CUE_PATTERNS.items() if pattern.search(low)]
    if _NEGATED_FIT.search(low) and "CUE_OPPOSE" not in marks:
        marks.append("CUE_OPPOSE")
    if re.search(r"[\"“”]", text):
        marks.append("CUE_QUOTE")
    return marks


def rule_stance(text: str) -> str:
    """The rules alone: opposition cues, then proposal cues, then support cues; else neutral."""
    marks = set(cue_marks(text))
    if "CUE_OPPOSE" in marks:
        return "phan_doi"
    if "CUE_PROPOSE" in marks:
        return "de_xuat_sua_doi"
    if "CUE_SUPPORT" in marks:
        return "ung_ho"
    return "trung_lap"


def passage_tokens(text: str) -> list[str]:
    """Words (lower case, syllables of the normalised form, no segmenter: fast and stable) plus cue marks."""
    low = normalize_vietnamese(text).lower()
    return [w for w in re.findall(r"\w+", low)] + cue_marks(text)


@cache
def _model(path: Path = MODEL_PATH) -> LinearModel | None:
    if not path.with_suffix(".npz").exists():
        return None
    return LinearModel.load(path)


def read_passage(text: str, *, model: LinearModel | None = None, use_model: bool = True) -> Reading:
    """Stance and provisions of one passage. The shipped model decides when present; else the rules."""
    chosen = model if model is not None else (_model() if use_model else None)
    found = provisions(text)
    if chosen is None:
        stance = rule_stance(text)
        return Reading(stance, found, {stance: 1.0})
    scores = chosen.scores(passage_tokens(text))
    return Reading(max(scores, key=lambda k: scores[k]), found, scores)
