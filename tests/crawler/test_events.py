"""Crawl progress as typed records: what the crawl process writes, its parent reads back the same."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crawler.events import (
    OUTCOMES,
    ArticleHandled,
    ArticlesCounted,
    CrawlDone,
    CrawlEvent,
    CrawlRefused,
    CrawlStarted,
    FeedChecked,
    NotAnEvent,
)
from crawler.run import CrawlSummary

texts = st.text()  # any Unicode: Vietnamese reasons, control characters, lone surrogates are all valid str
outcomes = st.sampled_from(sorted(OUTCOMES))
events = st.one_of(
    st.builds(CrawlStarted, feeds=st.integers(min_value=0, max_value=10**6)),
    st.builds(
        FeedChecked, url=st.none() | texts, ok=st.booleans(), new=st.integers(0, 10**6), reason=st.none() | texts
    ),
    st.builds(ArticleHandled, outcome=outcomes, url=texts, reason=st.none() | texts),
    st.builds(
        ArticlesCounted,
        counts=st.lists(st.tuples(outcomes, st.integers(0, 10**6)), unique_by=lambda c: c[0]).map(tuple),
    ),
    st.builds(CrawlRefused, reason=texts),
    st.just(CrawlDone()),
)


@given(events)
def test_every_event_survives_its_json_line(event: CrawlEvent) -> None:
    line = event.to_json()
    assert "\n" not in line  # one event, one line of the pipe …
    line.encode()  # … which is UTF-8
    assert CrawlEvent.from_json(line) == event


def test_the_lines_keep_the_format_the_parent_has_always_read() -> None:
    line = FeedChecked(url="https://baophapluat.vn/rss/thi-hanh-an.rss", ok=False, reason="lỗi HTTP 404").to_json()
    assert line == (
        '{"event": "feed", "url": "https://baophapluat.vn/rss/thi-hanh-an.rss", "ok": false, "new": 0, '
        '"reason": "lỗi HTTP 404"}'
    )
    assert CrawlEvent.from_json('{"event": "articles", "counts": {"new": 12, "edited": 1}}') == ArticlesCounted(
        counts=(("new", 12), ("edited", 1))
    )


@pytest.mark.parametrize(
    "line",
    [
        "Traceback (most recent call last):",  # a stray line on the crawl's standard output
        "[]",
        '{"feeds": 3}',
        '{"event": "khong-ro"}',
        '{"event": "start"}',
        '{"event": "start", "feeds": "3"}',
        '{"event": "start", "feeds": true}',
        '{"event": "feed", "url": null, "ok": 1}',
        '{"event": "article", "outcome": "mới", "url": "https://x.vn/a"}',
        '{"event": "articles", "counts": {"new": -1}}',
        '{"event": "done", "extra": 1}',
    ],
)
def test_a_line_that_is_no_event_is_refused(line: str) -> None:
    with pytest.raises(NotAnEvent):
        CrawlEvent.from_json(line)


def test_the_summary_adds_up_the_events() -> None:
    summary = CrawlSummary()
    lines = [
        CrawlStarted(feeds=3),
        FeedChecked(url="https://a.vn/rss", ok=True, new=4),
        FeedChecked(url="https://b.vn/rss", ok=False, reason="hết thời gian chờ phản hồi"),
        ArticlesCounted(counts=(("new", 3),)),
        ArticleHandled(outcome="rejected", url="https://a.vn/anh", reason="trang không có thân bài"),
        ArticleHandled(outcome="new", url="https://a.vn/bai-4"),
        CrawlDone(),
    ]
    for event in lines:
        summary.add(CrawlEvent.from_json(event.to_json()))
    assert (summary.feeds, summary.feeds_failed, summary.error) == (3, 1, None)
    assert summary.outcomes == {"new": 4, "rejected": 1}
    assert summary.problems == [
        "https://b.vn/rss: hết thời gian chờ phản hồi",
        "https://a.vn/anh: trang không có thân bài",
    ]
