"""Full-text search of articles, insensitive to diacritics and to tone-mark placement, with filters and scope.

"thi hanh an" finds "thi hành án", "hoà" finds "hòa", "dong" finds "đồng": both sides of the match are search
keys without diacritics (storage.search_terms reads the query; the index is kept by triggers of migration 0006,
so that every writer of `article` keeps it current, the crawler's hot path included, at the cost of one index
insert in the database).

Several words typed: the articles that have them side by side in the order typed rank first (then, on SQLite,
those that have them close together), whatever the headline; every article with all the words still matches.

- SQLite: FTS5 table `article_fts` (contentless; rowid = article id; title, sapo, text), tokenizer unicode61
  with remove_diacritics 2; đ is folded by the triggers. Ranked by the phrase, then NEAR (each set found once
  through the index), then bm25 with the headline weighing most.
- PostgreSQL: table `article_search`: the unaccented vectors of the headline and lead (`head`, weights A and B)
  and of the whole article (`document`, GIN index), and copies of what the filters test (article time, outlet,
  enrichment labels, story), partitioned by relevance. Matches come from `document`; the rank is ts_rank of
  `head`, computed only for the articles whose headline or lead match: ranking the whole text would read every
  matching article's vector (measured: 6 times slower for a common query on 200,000 articles), and an article
  that has the words in its headline or lead is the better match. Before it, the words side by side
  (`<->`) anywhere in the article: that test reads the matching articles' vectors. Then the newest first.

The scope (a focal point's province) is a condition of the SQL, never a filter of the results: a scoped search
only ever sees relevant articles of that province.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ColumnElement,
    Integer,
    MetaData,
    Select,
    String,
    Table,
    Text,
    bindparam,
    case,
    column,
    func,
    literal_column,
    select,
    table,
    text,
    true,
)
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Session
from sqlalchemy.sql.selectable import TextualSelect

from storage.search_terms import Terms, closer, fts5_near, fts5_query, parse_terms, snippet, tsquery
from storage.tables import ArticleRow, CaseRow, EnrichmentRow, OutletRow, StoryRow
from storage.types import UTCDateTime, as_utc
from storage.views.stats import profile_articles

MAX_LIMIT = 200
BM25_WEIGHTS = (10.0, 4.0, 1.0)  # title, sapo, text
TS_RANK_WEIGHTS = "'{0.1, 0.2, 0.4, 1.0}'::float4[]"  # D, C, B (sapo), A (title)


@dataclass(frozen=True, slots=True, kw_only=True)
class SearchQuery:
    text: str = ""  # the user's words, with or without diacritics, any tone-mark placement
    start: datetime | None = None  # article time (published, else fetched) >= start
    end: datetime | None = None  # < end
    outlet_ids: tuple[int, ...] = ()
    topic: str | None = None
    sentiment: str | None = None
    province: str | None = None  # a filter the user chose
    priority: str | None = None  # P1|P2|P3: priority of the case of the article's story
    relevant_only: bool = True
    scope: str | None = None  # ENFORCED province of the user (focal point); None = may see all
    profile_id: int | None = None  # only the articles this watch profile matched
    limit: int = 20
    offset: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class SearchHit:
    article_id: int
    title: str
    sapo: str
    url: str
    outlet_name: str
    at: datetime  # published, else fetched (UTC)
    topic: str | None
    sentiment: str | None
    province: str | None
    story_id: int | None
    case_id: int | None
    priority: str | None
    snippet: str  # plain text around the match (NOT html)
    marks: tuple[tuple[int, int], ...]  # [start, end) character spans of `snippet` that matched, for <mark>


@dataclass(frozen=True, slots=True, kw_only=True)
class SearchResult:
    hits: tuple[SearchHit, ...]
    total: int  # all matches (for paging)


_metadata = MetaData()  # not the models' metadata: migration 0006 makes these, per backend
ARTICLE_SEARCH = Table(
    "article_search",
    _metadata,
    Column("article_id", BigInteger, primary_key=True),
    Column("relevant", Boolean, primary_key=True),
    Column("at", UTCDateTime),
    Column("outlet_id", BigInteger),
    Column("topic", String(32)),
    Column("sentiment", String(16)),
    Column("province", String(64)),
    Column("story_id", BigInteger),
    Column("head", TSVECTOR),
    Column("document", TSVECTOR),
)
RELEVANT_PARTITION = table("article_search_relevant", *(column(c.name, c.type) for c in ARTICLE_SEARCH.c))
ARTICLE_FTS = Table(
    "article_fts",
    _metadata,
    Column("rowid", Integer),
    Column("title", Text),
    Column("sapo", Text),
    Column("text", Text),
)


def search_articles(session: Session, query: SearchQuery) -> SearchResult:
    """One page of the articles that match, best first (newest first without words), and how many match."""
    terms = parse_terms(query.text)
    limit, offset = min(max(query.limit, 0), MAX_LIMIT), max(query.offset, 0)
    if session.get_bind().dialect.name == "postgresql":
        ids, total = _postgresql(session, query, terms, limit, offset)
    else:
        ids, total = _sqlite(session, query, terms, limit, offset)
    return SearchResult(hits=_hits(session, ids, terms), total=total)


def _cases_with_priority(priority: str) -> Select[Any]:
    """Stories whose case (their own, or that of the story they were merged into) has this priority."""
    return (
        select(StoryRow.id)
        .join(CaseRow, CaseRow.story_id == func.coalesce(StoryRow.merged_into_id, StoryRow.id))
        .where(CaseRow.priority == priority)
    )


def _conditions(
    query: SearchQuery,
    *,
    relevant: Any | None,
    article_id: Any,
    at: Any,
    outlet_id: Any,
    topic: Any,
    sentiment: Any,
    province: Any,
    story_id: Any,
) -> list[ColumnElement[bool]]:
    """The filters and the scope, on whichever columns hold them (`relevant` None: the source holds relevant
    articles only)."""
    where: list[ColumnElement[bool]] = []
    if (query.relevant_only or query.scope is not None) and relevant is not None:
        where.append(relevant == true())
    if query.scope is not None:
        where.append(province == query.scope)
    if query.province is not None:
        where.append(province == query.province)
    if query.topic is not None:
        where.append(topic == query.topic)
    if query.sentiment is not None:
        where.append(sentiment == query.sentiment)
    if query.outlet_ids:
        where.append(outlet_id.in_(query.outlet_ids))
    if query.start is not None:
        where.append(at >= query.start)
    if query.end is not None:
        where.append(at < query.end)
    if query.priority is not None:
        where.append(story_id.in_(_cases_with_priority(query.priority)))
    if query.profile_id is not None:
        where.append(article_id.in_(profile_articles(query.profile_id)))
    return where


@contextmanager
def _index_first(session: Session) -> Iterator[None]:
    """Within the block, PostgreSQL finds matches through the GIN index rather than by reading the partition.

    The planner prices `document @@ query` on a sequential scan as if the vectors were at hand, but they are
    TOASTed: each one read is decompressed. So it prefers to read every article once a query matches a few
    per cent of them, and that costs about three times the index (measured on 200,000 articles, "thi hanh an",
    10,323 matches: 137 ms reading the partition, 43 ms through the index). Turned off for this statement only
    (set_config local to the transaction, then put back).
    """
    before = session.execute(
        text("SELECT current_setting('enable_seqscan'), set_config('enable_seqscan', 'off', true)")
    ).one()[0]
    try:
        yield
    finally:
        session.execute(text("SELECT set_config('enable_seqscan', :before, true)"), {"before": before})


def _postgresql(session: Session, query: SearchQuery, terms: Terms, limit: int, offset: int) -> tuple[list[int], int]:
    # Relevant articles only (the default, and always for a scoped user): the partition itself. Through the parent,
    # the planner meets `relevant = true` by scanning the primary key and tests every vector of the partition.
    source = RELEVANT_PARTITION if query.relevant_only or query.scope is not None else ARTICLE_SEARCH
    s = source.c
    where = _conditions(
        query,
        relevant=None if source is RELEVANT_PARTITION else s.relevant,
        article_id=s.article_id,
        at=s.at,
        outlet_id=s.outlet_id,
        topic=s.topic,
        sentiment=s.sentiment,
        province=s.province,
        story_id=s.story_id,
    )
    count = select(func.count()).select_from(source).where(*where)
    if not terms:  # newest first: read from the index on the article time; count apart
        page = select(s.article_id).where(*where).order_by(s.at.desc(), s.article_id.desc()).limit(limit)
        ids = list(session.scalars(page.offset(offset))) if limit else []
        if offset == 0 and len(ids) < limit:
            return ids, len(ids)
        return ids, int(session.scalar(count) or 0)
    ts_query = func.to_tsquery(literal_column("'pg_catalog.simple'::regconfig"), bindparam("q", tsquery(terms)))
    where.append(s.document.bool_op("@@")(ts_query))
    rank = case(
        (s.head.bool_op("@@")(ts_query), func.ts_rank(literal_column(TS_RANK_WEIGHTS), s.head, ts_query)),
        else_=0.0,
    )
    together = closer(terms)
    tier: ColumnElement[Any] = literal_column("0")
    if together is not None:  # the typed words side by side (<->) first
        phrase = func.to_tsquery(literal_column("'pg_catalog.simple'::regconfig"), bindparam("p", tsquery(together)))
        tier = case((s.document.bool_op("@@")(phrase), 1), else_=0)
    # One pass over the matches gives the page and the total. OFFSET 0 keeps the rank computed before the
    # window: else every match would be carried through it with its `head` vector (spilling to disk).
    matched = select(s.article_id, s.at, tier.label("tier"), rank.label("rank")).where(*where).offset(0).subquery()
    page = (
        select(matched.c.article_id, func.count().over())
        .order_by(matched.c.tier.desc(), matched.c.rank.desc(), matched.c.at.desc(), matched.c.article_id.desc())
        .limit(limit or 1)
        .offset(offset)
    )
    with _index_first(session):
        rows = session.execute(page).all()
    if rows:
        return ([] if limit == 0 else [r[0] for r in rows]), int(rows[0][1])
    if offset == 0:
        return [], 0
    return [], int(session.scalar(count.where(s.document.bool_op("@@")(ts_query))) or 0)


def _sqlite(session: Session, query: SearchQuery, terms: Terms, limit: int, offset: int) -> tuple[list[int], int]:
    at = func.coalesce(ArticleRow.published_at, ArticleRow.fetched_at)
    where = _conditions(
        query,
        relevant=EnrichmentRow.relevant,
        article_id=ArticleRow.id,
        at=at,
        outlet_id=ArticleRow.outlet_id,
        topic=EnrichmentRow.topic,
        sentiment=EnrichmentRow.sentiment,
        province=EnrichmentRow.province,
        story_id=EnrichmentRow.story_id,
    )
    labelled = any(x is not None for x in (query.scope, query.province, query.topic, query.sentiment, query.priority))
    inner = query.relevant_only or labelled

    matched = None
    if terms:
        # Matches first, once: joined directly, SQLite's planner may walk the enrichment index and run the
        # full-text query again for every row. The words side by side rank first, then the words close together
        # (each set found once by the index, as the IN lists of the CASE).
        together, near = closer(terms), fts5_near(terms)
        tier: ColumnElement[Any] = literal_column("0")
        if together is not None and near is not None:
            tier = case(
                (ARTICLE_FTS.c.rowid.in_(_fts5_ids("phrase", fts5_query(together))), 0),
                (ARTICLE_FTS.c.rowid.in_(_fts5_ids("near", near)), 1),
                else_=2,
            )
        matched = (
            select(
                ARTICLE_FTS.c.rowid.label("id"),
                tier.label("tier"),
                func.bm25(literal_column("article_fts"), *BM25_WEIGHTS).label("score"),
            )
            .where(literal_column("article_fts").bool_op("MATCH")(bindparam("q", fts5_query(terms))))
            .cte("matched")
            .prefix_with("MATERIALIZED")
        )

    def joined(columns: Sequence[Any]) -> Select[Any]:
        stmt = select(*columns)
        if matched is not None:
            stmt = stmt.select_from(matched).join(ArticleRow, ArticleRow.id == matched.c.id)
        else:
            stmt = stmt.select_from(ArticleRow)
        on = EnrichmentRow.article_id == ArticleRow.id
        stmt = stmt.join(EnrichmentRow, on) if inner else stmt.outerjoin(EnrichmentRow, on)
        return stmt.where(*where)

    total = int(session.scalar(joined([func.count()])) or 0)
    if total == 0 or limit == 0:
        return [], total
    order: list[Any] = [at.desc(), ArticleRow.id.desc()]
    if matched is not None:
        order[:0] = [matched.c.tier, matched.c.score]  # bm25: lower is better
    rows = session.execute(joined([ArticleRow.id]).order_by(*order).limit(limit).offset(offset))
    return [r[0] for r in rows], total


_FTS5_IDS = {
    "phrase": text("SELECT rowid FROM article_fts(:phrase)"),
    "near": text("SELECT rowid FROM article_fts(:near)"),
}


def _fts5_ids(name: str, expression: str) -> TextualSelect:
    """The ids of the articles that match an FTS5 expression (the table-valued form of MATCH)."""
    return _FTS5_IDS[name].bindparams(**{name: expression}).columns(column("rowid"))


def _hits(session: Session, ids: list[int], terms: Terms) -> tuple[SearchHit, ...]:
    if not ids:
        return ()
    rows = session.execute(
        select(
            ArticleRow.id,
            ArticleRow.title,
            ArticleRow.sapo,
            ArticleRow.text,
            ArticleRow.url,
            OutletRow.name,
            ArticleRow.published_at,
            ArticleRow.fetched_at,
            EnrichmentRow.topic,
            EnrichmentRow.sentiment,
            EnrichmentRow.province,
            EnrichmentRow.story_id,
            CaseRow.id,
            CaseRow.priority,
        )
        .join(OutletRow, OutletRow.id == ArticleRow.outlet_id)
        .outerjoin(EnrichmentRow, EnrichmentRow.article_id == ArticleRow.id)
        .outerjoin(StoryRow, StoryRow.id == EnrichmentRow.story_id)
        .outerjoin(CaseRow, CaseRow.story_id == func.coalesce(StoryRow.merged_into_id, StoryRow.id))
        .where(ArticleRow.id.in_(ids))
    )
    by_id: dict[int, SearchHit] = {}
    for r in rows:
        body = f"{r.sapo}\n{r.text}" if r.sapo else r.text
        text, marks = snippet(body, terms)
        by_id[r[0]] = SearchHit(
            article_id=r[0],
            title=r.title,
            sapo=r.sapo,
            url=r.url,
            outlet_name=r.name,
            at=as_utc(r.published_at or r.fetched_at),
            topic=r.topic,
            sentiment=r.sentiment,
            province=r.province,
            story_id=r.story_id,
            case_id=r[12],
            priority=r.priority,
            snippet=text,
            marks=marks,
        )
    return tuple(by_id[i] for i in ids if i in by_id)
