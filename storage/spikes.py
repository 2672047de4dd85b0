"""Queries of spike detection: the relevant articles of a set of time windows, and the spike alerts written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.tables import ArticleRow, EnrichmentRow, OutletRow, SpikeAlertRow, StoryRow
from storage.types import as_utc
from storage.views.stats import published


@dataclass(frozen=True, slots=True, kw_only=True)
class WindowArticle:
    """One relevant article as spike detection reads it."""

    id: int
    at: dt.datetime  # published, else fetched (UTC)
    outlet: str  # the outlet's name
    title: str
    lead: str
    topic: str | None
    sentiment: str | None
    province: str | None
    story_id: int | None  # the story it belongs to (a merged story counts as the one it was merged into)
    story_title: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class SpikeRecord:
    """A spike alert as stored."""

    dimension: str
    key: str
    window_start: dt.datetime
    window_end: dt.datetime
    count: int
    baseline_mean: float
    p_value: float
    article_ids: tuple[int, ...]
    drivers: dict[str, Any]
    created_at: dt.datetime


def window_articles(session: Session, windows: Sequence[tuple[dt.datetime, dt.datetime]]) -> list[WindowArticle]:
    """The relevant articles published in any of the half-open windows [start, end), oldest first."""
    if not windows:
        return []
    when = published(session).label("when")
    story = func.coalesce(StoryRow.merged_into_id, StoryRow.id)
    main = StoryRow.__table__.alias("main_story")
    query = (
        select(
            ArticleRow.id,
            when,
            OutletRow.name,
            ArticleRow.title,
            ArticleRow.sapo,
            EnrichmentRow.topic,
            EnrichmentRow.sentiment,
            EnrichmentRow.province,
            story,
            main.c.title,
        )
        .select_from(ArticleRow)
        .join(EnrichmentRow, EnrichmentRow.article_id == ArticleRow.id)
        .join(OutletRow, OutletRow.id == ArticleRow.outlet_id)
        .outerjoin(StoryRow, StoryRow.id == EnrichmentRow.story_id)
        .outerjoin(main, main.c.id == story)
        .where(
            EnrichmentRow.relevant.is_(True),
            # An article is fetched after it is published: the index on fetched_at narrows the scan (a day of
            # slack for an outlet's clock).
            ArticleRow.fetched_at >= min(a for a, _ in windows) - dt.timedelta(days=1),
            or_(*(and_(published(session) >= a, published(session) < b) for a, b in windows)),
        )
        .order_by(when, ArticleRow.id)
    )
    return [
        WindowArticle(
            id=i,
            at=as_utc(at),
            outlet=outlet,
            title=title,
            lead=lead or "",
            topic=topic,
            sentiment=sentiment,
            province=province,
            story_id=story_id,
            story_title=story_title,
        )
        for i, at, outlet, title, lead, topic, sentiment, province, story_id, story_title in session.execute(query)
    ]


def spike_alerts_since(session: Session, since: dt.datetime) -> list[SpikeRecord]:
    """The spike alerts whose window ended after `since`, oldest first."""
    rows = session.scalars(
        select(SpikeAlertRow).where(SpikeAlertRow.window_end > since).order_by(SpikeAlertRow.window_end)
    )
    return [_record(r) for r in rows]


def add_spike_alert(session: Session, spike: SpikeRecord) -> bool:
    """Store the alert unless one exists for its dimension, key and window (another run or worker wrote it):
    returns whether this call stored it."""
    row = SpikeAlertRow(
        dimension=spike.dimension,
        key=spike.key,
        window_start=spike.window_start,
        window_end=spike.window_end,
        count=spike.count,
        baseline_mean=spike.baseline_mean,
        p_value=spike.p_value,
        article_ids=list(spike.article_ids),
        drivers=spike.drivers,
        created_at=spike.created_at,
    )
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return False
    return True


def _record(row: SpikeAlertRow) -> SpikeRecord:
    return SpikeRecord(
        dimension=row.dimension,
        key=row.key,
        window_start=row.window_start,
        window_end=row.window_end,
        count=row.count,
        baseline_mean=row.baseline_mean,
        p_value=row.p_value,
        article_ids=tuple(int(i) for i in row.article_ids),
        drivers=dict(row.drivers),
        created_at=row.created_at,
    )
