"""Search of articles by words and filters — STAND-IN.

This is a naive stand-in for the full-text search built on branch issue-7s (SQLite FTS5, PostgreSQL full-text
with unaccent), with exactly the agreed interface (SearchQuery, SearchHit, SearchResult, search_articles), so
that the web app and its browser test run before that branch is merged. The lead replaces this module with the
real implementation at merge. It filters in SQL, then matches words in Python on text folded with
`storage.text.fold_diacritics` (insensitive to diacritics and to tone-mark placement): it reads every candidate
article, so it is only fit for small databases.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.tables import ArticleRow, CaseRow, EnrichmentRow, OutletRow
from storage.text import fold_diacritics, normalize_vietnamese
from storage.types import as_utc

SNIPPET_CHARS = 240


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


def _fold_char(char: str) -> str:
    decomposed = unicodedata.normalize("NFD", char.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("đ", "d")


def _folded(text: str) -> tuple[str, list[int]]:
    """`text` folded, and for each folded character the index of the character of `text` it comes from."""
    out: list[str] = []
    index: list[int] = []
    for i, char in enumerate(text):
        folded = _fold_char(char)
        out.append(folded)
        index.extend([i] * len(folded))
    return "".join(out), index


def _pattern(words: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(rf"(?<!\w){re.escape(w)}(?!\w)" for w in sorted(words, key=len, reverse=True)))


def _snippet(body: str, pattern: re.Pattern[str]) -> tuple[str, tuple[tuple[int, int], ...]]:
    folded, index = _folded(body)
    first = pattern.search(folded)
    start = 0 if first is None else max(0, index[first.start()] - SNIPPET_CHARS // 3)
    if start:
        space = body.find(" ", start)
        start = space + 1 if 0 <= space < start + 20 else start
    end = min(len(body), start + SNIPPET_CHARS)
    if end < len(body):
        space = body.rfind(" ", start, end)
        end = space if space > start else end
    prefix, suffix = ("…" if start else ""), ("…" if end < len(body) else "")
    snippet = prefix + body[start:end] + suffix
    marks = []
    for match in pattern.finditer(folded):
        a, b = index[match.start()], index[match.end() - 1] + 1
        if a >= start and b <= end:
            marks.append((a - start + len(prefix), b - start + len(prefix)))
    return snippet, tuple(marks)


def search_articles(session: Session, query: SearchQuery) -> SearchResult:
    """Articles matching every word of `query.text` and the filters; best matches first (newest first
    without words)."""
    at = func.coalesce(ArticleRow.published_at, ArticleRow.fetched_at)
    statement = (
        select(
            ArticleRow.id,
            ArticleRow.title,
            ArticleRow.sapo,
            ArticleRow.text,
            ArticleRow.url,
            OutletRow.name,
            at,
            EnrichmentRow.topic,
            EnrichmentRow.sentiment,
            EnrichmentRow.province,
            EnrichmentRow.story_id,
            CaseRow.id,
            CaseRow.priority,
        )
        .join(OutletRow, OutletRow.id == ArticleRow.outlet_id)
        .outerjoin(EnrichmentRow, EnrichmentRow.article_id == ArticleRow.id)
        .outerjoin(CaseRow, CaseRow.story_id == EnrichmentRow.story_id)
    )
    conditions = []
    if query.start is not None:
        conditions.append(at >= query.start)
    if query.end is not None:
        conditions.append(at < query.end)
    if query.outlet_ids:
        conditions.append(ArticleRow.outlet_id.in_(query.outlet_ids))
    for column, value in (
        (EnrichmentRow.topic, query.topic),
        (EnrichmentRow.sentiment, query.sentiment),
        (EnrichmentRow.province, query.province),
        (CaseRow.priority, query.priority),
    ):
        if value is not None:
            conditions.append(column == value)
    if query.relevant_only or query.scope is not None:
        conditions.append(EnrichmentRow.relevant.is_(True))
    if query.scope is not None:
        conditions.append(EnrichmentRow.province == query.scope)
    statement = statement.where(*conditions).order_by(at.desc(), ArticleRow.id.desc())
    words = re.findall(r"\w+", fold_diacritics(query.text))
    pattern = _pattern(words) if words else None
    found: list[tuple[int, SearchHit]] = []
    for row in session.execute(statement):
        article_id, title, sapo, text, url, outlet, when, topic, sentiment, province, story_id, case_id, prio = row
        title, sapo, text = normalize_vietnamese(title), normalize_vietnamese(sapo), normalize_vietnamese(text)
        score = 0
        if pattern is not None:
            folded_title, folded_body = fold_diacritics(title), fold_diacritics(f"{sapo}\n{text}")
            present = {w for w in words if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", f"{folded_title}\n{folded_body}")}
            if len(present) < len(set(words)):
                continue
            score = 3 * len(pattern.findall(folded_title)) + len(pattern.findall(folded_body))
        body = " ".join(p for p in (sapo, text.replace("\n", " ")) if p)
        snippet, marks = _snippet(body, pattern) if pattern is not None else (body[:SNIPPET_CHARS], ())
        found.append(
            (
                score,
                SearchHit(
                    article_id=article_id,
                    title=title,
                    sapo=sapo,
                    url=url,
                    outlet_name=outlet,
                    at=as_utc(when),
                    topic=topic,
                    sentiment=sentiment,
                    province=province,
                    story_id=story_id,
                    case_id=case_id,
                    priority=prio,
                    snippet=snippet,
                    marks=marks,
                ),
            )
        )
    found.sort(key=lambda pair: -pair[0])  # stable: newest first among equal scores
    page = found[query.offset : query.offset + query.limit]
    return SearchResult(hits=tuple(hit for _, hit in page), total=len(found))
