"""Reads restricted to what a user may see, with the restriction in the SQL.

`scope` is the province a user is confined to (a focal point, a provincial leader), or None for users who
see everything; `user_id` the user. A scoped user sees:
- cases of their province, and cases assigned to them (the central desk may give a case to any focal point);
- articles labelled relevant to their province, and every copy of a story whose case they see.
Anything else is not found (the web app answers 404, never "forbidden": it does not confirm that it exists).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, exists, func, or_, select, true
from sqlalchemy.orm import Session, aliased

from domain.enums import DeadlineStatus
from domain.records import Article, Case, Enrichment, Snapshot, Story
from storage.articles import article_record, snapshot_record
from storage.cases import case_record
from storage.enrichments import get_enrichment, story_record
from storage.tables import (
    ArticleRow,
    CaseAssigneeRow,
    CaseRow,
    DeadlineRow,
    EnrichmentRow,
    OutletRow,
    SnapshotRow,
    StoryRow,
    UserRow,
)
from storage.types import as_utc

Scope = str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Copy:
    """One article of a story, with its outlet and labels."""

    article_id: int
    title: str
    url: str
    outlet_name: str
    at: datetime  # published, else fetched (UTC)
    relevant: bool
    relevance_score: float
    topic: str | None
    sentiment: str | None
    province: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class CaseSummary:
    case: Case
    next_due_at: datetime | None  # the earliest open deadline
    assignees: tuple[str, ...]  # names of the focal points it is assigned to


@dataclass(frozen=True, slots=True, kw_only=True)
class CasePage:
    items: tuple[CaseSummary, ...]
    total: int


@dataclass(frozen=True, slots=True, kw_only=True)
class ArticleView:
    article: Article
    outlet_name: str
    enrichment: Enrichment | None
    story: Story | None
    case_id: int | None
    case_priority: str | None
    case_state: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class SnapshotInfo:
    """A snapshot without its bytes, for listing."""

    id: int
    article_id: int
    url: str
    fetched_at: datetime
    http_status: int
    sha256: str
    size_gz: int


def case_visible(scope: Scope, user_id: int | None = None) -> ColumnElement[bool]:
    """SQL condition on CaseRow: the case is in the scope's province, or assigned to the user."""
    if scope is None:
        return true()
    if user_id is None:
        return CaseRow.province == scope
    assigned = exists().where(CaseAssigneeRow.case_id == CaseRow.id, CaseAssigneeRow.user_id == user_id)
    return or_(CaseRow.province == scope, assigned)


def article_visible(scope: Scope, user_id: int | None = None) -> ColumnElement[bool]:
    """SQL condition on ArticleRow: the article is visible within `scope`."""
    if scope is None:
        return true()
    # An alias of its own: a query that already joins EnrichmentRow (a story's copies) would otherwise
    # correlate it too and leave these subqueries with no FROM clause at all.
    own = aliased(EnrichmentRow)
    labelled = exists().where(own.article_id == ArticleRow.id, own.relevant.is_(True), own.province == scope)
    in_case = exists().where(
        own.article_id == ArticleRow.id, CaseRow.story_id == own.story_id, case_visible(scope, user_id)
    )
    return or_(labelled, in_case)


def visible_case(session: Session, case_id: int, *, scope: Scope, user_id: int | None = None) -> Case | None:
    row = session.scalar(select(CaseRow).where(CaseRow.id == case_id, case_visible(scope, user_id)))
    return None if row is None else case_record(row)


