"""Queries of the monitors' triage: the queue of flagged stories, a story's copies, triage state, merging.

The queue is one statement (story, its first article, outlet, labels and case joined), so that a page costs
two queries whatever its length: the rows and the count.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, exists, func, or_, select, update
from sqlalchemy.orm import Session

from domain.enums import FINISHED_STATES, TriageState
from domain.records import Story
from storage.access import Copy, visible_copies
from storage.enrichments import story_record
from storage.merges import record_merge
from storage.tables import ArticleRow, CaseRow, EnrichmentRow, OutletRow, StoryRow
from storage.types import as_utc

# The note of a story dismissed because a monitor marked it not relevant (the other dismissals are free text: the
# story concerns enforcement but needs no response). Retraining reads it as "not relevant".
NOT_RELEVANT_NOTE = "Không liên quan đến thi hành án dân sự (sửa nhãn khi phân loại)"


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
        select(
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
            CaseRow.priority,
            CaseRow.state,
            CaseRow.reason,
        )
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


def lock_story(session: Session, story_id: int) -> Story | None:
    """The story, its row held until the transaction ends (PostgreSQL), so that two monitors cannot both act."""
    row = session.scalar(select(StoryRow).where(StoryRow.id == story_id).with_for_update())
    return None if row is None else story_record(row)


def set_triage(
    session: Session, story_id: int, *, state: TriageState, note: str | None, by: str, at: datetime
) -> Story:
    """Record a monitor's decision on a story (confirmed or dismissed, with a note)."""
    row = session.get(StoryRow, story_id)
    if row is None:
        raise LookupError(f"story {story_id} does not exist")
    row.triage_state, row.triage_note, row.triaged_by, row.triaged_at = state, note, by, at
    session.flush()
    return story_record(row)


def merge_stories(
    session: Session,
    source_id: int,
    target_id: int,
    *,
    note: str,
    by: str,
    at: datetime,
    moved_case_id: int | None = None,
) -> Story:
    """Move every copy of `source` to `target` and mark `source` as merged into it; returns the target.

    The target keeps the earliest first article and the span of both; `source` keeps no copies. The merge is
    recorded with the copies it moved (`storage.merges`), so that it can be undone.
    """
    source, target = session.get(StoryRow, source_id), session.get(StoryRow, target_id)
    if source is None or target is None:
        raise LookupError(f"story {source_id if source is None else target_id} does not exist")
    record_merge(session, source_id=source_id, target_id=target_id, moved_case_id=moved_case_id, by=by, at=at)
    session.execute(update(EnrichmentRow).where(EnrichmentRow.story_id == source_id).values(story_id=target_id))
    if as_utc(source.first_seen_at) < as_utc(target.first_seen_at):
        target.first_article_id, target.first_seen_at = source.first_article_id, source.first_seen_at
    target.last_seen_at = max(as_utc(source.last_seen_at), as_utc(target.last_seen_at))
    target.size = int(
        session.scalar(select(func.count()).select_from(EnrichmentRow).where(EnrichmentRow.story_id == target_id)) or 0
    )
    source.size = 0
    source.merged_into_id = target_id
    source.triage_note, source.triaged_by, source.triaged_at = note, by, at
    session.flush()
    return story_record(target)


def move_case(session: Session, case_id: int, story_id: int) -> None:
    """Attach a case to another story (the story it was on was merged into that one)."""
    row = session.get(CaseRow, case_id)
    if row is None:
        raise LookupError(f"case {case_id} does not exist")
    row.story_id = story_id
    session.flush()
