"""Matching articles against many saved queries at once.

An article is folded and split once into an `ArticleDoc`: its folded words as a set and as one string with
single spaces (" thi hanh an dan su "), so that a word is a set lookup and a phrase a substring search; word
positions (for NEAR) are counted on demand, exact terms (`=`, `exact:`) looked for in the text as written. Each
query is compiled once into a `CompiledQuery` (a tree of small functions) with its anchors (domain/anchors.py).
`ProfileMatcher` keeps an inverted index from anchors to profiles, so a new article is evaluated only against the
profiles whose anchors it offers (and those without anchors, such as a pure NOT query): every new article is
matched against every profile once. Checks that several profiles share (the same phrase, NEAR or province) are
computed once per article.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from domain.anchors import AnchorKind, Anchors, anchors
from domain.query import And, Near, Node, Not, Or, OutletIs, Scope, Term, Word, parse_query, province_names
from domain.text import WORD, fold_words, normalize_vietnamese, tone_spellings

BODY_START = 1_000_000  # body positions start here: no phrase or NEAR reaches from the headline into the body


class Forms:
    """One form (folded or exact) of an article's words: the set, and the headline and the whole text as strings
    of words separated by single spaces (headline, a line break, lead and body)."""

    __slots__ = ("text", "title", "title_words", "words")

    def __init__(self, title: list[str], body: list[str]) -> None:
        self.title = f" {' '.join(title)} "
        self.text = f"{self.title}\n {' '.join(body)} "
        self.words = {*title, *body}
        self.title_words = set(title)

    def starts(self, pattern: re.Pattern[str], title_only: bool) -> list[int]:
        """The word positions (headline from 0, body from BODY_START) where `pattern` (which starts with the space
        before a word) occurs: counting the spaces before each occurrence, no word index is built."""
        text = self.title if title_only else self.text
        title_end = len(self.title)
        found: list[int] = []
        counted, spaces = 0, 0
        for match in pattern.finditer(text):
            at = match.start()
            if at >= title_end and counted < title_end:
                counted, spaces = title_end + 1, 0
            spaces += text.count(" ", counted, at)
            counted = at
            found.append(spaces + (BODY_START if at > title_end else 0))
        return found


def _exact_words(text: str) -> list[str]:
    return WORD.findall(normalize_vietnamese(text).lower())


class ArticleDoc:
    """One article, folded and split once for every query; `memo` keeps the checks profiles share."""

    __slots__ = ("_exact", "_lowered", "_raw", "folded", "memo", "outlet", "province")

    def __init__(
        self,
        *,
        title: str,
        text: str,
        sapo: str = "",
        outlet: Sequence[str] = (),
        province: str | None = None,
    ) -> None:
        self._raw = (title, f"{sapo}\n{text}")
        self.folded = Forms(fold_words(title), fold_words(self._raw[1]))
        self._exact: Forms | None = None
        self._lowered: tuple[str, str] | None = None
        self.memo: dict[str, bool] = {}
        self.outlet = tuple(w for name in outlet for w in fold_words(name))
        self.province = province  # from the enrichment; None: not enriched, judged from the names it mentions

    @property
    def exact(self) -> Forms:
        """The words normalised (NFC, one tone convention) and in lower case, with their marks: on first use."""
        if self._exact is None:
            self._exact = Forms(*map(_exact_words, self._raw))
        return self._exact

    @property
    def lowered(self) -> tuple[str, str]:
        """Headline and body as written, in NFC and lower case: where exact terms are looked for."""
        if self._lowered is None:
            title, body = self._raw
            self._lowered = (unicodedata.normalize("NFC", title).lower(), unicodedata.normalize("NFC", body).lower())
        return self._lowered


# --- compiled queries -----------------------------------------------------------------------------------------

Test = Callable[[ArticleDoc], bool]
Spans = Callable[[ArticleDoc], list[int]]  # start positions of a term


def _memo(key: str, test: Test) -> Test:
    """`test`, computed once per article for every profile that has the same check (`key`)."""

    def shared(doc: ArticleDoc) -> bool:
        memo = doc.memo
        found = memo.get(key)
        if found is None:
            found = memo[key] = test(doc)
        return found

    return shared


def _form(exact: bool) -> Callable[[ArticleDoc], Forms]:
    if exact:
        return lambda doc: doc.exact
    return lambda doc: doc.folded


def _spelled(word: Word, exact: bool) -> str:
    return word.exact if exact else word.folded


def _term_key(term: Term) -> str:
    words = " ".join(_spelled(w, term.exact) + "*" * w.prefix for w in term.words)
    return f"{term.scope}:{'=' if term.exact else ''}{words}"


def _term_regex(term: Term) -> re.Pattern[str]:
    """The term in a form's text: from the space before its first word to the end of its last word."""
    words = (re.escape(_spelled(w, term.exact)) + ("[^ \n]*" if w.prefix else "") for w in term.words)
    return re.compile(" " + " ".join(words) + "(?= )")


