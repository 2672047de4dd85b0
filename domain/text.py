"""Vietnamese text normalisation shared by every stage: stored text is tidied, hashes and search keys normalised.

Every package that writes or matches text must normalise it the same way, so it has one home at the bottom.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata

# Tone marks as combining characters (NFD).
_TONES = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook above, dot below

WORD = re.compile(r"[^\W_]+")  # a word: letters and digits (not `_`)
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_BLANK_LINES = re.compile(r"\s*\n\s*")


def _toned(base: str) -> dict[str, tuple[str, str]]:
    """Every precomposed letter `base`+tone (NFC) → (base, combining tone)."""
    out: dict[str, tuple[str, str]] = {}
    for tone in _TONES:
        for letter in (base, base.upper()):
            out[unicodedata.normalize("NFC", letter + tone)] = (letter, tone)
    return out


_TONED_A, _TONED_E, _TONED_Y = _toned("a"), _toned("e"), _toned("y")
_SECOND = {**_TONED_A, **_TONED_E, **_TONED_Y}

# The "new style" places the tone of an open syllable ending in oa, oe, uy on its last vowel (hoà, khoẻ, thuỷ);
# the project uses the traditional style of official names (Hòa, Thanh Hóa, Thủy): tone on the first vowel.
# Only open syllables differ (hoàng, khuyến are the same in both), and "qu" is a consonant (quý, quỳ).
_NEW_STYLE = re.compile(
    "(?P<first>[oO](?=[" + "".join(_TONED_A) + "".join(_TONED_E) + "])"
    "|(?<![qQ])[uU](?=[" + "".join(_TONED_Y) + "]))"
    "(?P<second>[" + "".join(_SECOND) + "])"
    "(?![^\\W\\d_])"
)


def _to_old_style(match: re.Match[str]) -> str:
    base, tone = _SECOND[match["second"]]
    return unicodedata.normalize("NFC", match["first"] + tone) + base


def tidy_text(text: str) -> str:
    """The author's own spelling, tidied: NFC, no invisible characters, single spaces, no blank lines.

    What is stored and shown (a headline, a quotation) goes through this only, so that it stays verbatim;
    the tone-mark convention is unified by `normalize_vietnamese`, for what is matched and indexed.
    """
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    return _BLANK_LINES.sub("\n", _SPACES.sub(" ", text)).strip()


def normalize_vietnamese(text: str) -> str:
    """A matching form: `tidy_text` plus one tone-mark convention (hoà → hòa). Not for stored text."""
    return _NEW_STYLE.sub(_to_old_style, tidy_text(text))


def fold_diacritics(text: str) -> str:
    """A search key: normalised, lower case, without diacritics (đ → d): 'Thi hành án' → 'thi hanh an'."""
    decomposed = unicodedata.normalize("NFD", normalize_vietnamese(text).lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("đ", "d")


@functools.cache
def fold_table() -> dict[int, str]:
    """A `str.translate` table for `fold_words`, built once on first use (≈0.2 s): every character that
    `fold_diacritics` changes (after lower case) maps to what it becomes (đ → d, ộ → o); combining marks and
    invisible characters map to nothing; every character that is not part of a word (spaces, punctuation, `_`,
    emoji) maps to a space. Planes 0 and 1 and the tags block; the other planes hold letters only (CJK)."""
    table: dict[int, str] = {ord(c): "" for c in "\u200b\u200c\u200d\u2060\ufeff\u00ad"}
    for code in itertools.chain(range(0x20000), range(0xE0000, 0xE1000)):
        char = chr(code)
        if code in table:
            continue
        if unicodedata.combining(char):
            table[code] = ""
            continue
        base = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
        base = base.replace("đ", "d")
        if not WORD.fullmatch(base):
            table[code] = " "
        elif base != char:
            table[code] = base
    return table


# The press's common non-ASCII punctuation, made spaces before the fast path of `fold_words`.
_PUNCTUATION = "\u00a0“”‘’–—…«»•·"
_ASCII_SPACES = str.maketrans({c: " " for c in map(chr, range(128)) if not c.isalnum()})


def fold_words(text: str) -> list[str]:
    """The words of `fold_diacritics(text)` (`WORD.findall` of it), for what is matched against many queries,
    where the per-character work of `fold_diacritics` costs too much.

    Fast path, taken by nearly every article: decomposed (NFD), Vietnamese text is ASCII letters and combining
    marks, so dropping what is not ASCII drops the marks; it is taken only when that leaves one character for
    each character of the text (nothing else was dropped: no other script, symbol or invisible character). Other
    text goes through one `str.translate` with `fold_table()`. (Folding each distinct token once through a cache
    was measured too: no faster.)"""
    lowered = text.lower()
    for mark in _PUNCTUATION:
        if mark in lowered:
            lowered = lowered.replace(mark, " ")
    letters = unicodedata.normalize("NFD", lowered).replace("đ", "d").encode("ascii", "ignore")
    if len(letters) == len(lowered):
        return letters.decode("ascii").translate(_ASCII_SPACES).split()
    return lowered.translate(fold_table()).split()


_TONED_O, _TONED_U = _toned("o"), _toned("u")
# The traditional style's open oa, oe, uy syllables (hòa, khỏe, thủy), to write them in the new style (hoà).
_OLD_STYLE = re.compile(
    "(?P<first>[" + "".join(_TONED_O) + "](?=[aAeE])"
    "|(?<![qQ])[" + "".join(_TONED_U) + "](?=[yY]))"
    "(?P<second>[aAeEyY])"
    "(?![^\\W\\d_])"
)


def _to_new_style(match: re.Match[str]) -> str:
    base, tone = {**_TONED_O, **_TONED_U}[match["first"]]
    return base + unicodedata.normalize("NFC", match["second"] + tone)


def tone_spellings(word: str) -> tuple[str, ...]:
    """A normalised word (`normalize_vietnamese`) and, if it differs, its new-style spelling: 'hòa' → ('hòa',
    'hoà'); to find it in text that was not normalised."""
    new = _OLD_STYLE.sub(_to_new_style, word)
    return (word,) if new == word else (word, new)
