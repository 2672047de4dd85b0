"""Queries on outlets and their feeds."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.records import Feed, FeedKind, Outlet, OutletKind
from storage.tables import FeedRow, OutletRow
from storage.types import as_utc


def _outlet(row: OutletRow) -> Outlet:
    return Outlet(
        id=row.id,
        slug=row.slug,
        name=row.name,
        domain=row.domain,
        kind=OutletKind(row.kind),
        home_province=row.home_province,
        reach_tier=row.reach_tier,
    )


def feed_record(row: FeedRow) -> Feed:
    return Feed(
        id=row.id,
        outlet_id=row.outlet_id,
        url=row.url,
        kind=FeedKind(row.kind),
        poll_interval_s=row.poll_interval_s,
        link_pattern=row.link_pattern,
        enabled=row.enabled,
        etag=row.etag,
        last_modified=row.last_modified,
        last_attempt_at=as_utc(row.last_attempt_at),
        last_success_at=as_utc(row.last_success_at),
        consecutive_failures=row.consecutive_failures,
        last_error=row.last_error,
    )


def upsert_outlet(session: Session, outlet: Outlet) -> Outlet:
    """Insert the outlet, or update the one with the same slug; returns it with its id."""
    row = session.scalar(select(OutletRow).where(OutletRow.slug == outlet.slug))
    if row is None:
        row = OutletRow(slug=outlet.slug)
        session.add(row)
    row.name = outlet.name
    row.domain = outlet.domain
    row.kind = outlet.kind.value
    row.home_province = outlet.home_province
    row.reach_tier = outlet.reach_tier
    session.flush()
    return _outlet(row)


def get_outlet(session: Session, slug: str) -> Outlet | None:
    row = session.scalar(select(OutletRow).where(OutletRow.slug == slug))
    return None if row is None else _outlet(row)


def list_outlets(session: Session) -> list[Outlet]:
    return [_outlet(r) for r in session.scalars(select(OutletRow).order_by(OutletRow.slug))]


def upsert_feed(session: Session, feed: Feed) -> Feed:
    """Insert the feed, or update the configuration of the one with the same URL.

    Crawl state (ETag, Last-Modified, health) is kept: it belongs to the crawler, not to the registry.
    """
    row = session.scalar(select(FeedRow).where(FeedRow.url == feed.url))
    if row is None:
        row = FeedRow(url=feed.url, consecutive_failures=0)
        session.add(row)
    row.outlet_id = feed.outlet_id
    row.kind = feed.kind.value
    row.poll_interval_s = feed.poll_interval_s
    row.link_pattern = feed.link_pattern
    row.enabled = feed.enabled
    session.flush()
    return feed_record(row)


def list_feeds(session: Session, *, outlet_id: int | None = None, enabled_only: bool = False) -> list[Feed]:
    query = select(FeedRow).order_by(FeedRow.id)
    if outlet_id is not None:
        query = query.where(FeedRow.outlet_id == outlet_id)
    if enabled_only:
        query = query.where(FeedRow.enabled.is_(True))
    return [feed_record(r) for r in session.scalars(query)]


def outlet_by_id(session: Session, outlet_id: int) -> Outlet | None:
    row = session.get(OutletRow, outlet_id)
    return None if row is None else _outlet(row)
