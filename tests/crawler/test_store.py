"""From an extracted page to stored records, on both backends: the crawler's hot path (prebuilt Core statements)
decides new / duplicate / unchanged / edited as the rest of the application reads them back."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from crawler.extract import Extracted
from crawler.items import Fetched
from crawler.rules import Rules
from crawler.store import Stored, extract_fetched, store
from domain.records import Feed, FeedKind, Outlet, OutletKind
from storage.articles import find_article_by_url, list_snapshots
from storage.engine import Database
from storage.outlets import upsert_feed, upsert_outlet
from tests.crawler.recorded import load_golds

AT = datetime(2026, 11, 20, 8, 30, tzinfo=UTC)


def _feed(database: Database, slug: str, name: str) -> tuple[int, int]:
    """(outlet id, feed id) of a new outlet with one RSS feed."""
    with database.session() as s:
        outlet = upsert_outlet(s, Outlet(slug=slug, name=name, domain=f"{slug}.vn", kind=OutletKind.NATIONAL))
        assert outlet.id is not None
        feed = upsert_feed(s, Feed(outlet_id=outlet.id, url=f"https://{slug}.vn/rss/phap-luat.rss", kind=FeedKind.RSS))
    assert feed.id is not None
    return outlet.id, feed.id


def _page() -> tuple[bytes, Extracted]:
    gold = next(g for g in load_golds() if g.url)
    assert gold.url is not None
    fetched = Fetched(feed_id=0, outlet_id=0, url=gold.url, body=gold.html(), fetched_at=AT)
    result = extract_fetched(fetched, rules=Rules(), site_names=frozenset())
    assert isinstance(result, Extracted), result
    return gold.html(), result


def test_a_real_page_is_new_then_a_duplicate_elsewhere_then_unchanged_then_edited(database: Database) -> None:
    body, result = _page()
    thads = _feed(database, "baophapluat", "Báo Pháp luật Việt Nam")
    other = _feed(database, "tuoitre", "Tuổi Trẻ")

    def put(outlet: tuple[int, int], extracted: Extracted, *, known: bool, html: bytes = body) -> Stored:
        fetched = Fetched(
            feed_id=outlet[1],
            outlet_id=outlet[0],
            url=extracted.url,
            body=html,
            fetched_at=AT,
            known=known,
        )
        with database.session() as s:
            return store(s, fetched, extracted)

    first = put(thads, result, known=False)
    assert first.outcome == "new"
    second_url = replace(result, url=result.url + "?utm_source=rss")
    twin = put(thads, second_url, known=False)
    assert (twin.outcome, twin.article_id) == ("duplicate", first.article_id)
    assert twin.reason == f"trùng nội dung với {result.url}"
    assert put(other, second_url, known=False).outcome == "new"  # the same wording at another outlet is its own
    assert put(thads, result, known=True).outcome == "unchanged"
    edited = replace(result, text=result.text + "\nCập nhật: Chi cục Thi hành án dân sự đã có văn bản phản hồi.")
    assert put(thads, edited, known=True, html=body + b"<!-- sua -->").outcome == "edited"
    with database.session() as s:
        article = find_article_by_url(s, result.url)
        assert article is not None
        assert article.id == first.article_id
        assert (article.title, article.authors, article.published_at) == (
            result.title,
            result.authors,
            result.published_at,
        )
        assert article.text.endswith("đã có văn bản phản hồi.")
        snapshots = list_snapshots(s, first.article_id or 0)
    assert [snap.html for snap in snapshots] == [body, body + b"<!-- sua -->"]  # the unchanged re-fetch: same bytes
