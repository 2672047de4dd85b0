"""Label feedback: monitors' corrections of the NLP labels, kept for retraining and applied to the enrichments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage.tables import EnrichmentRow, LabelFeedbackRow
from storage.types import as_utc

FIELDS = ("relevant", "topic", "sentiment", "province")


@dataclass(frozen=True, slots=True, kw_only=True)
class LabelFeedback:
    """One changed label of one article: old and new value as text ("true"/"false" for relevance)."""

    article_id: int
    field: str  # relevant | topic | sentiment | province
    old_value: str | None
    new_value: str | None
    by: str
    at: datetime
    id: int | None = None


def add_feedback(session: Session, feedback: LabelFeedback) -> LabelFeedback:
    if feedback.field not in FIELDS:
        raise ValueError(f"label field {feedback.field!r} is not one of {FIELDS}")
    row = LabelFeedbackRow(
        article_id=feedback.article_id,
        field=feedback.field,
        old_value=feedback.old_value,
        new_value=feedback.new_value,
        by=feedback.by,
        at=feedback.at,
    )
    session.add(row)
    session.flush()
    return LabelFeedback(
        id=row.id,
        article_id=row.article_id,
        field=row.field,
        old_value=row.old_value,
        new_value=row.new_value,
        by=row.by,
        at=as_utc(row.at),
    )


def list_feedback(
    session: Session, *, article_id: int | None = None, since: datetime | None = None, limit: int = 10000
) -> list[LabelFeedback]:
    """Corrections, oldest first (for retraining: the newest correction of a field wins)."""
    query = select(LabelFeedbackRow).order_by(LabelFeedbackRow.at, LabelFeedbackRow.id).limit(limit)
    if article_id is not None:
        query = query.where(LabelFeedbackRow.article_id == article_id)
    if since is not None:
        query = query.where(LabelFeedbackRow.at >= since)
    return [
        LabelFeedback(
            id=r.id,
            article_id=r.article_id,
            field=r.field,
            old_value=r.old_value,
            new_value=r.new_value,
            by=r.by,
            at=as_utc(r.at),
        )
        for r in session.scalars(query)
    ]


def relabel_story(session: Session, story_id: int, changes: dict[str, str | bool | None]) -> int:
    """Apply corrected labels to the enrichment of every copy of a story; returns how many copies changed.

    Copies of one story are one piece of news: routing and the trends must follow the corrected labels
    whichever copy they read.
    """
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise ValueError(f"label fields {sorted(unknown)} are not among {FIELDS}")
    if not changes:
        return 0
    result = session.execute(update(EnrichmentRow).where(EnrichmentRow.story_id == story_id).values(**changes))
    return int(getattr(result, "rowcount", 0) or 0)
