"""Aggregate figures on relevant articles for the trend pages and the periodic reports.

An article counts on the day it was published (its fetch time when the outlet gave none), as a local date in
Viet Nam. Viet Nam keeps UTC+7 all year (no daylight saving since 1975), so the local day is computed in SQL
as the UTC time plus seven hours, on both backends. Periods are half-open: [start, end).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from sqlalchemy import ColumnElement, Date, Select, cast, func, literal_column, select
from sqlalchemy.orm import Session, aliased

from domain.enums import Sentiment
from domain.records import Story
from storage.enrichments import story_record
from storage.tables import ArticleRow, CaseRow, EnrichmentRow, OutletRow, ProfileMatchRow, StoryRow
from storage.types import as_utc

VN_OFFSET_H = 7
Dimension = Literal["topic", "sentiment", "province"]
AnySelect = TypeVar("AnySelect", bound="Select[*tuple[Any, ...]]")


@dataclass(frozen=True, slots=True, kw_only=True)
class DayCount:
    day: dt.date  # local date in Viet Nam
    key: str | None  # the topic, sentiment or province; None when the label is missing
    count: int


@dataclass(frozen=True, slots=True, kw_only=True)
class KeyCount:
    key: str | None
    count: int
    negative: int  # of which tiêu cực (negative towards the agency)


@dataclass(frozen=True, slots=True, kw_only=True)
class OutletCount:
    outlet_id: int
    slug: str
    name: str
    count: int
    negative: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Spread:
    story: Story
    outlets: int  # distinct outlets that ran it in the window
    copies: int
    case_id: int | None
    priority: str | None


def profile_articles(profile_id: int) -> Select[int]:
    """The ids of the articles a watch profile matched, as a subquery."""
    return select(ProfileMatchRow.article_id).where(ProfileMatchRow.profile_id == profile_id)


def published(session: Session) -> ColumnElement[dt.datetime]:
    """When the article appeared: its published time, else its fetch time."""
    return func.coalesce(ArticleRow.published_at, ArticleRow.fetched_at)


def local_day(session: Session) -> ColumnElement[dt.date]:
    """The local (UTC+7) calendar date of `published`, as SQL for the session's backend."""
    if session.get_bind().dialect.name == "sqlite":
        # SQLite stores the UTC wall time (storage.types.UTCDateTime); date() shifts and truncates it.
        return func.date(published(session), f"+{VN_OFFSET_H} hours")
    return cast(published(session) + literal_column(f"interval '{VN_OFFSET_H} hours'"), Date)


def _as_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _relevant(
    session: Session,
    query: AnySelect,
    start: dt.datetime,
    end: dt.datetime,
    province: str | None,
    profile_id: int | None = None,
) -> AnySelect:
    """The articles of [start, end): the relevant ones (the THADS watch), or with `profile_id` those that watch
    profile matched; within `province` when given."""
    query = query.join(EnrichmentRow, EnrichmentRow.article_id == ArticleRow.id).where(
        published(session) >= start, published(session) < end
    )
    if profile_id is None:
        query = query.where(EnrichmentRow.relevant.is_(True))
    else:
        query = query.where(ArticleRow.id.in_(profile_articles(profile_id)))
    if province is not None:
        query = query.where(EnrichmentRow.province == province)
    return query


def per_day(
    session: Session,
    *,
    start: dt.datetime,
    end: dt.datetime,
    by: Dimension,
    province: str | None = None,
    profile_id: int | None = None,
) -> list[DayCount]:
    """Relevant articles per local day and label (topic, sentiment or province), by day then label."""
    day = local_day(session).label("day")
    column = getattr(EnrichmentRow, by)
    query = _relevant(
        session, select(day, column, func.count()).select_from(ArticleRow), start, end, province, profile_id
    )
    rows = session.execute(query.group_by(day, column).order_by(day, column))
    return [DayCount(day=_as_date(d), key=k, count=int(n)) for d, k, n in rows]


def totals(
    session: Session,
    *,
    start: dt.datetime,
    end: dt.datetime,
    by: Dimension,
    province: str | None = None,
    profile_id: int | None = None,
) -> list[KeyCount]:
    """Relevant articles per label over the period, with the negative ones among them, most first."""
    column = getattr(EnrichmentRow, by)
    negative = func.count().filter(EnrichmentRow.sentiment == Sentiment.TIEU_CUC)
    query = _relevant(
        session, select(column, func.count(), negative).select_from(ArticleRow), start, end, province, profile_id
    )
    rows = session.execute(query.group_by(column).order_by(func.count().desc(), column))
    return [KeyCount(key=k, count=int(n), negative=int(neg or 0)) for k, n, neg in rows]


