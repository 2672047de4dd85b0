"""The feed-health message: the crawler judges a feed broken (crawler.health), alerts writes the day's message
to the administrators, or to the central desk when there is none (alerts.recipients), once a day per feed."""

from __future__ import annotations

import datetime as dt

from alerts.feed_health import notify_feed_health
from crawler.health import broken_feeds
from domain.enums import Role
from domain.localtime import VN
from domain.provinces import NATIONWIDE
from domain.records import Feed, FeedEvent, FeedKind, Outlet, OutletKind, User
from storage.cases import upsert_user
from storage.engine import Database
from storage.feeds import record_poll
from storage.outbox import list_notifications
from storage.outlets import upsert_feed, upsert_outlet

NOW = dt.datetime(2026, 11, 26, 12, 15, tzinfo=VN)
DESK = User(email="vanphong@cucqlthads.vn", name="Văn phòng Cục Quản lý THADS", role=Role.DAU_MOI, province=NATIONWIDE)
ADMIN = User(email="quantri@cucqlthads.vn", name="Quản trị hệ thống", role=Role.ADMIN)


def _failing_feed(database: Database) -> None:
    with database.session() as s:
        outlet = upsert_outlet(
            s, Outlet(slug="vnexpress", name="VnExpress", domain="vnexpress.net", kind=OutletKind.NATIONAL)
        )
        assert outlet.id is not None
        feed = upsert_feed(
            s, Feed(outlet_id=outlet.id, url="https://vnexpress.net/rss/phap-luat.rss", kind=FeedKind.RSS)
        )
        assert feed.id is not None
        for hours in (3, 2, 1):
            at = NOW - dt.timedelta(hours=hours)
            record_poll(
                s, FeedEvent(feed_id=feed.id, at=at, ok=False, stage="poll", http_status=503, reason="HTTP 503")
            )


def test_a_failing_feed_is_told_to_the_central_desk_when_there_is_no_administrator_once_a_day(
    database: Database,
) -> None:
    _failing_feed(database)
    with database.session() as s:
        upsert_user(s, DESK)
    broken = broken_feeds(database, now=NOW)
    assert [(h.outlet_slug, h.state, h.consecutive_failures) for h in broken] == [("vnexpress", "failing", 3)]
    assert notify_feed_health(database, broken, now=NOW, app_url="http://127.0.0.1:8000") == 1
    assert notify_feed_health(database, broken, now=NOW + dt.timedelta(hours=2), app_url="") == 0  # same day
    with database.session() as s:
        (note,) = [n for n in list_notifications(s) if n.kind == "feed"]
    assert note.recipient == DESK.email
    assert note.subject == "Nguồn tin lỗi liên tiếp: vnexpress – https://vnexpress.net/rss/phap-luat.rss"
    assert note.text.splitlines()[1:3] == ["Số lần lỗi liên tiếp: 3. Bài mới gần nhất: —.", "Vấn đề gần nhất: HTTP 503"]
    assert note.text.endswith("Xem tình trạng nguồn tin: http://127.0.0.1:8000/nguon-tin")
    assert "Xem tình trạng nguồn tin: http://127.0.0.1:8000/nguon-tin</p>" in (note.html or "")  # laid out as HTML


def test_with_an_administrator_the_feed_message_goes_to_them_only(database: Database) -> None:
    _failing_feed(database)
    with database.session() as s:
        upsert_user(s, DESK)
        upsert_user(s, ADMIN)
    notify_feed_health(database, broken_feeds(database, now=NOW), now=NOW, app_url="")
    with database.session() as s:
        assert [n.recipient for n in list_notifications(s) if n.kind == "feed"] == [ADMIN.email]
