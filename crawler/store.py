"""From a fetched page to stored records: extraction result → article, snapshot and crawl log."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Literal

from sqlalchemy.orm import Session

from crawler.extract import Extracted, NotAnArticle, extract
from crawler.items import Fetched
from crawler.rules import Rules
from domain.enums import WatchState
from domain.records import Article, FeedEvent
from domain.text import normalize_vietnamese
from domain.watch import ArticleChange
from storage.articles import (
    add_article,
    add_snapshot,
    find_article_by_url,
    find_twin,
    update_article_content,
)
from storage.engine import Database
from storage.feeds import add_event
from storage.settings import StorageSettings
from storage.watch import cases_of_article, record_change

Outcome = Literal["new", "edited", "unchanged", "duplicate", "rejected"]


@dataclass(frozen=True, slots=True)
class Stored:
    outcome: Outcome
    url: str
    article_id: int | None = None
    reason: str | None = None


def content_hash(title: str, text: str) -> str:
    """SHA-256 of the normalised headline and body: equal for the same wording, whatever the markup or tone
    placement (hoà = hòa)."""
    return hashlib.sha256(normalize_vietnamese(f"{title}\n{text}").encode()).hexdigest()


def extract_fetched(fetched: Fetched, rules: Rules, site_names: frozenset[str]) -> Extracted | str:
    """Extraction result, or the reason the page is not an article (a picklable top-level function)."""
    try:
        return extract(
            fetched.body,
            fetched.url,
            content_type=fetched.content_type,
            entry=fetched.entry,
            rules=rules,
            site_names=site_names,
        )
    except NotAnArticle as exc:
        return str(exc)


_worker_database: Database | None = None


def extract_and_store(fetched: Fetched, rules: Rules, site_names: frozenset[str], storage: StorageSettings) -> Stored:
    """Extraction and storage of one page, in an extraction worker process (a top-level, picklable function).

    Each worker opens its own connection once; doing the storage there too keeps the crawler process free
    for network I/O.
    """
    global _worker_database
    if _worker_database is None:
        _worker_database = Database.from_settings(storage)
    result = extract_fetched(fetched, rules, site_names)
    with _worker_database.session() as session:
        return store(session, fetched, result)


def store(session: Session, fetched: Fetched, result: Extracted | str) -> Stored:
    """Write one extraction result; a re-fetch of a known article adds a snapshot only when it changed."""
    if isinstance(result, str):
        add_event(session, _event(fetched, ok=False, reason=f"không phải bài viết: {result}"))
        return Stored("rejected", fetched.url, reason=result)
    digest = content_hash(result.title, result.text)
    article = Article(
        outlet_id=fetched.outlet_id,
        feed_id=fetched.feed_id,
        url=result.url,
        title=result.title,
        sapo=result.lead,
        text=result.text,
        authors=result.authors,
        published_at=result.published_at,
        fetched_at=fetched.fetched_at,
        content_hash=digest,
    )
    fresh = not fetched.known and result.url == fetched.url  # the hot path: three statements
    known = None if fresh else find_article_by_url(session, result.url)
    if known is None and not fresh and result.url != fetched.url:
        known = find_article_by_url(session, fetched.url)
    if known is None:
        twin = find_twin(session, digest, fetched.outlet_id)
        if twin is not None:  # the same article under a second URL of the same outlet
            return Stored("duplicate", result.url, twin[0], reason=f"trùng nội dung với {twin[1]}")
        known, _ = add_article(session, article, known_new=fresh)
        assert known.id is not None
        _snapshot(session, known.id, fetched, digest, first=True)
        return Stored("new", known.url, known.id)
    assert known.id is not None
    snapshot_id = _snapshot(session, known.id, fetched, digest)  # new bytes are kept even when the text is the same
    if known.content_hash != digest:
        update_article_content(session, known.id, article)
        if cases_of_article(session, known.id):
            # An article of a case edited under the crawler's eyes is the same evidence the re-check keeps
            # (crawler/recheck.py): the change, with both wordings, for the case page and the focal points. The
            # re-check then compares with this wording, so the edit is told once whichever pass saw it first.
            record_change(
                session,
                ArticleChange(
                    article_id=known.id,
                    at=fetched.fetched_at,
                    kind=WatchState.EDITED,
                    http_status=fetched.status,
                    snapshot_id=snapshot_id,
                    old_title=known.title,
                    new_title=result.title,
                    old_text=known.text,
                    new_text=result.text,
                ),
            )
        return Stored("edited", known.url, known.id)
    return Stored("unchanged", known.url, known.id)


def _snapshot(session: Session, article_id: int, fetched: Fetched, digest: str, *, first: bool = False) -> int | None:
    snapshot, _ = add_snapshot(
        session,
        article_id=article_id,
        url=fetched.url,
        html=fetched.body,
        content_hash=digest,
        fetched_at=fetched.fetched_at,
        http_status=fetched.status,
        first=first,
    )
    return snapshot.id


def _event(fetched: Fetched, *, ok: bool, reason: str | None = None) -> FeedEvent:
    return FeedEvent(
        feed_id=fetched.feed_id,
        at=fetched.fetched_at,
        ok=ok,
        stage="article",
        url=fetched.url,
        http_status=fetched.status,
        reason=reason,
        items_seen=1,
    )
