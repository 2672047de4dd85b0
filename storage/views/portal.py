"""The portal's feed: the responses published and not withdrawn, newest first, with the article each answers.

Paging is by keyset, (published_at, response id) strictly before the last entry given, so that an entry published
while an importer pages through never shifts a page; `since` keeps the entries published or changed after it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from domain.enums import ResponseKind
from storage.tables import ArticleRow, CaseRow, EnrichmentRow, OutletRow, PublicationRow, ResponseRow, StoryRow
from storage.types import as_utc

MAX_ENTRIES = 500


@dataclass(frozen=True, slots=True, kw_only=True)
class PortalEntry:
    response_id: int
    case_id: int
    title: str  # public title
    text: str  # public text
    kind: ResponseKind
    responded_at: datetime  # when the response was recorded (stable: the entry's tag id carries its date)
    published_at: datetime
    updated_at: datetime
    province: str
    topic: str | None
    article_url: str  # the original article the response answers (the story's first copy)
    article_title: str
    outlet_name: str


@dataclass(frozen=True, slots=True)
class Position:
    """Where a page ended: the next page holds the entries strictly before it."""

    published_at: datetime
    response_id: int


def portal_entries(
    session: Session, *, limit: int, since: datetime | None = None, after: Position | None = None
) -> list[PortalEntry]:
    """Up to `limit` live publications, newest first (then the higher response id first)."""
    query = (
        select(
            PublicationRow,
            ResponseRow.case_id,
            ResponseRow.kind,
            ResponseRow.at,
            CaseRow.province,
            EnrichmentRow.topic,
            ArticleRow.url,
            ArticleRow.title,
            OutletRow.name,
        )
        .join(ResponseRow, ResponseRow.id == PublicationRow.response_id)
        .join(CaseRow, CaseRow.id == ResponseRow.case_id)
        .join(StoryRow, StoryRow.id == CaseRow.story_id)
        .join(ArticleRow, ArticleRow.id == StoryRow.first_article_id)
        .join(OutletRow, OutletRow.id == ArticleRow.outlet_id)
        .outerjoin(EnrichmentRow, EnrichmentRow.article_id == ArticleRow.id)
        .where(PublicationRow.withdrawn_at.is_(None))
        .order_by(PublicationRow.published_at.desc(), PublicationRow.response_id.desc())
        .limit(max(1, min(limit, MAX_ENTRIES)))
    )
    if since is not None:
        query = query.where(PublicationRow.updated_at > since)
    if after is not None:
        query = query.where(
            or_(
                PublicationRow.published_at < after.published_at,
                and_(PublicationRow.published_at == after.published_at, PublicationRow.response_id < after.response_id),
            )
        )
    return [
        PortalEntry(
            response_id=p.response_id,
            case_id=case_id,
            title=p.title,
            text=p.text,
            kind=ResponseKind(kind),
            responded_at=as_utc(responded_at),
            published_at=as_utc(p.published_at),
            updated_at=as_utc(p.updated_at),
            province=province,
            topic=topic,
            article_url=url,
            article_title=title,
            outlet_name=outlet,
        )
        for p, case_id, kind, responded_at, province, topic, url, title, outlet in session.execute(query)
    ]


@dataclass(frozen=True, slots=True)
class Withdrawal:
    response_id: int
    responded_at: datetime  # the date in the entry's tag id
    withdrawn_at: datetime


def withdrawn_since(session: Session, since: datetime, *, limit: int = MAX_ENTRIES) -> list[Withdrawal]:
    """The publications withdrawn after `since` and not published again, newest withdrawal first: what an
    importer polling with `since` must take down."""
    query = (
        select(PublicationRow.response_id, ResponseRow.at, PublicationRow.withdrawn_at)
        .join(ResponseRow, ResponseRow.id == PublicationRow.response_id)
        .where(PublicationRow.withdrawn_at > since)
        .order_by(PublicationRow.withdrawn_at.desc(), PublicationRow.response_id.desc())
        .limit(limit)
    )
    found = []
    for response_id, responded_at, gone in session.execute(query):
        assert gone is not None  # the condition says so
        found.append(Withdrawal(response_id, as_utc(responded_at), as_utc(gone)))
    return found
