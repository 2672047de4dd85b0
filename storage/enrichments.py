"""Queries of the NLP stage: articles waiting for enrichment, enrichments, stories and their signatures."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.enums import FINISHED_STATES, Sentiment, TriageState
from domain.records import Article, Enrichment, Entity, Story
from storage.articles import article_record
from storage.tables import ArticleRow, EnrichmentRow, StoryRow
from storage.types import as_utc


def pending_articles(session: Session, *, limit: int, claim: bool = False) -> list[Article]:
    """Articles with no enrichment yet, oldest first.

    `claim` (PostgreSQL): lock the batch with FOR UPDATE SKIP LOCKED so that parallel workers take
    different articles; the lock lasts until the caller's transaction ends.
    """
    query = (
        select(ArticleRow)
        .outerjoin(EnrichmentRow, EnrichmentRow.article_id == ArticleRow.id)
        .where(EnrichmentRow.article_id.is_(None))
        .order_by(ArticleRow.id)
        .limit(limit)
    )
    if not (claim and session.get_bind().dialect.name == "postgresql"):
        return [article_record(r) for r in session.scalars(query)]
    claimed = [article_record(r) for r in session.scalars(query.with_for_update(skip_locked=True, of=ArticleRow))]
    # The claim's snapshot may predate another worker's commit: that worker held these rows, and once it committed
    # (releasing them) they can be locked here although they now have an enrichment. A fresh statement sees it.
    done = set(
        session.scalars(
            select(EnrichmentRow.article_id).where(EnrichmentRow.article_id.in_([a.id for a in claimed]))
        ).all()
    )
    return [a for a in claimed if a.id not in done]


def _entity(data: dict[str, object]) -> Entity:
    value = data.get("value")
    province = data.get("province")
    return Entity(
        kind=str(data["kind"]),
        text=str(data["text"]),
        value=float(value) if isinstance(value, int | float) else None,
        province=str(province) if province is not None else None,
    )


def _enrichment(row: EnrichmentRow) -> Enrichment:
    return Enrichment(
        article_id=row.article_id,
        relevant=row.relevant,
        relevance_score=row.relevance_score,
        topic=row.topic,
        topic_scores=row.topic_scores,
        sentiment=Sentiment(row.sentiment) if row.sentiment else None,
        sentiment_score=row.sentiment_score,
        province=row.province,
        entities=tuple(_entity(e) for e in row.entities or []),
        model_version=row.model_version,
        enriched_at=as_utc(row.enriched_at),
        story_id=row.story_id,
    )


def save_enrichment(session: Session, enrichment: Enrichment, *, signature: bytes | None = None) -> Enrichment:
    """Insert or replace the enrichment of an article (a re-run with a newer model replaces it)."""
    row = session.get(EnrichmentRow, enrichment.article_id) or EnrichmentRow(article_id=enrichment.article_id)
    row.relevant = enrichment.relevant
    row.relevance_score = enrichment.relevance_score
    row.topic = enrichment.topic
    row.topic_scores = enrichment.topic_scores
    row.sentiment = enrichment.sentiment
    row.sentiment_score = enrichment.sentiment_score
    row.province = enrichment.province
    row.entities = [{k: v for k, v in asdict(e).items() if v is not None} for e in enrichment.entities]
    row.model_version = enrichment.model_version
    row.enriched_at = enrichment.enriched_at
    row.story_id = enrichment.story_id
    if signature is not None:
        row.signature = signature
    session.add(row)
    session.flush()
    return _enrichment(row)


def get_enrichment(session: Session, article_id: int) -> Enrichment | None:
    row = session.get(EnrichmentRow, article_id)
    return None if row is None else _enrichment(row)


def recent_signatures(
    session: Session, since: datetime, *, enriched_since: datetime | None = None
) -> list[tuple[int, int, bytes]]:
    """(article id, story id, MinHash signature) of the relevant articles seen since `since` (and enriched since
    `enriched_since`, if given: what other workers added lately)."""
    query = (
        select(EnrichmentRow.article_id, EnrichmentRow.story_id, EnrichmentRow.signature)
        .join(ArticleRow, ArticleRow.id == EnrichmentRow.article_id)
        .where(
            EnrichmentRow.relevant.is_(True),
            EnrichmentRow.signature.is_not(None),
            EnrichmentRow.story_id.is_not(None),
            ArticleRow.fetched_at >= since,
        )
    )
    if enriched_since is not None:
        query = query.where(EnrichmentRow.enriched_at >= enriched_since)
    return [(a, s, bytes(sig)) for a, s, sig in session.execute(query) if sig is not None and s is not None]


def story_record(row: StoryRow) -> Story:
    return Story(
        id=row.id,
        title=row.title,
        first_article_id=row.first_article_id,
        first_seen_at=as_utc(row.first_seen_at),
        last_seen_at=as_utc(row.last_seen_at),
        size=row.size,
        triage_state=TriageState(row.triage_state),
        triage_note=row.triage_note,
        triaged_by=row.triaged_by,
        triaged_at=as_utc(row.triaged_at),
        merged_into_id=row.merged_into_id,
    )


def start_story(session: Session, article: Article) -> Story:
    assert article.id is not None
    row = StoryRow(
        title=article.title,
        first_article_id=article.id,
        first_seen_at=article.fetched_at,
        last_seen_at=article.fetched_at,
        size=1,
        triage_state=TriageState.PENDING,
    )
    session.add(row)
    session.flush()
    return story_record(row)


def join_story(session: Session, story_id: int, article: Article) -> Story:
    """Count one more copy of a story."""
    row = session.get(StoryRow, story_id)
    if row is None:
        raise LookupError(f"story {story_id} does not exist")
    row.size += 1
    row.last_seen_at = max(as_utc(row.last_seen_at), article.fetched_at)
    session.flush()
    return story_record(row)


def get_story(session: Session, story_id: int) -> Story | None:
    row = session.get(StoryRow, story_id)
    return None if row is None else story_record(row)


def claim_story(session: Session, story_id: int) -> bool:
    """Hold a story for this transaction (PostgreSQL: FOR UPDATE SKIP LOCKED); False when another worker has it."""
    query = select(StoryRow.id).where(StoryRow.id == story_id)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return session.scalar(query) is not None


def story_articles(session: Session, story_id: int) -> list[Article]:
    rows = session.scalars(
        select(ArticleRow)
        .join(EnrichmentRow, EnrichmentRow.article_id == ArticleRow.id)
        .where(EnrichmentRow.story_id == story_id)
        .order_by(ArticleRow.fetched_at, ArticleRow.id)
    )
    return [article_record(r) for r in rows]


def stories_to_review(session: Session, *, limit: int = 500) -> list[Story]:
    """Stories with a relevant article that have no case yet, or have grown since their case last changed.

    Stories a monitor dismissed or merged into another, and stories whose case is closed or dismissed, are done.
    """
    from storage.tables import CaseRow

    query = (
        select(StoryRow)
        .outerjoin(CaseRow, CaseRow.story_id == StoryRow.id)
        .where((CaseRow.id.is_(None)) | (StoryRow.last_seen_at > CaseRow.updated_at))
        .where(StoryRow.triage_state != TriageState.DISMISSED, StoryRow.merged_into_id.is_(None))
        .where(CaseRow.id.is_(None) | CaseRow.state.not_in(FINISHED_STATES))
        .order_by(StoryRow.first_seen_at)
        .limit(limit)
    )
    return [story_record(r) for r in session.scalars(query)]


def story_enrichments(session: Session, story_id: int) -> list[tuple[Article, Enrichment]]:
    rows = session.execute(
        select(ArticleRow, EnrichmentRow)
        .join(EnrichmentRow, EnrichmentRow.article_id == ArticleRow.id)
        .where(EnrichmentRow.story_id == story_id)
        .order_by(ArticleRow.fetched_at, ArticleRow.id)
    )
    return [(article_record(a), _enrichment(e)) for a, e in rows]


def recent_enriched_ids(session: Session, since: datetime) -> list[int]:
    """The enriched articles fetched since `since`, by id (what a promoted model reads again)."""
    query = (
        select(EnrichmentRow.article_id)
        .join(ArticleRow, ArticleRow.id == EnrichmentRow.article_id)
        .where(ArticleRow.fetched_at >= since)
        .order_by(EnrichmentRow.article_id)
    )
    return list(session.scalars(query))


def enriched_articles(session: Session, article_ids: list[int]) -> list[tuple[Article, Enrichment]]:
    rows = session.execute(
        select(ArticleRow, EnrichmentRow)
        .join(EnrichmentRow, EnrichmentRow.article_id == ArticleRow.id)
        .where(ArticleRow.id.in_(article_ids))
        .order_by(ArticleRow.id)
    )
    return [(article_record(a), _enrichment(e)) for a, e in rows]
