"""The enrichment stage: new Articles → Enrichment rows and Story memberships, in batches; and re-enrichment of
recent articles after another model version is promoted (labels and scores only)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy.orm import Session

from domain.enums import Sentiment
from domain.records import Article, Enrichment, Explanation
from nlp.classify import Classifier, Document, Result
from nlp.profile_match import match_articles
from nlp.settings import NlpSettings
from nlp.stories import StoryIndex, from_bytes, signature, to_bytes, too_short
from storage.engine import Database
from storage.enrichments import (
    enriched_articles,
    join_story,
    pending_articles,
    recent_enriched_ids,
    recent_signatures,
    save_enrichment,
    start_story,
)
from storage.explanations import save_explanation
from storage.feedback import kept_fields
from storage.outlets import outlet_by_id

log = logging.getLogger(__name__)
Label = TypeVar("Label", str, Sentiment)  # a label a monitor may have corrected
Model = Classifier | Callable[[], Classifier]  # a classifier, or the active version (nlp.versions.ActiveModel)


@dataclass
class EnrichSummary:
    enriched: int = 0
    relevant: int = 0
    new_stories: int = 0
    joined_stories: int = 0
    profile_matches: int = 0  # rows of profile_match written (nlp/profile_match.py)


def _document(session: Session, article: Article, homes: dict[int, str | None]) -> Document:
    if article.outlet_id not in homes:
        outlet = outlet_by_id(session, article.outlet_id)
        homes[article.outlet_id] = outlet.home_province if outlet else None
    return Document(
        id=str(article.id),
        title=article.title,
        summary=article.sapo,
        text=article.text,
        home_province=homes[article.outlet_id],
        url=article.url,
    )


def _explain(session: Session, article_id: int, result: Result, version: str, at: datetime) -> None:
    """Store why the article was flagged (relevant articles: the ones a monitor sees)."""
    if result.reasons is None or not result.relevant:
        return
    why = result.reasons
    save_explanation(
        session,
        Explanation(
            article_id=article_id,
            relevance=why.relevance,
            topic=why.topic,
            sentiment=why.sentiment,
            places=why.places,
            model_version=version,
            made_at=at,
        ),
    )


def _place(session: Session, index: StoryIndex, article: Article, summary: EnrichSummary) -> tuple[int, bytes | None]:
    """Start a story for a relevant article or join the story of an earlier copy; its signature to store."""
    assert article.id is not None
    minhash = signature(article.title, article.text)
    short = too_short(article.text)  # a placeholder page: its own story, never indexed
    match = None if short else index.match(minhash)
    if match is None:
        story_id = start_story(session, article).id
        summary.new_stories += 1
    else:
        story_id = join_story(session, match[0], article).id
        summary.joined_stories += 1
    if not short:
        index.add(article.id, story_id, minhash)
    return story_id, None if short else to_bytes(minhash)


def run_enrich(
    database: Database,
    classifier: Model,
    settings: NlpSettings,
    *,
    now: Callable[[], datetime],
    max_batches: int | None = None,
    claim: bool = False,
    stop: Callable[[], bool] = lambda: False,
) -> EnrichSummary:
    """Enrich every pending article (or `max_batches` batches); each batch is one transaction. `stop()` is asked
    between batches (a shutdown finishes the batch in hand, so nothing is half done). `classifier` may be the
    active model version (a callable): asked before each batch, so that a promoted version is read with at once.

    `claim`: several workers share the backlog (PostgreSQL, FOR UPDATE SKIP LOCKED); before each batch the story
    index takes in what the other workers enriched meanwhile, so that copies read by two workers join one story
    (two copies read at the very same moment by two workers can still start two stories).
    """
    summary = EnrichSummary()
    index: StoryIndex | None = None
    loaded_at: datetime | None = None
    batches = 0
    while (max_batches is None or batches < max_batches) and not stop():
        with database.session() as session:
            articles = pending_articles(session, limit=settings.batch_size, claim=claim)
            if not articles:
                break
            model = classifier if isinstance(classifier, Classifier) else classifier()
            if index is None or claim:
                index = index or StoryIndex(settings.story_threshold)
                moment = now()
                since = moment - timedelta(days=settings.story_window_days)
                # enriched_at is set inside another worker's transaction, which may commit later: look back generously
                others = loaded_at - timedelta(minutes=5) if loaded_at is not None else None
                for earlier_id, earlier_story, earlier_signature in recent_signatures(
                    session, since, enriched_since=others
                ):
                    fingerprint = from_bytes(earlier_signature)
                    if fingerprint is not None:  # None: an older format, not comparable
                        index.add(earlier_id, earlier_story, fingerprint)
                loaded_at = moment
            homes: dict[int, str | None] = {}
            for article in articles:
                assert article.id is not None
                result = model.classify(_document(session, article, homes))
                story_id: int | None = None
                data: bytes | None = None
                if result.relevant:
                    story_id, data = _place(session, index, article, summary)
                    summary.relevant += 1
                save_enrichment(
                    session,
                    Enrichment.of(
                        result, article_id=article.id, model_version=model.version, enriched_at=now(), story_id=story_id
                    ),
                    signature=data,
                )
                _explain(session, article.id, result, model.version, now())
                summary.enriched += 1
            # Every new article once against every active watch profile, in the same transaction.
            summary.profile_matches += match_articles(session, [a.id for a in articles if a.id is not None])
        batches += 1
    if summary.enriched:
        log.info(
            "enrich: %d articles, %d relevant, %d new stories, %d copies joined, %d watch-profile matches",
            summary.enriched,
            summary.relevant,
            summary.new_stories,
            summary.joined_stories,
            summary.profile_matches,
        )
    return summary


@dataclass
class ReenrichSummary:
    read: int = 0
    changed: int = 0  # articles whose relevance, topic, tone or province changed
    kept: int = 0  # articles with a monitor's label kept as it was
    new_stories: int = 0
    joined_stories: int = 0


def _label(old: Enrichment, keep: frozenset[str], relevant: bool, name: str, fresh: Label | None) -> Label | None:
    """A label after re-reading: a monitor's stays, the new model's otherwise (none for an article not relevant)."""
    kept: Label | None = getattr(old, name)
    return kept if name in keep else (fresh if relevant else None)


def run_reenrich(
    database: Database, classifier: Classifier, settings: NlpSettings, *, now: datetime
) -> ReenrichSummary:
    """Read again with `classifier` the articles fetched in the last `settings.reenrich_days` days: new labels and
    scores. Kept as they are: stories and cases, entities, and every label a monitor gave (corrected, or accepted
    by confirming the story: `storage.feedback.kept_fields`). An article the new model finds relevant and that has
    no story joins or starts one, as in enrichment; one it no longer finds relevant stays in its story."""
    summary = ReenrichSummary()
    with database.session() as session:
        ids = recent_enriched_ids(session, now - timedelta(days=settings.reenrich_days))
        index = StoryIndex(settings.story_threshold)
        for earlier_id, earlier_story, earlier in recent_signatures(
            session, now - timedelta(days=settings.story_window_days)
        ):
            fingerprint = from_bytes(earlier)
            if fingerprint is not None:  # None: an older format, not comparable
                index.add(earlier_id, earlier_story, fingerprint)
    counts = EnrichSummary()
    for start in range(0, len(ids), settings.batch_size):
        with database.session() as session:
            batch = ids[start : start + settings.batch_size]
            kept = kept_fields(session, batch)
            homes: dict[int, str | None] = {}
            for article, old in enriched_articles(session, batch):
                assert article.id is not None
                keep = kept.get(article.id, frozenset())
                relevant_kept = "relevant" in keep and old.relevant
                result = classifier.classify(_document(session, article, homes), read_all=relevant_kept)
                relevant = old.relevant if "relevant" in keep else result.relevant

                new = replace(
                    old,
                    relevant=relevant,
                    relevance_score=result.relevance_score,
                    topic=_label(old, keep, relevant, "topic", result.topic),
                    topic_scores=result.topic_scores,
                    sentiment=_label(old, keep, relevant, "sentiment", result.sentiment),
                    sentiment_score=result.sentiment_score,
                    province=_label(old, keep, relevant, "province", result.province),
                    entities=old.entities or result.entities,
                    model_version=classifier.version,
                )
                data: bytes | None = None
                if relevant and old.story_id is None:
                    story_id, data = _place(session, index, article, counts)
                    new = replace(new, story_id=story_id)
                save_enrichment(session, new, signature=data)
                _explain(session, article.id, result, classifier.version, now)
                summary.read += 1
                summary.kept += bool(keep)
                summary.changed += any(
                    getattr(new, f) != getattr(old, f) for f in ("relevant", "topic", "sentiment", "province")
                )
    summary.new_stories, summary.joined_stories = counts.new_stories, counts.joined_stories
    log.info("re-enrich with %s: %d articles, %d changed", classifier.version, summary.read, summary.changed)
    return summary
