"""Article extraction: trafilatura on the article's own part of the page, plus the metadata of metadata.py.

The page is parsed once. The body container is narrowed first (a per-outlet selector from the registry, else
schema.org's articleBody or a common CMS body class), boilerplate inside it (captions, related links,
share/comment boxes, bylines) is pruned, and trafilatura extracts the text of what remains. Lines that are
still boilerplate by their wording ("Xem thêm", ">> …", credits) are dropped afterwards.
"""

from __future__ import annotations

import functools
import re
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any, cast

import trafilatura
from lxml import etree, html
from lxml.cssselect import CSSSelector

from crawler import metadata
from crawler.decode import decode_html
from crawler.entries import Entry
from crawler.lines import clean_lines
from crawler.prune import MIN_BODY_CHARS, paragraph_chars, prune
from crawler.removal import Reason, Removal
from crawler.rules import Rules
from crawler.urls import canonical_url, domain_of
from domain.text import tidy_text


class NotAnArticle(Exception):
    """The page has no article body (a home page, an error page, a gallery); the message says why."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Extracted:
    url: str  # canonical
    title: str
    lead: str
    text: str
    authors: tuple[str, ...]
    published_at: datetime | None
    charset: str
    from_feed: tuple[str, ...] = ()  # fields taken from the feed entry because the page lacked them

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["authors"] = list(self.authors)
        data["from_feed"] = list(self.from_feed)
        data["published_at"] = self.published_at.isoformat() if self.published_at else None
        return data


# Containers that CMSs of Vietnamese outlets (and many others) use for the article body, best first.
_BODY_SELECTORS = (
    '[itemprop="articleBody"]',
    "article.fck_detail, div.fck_detail",
    "div.detail-content, div.detail__content, div.detail-cmain, div.content-detail, div.detail_content",
    "div.singular-content, div.dt-news__content, div.the-article-body, div.knc-content, div.cms-body",
    "div.article-body, div.article__body, div.article-content, div.article__content, div.news-content",
    "div.entry-content, div.post-content, div.maincontent, div.main-content-detail, div#article_body",
    "div#abody, div#divNewsContent, div.content_detail, div.content-news-detail, div.newsbody",
    "div.text-content, div.text-conent, div.baiviet-container, div.cxtLeft",
    "blockquote.messageText",  # forums (XenForo): the first post
)


@functools.lru_cache(maxsize=256)
def _compiled(selector: str) -> CSSSelector:
    try:
        return CSSSelector(selector)
    except Exception as exc:  # cssselect raises several types for a bad selector
        raise ValueError(f"bộ chọn CSS không hợp lệ {selector!r}: {exc}") from exc


def _select(tree: html.HtmlElement, selector: str) -> list[html.HtmlElement]:
    return cast(list[html.HtmlElement], _compiled(selector)(tree))


def find_body(tree: html.HtmlElement, rules: Rules) -> html.HtmlElement | None:
    if rules.body:
        found = _select(tree, rules.body)
        return max(found, key=paragraph_chars) if found else None
    for selector in _BODY_SELECTORS:
        found = [n for n in _select(tree, selector) if len(n.text_content().strip()) >= 200]
        if found:
            return max(found, key=paragraph_chars)
    return None


def _describe(node: html.HtmlElement) -> str:
    marks = " ".join(f"{k}={v!r}" for k, v in node.attrib.items() if k in ("class", "id", "itemprop"))
    return f"<{node.tag} {marks}>".replace(" >", ">")


def _trace_extractor(scope: html.HtmlElement, text: str, trace: list[Removal]) -> None:
    """Blocks left after pruning whose words trafilatura did not return."""
    returned = re.sub(r"\s+", " ", text)
    for block in scope.iter("p", "li", "td", "blockquote"):
        words = " ".join(block.text_content().split())
        if words and words[:60] not in returned and not any(a.tag in ("p", "li") for a in block.iterancestors()):
            trace.append(Removal(Reason.EXTRACTOR, words, block.tag, block.sourceline))


def _body_text(body: html.HtmlElement, *, narrowed: bool) -> str:
    """trafilatura on the pruned body; its own paragraph walk only if trafilatura finds nothing.

    On a body container already narrowed down, trafilatura's fallback extractors (readability, jusText) have
    nothing left to rescue, so they are skipped (`fast`); on a whole page they still run.
    """
    if body.tag == "body":
        wrapper = body.getroottree().getroot()
    else:
        wrapper = html.fromstring("<html><body></body></html>")
        holder = wrapper.find("body")
        assert holder is not None
        holder.append(body)
    text = trafilatura.extract(
        wrapper,
        fast=narrowed,
        include_comments=False,
        include_tables=True,
        include_images=False,
        deduplicate=False,
    )
    if text and len(text) >= 40:
        return str(text)
    blocks = [b.text_content() for b in body.iter("p", "h2", "h3", "h4", "li", "blockquote")]
    return "\n".join(b for b in blocks if b.strip()) or body.text_content()


def extract(
    body: bytes,
    url: str | None = None,
    *,
    content_type: str | None = None,
    entry: Entry | None = None,
    rules: Rules | None = None,
    site_names: frozenset[str] = frozenset(),
    trace: list[Removal] | None = None,
) -> Extracted:
    """Extract one article page; raises NotAnArticle when the page has no article body.

    With `trace`, every block and line left out is appended to it with its reason (`extract --explain`).
    """
    rules = rules or Rules()
    page, charset = decode_html(body, content_type)
    try:
        tree = html.document_fromstring(page, parser=html.HTMLParser(remove_comments=True, remove_pis=True))
    except (etree.ParserError, ValueError) as exc:
        raise NotAnArticle(f"không đọc được HTML: {exc}") from exc
    page_body = cast(html.HtmlElement | None, tree.find("body"))
    container = find_body(tree, rules)
    # A page with a substantial article body is an article, whatever teasers surround it.
    if (container is None or paragraph_chars(container) < MIN_BODY_CHARS) and (reason := metadata.listing_reason(tree)):
        raise NotAnArticle(reason)
    link = metadata.canonical_link(tree)
    canonical = canonical_url(link or url or (entry.url if entry else ""))
    sites = set(site_names) | metadata.site_names_of(tree, domain_of(canonical))
    title = metadata.find_title(tree)

    @functools.cache
    def head_text() -> str:  # the page's text, only when a fallback needs it (it costs a normalisation)
        return tidy_text(page_body.text_content()[:20000]) if page_body is not None else ""

    lead_node = metadata.find_lead_node(tree, title)
    lead = metadata.find_lead(tree, lead_node, head_text)
    authors = metadata.find_authors(tree, sites)
    published = metadata.find_published(tree, head_text, title)

    scope = container if container is not None else page_body
    text_lines: list[str] = []
    names: list[str] = []
    if scope is not None:
        keep_out = [(h, Reason.HEADLINE) for h in scope.iter("h1")]
        if lead_node is not None:
            keep_out.append((lead_node, Reason.LEAD))
        drop = [n for selector in rules.drop for n in _select(scope, selector)]
        prune(scope, drop=drop, keep_out=keep_out, trace=trace)
        if trace is not None:
            trace.append(Removal(Reason.KEPT_BODY, "", _describe(scope)))
        raw = _body_text(scope, narrowed=container is not None)
        if trace is not None:
            _trace_extractor(scope, raw, trace)
        text_lines, names, found_lead = clean_lines(raw, title, lead, trace)
        lead = lead or found_lead
    # The visible byline beats page metadata, which often names the outlet.
    signature = metadata.find_signature(scope) if scope is not None and not names else []
    if names or signature:
        authors = metadata.clean_names(names or signature, sites) or authors
    text = "\n".join(text_lines)

    from_feed: list[str] = []
    if entry is not None:
        if not title and entry.title:
            title, from_feed = entry.title, [*from_feed, "title"]
        if not lead and entry.summary:
            lead, from_feed = entry.summary, [*from_feed, "lead"]
        if not authors and entry.authors:
            authors, from_feed = entry.authors, [*from_feed, "authors"]
        if published is None and entry.published_at is not None:
            published, from_feed = entry.published_at, [*from_feed, "published_at"]
    if not title:
        raise NotAnArticle("trang không có tiêu đề bài viết")
    if len(text) < (40 if lead else 250):  # a photo post may have a lead and one line
        if entry is not None and entry.summary and len(text) < len(entry.summary):
            text, from_feed = entry.summary, [*from_feed, "text"]
        else:
            raise NotAnArticle(f"trang không có thân bài (chỉ {len(text)} ký tự văn bản)")
    return Extracted(
        url=canonical,
        title=title,
        lead=lead,
        text=text,
        authors=authors,
        published_at=published,
        charset=charset,
        from_feed=tuple(from_feed),
    )
