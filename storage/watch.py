"""Queries of the post-response watch: which articles are due for a re-check, what each check found, the edits
and takedowns kept as changes, and the cases an article belongs to."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from domain.enums import OPEN_STATES, CaseState, TakedownReason, WatchState
from domain.records import Case
from domain.watch import ArticleChange, ArticleWatch, WatchTarget
from storage.cases import case_record
from storage.tables import (
    ArticleChangeRow,
    ArticleRow,
    ArticleWatchRow,
    AuditEventRow,
    CaseRow,
    EnrichmentRow,
    SnapshotRow,
)
from storage.types import as_utc


def watch_targets(
    session: Session, *, closed_since: datetime, due_before: datetime, limit: int = 200
) -> list[WatchTarget]:
    """The articles of open cases and of cases closed since `closed_since`, not known to be taken down, not tried
    since `due_before`; the least recently tried first."""
    closed_at = (
        select(AuditEventRow.case_id, func.max(AuditEventRow.at).label("at"))
        .where(AuditEventRow.to_state == CaseState.CLOSED.value)
        .group_by(AuditEventRow.case_id)
        .subquery()
    )
    watched = (
        select(EnrichmentRow.article_id)
        .join(CaseRow, CaseRow.story_id == EnrichmentRow.story_id)
        .outerjoin(closed_at, closed_at.c.case_id == CaseRow.id)
        .where(
            or_(
                CaseRow.state.in_([s.value for s in OPEN_STATES]),
                and_(CaseRow.state == CaseState.CLOSED.value, closed_at.c.at >= closed_since),
            )
        )
    )
    query = (
        select(ArticleRow, ArticleWatchRow)
        .outerjoin(ArticleWatchRow, ArticleWatchRow.article_id == ArticleRow.id)
        .where(
            ArticleRow.id.in_(watched),
            or_(ArticleWatchRow.article_id.is_(None), ArticleWatchRow.state != WatchState.TAKEN_DOWN.value),
            or_(ArticleWatchRow.last_attempt_at.is_(None), ArticleWatchRow.last_attempt_at < due_before),
        )
        .order_by(ArticleWatchRow.last_attempt_at.is_not(None), ArticleWatchRow.last_attempt_at, ArticleRow.id)
        .limit(limit)
    )
    targets = []
    for article, watch in session.execute(query).all():
        last_hash = session.scalar(
            select(SnapshotRow.content_hash)
            .where(SnapshotRow.article_id == article.id)
            .order_by(SnapshotRow.fetched_at.desc(), SnapshotRow.id.desc())
            .limit(1)
        )
        targets.append(
            WatchTarget(
                article_id=article.id,
                url=article.url,
                outlet_id=article.outlet_id,
                title=article.title,
                text=article.text,
                content_hash=last_hash or article.content_hash,
                etag=watch.etag if watch else None,
                last_modified=watch.last_modified if watch else None,
                state=WatchState(watch.state) if watch else WatchState.UNCHANGED,
            )
        )
    return targets


def _watch_row(session: Session, article_id: int) -> ArticleWatchRow:
    row = session.get(ArticleWatchRow, article_id)
    if row is None:
        row = ArticleWatchRow(article_id=article_id, state=WatchState.UNCHANGED.value, checked_count=0)
        session.add(row)
    return row


def record_check(
    session: Session,
    article_id: int,
    *,
    at: datetime,
    answered: bool,
    etag: str | None = None,
    last_modified: str | None = None,
    problem: str | None = None,
) -> None:
    """A re-check: `answered` when the outlet gave a usable answer (then its validators are kept for the next
    conditional GET), else `problem` says why not. The state changes only through `record_change`."""
    row = _watch_row(session, article_id)
    row.last_attempt_at = at
    row.last_problem = problem
    if answered:
        row.last_checked_at = at
        row.checked_count = (row.checked_count or 0) + 1
        if etag is not None or last_modified is not None:
            row.etag, row.last_modified = etag, last_modified
    session.flush()


def record_change(session: Session, change: ArticleChange) -> ArticleChange:
    """Keep an edit or a takedown and set the article's watch state to it."""
    row = ArticleChangeRow(
        article_id=change.article_id,
        at=change.at,
        kind=change.kind.value,
        http_status=change.http_status,
        final_url=change.final_url,
        reason=change.reason.value if change.reason else None,
        snapshot_id=change.snapshot_id,
        old_title=change.old_title,
        new_title=change.new_title,
        old_text=change.old_text,
        new_text=change.new_text,
    )
    session.add(row)
    watch = _watch_row(session, change.article_id)
    watch.state = change.kind.value
    watch.takedown_reason = change.reason.value if change.reason else None
    session.flush()
    return _change(row)


