"""Feeds, news sitemaps and listing pages: good entries out, problems named, nothing raised."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crawler.entries import parse_feed, parse_listing, parse_sitemap
from tests.conftest import shared_path

RSS = [
    "vnexpress-javascript0704b6.a.rss.xml",
    "vnexpress-javascript1102b3.source.rss.xml",
    "vnexpress-string1808.dataMock.rss.xml",
    "vnexpress-vnexpress2810.data.rss.xml",
]


@pytest.mark.parametrize("name", RSS)
def test_recorded_rss_files_yield_their_25_items(name: str) -> None:
    parsed = parse_feed(shared_path("fixtures", "rss", name).read_bytes(), "https://vnexpress.net/rss/tin-moi-nhat.rss")
    assert parsed.items_seen == 25
    usable = [e for e in parsed.entries if e.title]
    assert len(parsed.entries) + len(parsed.problems) == 25
    assert all(e.url.startswith("https://") and "vnexpress.net" in e.url for e in parsed.entries)
    assert all(e.published_at is not None and e.published_at.tzinfo == UTC for e in parsed.entries)
    assert all("<" not in e.summary and "img" not in e.summary for e in usable)


def test_the_empty_item_is_reported_not_dropped_silently() -> None:
    parsed = parse_feed(shared_path("fixtures", "rss", RSS[3]).read_bytes(), "https://vnexpress.net/rss/a.rss")
    assert len(parsed.entries) == 24
    assert parsed.problems == ["mục thứ 7 không có liên kết (tiêu đề '')"]


def test_first_entry_fields() -> None:
    parsed = parse_feed(shared_path("fixtures", "rss", RSS[0]).read_bytes(), "https://vnexpress.net/rss/a.rss")
    first = parsed.entries[0]
    assert first.title
    assert first.summary
    assert first.published_at is not None
    assert first.published_at.year == 2017


def test_malformed_xml_keeps_the_items_before_the_break() -> None:
    body = shared_path("fixtures", "rss", RSS[0]).read_bytes()
    cut = body[: body.index(b"<item>", len(body) // 2)] + "<item><title>Hỏng".encode()
    parsed = parse_feed(cut, "https://vnexpress.net/rss/a.rss")
    assert 5 <= len(parsed.entries) < 25
    assert any("XML lỗi" in p for p in parsed.problems)


def test_html_served_as_a_feed_is_named() -> None:
    page = shared_path("fixtures", "html", "dantri1.html").read_bytes()
    parsed = parse_feed(page, "https://dantri.com.vn/rss/phap-luat.rss", "text/html; charset=utf-8")
    assert parsed.entries == []
    assert parsed.problems == ["không phải RSS/Atom: máy chủ trả về trang HTML"]


@pytest.mark.parametrize("body", [b"", b"   ", b'<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>'])
def test_empty_feed_is_a_problem(body: bytes) -> None:
    parsed = parse_feed(body, "https://x.vn/rss")
    assert parsed.entries == []
    assert len(parsed.problems) == 1


def test_news_sitemap() -> None:
    body = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
 <url><loc>https://baophapluat.vn/cuong-che-thi-hanh-an-123.html?utm_source=sitemap</loc>
  <news:news><news:publication_date>2026-11-20T08:15:00+07:00</news:publication_date>
  <news:title>Cưỡng chế thi hành án tại Đồng Nai</news:title></news:news></url>
 <url><loc>https://baophapluat.vn/dau-gia-456.html</loc><lastmod>2026-11-21</lastmod></url>
</urlset>""".encode()
    parsed = parse_sitemap(body, "https://baophapluat.vn/sitemaps/news.xml")
    assert [e.url for e in parsed.entries] == [
        "https://baophapluat.vn/cuong-che-thi-hanh-an-123.html",
        "https://baophapluat.vn/dau-gia-456.html",
    ]
    assert parsed.entries[0].title == "Cưỡng chế thi hành án tại Đồng Nai"
    assert parsed.entries[0].published_at == datetime(2026, 11, 20, 1, 15, tzinfo=UTC)
    assert parsed.problems == []


def test_broken_sitemap_is_reported() -> None:
    body = b"<urlset><url><loc>https://x.vn/a-b-c-d-1234.html</loc></url><url><loc>"
    parsed = parse_sitemap(body, "https://x.vn/s")
    assert [e.url for e in parsed.entries] == ["https://x.vn/a-b-c-d-1234.html"]
    assert parsed.problems


@pytest.mark.parametrize(
    ("page", "base", "at_least"),
    [
        ("vnexpress.hompage.html", "https://vnexpress.net/", 40),
        ("soha.homepage.html", "https://soha.vn/", 40),
        ("genkvn.homepage.html", "https://genk.vn/", 40),
    ],
)
def test_listing_pages_give_article_links(page: str, base: str, at_least: int) -> None:
    parsed = parse_listing(shared_path("fixtures", "html", page).read_text(encoding="utf-8"), base, None)
    assert len(parsed.entries) >= at_least
    assert len({e.url for e in parsed.entries}) == len(parsed.entries)
    assert not any(e.url.rstrip("/") == base.rstrip("/") for e in parsed.entries)


def test_listing_link_pattern_narrows() -> None:
    page = shared_path("fixtures", "html", "thanhnien.homepage.html").read_text(encoding="utf-8")
    parsed = parse_listing(page, "https://thanhnien.vn/", r"/pages/\d{8}/[a-z0-9-]+\.aspx$")
    assert parsed.entries
    assert all("/pages/2012" in e.url for e in parsed.entries)
    nothing = parse_listing(page, "https://thanhnien.vn/", r"/khong-co-gi/")
    assert nothing.entries == []
    assert nothing.problems
