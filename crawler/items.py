"""What the spiders yield besides fetched pages (crawler.store.Fetched): the outcome of each feed poll and each
failed article request. The spiders only describe; the item pipeline (crawler/pipelines.py) writes them."""

from __future__ import annotations

from dataclasses import dataclass

from domain.records import FeedEvent


@dataclass(frozen=True, slots=True)
class Validators:
    """A feed's conditional-GET validators, as its last poll answered them."""

    etag: str | None
    last_modified: str | None


@dataclass(frozen=True, slots=True)
class FeedPolled:
    """One poll of a feed (`event.stage == "poll"`); `validators` are kept only once the cycle finishes."""

    event: FeedEvent
    validators: Validators | None = None


@dataclass(frozen=True, slots=True)
class ArticleFailed:
    """An article page that could not be fetched (`event.stage == "article"`, `event.reason` says why)."""

    event: FeedEvent
