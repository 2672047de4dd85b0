"""The triage queue as its screen shows it: the flagged stories waiting for a monitor, most urgent first, and a
story's copies.

The queue is one statement (story, its first article, outlet, labels and case joined), so that a page costs
two queries whatever its length: the rows and the count.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, exists, func, or_, select
from sqlalchemy.orm import Session

from domain.enums import FINISHED_STATES, TriageState
from domain.records import Story
from storage.access import Copy, visible_copies
from storage.tables import ArticleRow, CaseRow, EnrichmentRow, OutletRow, StoryRow
from storage.types import as_utc


@dataclass(frozen=True, slots=True, kw_only=True)
class TriageItem:
    """A story waiting for a monitor, as the queue shows it (labels of its first article)."""

    story: Story
    lead: Copy
    case_id: int | None
    priority: str | None
    case_state: str | None
    case_reason: str | None = None  # the rule that set the priority (or the monitor's confirmation)

    @property
    def copies(self) -> int:
        return self.story.size


@dataclass(frozen=True, slots=True, kw_only=True)
class TriagePage:
    items: tuple[TriageItem, ...]
    total: int  # stories in the whole queue


def _waiting() -> tuple[ColumnElement[bool], ...]:
    return StoryRow.triage_state == TriageState.PENDING, StoryRow.merged_into_id.is_(None)


# The queue's statements are built once (first use) and reused with bound parameters: building a statement
# costs more Python time than the database spends on the page.
@functools.cache
def _statements() -> tuple[Select[*tuple[Any, ...]], ...]:
    counts = (  # one pass over the waiting stories: with an open case, and the whole queue
        select(
            func.count(CaseRow.id).filter(CaseRow.state.not_in(FINISHED_STATES)),
            func.count().filter(or_(CaseRow.id.is_(None), CaseRow.state.not_in(FINISHED_STATES))),
        )
        .select_from(StoryRow)
        .outerjoin(CaseRow, CaseRow.story_id == StoryRow.id)
        .where(*_waiting())
    )
    with_case = (
        select(StoryRow.id)
        .join(CaseRow, CaseRow.story_id == StoryRow.id)
        .where(*_waiting(), CaseRow.state.not_in(FINISHED_STATES))
        .order_by(CaseRow.priority, StoryRow.last_seen_at.desc(), StoryRow.id.desc())
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
    )
    without_case = (
        select(StoryRow.id)
        .where(*_waiting(), ~exists().where(CaseRow.story_id == StoryRow.id))
        .order_by(StoryRow.last_seen_at.desc(), StoryRow.id.desc())
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
    )
    rows = (
        select(*queue_columns())
        .select_from(StoryRow)
        .join(ArticleRow, ArticleRow.id == StoryRow.first_article_id)
        .join(OutletRow, OutletRow.id == ArticleRow.outlet_id)
        .join(EnrichmentRow, EnrichmentRow.article_id == ArticleRow.id)
        .outerjoin(CaseRow, CaseRow.story_id == StoryRow.id)
        .where(StoryRow.id.in_(bindparam("ids", expanding=True)), EnrichmentRow.relevant.is_(True))
    )
    return counts, with_case, without_case, rows


def _queue_ids(session: Session, *, limit: int, offset: int) -> tuple[list[int], int]:
    """The ids of one page of the queue, in order, and the queue's length.

    The queue is read in two parts so that a page costs what the page holds, not what the queue holds:
    stories with an open case (few: the flagged stories no monitor has looked at yet), by priority then
    recency; then stories without a case, newest first, straight off the index (triage_state, merged_into_id,
    last_seen_at, id). Counting is one pass over the waiting stories.
    """
    counts, with_case_ids, without_case_ids, _ = _statements()
    open_cases, queued = session.execute(counts).one()
    with_case, total = int(open_cases or 0), int(queued or 0)
    ids: list[int] = []
    if offset < with_case:
        ids += session.scalars(with_case_ids, {"limit": limit, "offset": offset}).all()
    if len(ids) < limit:
        ids += session.scalars(
            without_case_ids, {"limit": limit - len(ids), "offset": max(0, offset - with_case)}
        ).all()
    return ids, total


def triage_queue(session: Session, *, limit: int = 30, offset: int = 0) -> TriagePage:
    """Stories to triage: pending, not merged, without a finished case; most urgent (case priority
    P1 > P2 > P3 > no case), then most recently seen, first. Shown with their first article's outlet and labels.

    Pending stories are relevant by construction (the NLP makes stories of relevant articles only, and a monitor
    who marks one not relevant dismisses it); the first article's enrichment is still required to be relevant.
    """
    ids, total = _queue_ids(session, limit=limit, offset=offset)
    if not ids:
        return TriagePage(items=(), total=total)
    rows = session.execute(_statements()[-1], {"ids": ids}).all()
    position = {story_id: i for i, story_id in enumerate(ids)}
    items = sorted((queue_item(row) for row in rows), key=lambda item: position[item.story.id])
    return TriagePage(items=tuple(items), total=total)


def queue_columns(priority: Any = CaseRow.priority) -> tuple[Any, ...]:
    """The columns `queue_item` reads, in its order. `priority`: the case's priority, or an expression of it (the
    filtered queue shows a priority only for an open case)."""
    return (
        StoryRow.id,
        StoryRow.title,
        StoryRow.first_article_id,
        StoryRow.first_seen_at,
        StoryRow.last_seen_at,
        StoryRow.size,
        StoryRow.triage_state,
        StoryRow.triage_note,
        ArticleRow.title,
        ArticleRow.url,
        OutletRow.name,
        func.coalesce(ArticleRow.published_at, ArticleRow.fetched_at),
        EnrichmentRow.relevance_score,
        EnrichmentRow.topic,
        EnrichmentRow.sentiment,
        EnrichmentRow.province,
        CaseRow.id,
        priority,
        CaseRow.state,
        CaseRow.reason,
    )


def queue_item(row: Any) -> TriageItem:
    """A queue row (the story, its triage state, its first article's outlet and labels, its case) as a record; the
    plain queue and the filtered one select the same columns in this order."""
    (sid, stitle, first, first_seen, last_seen, size, state, note, title, url, outlet, when, score, topic) = row[:14]
    sentiment, province, case_id, priority, case_state, reason = row[14:]
    return TriageItem(
        story=Story(
            id=sid,
            title=stitle,
            first_article_id=first,
            first_seen_at=as_utc(first_seen),
            last_seen_at=as_utc(last_seen),
            size=size,
            triage_state=TriageState(state),
            triage_note=note,
        ),
        lead=Copy(
            article_id=first,
            title=title,
            url=url,
            outlet_name=outlet,
            at=as_utc(when),
            relevant=True,
            relevance_score=score,
            topic=topic,
            sentiment=sentiment,
            province=province,
        ),
        case_id=case_id,
        priority=priority,
        case_state=case_state,
        case_reason=reason,
    )


def story_copies(session: Session, story_id: int) -> list[Copy]:
    """Every article of a story with outlet and labels, first fetched first."""
    return visible_copies(session, story_id, scope=None)
