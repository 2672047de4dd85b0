"""Correction watches: a correction request to an outlet and the watch for its correction (alerts/corrections.py)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from domain.enums import CorrectionEvidence, CorrectionState
from domain.records import Article, CorrectionWatch
from storage.articles import article_record
from storage.tables import ArticleRow, CaseRow, CorrectionWatchRow, EnrichmentRow
from storage.types import as_utc


def _record(row: CorrectionWatchRow) -> CorrectionWatch:
    return CorrectionWatch(
        id=row.id,
        case_id=row.case_id,
        response_id=row.response_id,
        article_id=row.article_id,
        outlet_id=row.outlet_id,
        requested_at=as_utc(row.requested_at),
        due_at=as_utc(row.due_at),
        basis=row.basis,
        hash_at_request=row.hash_at_request,
        markers_at_request=row.markers_at_request,
        state=CorrectionState(row.state),
        found_at=as_utc(row.found_at) if row.found_at else None,
        evidence=CorrectionEvidence(row.evidence) if row.evidence else None,
        evidence_article_id=row.evidence_article_id,
        evidence_text=row.evidence_text,
    )


def add_watch(session: Session, watch: CorrectionWatch) -> CorrectionWatch:
    """Open the watch; a response has at most one per outlet (a second call returns the first)."""
    existing = session.scalar(
        select(CorrectionWatchRow).where(
            CorrectionWatchRow.response_id == watch.response_id, CorrectionWatchRow.outlet_id == watch.outlet_id
        )
    )
    if existing is not None:
        return _record(existing)
    row = CorrectionWatchRow(
        case_id=watch.case_id,
        response_id=watch.response_id,
        article_id=watch.article_id,
        outlet_id=watch.outlet_id,
        requested_at=watch.requested_at,
        due_at=watch.due_at,
        basis=watch.basis,
        hash_at_request=watch.hash_at_request,
        markers_at_request=watch.markers_at_request,
        state=str(watch.state),
        evidence_text="",
    )
    session.add(row)
    session.flush()
    return _record(row)


def waiting_watches(session: Session, *, claim: bool = False) -> list[CorrectionWatch]:
    """Every watch still waiting for its correction, oldest request first (`claim`: PostgreSQL's FOR UPDATE SKIP
    LOCKED, so that two workers never settle one watch twice)."""
    query = (
        select(CorrectionWatchRow)
        .where(CorrectionWatchRow.state == str(CorrectionState.WAITING))
        .order_by(CorrectionWatchRow.requested_at, CorrectionWatchRow.id)
    )
    if claim:
        query = query.with_for_update(skip_locked=True)
    return [_record(r) for r in session.scalars(query)]


def settle_watch(session: Session, watch: CorrectionWatch) -> CorrectionWatch:
    """Record the watch's outcome (state, when found, evidence)."""
    row = session.get(CorrectionWatchRow, watch.id)
    if row is None:
        raise LookupError(f"correction watch {watch.id} is gone")
    row.state = str(watch.state)
    row.found_at = watch.found_at
    row.evidence = str(watch.evidence) if watch.evidence else None
    row.evidence_article_id = watch.evidence_article_id
    row.evidence_text = watch.evidence_text
    session.flush()
    return _record(row)


def watches_of_case(session: Session, case_id: int) -> list[CorrectionWatch]:
    rows = session.scalars(
        select(CorrectionWatchRow).where(CorrectionWatchRow.case_id == case_id).order_by(CorrectionWatchRow.id)
    )
    return [_record(r) for r in rows]


def watches_of_cases_received(
    session: Session, *, start: dt.datetime, end: dt.datetime, province: str | None = None
) -> dict[int, list[CorrectionWatch]]:
    """The watches of the cases received in [start, end) (in one province), by case: one query."""
    query = (
        select(CorrectionWatchRow)
        .join(CaseRow, CaseRow.id == CorrectionWatchRow.case_id)
        .where(CaseRow.received_at >= start, CaseRow.received_at < end)
        .order_by(CorrectionWatchRow.id)
    )
    if province is not None:
        query = query.where(CaseRow.province == province)
    out: dict[int, list[CorrectionWatch]] = defaultdict(list)
    for row in session.scalars(query):
        out[row.case_id].append(_record(row))
    return dict(out)


def outlet_articles_since(
    session: Session, outlet_id: int, *, since: dt.datetime, until: dt.datetime, exclude: int
) -> list[tuple[Article, int | None]]:
    """The outlet's articles published (else fetched) in [since, until], but `exclude`, with their story."""
    when = or_(
        and_(ArticleRow.published_at.is_not(None), ArticleRow.published_at >= since, ArticleRow.published_at <= until),
        and_(ArticleRow.published_at.is_(None), ArticleRow.fetched_at >= since, ArticleRow.fetched_at <= until),
    )
    rows = session.execute(
        select(ArticleRow, EnrichmentRow.story_id)
        .outerjoin(EnrichmentRow, EnrichmentRow.article_id == ArticleRow.id)
        .where(ArticleRow.outlet_id == outlet_id, ArticleRow.id != exclude, when)
        .order_by(ArticleRow.id)
    )
    return [(article_record(a), story) for a, story in rows]
