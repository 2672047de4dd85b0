"""Queries on articles and their evidence snapshots."""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import replace
from datetime import datetime
from typing import cast

from sqlalchemy import Table, bindparam, func, insert, select
from sqlalchemy.orm import Session

from domain.records import Article, Snapshot
from storage.tables import ArticleRow, SnapshotRow
from storage.types import as_utc


def article_record(row: ArticleRow) -> Article:
    return Article(
        id=row.id,
        outlet_id=row.outlet_id,
        feed_id=row.feed_id,
        url=row.url,
        title=row.title,
        sapo=row.sapo,
        text=row.text,
        authors=tuple(row.authors),
        published_at=as_utc(row.published_at),
        fetched_at=as_utc(row.fetched_at),
        content_hash=row.content_hash,
    )


def snapshot_record(row: SnapshotRow) -> Snapshot:
    return Snapshot(
        id=row.id,
        article_id=row.article_id,
        url=row.url,
        fetched_at=as_utc(row.fetched_at),
        http_status=row.http_status,
        sha256=row.sha256,
        content_hash=row.content_hash,
        html_gz=row.html_gz,
    )


# Prebuilt Core statements for the crawler's hot path: built once, compiled once (SQLAlchemy's cache), executed with
# a parameter dict. Building `insert(ArticleRow).values(...)` per article cost more than the insert itself.
_ARTICLES = cast(Table, ArticleRow.__table__)
_SNAPSHOTS = cast(Table, SnapshotRow.__table__)
_INSERT_ARTICLE = insert(_ARTICLES).returning(_ARTICLES.c.id)
_INSERT_SNAPSHOT = insert(_SNAPSHOTS).returning(_SNAPSHOTS.c.id)
_TWIN = (
    select(_ARTICLES.c.id, _ARTICLES.c.url)
    .where(_ARTICLES.c.content_hash == bindparam("content_hash"), _ARTICLES.c.outlet_id == bindparam("outlet_id"))
    .order_by(_ARTICLES.c.id)
    .limit(1)
)


def add_article(session: Session, article: Article, *, known_new: bool = False) -> tuple[Article, bool]:
    """Store the article unless one with the same canonical URL exists; returns (stored, inserted).

    `known_new`: the caller has just checked that the URL is not stored (the crawler's hot path); the unique
    constraint still guards it.
    """
    existing = None if known_new else session.scalar(select(ArticleRow).where(ArticleRow.url == article.url))
    if existing is not None:
        return article_record(existing), False
    new_id = (
        session.connection()
        .execute(
            _INSERT_ARTICLE,
            {
                "outlet_id": article.outlet_id,
                "feed_id": article.feed_id,
                "url": article.url,
                "title": article.title,
                "sapo": article.sapo,
                "text": article.text,
                "authors": list(article.authors),
                "published_at": article.published_at,
                "fetched_at": article.fetched_at,
                "content_hash": article.content_hash,
            },
        )
        .scalar_one()
    )
    return replace(
        article, id=new_id, fetched_at=as_utc(article.fetched_at), published_at=as_utc(article.published_at)
    ), True


def get_article(session: Session, article_id: int) -> Article | None:
    row = session.get(ArticleRow, article_id)
    return None if row is None else article_record(row)


def find_article_by_url(session: Session, url: str) -> Article | None:
    row = session.scalar(select(ArticleRow).where(ArticleRow.url == url))
    return None if row is None else article_record(row)


def find_twin(session: Session, content_hash: str, outlet_id: int) -> tuple[int, str] | None:
    """(id, URL) of the outlet's first article with this content hash: the same article under another URL."""
    row = session.connection().execute(_TWIN, {"content_hash": content_hash, "outlet_id": outlet_id}).first()
    return None if row is None else (row.id, row.url)


def find_articles_by_hash(session: Session, content_hash: str) -> list[Article]:
    rows = session.scalars(select(ArticleRow).where(ArticleRow.content_hash == content_hash).order_by(ArticleRow.id))
    return [article_record(r) for r in rows]


def add_snapshot(
    session: Session,
    *,
    article_id: int,
    url: str,
    html: bytes,
    content_hash: str,
    fetched_at: datetime,
    http_status: int = 200,
    first: bool = False,
) -> tuple[Snapshot, bool]:
    """Keep the raw page as evidence; the same bytes for the same article are stored once.

    `first`: the article was just created, so it has no snapshot yet. Returns (snapshot, inserted).
    """
    digest = hashlib.sha256(html).hexdigest()
    existing = None
    if not first:
        existing = session.scalar(
            select(SnapshotRow).where(SnapshotRow.article_id == article_id, SnapshotRow.sha256 == digest)
        )
    if existing is not None:
        return snapshot_record(existing), False
    snapshot = Snapshot(
        article_id=article_id,
        url=url,
        fetched_at=as_utc(fetched_at),
        http_status=http_status,
        sha256=digest,
        content_hash=content_hash,
        html_gz=gzip.compress(html, compresslevel=6, mtime=0),
    )
    values = {
        k: getattr(snapshot, k)
        for k in ("article_id", "url", "fetched_at", "http_status", "sha256", "content_hash", "html_gz")
    }
    new_id = session.connection().execute(_INSERT_SNAPSHOT, values).scalar_one()
    return replace(snapshot, id=new_id), True


def list_snapshots(session: Session, article_id: int) -> list[Snapshot]:
    """Snapshots of one article, first captured first."""
    rows = session.scalars(
        select(SnapshotRow).where(SnapshotRow.article_id == article_id).order_by(SnapshotRow.fetched_at, SnapshotRow.id)
    )
    return [snapshot_record(r) for r in rows]


def last_fetched(session: Session, urls: list[str]) -> dict[str, datetime]:
    """For the URLs already stored: when each was last fetched (its newest snapshot, else the article)."""
    found: dict[str, datetime] = {}
    for start in range(0, len(urls), 500):  # keep IN lists short for both backends
        chunk = urls[start : start + 500]
        rows = session.execute(
            select(ArticleRow.url, ArticleRow.fetched_at, func.max(SnapshotRow.fetched_at))
            .outerjoin(SnapshotRow, SnapshotRow.article_id == ArticleRow.id)
            .where(ArticleRow.url.in_(chunk))
            .group_by(ArticleRow.id, ArticleRow.url, ArticleRow.fetched_at)
        )
        for url, fetched_at, snapshot_at in rows:
            found[url] = as_utc(snapshot_at) if snapshot_at is not None else as_utc(fetched_at)
    return found


def update_article_content(session: Session, article_id: int, revised: Article) -> Article:
    """The outlet edited the article: keep the newest wording (every version stays in its snapshots)."""
    row = session.get(ArticleRow, article_id)
    if row is None:
        raise LookupError(f"article {article_id} does not exist")
    row.title = revised.title
    row.sapo = revised.sapo
    row.text = revised.text
    row.authors = list(revised.authors)
    row.content_hash = revised.content_hash
    if revised.published_at is not None:
        row.published_at = revised.published_at
    session.flush()
    return article_record(row)


def count_articles(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(ArticleRow)) or 0)
