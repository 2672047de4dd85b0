"""The feed-health message: one a day per broken (failing or silent) feed to the administrators (the central desk
when there is none), from the records the crawler judged (`crawler.health.broken_feeds`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from alerts.messages import feed_warning
from alerts.notify import notify_users
from alerts.recipients import administrators
from domain.enums import NotificationKind
from domain.localtime import VN
from domain.records import FeedHealth
from storage.engine import Database


def notify_feed_health(database: Database, broken: Sequence[FeedHealth], *, now: datetime, app_url: str) -> int:
    """Write the day's message about each broken feed to each administrator; returns the messages written."""
    written = 0
    with database.session() as session:
        recipients = administrators(session)
        day = now.astimezone(VN).date().isoformat()
        for health in broken:
            content = feed_warning(health, now, app_url)
            written += notify_users(
                session,
                recipients,
                content,
                kind=NotificationKind.FEED,
                key=f"feed:{health.feed_id}:{health.state}:{day}",
                now=now,
            )
    return written