def _exact_regex(words: tuple[Word, ...]) -> re.Pattern[str]:
    """Exact words (either tone placement) in text as written: separated by anything that is not a word."""
    parts = []
    for word in words:
        spellings = "|".join(re.escape(s) for s in tone_spellings(word.exact))
        parts.append(f"(?:{spellings})" + (r"[^\W_]*" if word.prefix else ""))
    return re.compile(r"(?<![^\W_])" + r"[\W_]+".join(parts) + r"(?![^\W_])")


def _exact_probe(words: tuple[Word, ...]) -> tuple[str, ...]:
    """Substrings one of which text as written must contain for `_exact_regex` to match (its first word), so
    that the regular expression, which has to try every position, runs only where it can match."""
    return tone_spellings(words[0].exact)


def _exact_test(term: Term) -> Test:
    """An exact term: looked for with its marks in the text as written, only in an article that has it folded."""
    folded = _term_test(replace(term, exact=False))
    regex, probe, title = _exact_regex(term.words), _exact_probe(term.words), term.scope is Scope.TITLE

    def exact(doc: ArticleDoc) -> bool:
        if not folded(doc):
            return False
        texts = doc.lowered[:1] if title else doc.lowered
        return any(regex.search(text) is not None for text in texts if any(p in text for p in probe))

    return _memo(_term_key(term), exact)


def _term_test(term: Term) -> Test:
    """Whether the term occurs: a word is a set lookup, a phrase a substring of the folded words joined by
    spaces, a prefix a regular expression over them."""
    if term.exact:
        return _exact_test(term)
    words, title = [w.folded for w in term.words], term.scope is Scope.TITLE
    if len(words) == 1 and not term.words[0].prefix and not title:
        word = words[0]
        return lambda doc: word in doc.folded.words  # a set lookup: cheaper than the memo
    if not any(w.prefix for w in term.words):
        pattern, need = f" {' '.join(words)} ", frozenset(words)

        def phrase(doc: ArticleDoc) -> bool:
            return pattern in (doc.folded.title if title else doc.folded.text)

        shared = _memo(_term_key(term), phrase)
        # The set first, outside the memo: most articles lack one of the words, and that costs less than the memo.
        return lambda doc: doc.folded.words.issuperset(need) and shared(doc)
    regex, start = _term_regex(term), " " + words[0]  # the text has the first word's start: cheap, checked first

    def prefixed(doc: ArticleDoc) -> bool:
        text = doc.folded.title if title else doc.folded.text
        return start in text and regex.search(text) is not None

    return _memo(_term_key(term), prefixed)


def _term_starts(term: Term) -> Spans:
    """The positions where the term starts, in its scope."""
    regex, form, title = _term_regex(term), _form(term.exact), term.scope is Scope.TITLE
    return lambda doc: form(doc).starts(regex, title)


def _compile(node: Node) -> Test:
    if isinstance(node, Term):
        return _term_test(node)
    if isinstance(node, Near):
        return _compile_near(node)
    if isinstance(node, And):  # the rarest first: most articles fail it, the others are not evaluated
        every = [_compile(item) for item in sorted(node.items, key=_rarity)]

        def both(doc: ArticleDoc) -> bool:  # a loop, not all(): no generator per profile and article
            for test in every:  # noqa: SIM110
                if not test(doc):
                    return False
            return True

        return both
    if isinstance(node, Or):
        tests = [_compile(item) for item in node.items]

        def either(doc: ArticleDoc) -> bool:  # a loop, not any(): no generator per profile and article
            for test in tests:  # noqa: SIM110
                if test(doc):
                    return True
            return False

        return either
    if isinstance(node, Not):
        test = _compile(node.item)
        return lambda doc: not test(doc)
    if isinstance(node, OutletIs):
        return _compile_outlet(node)
    return _compile_province(node.province)


