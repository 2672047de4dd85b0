"""Crawl progress: what the crawl process (crawler/process.py) tells the process that started it
(crawler/run.py), one typed record per line of JSON.

The crawl's own items and Scrapy signals carry these records inside the crawl process; `to_json` / `from_json`
are the only place where they become text, so both sides of the pipe agree on one format by construction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from typing import Any, ClassVar, Literal, get_args

Outcome = Literal["new", "edited", "unchanged", "duplicate", "rejected", "failed"]
OUTCOMES: frozenset[str] = frozenset(get_args(Outcome))
STORED: frozenset[str] = frozenset({"new", "edited", "unchanged"})  # the outcomes counted, not listed one by one


class NotAnEvent(ValueError):
    """A line that does not stand for a CrawlEvent (the message says what is wrong)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class CrawlEvent:
    """One step of a crawl. Subclasses name their `tag` (the line's "event" key) and their fields."""

    tag: ClassVar[str]

    def to_json(self) -> str:
        """One line of JSON in UTF-8 (Vietnamese stays readable; a lone surrogate, which UTF-8 cannot carry, is
        written escaped)."""
        data = {"event": self.tag, **self._fields()}
        line = json.dumps(data, ensure_ascii=False)
        try:
            line.encode()
        except UnicodeEncodeError:
            return json.dumps(data)
        return line

    def _fields(self) -> dict[str, Any]:
        return {field.name: getattr(self, field.name) for field in fields(self)}

    @staticmethod
    def from_json(line: str) -> CrawlEvent:
        """The record a line of `to_json` stands for; NotAnEvent if the line is not one."""
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise NotAnEvent(f"not JSON: {exc}") from exc
        if not isinstance(data, dict):
            raise NotAnEvent("not a JSON object")
        kind = _KINDS.get(data.pop("event", None))
        if kind is None:
            raise NotAnEvent("no known 'event' key")
        if kind is ArticlesCounted and isinstance(data.get("counts"), dict):
            data["counts"] = tuple((str(k), v) for k, v in data["counts"].items())
        try:
            event = kind(**data)
        except TypeError as exc:
            raise NotAnEvent(f"{kind.tag}: {exc}") from exc
        event.check()
        return event

    def check(self) -> None:
        """NotAnEvent when a field does not have its type (the line came from outside Python's type checks)."""
        for field in fields(self):
            value = getattr(self, field.name)
            expected = _TYPES[field.type] if isinstance(field.type, str) else field.type
            if not isinstance(value, expected) or (isinstance(value, bool) and bool not in _as_tuple(expected)):
                raise NotAnEvent(f"{self.tag}.{field.name}: {value!r}")


@dataclass(frozen=True, slots=True, kw_only=True)
class CrawlStarted(CrawlEvent):
    tag: ClassVar[str] = "start"
    feeds: int  # the feeds this cycle polls


@dataclass(frozen=True, slots=True, kw_only=True)
class FeedChecked(CrawlEvent):
    tag: ClassVar[str] = "feed"
    url: str | None
    ok: bool
    new: int = 0  # entries whose pages are to be fetched
    reason: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ArticleHandled(CrawlEvent):
    tag: ClassVar[str] = "article"
    outcome: Outcome
    url: str
    reason: str | None = None

    def check(self) -> None:
        CrawlEvent.check(self)
        if self.outcome not in OUTCOMES:
            raise NotAnEvent(f"article.outcome: {self.outcome!r}")


@dataclass(frozen=True, slots=True, kw_only=True)
class ArticlesCounted(CrawlEvent):
    """Stored articles by outcome since the last count (sent in batches: a line per article cost a pipe write)."""

    tag: ClassVar[str] = "articles"
    counts: tuple[tuple[str, int], ...]

    def _fields(self) -> dict[str, Any]:
        return {"counts": dict(self.counts)}

    def check(self) -> None:
        CrawlEvent.check(self)
        for outcome, n in self.counts:
            if outcome not in OUTCOMES or not isinstance(n, int) or isinstance(n, bool) or n < 0:
                raise NotAnEvent(f"articles.counts: {outcome!r}: {n!r}")


@dataclass(frozen=True, slots=True, kw_only=True)
class CrawlRefused(CrawlEvent):
    """The crawl could not start; the reason is for the user (the registry is wrong, say)."""

    tag: ClassVar[str] = "error"
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CrawlDone(CrawlEvent):
    tag: ClassVar[str] = "done"


_KINDS: dict[object, type[CrawlEvent]] = {
    k.tag: k for k in (CrawlStarted, FeedChecked, ArticleHandled, ArticlesCounted, CrawlRefused, CrawlDone)
}
# The field annotations as written (postponed: strings) → the runtime types they allow.
_TYPES: dict[str, type | tuple[type, ...]] = {
    "int": int,
    "Outcome": str,
    "bool": bool,
    "str": str,
    "str | None": (str, type(None)),
    "tuple[tuple[str, int], ...]": tuple,
}


def _as_tuple(expected: type | tuple[type, ...]) -> tuple[type, ...]:
    return expected if isinstance(expected, tuple) else (expected,)
