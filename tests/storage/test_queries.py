"""Query functions on both backends, with Vietnamese text."""

from __future__ import annotations

import hashlib
import unicodedata
from datetime import UTC, datetime

from sqlalchemy import text

from domain.records import Article, Feed, FeedKind, Outlet, OutletKind
from storage.articles import (
    add_article,
    add_snapshot,
    find_article_by_url,
    find_articles_by_hash,
    get_article,
    list_snapshots,
)
from storage.engine import Database
from storage.outlets import get_outlet, list_feeds, list_outlets, upsert_feed, upsert_outlet

NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)
TEXT = unicodedata.normalize(
    "NFC",
    "Ngày 20/11, Thi hành án dân sự TP. Hồ Chí Minh phối hợp tổ chức cưỡng chế giao nhà "
    "theo Bản án số 12/2019/DS-ST; khoản tiền 1,2 tỷ đồng đã được thu hồi.",
)


def _outlet(db: Database) -> Outlet:
    with db.session() as s:
        return upsert_outlet(
            s,
            Outlet(slug="tuoitre", name="Tuổi Trẻ", domain="tuoitre.vn", kind=OutletKind.NATIONAL, reach_tier=1),
        )


def test_outlet_upsert_is_idempotent_and_updates(database: Database) -> None:
    first = _outlet(database)
    with database.session() as s:
        again = upsert_outlet(
            s,
            Outlet(
                slug="tuoitre",
                name="Báo Tuổi Trẻ",
                domain="tuoitre.vn",
                kind=OutletKind.NATIONAL,
                reach_tier=1,
            ),
        )
        assert again.id == first.id
        assert [o.name for o in list_outlets(s)] == ["Báo Tuổi Trẻ"]
        assert get_outlet(s, "khong-co") is None


def test_feed_upsert_keeps_crawl_state(database: Database) -> None:
    outlet = _outlet(database)
    assert outlet.id is not None
    feed = Feed(outlet_id=outlet.id, url="https://tuoitre.vn/rss/phap-luat.rss", kind=FeedKind.RSS)
    with database.session() as s:
        stored = upsert_feed(s, feed)
        s.execute(
            text("UPDATE feed SET etag = :e WHERE id = :i"),
            {"e": '"abc"', "i": stored.id},
        )
    with database.session() as s:
        upsert_feed(s, Feed(outlet_id=outlet.id, url=feed.url, kind=FeedKind.RSS, poll_interval_s=300))
        (listed,) = list_feeds(s, outlet_id=outlet.id, enabled_only=True)
    assert listed.poll_interval_s == 300
    assert listed.etag == '"abc"'


def test_article_is_stored_once_per_canonical_url(database: Database) -> None:
    outlet = _outlet(database)
    assert outlet.id is not None
    article = Article(
        outlet_id=outlet.id,
        url="https://tuoitre.vn/cuong-che-giao-nha-20261120.htm",
        title="Cưỡng chế giao nhà theo bản án",
        sapo="Thi hành án dân sự TP. Hồ Chí Minh tổ chức cưỡng chế.",
        text=TEXT,
        authors=("Nguyễn Văn Ánh", "Trần Thị Hòa"),
        published_at=NOW,
        fetched_at=NOW,
        content_hash=hashlib.sha256(TEXT.encode()).hexdigest(),
    )
    with database.session() as s:
        stored, inserted = add_article(s, article)
        again, inserted_again = add_article(s, article)
    assert inserted
    assert not inserted_again
    assert again.id == stored.id
    with database.session() as s:
        loaded = get_article(s, stored.id or 0)
        assert loaded == stored
        assert find_article_by_url(s, article.url) == stored
        assert find_articles_by_hash(s, article.content_hash) == [stored]
    assert loaded is not None
    assert loaded.text == TEXT
    assert loaded.authors == article.authors


def test_snapshot_keeps_the_raw_page_verbatim(database: Database) -> None:
    outlet = _outlet(database)
    assert outlet.id is not None
    html = f"<html><head><meta charset='utf-8'></head><body><p>{TEXT}</p></body></html>".encode()
    with database.session() as s:
        article, _ = add_article(
            s,
            Article(
                outlet_id=outlet.id,
                url="https://tuoitre.vn/a.htm",
                title="T",
                text=TEXT,
                content_hash="a" * 64,
                fetched_at=NOW,
            ),
        )
        assert article.id is not None
        first, inserted = add_snapshot(
            s, article_id=article.id, url=article.url, html=html, content_hash="a" * 64, fetched_at=NOW
        )
        same, inserted_again = add_snapshot(
            s, article_id=article.id, url=article.url, html=html, content_hash="a" * 64, fetched_at=NOW
        )
        edited, inserted_edit = add_snapshot(
            s,
            article_id=article.id,
            url=article.url,
            html=html.replace(b"1,2", b"1,5"),
            content_hash="b" * 64,
            fetched_at=NOW.replace(hour=9),
        )
    assert inserted
    assert not inserted_again
    assert inserted_edit
    assert same.id == first.id
    assert first.html == html
    assert first.sha256 == hashlib.sha256(html).hexdigest()
    assert len(first.html_gz) < len(html) + 64
    with database.session() as s:
        assert [x.id for x in list_snapshots(s, article.id)] == [first.id, edited.id]
