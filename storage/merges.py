"""Merges of stories by monitors, recorded with the copies each moved, and their undoing (a split).

A split moves the recorded copies back from the target to the source (those still in the target), makes the
source a story of its own again (in the triage state it had) and recounts both stories from their copies.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from storage.tables import ArticleRow, EnrichmentRow, StoryMergeRow, StoryRow
from storage.types import as_utc


@dataclass(frozen=True, slots=True, kw_only=True)
class Merge:
    id: int
    source_id: int
    target_id: int
    article_ids: tuple[int, ...]
    moved_case_id: int | None
    by: str
    at: datetime


def _merge(row: StoryMergeRow) -> Merge:
    return Merge(
        id=row.id,
        source_id=row.source_id,
        target_id=row.target_id,
        article_ids=tuple(int(i) for i in row.article_ids),
        moved_case_id=row.moved_case_id,
        by=row.by,
        at=as_utc(row.at),
    )


def record_merge(
    session: Session, *, source_id: int, target_id: int, moved_case_id: int | None, by: str, at: datetime
) -> None:
    """Remember the copies `source` has now, before they move to `target`."""
    ids = list(session.scalars(select(EnrichmentRow.article_id).where(EnrichmentRow.story_id == source_id)))
    session.execute(
        insert(StoryMergeRow).values(
            source_id=source_id, target_id=target_id, article_ids=ids, moved_case_id=moved_case_id, by=by, at=at
        )
    )


def last_merge(session: Session, source_id: int) -> Merge | None:
    """The merge of `source` in force (not undone), if any."""
    row = session.scalar(
        select(StoryMergeRow)
        .where(StoryMergeRow.source_id == source_id, StoryMergeRow.undone_at.is_(None))
        .order_by(StoryMergeRow.id.desc())
        .limit(1)
    )
    return None if row is None else _merge(row)


def recount_story(session: Session, story_id: int) -> None:
    """Size, first article and span of a story, from the copies it has."""
    row = session.get(StoryRow, story_id)
    if row is None:
        raise LookupError(f"story {story_id} does not exist")
    copies = session.execute(
        select(ArticleRow.id, ArticleRow.fetched_at)
        .join(EnrichmentRow, EnrichmentRow.article_id == ArticleRow.id)
        .where(EnrichmentRow.story_id == story_id)
        .order_by(ArticleRow.fetched_at, ArticleRow.id)
    ).all()
    row.size = len(copies)
    if copies:
        row.first_article_id, row.first_seen_at = copies[0][0], copies[0][1]
        row.last_seen_at = max(as_utc(at) for _, at in copies)
    session.flush()


def split_story(session: Session, merge: Merge, *, note: str, by: str, at: datetime) -> int:
    """Undo a merge: its copies go back to the source, a story of its own again in the triage state it had;
    returns how many copies moved."""
    moved = session.execute(
        update(EnrichmentRow)
        .where(EnrichmentRow.story_id == merge.target_id, EnrichmentRow.article_id.in_(merge.article_ids))
        .values(story_id=merge.source_id)
    )
    source = session.get(StoryRow, merge.source_id)
    if source is None:
        raise LookupError(f"story {merge.source_id} does not exist")
    source.merged_into_id = None
    source.triage_note, source.triaged_by, source.triaged_at = note, by, at
    session.execute(update(StoryMergeRow).where(StoryMergeRow.id == merge.id).values(undone_by=by, undone_at=at))
    recount_story(session, merge.source_id)
    recount_story(session, merge.target_id)
    return int(getattr(moved, "rowcount", 0) or 0)
