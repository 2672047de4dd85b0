"""The active-learning queue ("Gán nhãn"): the articles the model is least sure of that no monitor has labelled.

Least sure: a relevance score near the model's threshold, or (for articles read as relevant) a small margin between
the two likeliest topics or, for the tone, a top probability near a tie (the margin is at least 2·p − 1, the one
figure stored). An article leaves the queue once a monitor said it is not relevant, or gave its topic and tone;
copies of stories a monitor confirmed or dismissed are judged already.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session

from domain.enums import TRIAGED_STATES
from storage.access import Copy
from storage.tables import ArticleRow, EnrichmentRow, LabelFeedbackRow, OutletRow, StoryRow
from storage.types import as_utc

POOL = 400  # candidates read per kind of doubt before ranking in Python
MAX_MARGIN = 0.6  # beyond this the model is sure enough: not offered (relevance: a score within ±0.3 of threshold)


@dataclass(frozen=True, slots=True, kw_only=True)
class Doubt:
    """An article to label, with the model's labels, why it is offered and what monitors gave already."""

    article: Copy  # the article with its outlet and the model's labels
    reason: str  # relevant | topic | sentiment: the label the model is least sure of
    margin: float  # 0: a tie; 1: certain
    given: dict[str, str | None] = field(default_factory=dict)  # field → a monitor's latest value


def _labelled(field_name: str, value: str | None = None) -> object:
    condition = and_(LabelFeedbackRow.article_id == ArticleRow.id, LabelFeedbackRow.field == field_name)
    if value is not None:
        condition = and_(condition, LabelFeedbackRow.new_value == value)
    return exists().where(condition)


def uncertain_articles(session: Session, *, threshold: float, since: datetime, limit: int = 20) -> list[Doubt]:
    """At most `limit` articles fetched since `since`, least sure first."""
    done = or_(
        _labelled("relevant", "false"),  # type: ignore[arg-type]
        and_(_labelled("topic"), _labelled("sentiment")),  # type: ignore[arg-type]
        func.coalesce(StoryRow.triage_state, "").in_(TRIAGED_STATES),  # NULL would void the NOT
    )
    base = (
        select(ArticleRow, EnrichmentRow, OutletRow.name)
        .join(EnrichmentRow, EnrichmentRow.article_id == ArticleRow.id)
        .join(OutletRow, OutletRow.id == ArticleRow.outlet_id)
        .outerjoin(StoryRow, StoryRow.id == EnrichmentRow.story_id)
        .where(ArticleRow.fetched_at >= since, ~done)
    )
    near = base.order_by(func.abs(EnrichmentRow.relevance_score - threshold), ArticleRow.id.desc()).limit(POOL)
    labels = (
        base.where(EnrichmentRow.relevant.is_(True))
        .order_by(EnrichmentRow.sentiment_score, ArticleRow.id.desc())
        .limit(POOL)
    )
    rows = {a.id: (a, e, name) for a, e, name in [*session.execute(near), *session.execute(labels)]}
    doubts = []
    for article, enrichment, outlet_name in rows.values():
        margins = {"relevant": min(1.0, abs(enrichment.relevance_score - threshold) * 2)}
        if enrichment.relevant:
            scores = sorted((enrichment.topic_scores or {}).values(), reverse=True)
            if len(scores) >= 2:
                margins["topic"] = scores[0] - scores[1]
            if enrichment.sentiment_score is not None:
                margins["sentiment"] = max(0.0, 2 * enrichment.sentiment_score - 1)
        reason = min(margins, key=lambda k: margins[k])
        if margins[reason] > MAX_MARGIN:
            continue
        doubts.append(
            Doubt(
                article=Copy(
                    article_id=article.id,
                    title=article.title,
                    url=article.url,
                    outlet_name=outlet_name,
                    at=as_utc(article.published_at or article.fetched_at),
                    relevant=enrichment.relevant,
                    relevance_score=enrichment.relevance_score,
                    topic=enrichment.topic,
                    sentiment=enrichment.sentiment,
                    province=enrichment.province,
                ),
                reason=reason,
                margin=round(margins[reason], 4),
            )
        )
    doubts.sort(key=lambda d: (d.margin, -d.article.article_id))
    chosen = doubts[:limit]
    given: dict[int, dict[str, str | None]] = {}
    query = (
        select(LabelFeedbackRow)
        .where(LabelFeedbackRow.article_id.in_([d.article.article_id for d in chosen]))
        .order_by(LabelFeedbackRow.at, LabelFeedbackRow.id)
    )
    for row in session.scalars(query):
        given.setdefault(row.article_id, {})[row.field] = row.new_value
    return [replace(d, given=given.get(d.article.article_id, {})) for d in chosen]
