"""The enrichment stage: new Articles → Enrichment rows and Story memberships, in batches."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from nlp.classify import Classifier, Document
from nlp.settings import NlpSettings
from nlp.stories import StoryIndex, from_bytes, signature, to_bytes, too_short
from storage.engine import Database
from storage.enrichments import join_story, pending_articles, recent_signatures, save_enrichment, start_story
from storage.outlets import outlet_by_id
from storage.records import Enrichment

log = logging.getLogger(__name__)


@dataclass
class EnrichSummary:
    enriched: int = 0
    relevant: int = 0
    new_stories: int = 0
    joined_stories: int = 0


def run_enrich(
    database: Database,
    classifier: Classifier,
    settings: NlpSettings,
    *,
    now: Callable[[], datetime],
    max_batches: int | None = None,
    claim: bool = False,
    stop: Callable[[], bool] = lambda: False,
) -> EnrichSummary:
    """Enrich every pending article (or `max_batches` batches); each batch is one transaction. `stop()` is asked
    between batches (a shutdown finishes the batch in hand, so nothing is half done).

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
                if article.outlet_id not in homes:
                    outlet = outlet_by_id(session, article.outlet_id)
                    homes[article.outlet_id] = outlet.home_province if outlet else None
                doc = Document(
                    id=str(article.id),
                    title=article.title,
                    summary=article.sapo,
                    text=article.text,
                    home_province=homes[article.outlet_id],
                )
                result = classifier.classify(doc)
                story_id: int | None = None
                data: bytes | None = None
                if result.relevant:
                    minhash = signature(article.title, article.text)
                    short = too_short(article.text)  # a placeholder page: its own story, never indexed
                    data = None if short else to_bytes(minhash)
                    match = None if short else index.match(minhash)
                    if match is None:
                        story_id = start_story(session, article).id
                        summary.new_stories += 1
                    else:
                        story_id = join_story(session, match[0], article).id
                        summary.joined_stories += 1
                    if not short:
                        index.add(article.id, story_id, minhash)
                    summary.relevant += 1
                save_enrichment(
                    session,
                    Enrichment(
                        article_id=article.id,
                        relevant=result.relevant,
                        relevance_score=result.relevance_score,
                        topic=result.topic,
                        topic_scores=result.topic_scores,
                        sentiment=result.sentiment,
                        sentiment_score=result.sentiment_score,
                        province=result.province,
                        entities=result.entities,
                        model_version=classifier.version,
                        enriched_at=now(),
                        story_id=story_id,
                    ),
                    signature=data,
                )
                summary.enriched += 1
        batches += 1
    if summary.enriched:
        log.info(
            "enrich: %d articles, %d relevant, %d new stories, %d copies joined",
            summary.enriched,
            summary.relevant,
            summary.new_stories,
            summary.joined_stories,
        )
    return summary
