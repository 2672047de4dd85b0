"""The spider is pure: from a recorded feed it yields requests and a poll record, and writes nothing anywhere."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from scrapy.http import Request, TextResponse

from crawler.entries import parse_feed
from crawler.items import ArticleFailed, FeedPolled, Fetched, Validators
from crawler.rules import Rules
from crawler.spiders.base import FeedJob
from crawler.spiders.kinds import RssSpider
from domain.records import Feed, FeedKind
from tests.conftest import shared_path

NOW = datetime(2026, 11, 20, 8, 30, tzinfo=UTC)
FEED_URL = "https://vnexpress.net/rss/tin-moi-nhat.rss"
JOB = FeedJob(
    feed=Feed(outlet_id=7, url=FEED_URL, kind=FeedKind.RSS, id=3),
    outlet_slug="vnexpress",
    rules=Rules(),
    site_names=frozenset({"VnExpress"}),
)


def _spider(stored: dict[str, datetime]) -> tuple[RssSpider, list[list[str]]]:
    asked: list[list[str]] = []

    def last_fetched(urls: list[str]) -> dict[str, datetime]:
        asked.append(urls)
        return {u: at for u, at in stored.items() if u in urls}

    return RssSpider(jobs=[JOB], last_fetched=last_fetched, clock=lambda: NOW, recheck_window_h=72), asked


def _feed_response(status: int = 200, body: bytes | None = None) -> TextResponse:
    if body is None:
        body = shared_path("fixtures", "rss", "vnexpress-vnexpress2810.data.rss.xml").read_bytes()
    request = Request(FEED_URL, meta={"job": JOB})
    headers = {"Content-Type": "application/rss+xml; charset=utf-8", "ETag": '"v1"'}
    return TextResponse(FEED_URL, status=status, body=body, headers=headers, request=request)


def test_a_recorded_feed_gives_one_poll_record_and_a_request_per_entry_not_stored() -> None:
    response = _feed_response()
    urls = [e.url for e in parse_feed(response.body, FEED_URL, "application/rss+xml").entries]
    assert len(urls) >= 20
    first = list(_spider({})[0].parse_feed(response))
    assert [r.url for r in first if isinstance(r, Request)] == urls
    spider, asked = _spider({urls[0]: NOW - timedelta(hours=1), urls[1]: NOW - timedelta(days=30)})
    out = list(spider.parse_feed(_feed_response()))
    assert asked == [urls]  # one lookup for the whole feed
    (polled,) = [o for o in out if isinstance(o, FeedPolled)]
    assert (polled.event.ok, polled.event.stage, polled.event.feed_id) == (True, "poll", 3)
    assert (polled.event.items_seen, polled.event.items_new) == (25, len(urls) - 2)
    assert polled.validators == Validators('"v1"', None)
    requests = [o for o in out if isinstance(o, Request)]
    assert [r.url for r in requests] == urls[2:]  # the stored ones are not fetched again (their entries unchanged)
    assert all(r.meta["known"] is False and r.meta["job"] is JOB for r in requests)


def test_failures_are_records_too() -> None:
    spider, _ = _spider({})
    (polled,) = spider.parse_feed(_feed_response(status=503, body=b"<html>Service Unavailable</html>"))
    assert isinstance(polled, FeedPolled)
    assert (polled.event.ok, polled.event.reason, polled.validators) == (False, "lỗi HTTP 503", None)
    page = Request("https://vnexpress.net/bai-1.html", meta={"job": JOB, "entry": None, "known": False})
    (failed,) = spider.parse_article(TextResponse(page.url, status=404, body=b"", request=page))
    assert isinstance(failed, ArticleFailed)
    assert (failed.event.stage, failed.event.http_status, failed.event.reason) == ("article", 404, "lỗi HTTP 404")
    assert not isinstance(failed, Fetched)
