"""Feed health: last success, items per day, consecutive failures, and "silent" feeds.

A feed is silent when it has produced nothing new for longer than twice its usual gap (the median gap
between its recent new articles), and at least twice its poll interval.
"""

from __future__ import annotations

import itertools
import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from domain.enums import NotificationKind, Role
from domain.localtime import VN
from domain.provinces import NATIONWIDE
from domain.records import FeedActivity, Notification
from storage.cases import list_users
from storage.engine import Database
from storage.feeds import feed_activity
from storage.outbox import enqueue

State = Literal["ok", "failing", "silent", "new", "disabled"]


@dataclass(frozen=True, slots=True, kw_only=True)
class FeedHealth:
    feed_id: int
    outlet_slug: str
    url: str
    state: State
    last_success_at: datetime | None
    last_new_article_at: datetime | None
    items_per_day: float
    consecutive_failures: int
    usual_gap: timedelta | None
    problem: str | None


def usual_gap(times: tuple[datetime, ...]) -> timedelta | None:
    """Median gap between consecutive new articles (times newest first); None with fewer than 3."""
    if len(times) < 3:
        return None
    gaps = [(a - b).total_seconds() for a, b in itertools.pairwise(times)]
    return timedelta(seconds=statistics.median(gaps))


def judge(activity: FeedActivity, now: datetime, *, failing_after: int = 3) -> FeedHealth:
    feed = activity.feed
    assert feed.id is not None
    gap = usual_gap(activity.new_article_times)
    last_new = activity.new_article_times[0] if activity.new_article_times else None
    state: State
    if not feed.enabled:
        state = "disabled"
    elif feed.consecutive_failures >= failing_after:
        state = "failing"
    elif last_new is None or gap is None:
        state = "new" if feed.last_success_at is None or last_new is None else "ok"
    else:
        allowed = max(2 * gap, timedelta(seconds=2 * feed.poll_interval_s))
        state = "silent" if now - last_new > allowed else "ok"
    return FeedHealth(
        feed_id=feed.id,
        outlet_slug=activity.outlet_slug,
        url=feed.url,
        state=state,
        last_success_at=feed.last_success_at,
        last_new_article_at=last_new,
        items_per_day=round(activity.articles_last_7d / 7, 1),
        consecutive_failures=feed.consecutive_failures,
        usual_gap=gap,
        problem=feed.last_error or activity.last_problem,
    )


STATE_VI = {
    "ok": "bình thường",
    "failing": "đang lỗi",
    "silent": "im lặng bất thường",
    "new": "chưa có dữ liệu",
    "disabled": "tắt",
}


def warning_text(health: FeedHealth, now: datetime, app_url: str) -> tuple[str, str]:
    """Subject and text of the message about a broken feed (Vietnamese)."""
    subject = f"Nguồn tin {STATE_VI[health.state]}: {health.outlet_slug} – {health.url}"
    last = (
        health.last_new_article_at.astimezone(VN).strftime("%H:%M ngày %d/%m/%Y") if health.last_new_article_at else "—"
    )
    lines = [
        f"Nguồn tin {health.url} ({health.outlet_slug}) đang ở trạng thái “{STATE_VI[health.state]}”.",
        f"Số lần lỗi liên tiếp: {health.consecutive_failures}. Bài mới gần nhất: {last}.",
        f"Vấn đề gần nhất: {health.problem or '—'}",
        f"Kiểm tra lúc {now.astimezone(VN):%H:%M ngày %d/%m/%Y}.",
        f"Xem tình trạng nguồn tin: {app_url.rstrip('/')}/nguon-tin",
    ]
    return subject, "\n".join(lines)


def run_feed_health(database: Database, *, now: datetime, app_url: str) -> list[FeedHealth]:
    """Judge every feed and write one message a day per broken (failing or silent) feed to the administrators
    (the central desk when there is no administrator). Returns the broken feeds."""
    with database.session() as session:
        broken = [h for h in (judge(a, now) for a in feed_activity(session, now)) if h.state in ("failing", "silent")]
        recipients = list_users(session, role=Role.ADMIN) or list_users(session, province=NATIONWIDE)
        day = now.astimezone(VN).date().isoformat()
        for health in broken:
            subject, text = warning_text(health, now, app_url)
            for user in recipients:
                enqueue(
                    session,
                    Notification(
                        kind=NotificationKind.FEED,
                        recipient=user.email,
                        subject=subject,
                        text=text,
                        created_at=now,
                        dedupe_key=f"feed:{health.feed_id}:{health.state}:{day}:{user.email}",
                    ),
                )
    return broken
