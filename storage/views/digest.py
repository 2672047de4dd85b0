"""Queries of the daily digest: relevant articles enriched in a period, open cases with their deadlines."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from domain.enums import OPEN_STATES, DeadlineStatus, Priority, Sentiment
from domain.records import ArticleBrief, Case, Deadline
from storage.cases import _case, _deadline
from storage.tables import ArticleRow, CaseRow, DeadlineRow, EnrichmentRow, OutletRow
from storage.types import as_utc


def relevant_articles(
    session: Session, *, since: datetime, until: datetime, province: str | None = None
) -> list[ArticleBrief]:
    """Relevant articles enriched after `since` up to `until` (of one province if given), oldest first.

    Each comes with its story's case, unless that case was dismissed.
    """
    query = (
        select(
            ArticleRow.id,
            ArticleRow.title,
            ArticleRow.url,
            OutletRow.name,
            ArticleRow.fetched_at,
            ArticleRow.published_at,
            EnrichmentRow.enriched_at,
            EnrichmentRow.topic,
            EnrichmentRow.sentiment,
            EnrichmentRow.province,
            EnrichmentRow.story_id,
            CaseRow.id,
            CaseRow.priority,
        )
        .join(EnrichmentRow, EnrichmentRow.article_id == ArticleRow.id)
        .join(OutletRow, OutletRow.id == ArticleRow.outlet_id)
        .outerjoin(CaseRow, and_(CaseRow.story_id == EnrichmentRow.story_id, CaseRow.state != "dismissed"))
        .where(EnrichmentRow.relevant.is_(True), EnrichmentRow.enriched_at > since, EnrichmentRow.enriched_at <= until)
        .order_by(EnrichmentRow.enriched_at, ArticleRow.id)
    )
    if province is not None:
        query = query.where(EnrichmentRow.province == province)
    return [
        ArticleBrief(
            article_id=article_id,
            title=title,
            url=url,
            outlet=outlet,
            fetched_at=as_utc(fetched_at),
            published_at=as_utc(published_at),
            enriched_at=as_utc(enriched_at),
            topic=topic,
            sentiment=Sentiment(sentiment) if sentiment else None,
            province=province_,
            story_id=story_id,
            case_id=case_id,
            case_priority=Priority(priority) if priority else None,
        )
        for (
            article_id,
            title,
            url,
            outlet,
            fetched_at,
            published_at,
            enriched_at,
            topic,
            sentiment,
            province_,
            story_id,
            case_id,
            priority,
        ) in session.execute(query)
    ]


def open_cases(session: Session, *, province: str | None = None) -> list[tuple[Case, list[Deadline]]]:
    """Cases not yet closed or dismissed (of one province if given), each with its open deadlines."""
    query = select(CaseRow).where(CaseRow.state.in_(OPEN_STATES)).order_by(CaseRow.id)
    if province is not None:
        query = query.where(CaseRow.province == province)
    cases = [_case(r) for r in session.scalars(query)]
    deadlines: dict[int, list[Deadline]] = {c.id: [] for c in cases}
    if cases:
        rows = session.scalars(
            select(DeadlineRow)
            .where(DeadlineRow.status == DeadlineStatus.OPEN, DeadlineRow.case_id.in_(list(deadlines)))
            .order_by(DeadlineRow.due_at, DeadlineRow.id)
        )
        for row in rows:
            deadlines[row.case_id].append(_deadline(row))
    return [(c, deadlines[c.id]) for c in cases]
