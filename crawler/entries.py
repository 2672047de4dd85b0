"""What a feed, a news sitemap or a listing page says about its articles, parsed from the response bytes.

Each parser returns the good entries and the problems it met; a broken document yields what could be
recovered plus a reason, never an exception, so one bad feed never stops the crawl.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import cast
from urllib.parse import urljoin, urlsplit

import feedparser
from lxml import etree, html

from crawler.urls import canonical_url, domain_of
from domain.text import tidy_text


@dataclass(frozen=True, slots=True, kw_only=True)
class Entry:
    """One article as announced by its feed: fallback fields for extraction."""

    url: str  # canonical
    title: str = ""
    summary: str = ""
    authors: tuple[str, ...] = ()
    published_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Parsed:
    entries: list[Entry]  # the usable ones
    problems: list[str] = field(default_factory=list)
    items_seen: int = 0  # items in the document, usable or not


_TAG = re.compile(r"<[^>]+>")


def _plain(markup: str) -> str:
    """Text of an HTML fragment (feed descriptions carry teaser images and links)."""
    if "<" not in markup:
        return tidy_text(markup)
    try:
        text = html.fragment_fromstring(markup, create_parent="div").text_content()
    except (etree.ParserError, ValueError):
        text = _TAG.sub(" ", markup)
    return tidy_text(text)


def _struct_time(value: object) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return None


def _looks_like_html(body: bytes, content_type: str | None) -> bool:
    head = body[:512].lstrip().lower()
    return (content_type or "").startswith("text/html") or head.startswith((b"<!doctype html", b"<html"))


def parse_feed(body: bytes, base_url: str, content_type: str | None = None) -> Parsed:
    """RSS 0.9x/1.0/2.0 or Atom, through feedparser."""
    if not body.strip():
        return Parsed([], ["nguồn tin trống (không có nội dung)"])
    headers = {"content-location": base_url, "content-type": content_type or "application/xml"}
    parsed = feedparser.parse(body, response_headers=headers)
    problems: list[str] = []
    if not parsed.entries and _looks_like_html(body, content_type):
        return Parsed([], ["không phải RSS/Atom: máy chủ trả về trang HTML"])
    if parsed.bozo:
        problems.append(f"XML lỗi: {parsed.bozo_exception}")
    entries: list[Entry] = []
    for position, item in enumerate(parsed.entries, 1):
        link = item.get("link") or item.get("id")
        if not link or not str(link).startswith(("http://", "https://", "/")):
            problems.append(f"mục thứ {position} không có liên kết (tiêu đề {item.get('title', '')!r})")
            continue
        authors = tuple(a["name"] for a in item.get("authors", []) if a.get("name"))
        entries.append(
            Entry(
                url=canonical_url(urljoin(base_url, str(link))),
                title=_plain(item.get("title", "")),
                summary=_plain(item.get("summary", "")),
                authors=authors,
                published_at=_struct_time(item.get("published_parsed")),
                updated_at=_struct_time(dict.get(item, "updated_parsed")),  # .get() would warn and fall back
            )
        )
    if not entries and not problems:
        problems.append("nguồn tin không có mục nào")
    return Parsed(entries, problems, len(parsed.entries))


_NS_NEWS = "http://www.google.com/schemas/sitemap-news/0.9"


def _iso(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.astimezone(UTC) if parsed.tzinfo else None


def parse_sitemap(body: bytes, base_url: str) -> Parsed:
    """A (news) sitemap: <url><loc/><lastmod/><news:news><news:title/><news:publication_date/></news:news></url>."""
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(body, parser=parser)
    except etree.XMLSyntaxError as exc:
        return Parsed([], [f"sitemap không đọc được: {exc}"])
    if root is None:
        return Parsed([], ["sitemap trống hoặc không phải XML"])
    problems = [f"XML lỗi: {e.message} (dòng {e.line})" for e in parser.error_log][:3]
    entries: list[Entry] = []
    for node in root.iter("{*}url"):
        loc = node.findtext("{*}loc")
        if not loc:
            continue
        news = node.find(f"{{{_NS_NEWS}}}news")
        title = news.findtext(f"{{{_NS_NEWS}}}title") if news is not None else None
        published = news.findtext(f"{{{_NS_NEWS}}}publication_date") if news is not None else None
        entries.append(
            Entry(
                url=canonical_url(urljoin(base_url, loc.strip())),
                title=tidy_text(title or ""),
                published_at=_iso(published),
                updated_at=_iso(node.findtext("{*}lastmod")),
            )
        )
    if not entries:
        problems.append("sitemap không có URL nào")
    return Parsed(entries, problems, len(entries))


def parse_listing(page: str, base_url: str, link_pattern: str | None) -> Parsed:
    """Article links of a listing page (home or section page), in page order, once each."""
    try:
        tree = html.fromstring(page)
    except (etree.ParserError, ValueError) as exc:
        return Parsed([], [f"trang danh sách không đọc được: {exc}"])
    pattern = re.compile(link_pattern) if link_pattern else None
    seen: set[str] = set()
    entries: list[Entry] = []
    for anchor in tree.iter("a"):
        href = anchor.get("href")
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        absolute = urljoin(base_url, href.strip())
        if pattern is not None and not pattern.search(absolute):
            continue
        if pattern is None and not _looks_like_article_link(absolute, base_url):
            continue
        url = canonical_url(absolute)
        if url in seen:
            continue
        seen.add(url)
        entries.append(Entry(url=url, title=tidy_text(cast(html.HtmlElement, anchor).text_content())))
    if not entries:
        return Parsed([], ["trang danh sách không có liên kết bài viết nào khớp mẫu"])
    return Parsed(entries, [], len(entries))


_SLUG = re.compile(r"(?:^|/)[a-z0-9]+(?:-[a-z0-9]+){3,}", re.IGNORECASE)
_NUMBER = re.compile(r"\d{4,}")


def _looks_like_article_link(url: str, base_url: str) -> bool:
    """Without a pattern: same site, a slug of four words or more and a date or numeric id in the path,
    as Vietnamese outlets write article URLs (…/ten-bai-viet-4954454.html, …/2012/12/ten-bai-viet/)."""
    path = urlsplit(url).path
    return domain_of(url) == domain_of(base_url) and bool(_SLUG.search(path)) and bool(_NUMBER.search(path))