def _rarity(node: Node) -> float:
    found = anchors(node)
    return 2.0 if found is None else found.cost


def _near_key(node: Near) -> str:
    return f"near/{node.distance}:{_term_key(node.left)}|{_term_key(node.right)}"


def _compile_near(node: Near) -> Test:
    has_left, has_right = _term_test(node.left), _term_test(node.right)
    left, right = _term_starts(node.left), _term_starts(node.right)
    left_len, right_len, distance = len(node.left.words), len(node.right.words), node.distance

    def near(doc: ArticleDoc) -> bool:
        if not has_left(doc) or not has_right(doc):  # cheap: no positions unless both occur
            return False
        a, b = left(doc), right(doc)
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

    return _memo(_near_key(node), near)


def _compile_outlet(node: OutletIs) -> Test:
    wanted, size = node.words, len(node.words)

    def outlet(doc: ArticleDoc) -> bool:
        names = doc.outlet
        return any(names[i : i + size] == wanted for i in range(len(names) - size + 1))

    return outlet


def _compile_province(province: str) -> Test:
    """The enrichment's province when the article has one; otherwise a mention of one of the unit's names: a
    precompiled pattern over the folded text, then (only when it is found) the name with its marks."""
    names = province_names(province)
    folded = [f" {' '.join(fold_words(n))} " for n in names]
    exact = []
    for name in names:
        words = tuple(Word(w, "") for w in _exact_words(name))
        exact.append((_exact_regex(words), _exact_probe(words)))

    def mentions(doc: ArticleDoc) -> bool:
        text = doc.folded.text
        if not any(name in text for name in folded):
            return False
        return any(
            regex.search(text) is not None
            for text in doc.lowered
            for regex, probe in exact
            if any(p in text for p in probe)
        )

    mentioned = _memo(f"province:{province}", mentions)

    def concerns(doc: ArticleDoc) -> bool:
        if doc.province is not None:
            return doc.province == province
        return mentioned(doc)

    return concerns


@dataclass(frozen=True, slots=True)
class CompiledQuery:
    text: str
    tree: Node
    anchors: Anchors | None
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
        self.always: list[int] = []
        # Words (of the article, or of its headline) → the other words they need → profiles.
        self.by_word: dict[str, dict[frozenset[str], list[int]]] = {}
        self.by_title: dict[str, dict[frozenset[str], list[int]]] = {}
        self.by_prefix: dict[str, list[int]] = {}
        self.by_outlet: dict[str, list[int]] = {}
        self.by_province: dict[str, list[int]] = {}
        for number, query in enumerate(self.queries):
            if query.anchors is None:
                self.always.append(number)
                continue
            for anchor in query.anchors.keys:
                if anchor.kind in (AnchorKind.WORD, AnchorKind.TITLE_WORD):
                    words = self.by_word if anchor.kind is AnchorKind.WORD else self.by_title
                    words.setdefault(anchor.key, {}).setdefault(anchor.also, []).append(number)
                    continue
                index = {
                    AnchorKind.PREFIX: self.by_prefix,
                    AnchorKind.OUTLET: self.by_outlet,
                    AnchorKind.PROVINCE: self.by_province,
                }[anchor.kind]
                index.setdefault(anchor.key, []).append(number)
        self._words = frozenset(self.by_word)
        self._titles = frozenset(self.by_title)
        self._prefixes = tuple((f" {prefix}", numbers) for prefix, numbers in self.by_prefix.items())

    def candidates(self, doc: ArticleDoc) -> set[int]:
        """The profiles worth evaluating for `doc`: those with an anchor in it and those without anchors."""
        found = set(self.always)
        folded = doc.folded
        for words, index, keys in (
            (folded.words, self.by_word, self._words),
            (folded.title_words, self.by_title, self._titles),
        ):
            for word in keys & words:
                for others, numbers in index[word].items():
                    if words.issuperset(others):
                        found.update(numbers)
        text = folded.text
        for prefix, numbers in self._prefixes:
            if prefix in text:
                found.update(numbers)
        for word in doc.outlet:
            found.update(self.by_outlet.get(word, ()))
        if doc.province is not None:
            found.update(self.by_province.get(doc.province, ()))
        return found

    def match(self, doc: ArticleDoc) -> list[str]:
        """The ids of the profiles `doc` matches, in the profiles' order."""
        queries = self.queries
        return [self.ids[n] for n in sorted(self.candidates(doc)) if queries[n].test(doc)]
