"""Feed health: last success, items per day, consecutive failures, and "silent" feeds.

A feed is silent when it has produced nothing new for longer than twice its usual gap (the median gap
between its recent new articles), and at least twice its poll interval.
"""

from __future__ import annotations

import itertools
import statistics
from datetime import datetime, timedelta

from domain.records import FeedActivity, FeedHealth, FeedState
from storage.engine import Database
from storage.feeds import feed_activity

__all__ = ["FeedHealth", "broken_feeds", "judge", "usual_gap"]


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
    state: FeedState
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


def broken_feeds(database: Database, *, now: datetime) -> list[FeedHealth]:
    """The feeds that fail or went silent, judged at `now`: what the feed-health message (`alerts.feed_health`)
    tells the administrators about. The crawler judges; it writes no message."""
    with database.session() as session:
        return [h for h in (judge(a, now) for a in feed_activity(session, now)) if h.state in ("failing", "silent")]
