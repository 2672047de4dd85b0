"""The words of a search: read from what a user typed, written as each engine's query, found again in the text.

A search matches articles that contain every word (`thi hanh an`: all three syllables, anywhere), those with the
words side by side in the order typed first, then those with the words close together (`closer`, `fts5_near`);
words in double quotes (straight or typographic) must appear in that order, side by side (`"thi hanh an"`). Everything
else a user may type (operators of either engine, `*`, `-`, `NEAR`, parentheses, SQL) is not syntax here: the
words are folded to their search key (`domain.text.fold_diacritics`: no diacritics, đ → d, lower case) and cut
into runs of letters and digits, exactly as both indexes cut the stored text, so no input can be a syntax
error in either engine. Only the first `MAX_WORDS` words and `MAX_CHARS` characters count.

The same words are found again in the original text, with its diacritics and in any tone-mark placement, to
cut the snippet and mark the matches (`marks`: character spans of the snippet): where the typed words stand
side by side in the snippet, only those are marked (not "An" of "Nghệ An" beside "thi hành án").
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from domain.text import fold_diacritics

MAX_CHARS = 1000
MAX_WORDS = 32
SNIPPET_CHARS = 240  # about two lines of a results page
NEAR_TOKENS = 8  # words this close (at most this many words between them) rank before words far apart
TOGETHER_WITHIN = 1500  # where the words are looked for side by side: the opening paragraphs (regexes are slow)
_QUOTES = '"“”„«»'
_WORD = re.compile(r"[^\W_]+")
_QUOTED = re.compile(f"[{_QUOTES}]([^{_QUOTES}]*)(?:[{_QUOTES}]|$)")
_COMBINING = "[\u0300-\u036f]*"  # text stored decomposed (NFD) still matches
_SPACE = re.compile(r"\s")


@dataclass(frozen=True, slots=True)
class Terms:
    """What to look for: words that must all appear, and phrases (words side by side, in order)."""

    words: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.words or self.phrases)


def parse_terms(text: str) -> Terms:
    """The words and phrases of what a user typed (see the module's docstring)."""
    text = text[:MAX_CHARS]
    words: list[str] = []
    phrases: list[tuple[str, ...]] = []
    budget = MAX_WORDS
    rest = _QUOTED.sub(" ", text)
    for quoted in _QUOTED.findall(text):
        phrase = tuple(_WORD.findall(fold_diacritics(quoted)))[:budget]
        budget -= len(phrase)
        if len(phrase) == 1:
            words.extend(phrase)
        elif phrase:
            phrases.append(phrase)
    for word in _WORD.findall(fold_diacritics(rest))[: max(budget, 0)]:
        words.append(word)
    return Terms(words=tuple(dict.fromkeys(words)), phrases=tuple(dict.fromkeys(phrases)))


def fts5_query(terms: Terms) -> str:
    """An SQLite FTS5 MATCH expression: every word and phrase as a quoted string (implicit AND).

    Words hold letters and digits only, so a quote can never close a string early.
    """
    parts = [f'"{w}"' for w in terms.words] + [f'"{" ".join(p)}"' for p in terms.phrases]
    return " ".join(parts)


def closer(terms: Terms) -> Terms | None:
    """The same search with the typed words side by side, in order (a phrase): the articles that have them so
    rank first. None when fewer than two words were typed outside quotes."""
    if len(terms.words) < 2:
        return None
    return Terms(phrases=(terms.words, *terms.phrases))


def fts5_near(terms: Terms) -> str | None:
    """An FTS5 expression for the typed words within NEAR_TOKENS of each other (and the quoted phrases): the
    articles that have them so rank next."""
    if len(terms.words) < 2:
        return None
    near = "NEAR(" + " ".join(f'"{w}"' for w in terms.words) + f", {NEAR_TOKENS})"
    return " ".join([near, *(f'"{" ".join(p)}"' for p in terms.phrases)])


def tsquery(terms: Terms) -> str:
    """A PostgreSQL to_tsquery expression: quoted lexemes joined by & (all) and <-> (a phrase)."""
    parts = [f"'{w}'" for w in terms.words] + ["(" + " <-> ".join(f"'{w}'" for w in p) + ")" for p in terms.phrases]
    return " & ".join(parts)


@functools.cache
def _variants() -> dict[str, str]:
    """Search-key letter → every letter that folds to it (upper and lower case, any diacritics)."""
    found: dict[str, set[str]] = {}
    for code in [*range(0x20, 0x250), *range(0x1E00, 0x1F00)]:
        char = chr(code)
        if not char.isalnum():
            continue
        key = fold_diacritics(char)
        if len(key) == 1:
            found.setdefault(key, {key}).add(char)
    return {key: "".join(sorted(chars)) for key, chars in found.items()}


def _letter(key: str) -> str:
    chars = _variants().get(key)
    return (f"[{re.escape(chars)}]" if chars else re.escape(key)) + _COMBINING


def _word(word: str) -> str:
    return "".join(_letter(c) for c in word)


@functools.lru_cache(maxsize=256)
def pattern(terms: Terms) -> re.Pattern[str] | None:
    """A regular expression that finds the words and phrases in the original text, diacritics or not.

    Phrases come first and longer words before shorter ones, so that the longest match is marked.
    """
    if not terms:
        return None
    alternatives = [r"[\W_]+".join(_word(w) for w in p) for p in terms.phrases]
    alternatives += [_word(w) for w in sorted(terms.words, key=len, reverse=True)]
    return re.compile(r"(?<![^\W_])(?:" + "|".join(alternatives) + r")(?![^\W_])", re.IGNORECASE)


@functools.lru_cache(maxsize=256)
def _together(terms: Terms) -> re.Pattern[str] | None:
    """The words side by side in the order typed: where the snippet is best cut when they occur so."""
    if len(terms.words) < 2 or terms.phrases:
        return None
    return pattern(Terms(phrases=(terms.words,)))


def snippet(text: str, terms: Terms, *, size: int = SNIPPET_CHARS) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Plain text of about `size` characters around the first match (the words side by side if they occur so,
    else the first of them; the start of the text when none), cut on word boundaries, and the spans of it that
    match: [start, end) character offsets, for <mark>. Only the piece is normalised (a whole article need not be)."""
    found, together = pattern(terms), _together(terms)
    first = together.search(text, 0, TOGETHER_WITHIN) if together else None
    first = first or (found.search(text) if found else None)
    start = 0
    if first is not None and first.start() > size // 4:
        space = _SPACE.search(text, first.start() - size // 4, first.start())
        start = space.end() if space else first.start() - size // 4
    end = min(len(text), start + size)
    if end < len(text):
        lo = max(start, first.end() if first is not None else start)
        cut = max(text.rfind(" ", lo, end), text.rfind("\n", lo, end))
        end = cut if cut > start else end
    piece = " ".join(unicodedata.normalize("NFC", text[start:end]).split())
    result = ("… " if start else "") + piece + (" …" if end < len(text) else "")
    if found is None:
        return result, ()
    marks = tuple((m.start(), m.end()) for m in found.finditer(result))
    if together is not None:  # the words side by side in the piece: only those are the match, not each word alone
        spans = [m.span() for m in together.finditer(result)]
        inside = tuple((a, b) for a, b in marks if any(lo <= a and b <= hi for lo, hi in spans))
        marks = inside or marks
    return result, marks
