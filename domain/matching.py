"""Matching articles against many saved queries at once.

An article is tokenised and folded once into an `ArticleDoc` (word positions of headline and body, folded and
exact forms); each query is compiled once into a `CompiledQuery` (a tree of small functions) with its anchors:
words one of which must occur for the query to match. `ProfileMatcher` keeps an inverted index from anchors to
profiles, so a new article is evaluated only against the profiles whose anchors it contains (and those without
anchors, such as a pure NOT query): every new article is matched against every profile once.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from domain.query import (
    WORD,
    And,
    Near,
    Node,
    Not,
    Or,
    OutletIs,
    ProvinceIs,
    Scope,
    Term,
    Word,
    parse_query,
    province_names,
)
from domain.text import fold_diacritics, normalize_vietnamese

BODY_START = 1_000_000  # body positions start here: no phrase or NEAR reaches from the headline into the body
_OUTLET_KEY = "\x00outlet:"
_PROVINCE_KEY = "\x00province:"


def _split(text: str) -> tuple[list[str], list[str]]:
    """Exact (normalised, lower case) and folded words of `text`, in order, folded once for the whole text."""
    exact = WORD.findall(normalize_vietnamese(text).lower())
    folded = fold_diacritics(" ".join(exact)).split(" ") if exact else []
    if len(folded) != len(exact):  # pragma: no cover - folding never joins or splits letters; be safe anyway
        folded = [fold_diacritics(w) for w in exact]
    return exact, folded


def _positions(title: list[str], body: list[str]) -> dict[str, list[int]]:
    index: dict[str, list[int]] = {}
    for i, word in enumerate(title):
        index.setdefault(word, []).append(i)
    for i, word in enumerate(body, BODY_START):
        index.setdefault(word, []).append(i)
    return index


class ArticleDoc:
    """One article's words, indexed once for every query: positions by folded word (and, on first use by an
    exact query, by exact word); headline positions are below `title_len`, body (lead and text) positions
    from BODY_START."""

    __slots__ = ("_exact", "_exact_words", "_sorted", "folded", "outlet", "province", "title_len")

    def __init__(
        self,
        *,
        title: str,
        text: str,
        sapo: str = "",
        outlet: Sequence[str] = (),
        province: str | None = None,
    ) -> None:
        title_exact, title_folded = _split(title)
        body_exact, body_folded = _split(f"{sapo}\n{text}")
        self.title_len = len(title_exact)
        self.folded = _positions(title_folded, body_folded)
        self._exact_words = (title_exact, body_exact)
        self._exact: dict[str, list[int]] | None = None
        self._sorted: list[str] | None = None
        self.outlet = tuple(w for name in outlet for w in WORD.findall(fold_diacritics(name)))
        self.province = province  # from the enrichment; None: not enriched, judged from the names it mentions

    @property
    def exact(self) -> dict[str, list[int]]:
        if self._exact is None:
            self._exact = _positions(*self._exact_words)
        return self._exact

    def vocabulary(self) -> list[str]:
        """The folded words, sorted (for prefixes)."""
        if self._sorted is None:
            self._sorted = sorted(self.folded)
        return self._sorted

    def has_prefix(self, prefix: str) -> bool:
        words = self.vocabulary()
        at = bisect.bisect_left(words, prefix)
        return at < len(words) and words[at].startswith(prefix)

    def anchor_keys(self) -> Iterable[str]:
        """Every anchor this article offers: its folded words, its outlet's words and its province."""
        yield from self.folded
        yield from (_OUTLET_KEY + w for w in self.outlet)
        if self.province is not None:
            yield _PROVINCE_KEY + self.province


# --- compiled queries -----------------------------------------------------------------------------------------

Test = Callable[[ArticleDoc], bool]
Spans = Callable[[ArticleDoc], list[int]]  # start positions of a term


def _word_positions(word: Word, exact: bool) -> Callable[[ArticleDoc], list[int]]:
    key = word.exact if exact else word.folded
    if not word.prefix:
        if exact:
            return lambda doc: doc.exact.get(key, [])
        return lambda doc: doc.folded.get(key, [])

    def prefixed(doc: ArticleDoc) -> list[int]:
        if exact:
            return sorted(p for w, found in doc.exact.items() if w.startswith(key) for p in found)
        words = doc.vocabulary()
        found: list[int] = []
        at = bisect.bisect_left(words, key)
        while at < len(words) and words[at].startswith(key):
            found.extend(doc.folded[words[at]])
            at += 1
        return sorted(found)

    return prefixed


def _term_starts(term: Term) -> Spans:
    """Start positions of the term (a phrase: of its first word where every next word follows), in its scope."""
    lookups = [_word_positions(w, term.exact) for w in term.words]
    title = term.scope is Scope.TITLE

    def starts(doc: ArticleDoc) -> list[int]:
        first = lookups[0](doc)
        if title:
            first = [p for p in first if p < doc.title_len]
        if len(lookups) == 1 or not first:
            return first
        candidates = set(first)
        for offset, lookup in enumerate(lookups[1:], 1):
            following = lookup(doc)
            if not following:
                return []
            candidates &= {p - offset for p in following}
            if not candidates:
                return []
        return sorted(candidates)

    return starts