def _change(row: ArticleChangeRow) -> ArticleChange:
    return ArticleChange(
        id=row.id,
        article_id=row.article_id,
        at=as_utc(row.at),
        kind=WatchState(row.kind),
        http_status=row.http_status,
        final_url=row.final_url,
        reason=TakedownReason(row.reason) if row.reason else None,
        snapshot_id=row.snapshot_id,
        old_title=row.old_title,
        new_title=row.new_title,
        old_text=row.old_text,
        new_text=row.new_text,
        notified_at=as_utc(row.notified_at) if row.notified_at else None,
    )


def _watch(row: ArticleWatchRow) -> ArticleWatch:
    return ArticleWatch(
        article_id=row.article_id,
        state=WatchState(row.state),
        last_checked_at=as_utc(row.last_checked_at) if row.last_checked_at else None,
        last_attempt_at=as_utc(row.last_attempt_at) if row.last_attempt_at else None,
        checked_count=row.checked_count,
        etag=row.etag,
        last_modified=row.last_modified,
        takedown_reason=TakedownReason(row.takedown_reason) if row.takedown_reason else None,
        last_problem=row.last_problem,
    )


def watches_of(session: Session, article_ids: Iterable[int]) -> dict[int, ArticleWatch]:
    """The watch state of each of these articles that was ever re-checked."""
    ids = list(article_ids)
    if not ids:
        return {}
    rows = session.scalars(select(ArticleWatchRow).where(ArticleWatchRow.article_id.in_(ids)))
    return {r.article_id: _watch(r) for r in rows}


def changes_of(session: Session, article_ids: Iterable[int]) -> list[ArticleChange]:
    """The edits and takedowns of these articles, oldest first."""
    ids = list(article_ids)
    if not ids:
        return []
    rows = session.scalars(
        select(ArticleChangeRow)
        .where(ArticleChangeRow.article_id.in_(ids))
        .order_by(ArticleChangeRow.at, ArticleChangeRow.id)
    )
    return [_change(r) for r in rows]


def unnotified_changes(session: Session, *, limit: int = 100, claim: bool = True) -> list[ArticleChange]:
    """Changes nobody was told of yet, oldest first; `claim`: held (PostgreSQL, SKIP LOCKED) until the
    transaction ends, so that two workers never tell of one change twice."""
    query = (
        select(ArticleChangeRow)
        .where(ArticleChangeRow.notified_at.is_(None))
        .order_by(ArticleChangeRow.at, ArticleChangeRow.id)
        .limit(limit)
    )
    if claim and session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return [_change(r) for r in session.scalars(query)]


def mark_notified(session: Session, change_id: int, at: datetime) -> None:
    row = session.get(ArticleChangeRow, change_id)
    if row is None:
        raise LookupError(f"article change {change_id} does not exist")
    row.notified_at = at
    session.flush()


def cases_of_article(session: Session, article_id: int) -> list[Case]:
    """The cases whose story carries this article (one, or none)."""
    rows = session.scalars(
        select(CaseRow)
        .join(EnrichmentRow, EnrichmentRow.story_id == CaseRow.story_id)
        .where(EnrichmentRow.article_id == article_id)
        .order_by(CaseRow.id)
    )
    return [case_record(r) for r in rows]
