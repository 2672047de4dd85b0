"""The monitors' triage decisions on stories: lock a story, record its triage state, merge one story into
another, move a case with it. The queue they work from is a screen read model: `storage.views.queue`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from domain.enums import TriageState
from domain.records import Story
from storage.enrichments import story_record
from storage.merges import record_merge
from storage.tables import CaseRow, EnrichmentRow, StoryRow
from storage.types import as_utc

# The note of a story dismissed because a monitor marked it not relevant (the other dismissals are free text: the
# story concerns enforcement but needs no response). Retraining reads it as "not relevant".
NOT_RELEVANT_NOTE = "Không liên quan đến thi hành án dân sự (sửa nhãn khi phân loại)"


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