def top_outlets(
    session: Session,
    *,
    start: dt.datetime,
    end: dt.datetime,
    province: str | None = None,
    profile_id: int | None = None,
    limit: int = 10,
) -> list[OutletCount]:
    """The outlets that ran the most relevant articles in the period."""
    negative = func.count().filter(EnrichmentRow.sentiment == Sentiment.TIEU_CUC)
    query = _relevant(
        session,
        select(OutletRow.id, OutletRow.slug, OutletRow.name, func.count(), negative)
        .select_from(ArticleRow)
        .join(OutletRow, OutletRow.id == ArticleRow.outlet_id),
        start,
        end,
        province,
        profile_id,
    )
    rows = session.execute(
        query.group_by(OutletRow.id, OutletRow.slug, OutletRow.name)
        .order_by(func.count().desc(), OutletRow.slug)
        .limit(limit)
    )
    return [OutletCount(outlet_id=i, slug=s, name=n, count=int(c), negative=int(neg or 0)) for i, s, n, c, neg in rows]


def count_relevant(
    session: Session,
    *,
    start: dt.datetime,
    end: dt.datetime,
    province: str | None = None,
    profile_id: int | None = None,
) -> int:
    query = _relevant(session, select(func.count()).select_from(ArticleRow), start, end, province, profile_id)
    return int(session.scalar(query) or 0)


MIN_SPREAD_OUTLETS = 2


def spreading(
    session: Session, *, since: dt.datetime, province: str | None = None, profile_id: int | None = None, limit: int = 10
) -> list[Spread]:
    """Stories picked up by the most outlets since `since` (stories spreading now), widest first: only stories
    in at least MIN_SPREAD_OUTLETS outlets (one outlet republishing its own article is not spreading)."""
    outlets = func.count(func.distinct(ArticleRow.outlet_id))
    query = (
        select(StoryRow, outlets, func.count(), CaseRow.id, CaseRow.priority)
        .join(EnrichmentRow, EnrichmentRow.story_id == StoryRow.id)
        .join(ArticleRow, ArticleRow.id == EnrichmentRow.article_id)
        .outerjoin(CaseRow, CaseRow.story_id == StoryRow.id)
        .where(ArticleRow.fetched_at >= since, StoryRow.merged_into_id.is_(None))
        .group_by(StoryRow.id, CaseRow.id, CaseRow.priority)
        .having(outlets >= MIN_SPREAD_OUTLETS)
        .order_by(outlets.desc(), func.count().desc(), StoryRow.last_seen_at.desc())
        .limit(limit)
    )
    if province is not None:
        query = query.where(EnrichmentRow.province == province)
    if profile_id is not None:
        query = query.where(ArticleRow.id.in_(profile_articles(profile_id)))
    return [
        Spread(story=story_record(row), outlets=int(n), copies=int(c), case_id=case_id, priority=priority)
        for row, n, c, case_id, priority in session.execute(query)
    ]


# --- figures of a reporting period ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class PeriodCounts:
    """Relevant articles of a period, by tone, and how many outlets and stories they make."""

    articles: int
    negative: int
    neutral: int
    positive: int
    outlets: int  # distinct outlets
    stories: int  # distinct stories


@dataclass(frozen=True, slots=True, kw_only=True)
class ArticleLine:
    """One relevant article as a report lists it."""

    id: int
    published_at: dt.datetime  # its published time, else its fetch time (UTC)
    outlet: str
    title: str
    url: str
    topic: str | None
    sentiment: str | None
    province: str | None
    story_id: int | None


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryCount:
    """A story with its relevant copies in a period; a story merged into another counts as that one."""

    story_id: int
    title: str
    first_url: str  # its first article
    first_outlet: str
    first_at: dt.datetime  # the earliest of its copies in the period
    copies: int
    outlets: int
    negative: int
    topic: str | None  # of its first article
    province: str | None
    case_id: int | None
    priority: str | None
    case_state: str | None


def period_counts(
    session: Session,
    *,
    start: dt.datetime,
    end: dt.datetime,
    province: str | None = None,
    profile_id: int | None = None,
) -> PeriodCounts:
    """One aggregate query: the relevant articles of [start, end) by tone, distinct outlets and stories."""

    def tone(value: str) -> ColumnElement[int]:
        return func.count().filter(EnrichmentRow.sentiment == value)

    query = _relevant(
        session,
        select(
            func.count(),
            tone(Sentiment.TIEU_CUC),
            tone(Sentiment.TRUNG_LAP),
            tone(Sentiment.TICH_CUC),
            func.count(func.distinct(ArticleRow.outlet_id)),
            func.count(func.distinct(EnrichmentRow.story_id)),
        ).select_from(ArticleRow),
        start,
        end,
        province,
        profile_id,
    )
    n, neg, neu, pos, outlets, stories = session.execute(query).one()
    return PeriodCounts(
        articles=int(n),
        negative=int(neg or 0),
        neutral=int(neu or 0),
        positive=int(pos or 0),
        outlets=int(outlets or 0),
        stories=int(stories or 0),
    )