def list_visible_cases(
    session: Session,
    *,
    scope: Scope,
    user_id: int | None = None,
    states: tuple[str, ...] | None = None,
    priority: str | None = None,
    province: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> CasePage:
    """Cases within the scope, most urgent first, then newest; with the next deadline and the assignees."""
    next_due = (
        select(DeadlineRow.case_id, func.min(DeadlineRow.due_at).label("due"))
        .where(DeadlineRow.status == DeadlineStatus.OPEN)
        .group_by(DeadlineRow.case_id)
        .subquery()
    )
    conditions = [case_visible(scope, user_id)]
    if states:
        conditions.append(CaseRow.state.in_(states))
    if priority is not None:
        conditions.append(CaseRow.priority == priority)
    if province is not None:
        conditions.append(CaseRow.province == province)
    rows = session.execute(
        select(CaseRow, next_due.c.due)
        .outerjoin(next_due, next_due.c.case_id == CaseRow.id)
        .where(*conditions)
        .order_by(CaseRow.priority, CaseRow.received_at.desc(), CaseRow.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    total = session.scalar(select(func.count()).select_from(CaseRow).where(*conditions))
    ids = [row.id for row, _ in rows]
    names: dict[int, list[str]] = {i: [] for i in ids}
    if ids:
        for case_id, name in session.execute(
            select(CaseAssigneeRow.case_id, UserRow.name)
            .join(UserRow, UserRow.id == CaseAssigneeRow.user_id)
            .where(CaseAssigneeRow.case_id.in_(ids))
            .order_by(UserRow.name)
        ):
            names[case_id].append(name)
    items = tuple(
        CaseSummary(case=case_record(row), next_due_at=as_utc(due), assignees=tuple(names[row.id])) for row, due in rows
    )
    return CasePage(items=items, total=int(total or 0))


def visible_article(
    session: Session, article_id: int, *, scope: Scope, user_id: int | None = None
) -> ArticleView | None:
    found = session.execute(
        select(ArticleRow, OutletRow.name)
        .join(OutletRow, OutletRow.id == ArticleRow.outlet_id)
        .where(ArticleRow.id == article_id, article_visible(scope, user_id))
    ).first()
    if found is None:
        return None
    row, outlet_name = found
    enrichment = get_enrichment(session, article_id)
    story = case_row = None
    if enrichment is not None and enrichment.story_id is not None:
        story_row = session.get(StoryRow, enrichment.story_id)
        story = None if story_row is None else story_record(story_row)
        case_row = session.scalar(select(CaseRow).where(CaseRow.story_id == enrichment.story_id))
    return ArticleView(
        article=article_record(row),
        outlet_name=outlet_name,
        enrichment=enrichment,
        story=story,
        case_id=None if case_row is None else case_row.id,
        case_priority=None if case_row is None else case_row.priority,
        case_state=None if case_row is None else case_row.state,
    )


def visible_snapshots(
    session: Session, article_id: int, *, scope: Scope, user_id: int | None = None
) -> list[SnapshotInfo]:
    """The article's snapshots (first captured first), without their bytes."""
    rows = session.execute(
        select(
            SnapshotRow.id,
            SnapshotRow.article_id,
            SnapshotRow.url,
            SnapshotRow.fetched_at,
            SnapshotRow.http_status,
            SnapshotRow.sha256,
            func.length(SnapshotRow.html_gz),
        )
        .join(ArticleRow, ArticleRow.id == SnapshotRow.article_id)
        .where(SnapshotRow.article_id == article_id, article_visible(scope, user_id))
        .order_by(SnapshotRow.fetched_at, SnapshotRow.id)
    )
    return [
        SnapshotInfo(
            id=i, article_id=a, url=u, fetched_at=as_utc(at), http_status=status, sha256=sha, size_gz=int(size or 0)
        )
        for i, a, u, at, status, sha, size in rows
    ]


def visible_snapshot(
    session: Session, article_id: int, snapshot_id: int, *, scope: Scope, user_id: int | None = None
) -> Snapshot | None:
    """One snapshot with its bytes, if it belongs to that article and the article is visible."""
    row = session.scalar(
        select(SnapshotRow)
        .join(ArticleRow, ArticleRow.id == SnapshotRow.article_id)
        .where(
            and_(SnapshotRow.id == snapshot_id, SnapshotRow.article_id == article_id), article_visible(scope, user_id)
        )
    )
    return None if row is None else snapshot_record(row)


def _copies(session: Session, *conditions: ColumnElement[bool]) -> list[Copy]:
    rows = session.execute(
        select(
            ArticleRow.id,
            ArticleRow.title,
            ArticleRow.url,
            OutletRow.name,
            func.coalesce(ArticleRow.published_at, ArticleRow.fetched_at),
            EnrichmentRow.relevant,
            EnrichmentRow.relevance_score,
            EnrichmentRow.topic,
            EnrichmentRow.sentiment,
            EnrichmentRow.province,
        )
        .join(EnrichmentRow, EnrichmentRow.article_id == ArticleRow.id)
        .join(OutletRow, OutletRow.id == ArticleRow.outlet_id)
        .where(*conditions)
        .order_by(ArticleRow.fetched_at, ArticleRow.id)
    )
    return [
        Copy(
            article_id=i,
            title=t,
            url=u,
            outlet_name=o,
            at=as_utc(at),
            relevant=r,
            relevance_score=s,
            topic=topic,
            sentiment=sentiment,
            province=province,
        )
        for i, t, u, o, at, r, s, topic, sentiment, province in rows
    ]


def visible_copies(session: Session, story_id: int, *, scope: Scope, user_id: int | None = None) -> list[Copy]:
    """The copies of a story the scope may see, first fetched first."""
    return _copies(session, EnrichmentRow.story_id == story_id, article_visible(scope, user_id))


def copies_of_articles(session: Session, article_ids: tuple[int, ...]) -> list[Copy]:
    """These articles as copies (a merge's moved copies, wherever they are now), first fetched first."""
    return _copies(session, ArticleRow.id.in_(article_ids)) if article_ids else []
