"""Anchors of compiled queries: what an article must contain for a query to have a chance to match.

The matcher keeps an inverted index from anchors to profiles and evaluates a profile only when the article
offers one of its anchors. A good anchor is rare: for a word or a phrase it is its rarest word by document
frequency in the press (domain/word_frequency.txt, the share of articles of the vietnews sample that contain each
common folded word; a word not listed is rarer than every listed one). When even the rarest word of a phrase is
common ("thi hành án", "Hà Nội"), the anchor is that word with a pre-check: the article must also have the
phrase's other words (set lookups, much cheaper than evaluating the query or searching the text).
For AND the cheapest item's anchors are kept, for OR the union, for NEAR the cheaper side; NOT has none (it
is always evaluated).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources

from domain.query import And, Near, Node, Not, Or, OutletIs, ProvinceIs, Term, province_names
from domain.text import fold_words

COMMON = 0.05  # a word in more than 5 % of articles is a weak anchor: add a phrase pre-check
RARE = 0.002  # the frequency assumed for a word the table does not list (all listed ones are ≥ 0.5 %)
PHRASE = 0.1  # a phrase of common words is assumed this much rarer than its rarest word


class AnchorKind(StrEnum):
    WORD = "word"  # a folded word of the article (headline, lead or body)
    PREFIX = "prefix"  # a folded word starting with `key` (checked as " key" in the folded text)
    OUTLET = "outlet"  # a folded word of the outlet's names
    PROVINCE = "province"  # the article's enrichment names this unit


@dataclass(frozen=True, slots=True)
class Anchor:
    kind: AnchorKind
    key: str
    also: frozenset[str] = frozenset()  # WORD only: the phrase's other words, which the article must also have


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


def _phrase(words: list[str]) -> Anchors:
    """The rarest word of the phrase; when it is common, with the phrase as a pre-check."""
    rarest = min(words, key=lambda w: (frequency(w), -len(w)))
    share = frequency(rarest)
    if len(words) == 1 or share <= COMMON:
        return Anchors(frozenset({Anchor(AnchorKind.WORD, rarest)}), share)
    others = frozenset(words) - {rarest}
    return Anchors(frozenset({Anchor(AnchorKind.WORD, rarest, others)}), share * PHRASE)


def _term(term: Term) -> Anchors:
    words = [w.folded for w in term.words]
    if not any(w.prefix for w in term.words):
        return _phrase(words)
    plain = [w.folded for w in term.words if not w.prefix]
    if plain:
        found = _phrase(plain)
        return Anchors(frozenset(Anchor(a.kind, a.key, a.also) for a in found.keys), found.cost)
    return Anchors(frozenset({Anchor(AnchorKind.PREFIX, words[0])}), COMMON)


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
        return min(_term(node.left), _term(node.right), key=lambda a: a.cost)
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
