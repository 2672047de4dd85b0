"""What every feed spider does: poll its feeds politely, report the outcome, fetch the articles it has not got.

A subclass only says how to read its kind of feed (`entries`). Known articles are fetched again only when
their feed entry says they changed after the last fetch (within `recheck_window_h`), which is how an edit
by the outlet becomes a new snapshot.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, ClassVar

import scrapy
from scrapy.http import Request, Response
from twisted.python.failure import Failure

from crawler.distributed import Claims
from crawler.entries import Entry, Parsed
from crawler.items import ArticleFailed, FeedPolled, Fetched, Validators
from crawler.rules import Rules
from domain.records import Feed, FeedEvent, FeedKind


@dataclass(frozen=True, slots=True)
class FeedJob:
    feed: Feed
    outlet_slug: str
    rules: Rules
    site_names: frozenset[str]


def describe_failure(failure: Failure) -> str:
    """A user-facing reason for a failed request."""
    name = failure.type.__name__ if failure.type else "Error"
    text = str(failure.value) or name
    lowered = f"{name} {text}".lower()
    if "timeout" in lowered or "timedout" in lowered:
        return "hết thời gian chờ phản hồi"
    if "maxsize" in lowered or ("cancelled" in lowered and "size" in lowered) or "exceed" in lowered:
        return "trang vượt quá dung lượng cho phép"
    if "dns" in lowered:
        return f"không phân giải được tên miền ({text})"
    if "refused" in lowered:
        return "máy chủ từ chối kết nối"
    if "ignorerequest" in lowered and "robots" in lowered:
        return "bị chặn bởi robots.txt"
    return f"{name}: {text}"[:300]


class FeedSpider(scrapy.Spider):
    """Reads feeds and yields what it found: Requests for the article pages, the pages themselves (`Fetched`), and
    the outcome of every poll (`FeedPolled`) and failed page (`ArticleFailed`). It writes nothing: storage and
    progress are the item pipeline's (crawler/pipelines.py).

    Which entries are worth fetching depends on what is stored already; that one read comes through
    `last_fetched` (URLs → when each was last fetched), asked once per feed for all its entries. Not a
    downloader middleware: one request at a time there would make it a query per article instead of one per
    feed, and the URL claims (which must be taken only for the pages actually requested) would have to move too.
    """

    kind: ClassVar[FeedKind]

    def __init__(
        self,
        *,
        jobs: list[FeedJob],
        last_fetched: Callable[[list[str]], Mapping[str, datetime]],
        clock: Callable[[], datetime],
        recheck_window_h: int,
        claims: Claims | None = None,
        poll: frozenset[int] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.claims = claims or Claims()
        self.jobs = [j for j in jobs if j.feed.kind == self.kind]  # every known feed: pages may come from any
        self.poll = poll  # the feeds this process polls now (None: all)
        self.last_fetched = last_fetched
        self.clock = clock
        self.recheck_window = timedelta(hours=recheck_window_h)

    def entries(self, response: Response, job: FeedJob) -> Parsed:
        raise NotImplementedError

    async def start(self) -> AsyncIterator[Any]:
        for job in self.jobs:
            if self.poll is not None and _id(job) not in self.poll:
                continue
            headers = {}
            if job.feed.etag:
                headers["If-None-Match"] = job.feed.etag
            if job.feed.last_modified:
                headers["If-Modified-Since"] = job.feed.last_modified
            yield Request(
                job.feed.url,
                headers=headers,
                callback=self.parse_feed,
                errback=self.feed_failed,
                dont_filter=True,
                meta={"job": job, "handle_httpstatus_all": True},
            )

    def parse_feed(self, response: Response) -> Iterator[Request | FeedPolled]:
        job: FeedJob = response.meta["job"]
        event = FeedEvent(
            feed_id=_id(job), at=self.clock(), ok=True, stage="poll", url=response.url, http_status=response.status
        )
        if response.status == 304:
            yield self._polled(replace(event, reason="không có gì mới (HTTP 304)"))
            return
        if response.status >= 400:
            yield self._polled(replace(event, ok=False, reason=f"lỗi HTTP {response.status}"))
            return
        parsed = self.entries(response, job)
        if not parsed.entries:
            yield self._polled(replace(event, ok=False, reason="; ".join(parsed.problems)[:500]))
            return
        wanted, seen = self._wanted(parsed.entries)
        # The validators are saved by the pipeline only when the cycle finishes: saved at poll time, a cycle stopped
        # half-way (SIGTERM) would make the next poll answer 304 and the articles not yet fetched be lost.
        yield self._polled(
            replace(
                event,
                items_seen=parsed.items_seen,
                items_new=len(wanted),
                reason="; ".join(parsed.problems)[:500] or None,
            ),
            Validators(header(response, b"ETag"), header(response, b"Last-Modified")),
        )
        for entry in wanted:
            yield Request(
                entry.url,
                callback=self.parse_article,
                errback=self.article_failed,
                dont_filter=True,  # the claims decide (they also work across processes, and they expire)
                meta={"job": job, "entry": entry, "known": entry.url in seen, "handle_httpstatus_all": True},
            )

    def _wanted(self, entries: list[Entry]) -> tuple[list[Entry], Mapping[str, datetime]]:
        seen = self.last_fetched([e.url for e in entries])
        now = self.clock()
        wanted = []
        for entry in entries:
            fetched_at = seen.get(entry.url)
            changed = entry.updated_at or entry.published_at
            edited = changed is not None and fetched_at is not None and changed > fetched_at
            if fetched_at is None or (edited and now - fetched_at <= self.recheck_window):
                wanted.append(entry)
        taken = self.claims.take([e.url for e in wanted])
        return [e for e in wanted if e.url in taken], seen

    def parse_article(self, response: Response) -> Iterator[Fetched | ArticleFailed]:
        job: FeedJob = response.meta["job"]
        if response.status != 200:
            yield self._article_problem(job, response.url, f"lỗi HTTP {response.status}", response.status)
            return
        yield Fetched(
            feed_id=_id(job),
            outlet_id=job.feed.outlet_id,
            url=response.meta["entry"].url,
            body=response.body,
            fetched_at=self.clock(),
            status=response.status,
            content_type=header(response, b"Content-Type"),
            entry=response.meta["entry"],
            known=response.meta["known"],
        )

    def feed_failed(self, failure: Failure) -> FeedPolled:
        job: FeedJob = failure.request.meta["job"]  # type: ignore[attr-defined]
        event = FeedEvent(feed_id=_id(job), at=self.clock(), ok=False, stage="poll", url=job.feed.url)
        return self._polled(replace(event, reason=describe_failure(failure)))

    def article_failed(self, failure: Failure) -> ArticleFailed:
        request = failure.request  # type: ignore[attr-defined]
        return self._article_problem(request.meta["job"], request.url, describe_failure(failure), None)

    def _article_problem(self, job: FeedJob, url: str, reason: str, status: int | None) -> ArticleFailed:
        self.logger.warning("%s: %s", url, reason)
        return ArticleFailed(
            FeedEvent(
                feed_id=_id(job), at=self.clock(), ok=False, stage="article", url=url, http_status=status, reason=reason
            )
        )

    def _polled(self, event: FeedEvent, validators: Validators | None = None) -> FeedPolled:
        if not event.ok:
            self.logger.warning("%s: %s", event.url, event.reason)
        return FeedPolled(event, validators)


def _id(job: FeedJob) -> int:
    assert job.feed.id is not None
    return job.feed.id


def header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None
