"""Queries on the crawl state of feeds: conditional-GET validators, health counters, the crawl log."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from domain.records import FeedActivity, FeedEvent
from storage.outlets import feed_record
from storage.tables import ArticleRow, FeedEventRow, FeedRow, OutletRow


def record_poll(session: Session, event: FeedEvent) -> None:
    """Log one poll of a feed and update its counters (a failure adds one; a success resets them)."""
    row = session.get(FeedRow, event.feed_id)
    if row is None:
        raise LookupError(f"feed {event.feed_id} does not exist")
    row.last_attempt_at = event.at
    if event.ok:
        row.last_success_at = event.at
        row.consecutive_failures = 0
        row.last_error = None
    else:
        row.consecutive_failures = (row.consecutive_failures or 0) + 1
        row.last_error = event.reason
    add_event(session, event)


def lease_feed(session: Session, feed_id: int, *, seen_attempt_at: datetime | None, now: datetime) -> bool:
    """Take the next poll of a feed: compare-and-set of its last attempt, so that of several crawl processes (on
    several machines) that found it due, exactly one polls it. False: another process took it first."""
    condition = (
        FeedRow.last_attempt_at.is_(None) if seen_attempt_at is None else FeedRow.last_attempt_at == seen_attempt_at
    )
    taken = session.scalar(
        update(FeedRow).where(FeedRow.id == feed_id, condition).values(last_attempt_at=now).returning(FeedRow.id)
    )
    return taken is not None


def save_validators(session: Session, feed_id: int, *, etag: str | None, last_modified: str | None) -> None:
    """Remember a feed's conditional-GET validators (once every article its poll asked for was handled)."""
    row = session.get(FeedRow, feed_id)
    if row is None:
        raise LookupError(f"feed {feed_id} does not exist")
    if etag is not None:
        row.etag = etag
    if last_modified is not None:
        row.last_modified = last_modified
    session.flush()


def add_event(session: Session, event: FeedEvent) -> None:
    session.add(
        FeedEventRow(
            feed_id=event.feed_id,
            at=event.at,
            ok=event.ok,
            stage=event.stage,
            url=event.url,
            http_status=event.http_status,
            reason=event.reason[:2000] if event.reason else None,
            items_seen=event.items_seen,
            items_new=event.items_new,
        )
    )
    session.flush()


def list_events(session: Session, feed_id: int, *, limit: int = 50) -> list[FeedEvent]:
    rows = session.scalars(
        select(FeedEventRow)
        .where(FeedEventRow.feed_id == feed_id)
        .order_by(FeedEventRow.at.desc(), FeedEventRow.id.desc())
        .limit(limit)
    )
    return [
        FeedEvent(
            feed_id=r.feed_id,
            at=r.at,
            ok=r.ok,
            stage=r.stage,
            url=r.url,
            http_status=r.http_status,
            reason=r.reason,
            items_seen=r.items_seen,
            items_new=r.items_new,
        )
        for r in rows
    ]


def feed_activity(session: Session, now: datetime, *, recent: int = 30) -> list[FeedActivity]:
    """Per feed: its newest article times, 7-day counts and the last problem."""
    week_ago = now - timedelta(days=7)
    out: list[FeedActivity] = []
    for feed_row, slug in session.execute(
        select(FeedRow, OutletRow.slug).join(OutletRow, OutletRow.id == FeedRow.outlet_id).order_by(FeedRow.id)
    ):
        times = session.scalars(
            select(ArticleRow.fetched_at)
            .where(ArticleRow.feed_id == feed_row.id)
            .order_by(ArticleRow.fetched_at.desc())
            .limit(recent)
        ).all()
        last_week = session.scalar(
            select(func.count()).where(ArticleRow.feed_id == feed_row.id, ArticleRow.fetched_at >= week_ago)
        )
        failures = session.scalar(
            select(func.count()).where(
                FeedEventRow.feed_id == feed_row.id, FeedEventRow.at >= week_ago, FeedEventRow.ok.is_(False)
            )
        )
        problem = session.scalar(
            select(FeedEventRow.reason)
            .where(FeedEventRow.feed_id == feed_row.id, FeedEventRow.ok.is_(False))
            .order_by(FeedEventRow.at.desc(), FeedEventRow.id.desc())
            .limit(1)
        )
        out.append(
            FeedActivity(
                feed=feed_record(feed_row),
                outlet_slug=slug,
                new_article_times=tuple(times),
                articles_last_7d=int(last_week or 0),
                failures_last_7d=int(failures or 0),
                last_problem=problem,
            )
        )
    return out
