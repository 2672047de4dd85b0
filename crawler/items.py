"""What the spiders yield: fetched article pages, the outcome of each feed poll and each failed article request.
The spiders only describe; the item pipeline (crawler/pipelines.py) writes them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from crawler.entries import Entry
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


@dataclass(frozen=True, slots=True, kw_only=True)
class Fetched:
    """An article page as downloaded, with what its feed said about it."""

    feed_id: int
    outlet_id: int
    url: str  # as requested (canonical)
    body: bytes
    fetched_at: datetime
    status: int = 200
    content_type: str | None = None
    entry: Entry | None = None
    known: bool = True  # False: the URL was not stored when its feed was read