def relevant_articles(
    session: Session,
    *,
    start: dt.datetime,
    end: dt.datetime,
    province: str | None = None,
    profile_id: int | None = None,
) -> list[ArticleLine]:
    """Every relevant article of [start, end), oldest first: plain columns, no ORM objects (a year is 10⁵ rows)."""
    when = published(session).label("when")
    query = _relevant(
        session,
        select(
            ArticleRow.id,
            when,
            OutletRow.name,
            ArticleRow.title,
            ArticleRow.url,
            EnrichmentRow.topic,
            EnrichmentRow.sentiment,
            EnrichmentRow.province,
            EnrichmentRow.story_id,
        )
        .select_from(ArticleRow)
        .join(OutletRow, OutletRow.id == ArticleRow.outlet_id),
        start,
        end,
        province,
        profile_id,
    ).order_by(when, ArticleRow.id)
    # Core execution (no ORM row processing) and the timestamps as UTCDateTime gives them: half the time on 10⁵ rows.
    return [
        ArticleLine(
            id=i,
            published_at=at,
            outlet=outlet,
            title=title,
            url=url,
            topic=topic,
            sentiment=sentiment,
            province=prov,
            story_id=story,
        )
        for i, at, outlet, title, url, topic, sentiment, prov, story in session.connection().execute(query)
    ]


def stories_in_period(
    session: Session,
    *,
    start: dt.datetime,
    end: dt.datetime,
    province: str | None = None,
    profile_id: int | None = None,
    limit: int | None = None,
) -> list[StoryCount]:
    """Stories with relevant copies published in [start, end), the most widely run first.

    Aggregated in SQL (one row per story), then joined to the story's first article and its case.
    """
    story = func.coalesce(StoryRow.merged_into_id, StoryRow.id).label("story")
    first_at = func.min(published(session)).label("first_at")
    copies = func.count().label("copies")
    outlets = func.count(func.distinct(ArticleRow.outlet_id)).label("outlets")
    negative = func.count().filter(EnrichmentRow.sentiment == Sentiment.TIEU_CUC).label("negative")
    grouped = (
        _relevant(
            session,
            select(story, first_at, copies, outlets, negative).select_from(ArticleRow),
            start,
            end,
            province,
            profile_id,
        )
        .join(StoryRow, StoryRow.id == EnrichmentRow.story_id)
        .group_by(story)
        .subquery()
    )
    first = aliased(ArticleRow)
    first_enrichment = aliased(EnrichmentRow)
    query = (
        select(
            StoryRow.id,
            StoryRow.title,
            first.url,
            OutletRow.name,
            grouped.c.first_at,
            grouped.c.copies,
            grouped.c.outlets,
            grouped.c.negative,
            first_enrichment.topic,
            first_enrichment.province,
            CaseRow.id,
            CaseRow.priority,
            CaseRow.state,
        )
        .select_from(grouped)
        .join(StoryRow, StoryRow.id == grouped.c.story)
        .join(first, first.id == StoryRow.first_article_id)
        .join(OutletRow, OutletRow.id == first.outlet_id)
        .outerjoin(first_enrichment, first_enrichment.article_id == first.id)
        .outerjoin(CaseRow, CaseRow.story_id == StoryRow.id)
        .order_by(
            grouped.c.outlets.desc(),
            grouped.c.copies.desc(),
            grouped.c.negative.desc(),
            grouped.c.first_at,
            StoryRow.id,
        )
    )
    if limit is not None:
        query = query.limit(limit)
    rows = session.connection().execute(query)  # Core: no ORM row processing (a year has 10⁴ stories)
    return [
        StoryCount(
            story_id=sid,
            title=title,
            first_url=url,
            first_outlet=outlet,
            first_at=as_utc(at),
            copies=int(n),
            outlets=int(o),
            negative=int(neg or 0),
            topic=topic,
            province=prov,
            case_id=case_id,
            priority=priority,
            case_state=state,
        )
        for sid, title, url, outlet, at, n, o, neg, topic, prov, case_id, priority, state in rows
    ]