def _compile(node: Node) -> Test:
    if isinstance(node, Term):
        if len(node.words) == 1 and not node.words[0].prefix and node.scope is Scope.ANY:
            key = node.words[0].exact if node.exact else node.words[0].folded
            if node.exact:
                return lambda doc: key in doc.exact
            return lambda doc: key in doc.folded
        starts = _term_starts(node)
        return lambda doc: bool(starts(doc))
    if isinstance(node, Near):
        return _compile_near(node)
    if isinstance(node, And):
        tests = [_compile(item) for item in node.items]
        return lambda doc: all(test(doc) for test in tests)
    if isinstance(node, Or):
        tests = [_compile(item) for item in node.items]
        return lambda doc: any(test(doc) for test in tests)
    if isinstance(node, Not):
        test = _compile(node.item)
        return lambda doc: not test(doc)
    if isinstance(node, OutletIs):
        return _compile_outlet(node)
    return _compile_province(node)


def _compile_near(node: Near) -> Test:
    left, right = _term_starts(node.left), _term_starts(node.right)
    left_len, right_len, distance = len(node.left.words), len(node.right.words), node.distance

    def near(doc: ArticleDoc) -> bool:
        a, b = left(doc), right(doc)
        if not a or not b:
            return False
        for start_a in a:
            end_a = start_a + left_len - 1
            at = bisect.bisect_left(b, start_a - right_len - distance)
            while at < len(b) and b[at] <= end_a + 1 + distance:
                start_b = b[at]
                end_b = start_b + right_len - 1
                if start_b > end_a and start_b - end_a - 1 <= distance:
                    return True
                if start_a > end_b and start_a - end_b - 1 <= distance:
                    return True
                at += 1
        return False

    return near


def _compile_outlet(node: OutletIs) -> Test:
    wanted, size = node.words, len(node.words)

    def outlet(doc: ArticleDoc) -> bool:
        names = doc.outlet
        return any(names[i : i + size] == wanted for i in range(len(names) - size + 1))

    return outlet


def _compile_province(node: ProvinceIs) -> Test:
    names = [
        Term(words=tuple(Word(e, f) for e, f in zip(*_split(name), strict=True)), exact=True)
        for name in province_names(node.province)
    ]
    mentions = [_term_starts(term) for term in names]
    province = node.province

    def concerns(doc: ArticleDoc) -> bool:
        if doc.province is not None:
            return doc.province == province
        return any(mention(doc) for mention in mentions)

    return concerns


def anchors(node: Node) -> frozenset[str] | None:
    """Keys one of which every matching article has (folded words, `prefix*`, outlet and province keys), or
    None when the node can match without any (a NOT)."""
    if isinstance(node, Term):
        plain = [w.folded for w in node.words if not w.prefix]
        if plain:
            return frozenset({max(plain, key=len)})
        return frozenset({max((w.folded for w in node.words), key=len) + "*"})
    if isinstance(node, Near):
        return anchors(node.left)
    if isinstance(node, And):
        known = [a for a in map(anchors, node.items) if a is not None]
        return min(known, key=len) if known else None
    if isinstance(node, Or):
        union: set[str] = set()
        for item in node.items:
            found = anchors(item)
            if found is None:
                return None
            union |= found
        return frozenset(union)
    if isinstance(node, Not):
        return None
    if isinstance(node, OutletIs):
        return frozenset({_OUTLET_KEY + max(node.words, key=len)})
    keys = {_PROVINCE_KEY + node.province}
    for name in province_names(node.province):
        folded = _split(name)[1]
        keys.add(max(folded, key=len))
    return frozenset(keys)


@dataclass(frozen=True, slots=True)
class CompiledQuery:
    text: str
    tree: Node
    anchors: frozenset[str] | None
    test: Test

    def matches(self, doc: ArticleDoc) -> bool:
        return self.test(doc)


def compile_query(text: str) -> CompiledQuery:
    """Parse and compile once; raises domain.query.ParseError."""
    tree = parse_query(text)
    return CompiledQuery(text=text, tree=tree, anchors=anchors(tree), test=_compile(tree))


class ProfileMatcher:
    """Every profile's query compiled once, with an inverted index from anchors to profiles."""

    def __init__(self, profiles: Mapping[str, str | CompiledQuery]) -> None:
        self.ids = tuple(profiles)
        self.queries = tuple(q if isinstance(q, CompiledQuery) else compile_query(q) for q in profiles.values())
        self.by_key: dict[str, list[int]] = {}
        self.by_prefix: list[tuple[str, list[int]]] = []
        self.always: list[int] = []
        prefixes: dict[str, list[int]] = {}
        for number, query in enumerate(self.queries):
            if query.anchors is None:
                self.always.append(number)
                continue
            for key in query.anchors:
                if key.endswith("*"):
                    prefixes.setdefault(key[:-1], []).append(number)
                else:
                    self.by_key.setdefault(key, []).append(number)
        self.by_prefix = sorted(prefixes.items())

    def candidates(self, doc: ArticleDoc) -> set[int]:
        """The profiles worth evaluating for `doc`: those with an anchor in it and those without anchors."""
        found = set(self.always)
        by_key = self.by_key
        for key in doc.anchor_keys():
            hit = by_key.get(key)
            if hit is not None:
                found.update(hit)
        for prefix, numbers in self.by_prefix:
            if doc.has_prefix(prefix):
                found.update(numbers)
        return found

    def match(self, doc: ArticleDoc) -> list[str]:
        """The ids of the profiles `doc` matches, in the profiles' order."""
        queries = self.queries
        return [self.ids[n] for n in sorted(self.candidates(doc)) if queries[n].test(doc)]
