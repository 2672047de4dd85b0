"""Vietnamese text normalisation shared by every stage: stored text is tidied, hashes and search keys normalised.

Every package that writes or matches text must normalise it the same way, so it has one home at the bottom.
"""

from __future__ import annotations

import re
import unicodedata

# Tone marks as combining characters (NFD).
_TONES = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook above, dot below

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
