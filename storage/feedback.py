"""Label feedback: monitors' corrections of the NLP labels, kept for retraining and applied to the enrichments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from domain.enums import TriageState
from storage.tables import ArticleRow, EnrichmentRow, LabelFeedbackRow, StoryRow
from storage.triage import NOT_RELEVANT_NOTE
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


def _feedback(r: LabelFeedbackRow) -> LabelFeedback:
    return LabelFeedback(
        id=r.id,
        article_id=r.article_id,
        field=r.field,
        old_value=r.old_value,
        new_value=r.new_value,
        by=r.by,
        at=as_utc(r.at),
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
    return [_feedback(r) for r in session.scalars(query)]


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


def relabel_article(session: Session, article_id: int, changes: dict[str, str | bool | None]) -> None:
    """Apply corrected labels to one article's enrichment (a copy outside a story, or not its story's first)."""
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise ValueError(f"label fields {sorted(unknown)} are not among {FIELDS}")
    if changes:
        session.execute(update(EnrichmentRow).where(EnrichmentRow.article_id == article_id).values(**changes))


@dataclass(frozen=True, slots=True, kw_only=True)
class LabelledArticle:
    """An article a monitor judged: their label corrections, the triage of its story, its current labels."""

    article_id: int
    title: str
    sapo: str
    text: str
    feedback: tuple[LabelFeedback, ...]  # oldest first
    triage: str | None  # its story's: "confirmed", "not_relevant" (dismissed as such), or None
    triaged_at: datetime | None
    relevant: bool | None  # the enrichment as it is now (None: not enriched)
    topic: str | None
    sentiment: str | None
    province: str | None


def _story_judgment() -> tuple[object, ...]:
    confirmed = StoryRow.triage_state == TriageState.CONFIRMED
    not_relevant = and_(StoryRow.triage_state == TriageState.DISMISSED, StoryRow.triage_note == NOT_RELEVANT_NOTE)
    return confirmed, not_relevant


def monitor_labels(session: Session) -> list[LabelledArticle]:
    """Every article with a label correction, or a copy of a story a monitor confirmed or dismissed as not
    relevant (other dismissals say no response is needed, not that the article is off topic), by article id."""
    confirmed, not_relevant = _story_judgment()
    corrected = select(LabelFeedbackRow.article_id)
    rows = session.execute(
        select(ArticleRow, EnrichmentRow, StoryRow)
        .outerjoin(EnrichmentRow, EnrichmentRow.article_id == ArticleRow.id)
        .outerjoin(StoryRow, StoryRow.id == EnrichmentRow.story_id)
        .where(or_(ArticleRow.id.in_(corrected), confirmed, not_relevant))  # type: ignore[arg-type]
        .order_by(ArticleRow.id)
    ).all()
    feedback: dict[int, list[LabelFeedback]] = {}
    ids = [a.id for a, _, _ in rows]
    for chunk in range(0, len(ids), 500):
        query = (
            select(LabelFeedbackRow)
            .where(LabelFeedbackRow.article_id.in_(ids[chunk : chunk + 500]))
            .order_by(LabelFeedbackRow.at, LabelFeedbackRow.id)
        )
        for r in session.scalars(query):
            feedback.setdefault(r.article_id, []).append(_feedback(r))
    out = []
    for article, enrichment, story in rows:
        triage = None
        if story is not None and story.triage_state == TriageState.CONFIRMED:
            triage = "confirmed"
        elif (
            story is not None and story.triage_state == TriageState.DISMISSED and story.triage_note == NOT_RELEVANT_NOTE
        ):
            triage = "not_relevant"
        out.append(
            LabelledArticle(
                article_id=article.id,
                title=article.title,
                sapo=article.sapo,
                text=article.text,
                feedback=tuple(feedback.get(article.id, ())),
                triage=triage,
                triaged_at=as_utc(story.triaged_at) if triage and story.triaged_at is not None else None,
                relevant=enrichment.relevant if enrichment is not None else None,
                topic=enrichment.topic if enrichment is not None else None,
                sentiment=enrichment.sentiment if enrichment is not None else None,
                province=enrichment.province if enrichment is not None else None,
            )
        )
    return out


def kept_fields(session: Session, article_ids: list[int]) -> dict[int, frozenset[str]]:
    """The label fields of each article that a re-enrichment must keep: those a monitor corrected on it or on any
    copy of its story (a correction applies to every copy), every label of a story a monitor confirmed (they
    accepted the labels shown), and relevance of a story dismissed as not relevant."""
    kept: dict[int, set[str]] = {}
    confirmed, not_relevant = _story_judgment()
    for chunk in range(0, len(article_ids), 500):
        ids = article_ids[chunk : chunk + 500]
        rows = session.execute(
            select(EnrichmentRow.article_id, EnrichmentRow.story_id, confirmed, not_relevant)  # type: ignore[call-overload]
            .outerjoin(StoryRow, StoryRow.id == EnrichmentRow.story_id)
            .where(EnrichmentRow.article_id.in_(ids))
        ).all()
        story_of = {a: s for a, s, _, _ in rows}
        for article_id, _, is_confirmed, is_not_relevant in rows:
            if is_confirmed:
                kept.setdefault(article_id, set()).update(FIELDS)
            elif is_not_relevant:
                kept.setdefault(article_id, set()).add("relevant")
        stories = {s for s in story_of.values() if s is not None}
        corrected = session.execute(
            select(LabelFeedbackRow.field, LabelFeedbackRow.article_id, EnrichmentRow.story_id)
            .join(EnrichmentRow, EnrichmentRow.article_id == LabelFeedbackRow.article_id)
            .where(or_(LabelFeedbackRow.article_id.in_(ids), EnrichmentRow.story_id.in_(stories)))
        ).all()
        by_story: dict[int, set[str]] = {}
        for field_name, article_id, story_id in corrected:
            if article_id in story_of:
                kept.setdefault(article_id, set()).add(field_name)
            if story_id is not None:
                by_story.setdefault(story_id, set()).add(field_name)
        for article_id, story_id in story_of.items():
            if story_id in by_story:
                kept.setdefault(article_id, set()).update(by_story[story_id])
    return {a: frozenset(f) for a, f in kept.items()}
