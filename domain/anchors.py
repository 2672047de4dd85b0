"""Anchors of compiled queries: what an article must contain for a query to have a chance to match.

The matcher keeps an inverted index from anchors to profiles and evaluates a profile only when the article
offers one of its anchors. A good anchor is rare: for a word or a phrase it is its rarest word by document
frequency in the press (domain/word_frequency.txt, the share of articles of the vietnews sample that contain each
common folded word; a word not listed is rarer than every listed one). When even the rarest word of a phrase is
common ("thi hành án", "Hà Nội"), the pre-check that the article also has the phrase's other words (set lookups,
much cheaper than evaluating the query or searching the text) keeps the profile out of most articles. A term of
the headline (`title:`) is anchored on the headline's words, NEAR on the words of both sides.
For AND the cheapest item's anchors are kept, for OR the union, for NEAR the cheaper side; NOT has none (it
is always evaluated).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources

from domain.query import And, Near, Node, Not, Or, OutletIs, ProvinceIs, Scope, Term, province_names
from domain.text import fold_words

COMMON = 0.05  # a word in more than 5 % of articles is a weak anchor: add a phrase pre-check
RARE = 0.002  # the frequency assumed for a word the table does not list (all listed ones are ≥ 0.5 %)
PHRASE = 0.1  # a phrase of common words is assumed this much rarer than its rarest word
TITLE = 0.05  # a word is this much rarer in headlines than anywhere in the article


class AnchorKind(StrEnum):
    WORD = "word"  # a folded word of the article (headline, lead or body)
    TITLE_WORD = "title"  # a folded word of the headline
    PREFIX = "prefix"  # a folded word starting with `key` (checked as " key" in the folded text)
    OUTLET = "outlet"  # a folded word of the outlet's names
    PROVINCE = "province"  # the article's enrichment names this unit


@dataclass(frozen=True, slots=True)
class Anchor:
    kind: AnchorKind
    key: str
    also: frozenset[str] = frozenset()  # WORD, TITLE_WORD: other words the article (headline) must also have


@dataclass(frozen=True, slots=True)
class Anchors:
    keys: frozenset[Anchor]
    cost: float  # the estimated share of articles that offer one of the keys


@functools.cache
def document_frequency() -> dict[str, float]:
    """The share of articles containing each common folded word (domain/word_frequency.txt)."""
    lines = resources.files("domain").joinpath("word_frequency.txt").read_text("utf-8").splitlines()
    total = int(lines[0].split()[2])
    out: dict[str, float] = {}
    for line in lines[1:]:
        word, count = line.split()
        out[word] = int(count) / total
    return out


def frequency(word: str) -> float:
    return document_frequency().get(word, RARE)


def _phrase(words: list[str], kind: AnchorKind = AnchorKind.WORD) -> Anchors:
    """The rarest of the words that must all occur, with the others as a pre-check."""
    rarest = min(words, key=lambda w: (frequency(w), -len(w)))
    share = frequency(rarest) * (TITLE if kind is AnchorKind.TITLE_WORD else 1.0)
    others = frozenset(words) - {rarest}
    return Anchors(frozenset({Anchor(kind, rarest, others)}), share * PHRASE if others else share)


def _required(term: Term) -> list[str]:
    return [w.folded for w in term.words if not w.prefix]


def _term(term: Term) -> Anchors:
    plain = _required(term)
    if plain:
        return _phrase(plain, AnchorKind.TITLE_WORD if term.scope is Scope.TITLE else AnchorKind.WORD)
    return Anchors(frozenset({Anchor(AnchorKind.PREFIX, term.words[0].folded)}), COMMON)


def _near(node: Near) -> Anchors:
    """Both sides occur: the rarest of all their words, with all the others."""
    plain = _required(node.left) + _required(node.right)
    if not plain:
        return min(_term(node.left), _term(node.right), key=lambda a: a.cost)
    both_title = node.left.scope is Scope.TITLE and node.right.scope is Scope.TITLE
    return _phrase(plain, AnchorKind.TITLE_WORD if both_title else AnchorKind.WORD)


def _province(node: ProvinceIs) -> Anchors:
    keys = {Anchor(AnchorKind.PROVINCE, node.province)}
    cost = 0.0
    for name in province_names(node.province):
        found = _phrase(fold_words(name))
        keys |= found.keys
        cost += found.cost
    return Anchors(frozenset(keys), cost)


def anchors(node: Node) -> Anchors | None:
    """The anchors one of which every article matching `node` offers, or None when it can match without any."""
    if isinstance(node, Term):
        return _term(node)
    if isinstance(node, Near):
        return _near(node)
    if isinstance(node, And):
        known = [a for a in map(anchors, node.items) if a is not None]
        return min(known, key=lambda a: a.cost) if known else None
    if isinstance(node, Or):
        keys: set[Anchor] = set()
        cost = 0.0
        for item in node.items:
            found = anchors(item)
            if found is None:
                return None
            keys |= found.keys
            cost += found.cost
        return Anchors(frozenset(keys), min(cost, 1.0))
    if isinstance(node, Not):
        return None
    if isinstance(node, OutletIs):
        return Anchors(frozenset({Anchor(AnchorKind.OUTLET, max(node.words, key=len))}), COMMON)
    return _province(node)
