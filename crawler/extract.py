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
from crawler.urls import canonical_url, domain_of
from domain.text import normalize_vietnamese


class NotAnArticle(Exception):
    """The page has no article body (a home page, an error page, a gallery); the message says why."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Rules:
    """Per-outlet refinements (crawler/sources.yaml `extract:`)."""

    body: str | None = None
    drop: tuple[str, ...] = ()


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
)

# Class/id words that mark boilerplate inside an article body. Stems match inside a word, short words whole.
_BOILER_STEMS = re.compile(
    r"relate|lienquan|lien-quan|xemthem|xem-them|docthem|comment|binhluan|binh-luan|share|social|"
    r"banner|quangcao|advert|newsletter|subscribe|recommend|readmore|read-more|sidebar|breadcrumb|"
    r"toolbar|pagination|footer|author|byline|othernews|newsother|other_news|other-news|tinkhac|tin-khac|"
    r"tincungmuc|cungchuyenmuc|cung-chuyen-muc|mostview|most-view|xemnhieu|docnhieu|capnhat|morenews",
    re.IGNORECASE,
)
_BOILER_WORDS = {"tag", "tags", "ads", "ad", "vote", "rating", "print", "video", "box-tin"}
_CAPTION_STEMS = re.compile(r"caption|chuthich|chu-thich|image_desc|desc_image|^image$|^photo$", re.IGNORECASE)
# Not <form>: ASP.NET pages wrap the whole page in one.
_PRUNE_TAGS = ("script", "style", "noscript", "iframe", "aside", "nav", "button", "select")
_MIN_BODY_CHARS = 400

_BOILER_LINE = re.compile(
    r"^(>>|»|►|→|\*\s*)|^(xem thêm|xem tất cả|đọc thêm|tin liên quan|tin cùng chuyên mục|tin cùng mục|tin mới|"
    r"tin khác|bài viết khác|các tin khác|video\s*:|ảnh\s*:|clip\s*:|nguồn\s*:|mời (quý )?(bạn|độc giả)|"
    r"bạn đọc có thể|theo dõi .* trên|chia sẻ|bình luận|từ khóa|tags?\s*:)"
    r"|^(xem|đọc|phản hồi|bình luận) nhiều nhất|^tin nổi bật|^sự kiện|^[\d .()+-]{8,}$|^.{0,2}$"
    r"|^\[[^\]]{1,20}\]$|^-\s.{5,150}\(\d{1,2}/\d{1,2}(/\d{2,4})?\)$|^.{5,150}\sngày \d{1,2}/\d{1,2}/\d{4}$"
    r"|^(\S{1,3} \| ){3,}"
    r"|^((thứ \w+|chủ nhật)\s*,?\s*)?\d{1,2}/\d{1,2}/\d{4}[\s,|-]*(\d{1,2}[:h]\d{2}(:\d{2})?)?\s*(AM|PM)?"
    r"\s*(\(?GMT\s*\+\s*7\)?)?$",
    re.IGNORECASE,
)
# A page-header date stamp that text extraction glued to the lead: "Thứ Hai, 24/12/2012, 03:04 AM (GMT+7)".
_STAMP = re.compile(
    r"(thứ (hai|ba|tư|năm|sáu|bảy)|chủ nhật)\s*,\s*\d{1,2}/\d{1,2}/\d{4}(\s*,?\s*\d{1,2}:\d{2}(\s*(AM|PM))?)?"
    r"(\s*\(?GMT\s*\+\s*7\)?)?\s*",
    re.IGNORECASE,
)
# A lead paragraph as Vietnamese outlets write it: "(Dân trí) - …", "(TNO) …", "(NLĐO) - …".
_SOURCE_TAG = re.compile(r"^\([^()]{2,20}\)\s*[-–—]?\s*\S")
_DATE_PREFIX = re.compile(
    r"^((thứ \w+|chủ nhật)\s*,?\s*)?\d{1,2}/\d{1,2}/\d{4}[\s,|-]*(\d{1,2}[:h]\d{2}(:\d{2})?)?\s*(AM|PM)?"
    r"\s*(\(?GMT\s*\+\s*7\)?)?\s*",
    re.IGNORECASE,
)
_BYLINE_PREFIX = re.compile(r"^((tin|bài|ảnh|clip|video)(\s*(,|và|&)\s*(tin|bài|ảnh|clip|video))*\s*:\s*)", re.I)
_CREDIT = re.compile(r"^\(?theo\s+[^.]{2,60}\)?\.?$", re.IGNORECASE)
_NAME_PART = r"[A-ZĐÀ-Ỹ][\wÀ-ỹ.]*"
_NAME = rf"{_NAME_PART}(?:\s+{_NAME_PART}){{0,4}}"
_BYLINE = re.compile(rf"^\(?{_NAME}(?:\s*(?:[-–,&/]|\bvà\b)\s*{_NAME})*\)?\.?$")


def _classes(node: html.HtmlElement) -> str:
    return f"{node.get('class', '')} {node.get('id', '')}".strip()


def _is_boilerplate(node: html.HtmlElement) -> bool:
    marks = _classes(node)
    if not marks:
        return False
    return bool(_BOILER_STEMS.search(marks)) or any(w.lower() in _BOILER_WORDS for w in marks.split())


_BLOCKS = {
    "p",
    "div",
    "table",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "section",
    "article",
}


def _divs_as_paragraphs(body: html.HtmlElement) -> None:
    """Old CMSs write paragraphs as <div>text<br></div>; make them <p> so trafilatura keeps them."""
    for div in body.iter("div"):
        if not any(isinstance(c.tag, str) and c.tag.lower() in _BLOCKS for c in div) and len(div.text_content()) > 80:
            div.tag = "p"


def _centred_italic(node: html.HtmlElement) -> bool:
    """A centred paragraph all in italics: how many Vietnamese CMSs set a photo caption."""
    style = (node.get("style") or "").replace(" ", "").lower()
    if node.tag != "p" or not (node.get("align") == "center" or "text-align:center" in style):
        return False
    text = node.text_content().strip()
    if "font-style:italic" in style:
        return bool(text)
    italic = "".join(
        e.text_content() for e in node.iter("em", "i", "span") if e.tag != "span" or "italic" in (e.get("style") or "")
    )
    return bool(text) and len(italic.strip()) >= 0.9 * len(text)


def _is_caption(node: html.HtmlElement) -> bool:
    """A caption: marked as one, or a small block around a picture (the layout tables of older CMSs)."""
    if node.tag == "figcaption" or any(_CAPTION_STEMS.search(w) for w in _classes(node).split()):
        return True
    if _centred_italic(node):
        return True
    if node.tag in ("table", "div") and node.find(".//img") is not None:
        text = node.text_content().strip()
        return 0 < len(text) <= 250 and len(node.findall(".//p")) <= 2
    return False


@functools.lru_cache(maxsize=256)
def _compiled(selector: str) -> CSSSelector:
    try:
        return CSSSelector(selector)
    except Exception as exc:  # cssselect raises several types for a bad selector
        raise ValueError(f"bộ chọn CSS không hợp lệ {selector!r}: {exc}") from exc


def _select(tree: html.HtmlElement, selector: str) -> list[html.HtmlElement]:
    return cast(list[html.HtmlElement], _compiled(selector)(tree))


def _paragraph_chars(node: html.HtmlElement) -> int:
    return sum(len(p.text_content()) for p in node.iter("p"))


def find_body(tree: html.HtmlElement, rules: Rules) -> html.HtmlElement | None:
    if rules.body:
        found = _select(tree, rules.body)
        return max(found, key=_paragraph_chars) if found else None
    for selector in _BODY_SELECTORS:
        found = [n for n in _select(tree, selector) if len(n.text_content().strip()) >= 200]
        if found:
            return max(found, key=_paragraph_chars)
    return None


def _prune(body: html.HtmlElement, rules: Rules, keep_out: list[html.HtmlElement]) -> None:
    """Remove boilerplate; image captions too, unless they are the story (a photo story has no other text)."""
    headline = next((n for n in keep_out if n is not None and n.tag == "h1"), None)
    around_title = set(headline.iterancestors()) if headline is not None else set()
    doomed: list[html.HtmlElement] = [n for n in keep_out if n is not None]
    for selector in rules.drop:
        doomed.extend(_select(body, selector))
    for node in body.iter(*_PRUNE_TAGS):
        doomed.append(node)
    captions: list[html.HtmlElement] = []
    _divs_as_paragraphs(body)
    total = _paragraph_chars(body) or 1
    for node in body.iter():
        if node is body or not isinstance(node.tag, str):
            continue
        if _is_boilerplate(node):
            # A wrapper named after one of its boxes ("newsother" around the whole article) is not boilerplate.
            if _paragraph_chars(node) < 0.5 * total:
                doomed.append(node)
        elif _is_caption(node):
            captions.append(node)
    _remove(doomed)
    caption_set = set(captions)
    _remove([c for c in captions if not _tells_the_story(c, caption_set, around_title or {body})])


def _tells_the_story(
    caption: html.HtmlElement, captions: set[html.HtmlElement], around_title: set[html.HtmlElement]
) -> bool:
    """In a photo story the captions are the text: keep a caption when the article around it has no prose.

    The article around it is its nearest ancestor that also holds the headline.
    """
    context = next((a for a in caption.iterancestors() if a in around_title), None)
    if context is None:
        return False
    prose = sum(
        len(text)
        for p in context.iter("p")
        if p not in captions
        and not any(a in captions for a in p.iterancestors())
        and not _BOILER_LINE.match(text := p.text_content().strip())
    )
    return prose < _MIN_BODY_CHARS / 2


def _remove(doomed: list[html.HtmlElement]) -> None:
    for node in doomed:
        parent = node.getparent()
        if parent is not None:
            tail = node.tail
            parent.remove(node)
            if tail and tail.strip():  # keep text that follows the removed element
                previous = parent[-1] if len(parent) else None
                if previous is not None:
                    previous.tail = (previous.tail or "") + tail
                else:
                    parent.text = (parent.text or "") + tail


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


def _clean_lines(text: str, title: str, lead: str) -> tuple[list[str], list[str], str]:
    """Boilerplate lines out; returns (lines, trailing byline names, lead found in the text)."""
    lines: list[str] = []
    found_lead = ""
    # Layout tables come out as rows of cells joined by "|": each cell is a line of its own.
    for raw in re.split(r"\n| \| ", normalize_vietnamese(text)):
        line = raw.strip(" |")
        stamp = _STAMP.search(line) if len(lines) < 3 else None
        if stamp:
            line = line[stamp.end() :]
        elif _DATE_PREFIX.match(line):
            line = _DATE_PREFIX.sub("", line)
        if not line or line in (title, lead) or _BOILER_LINE.match(line):
            continue
        if lead and len(line) > 30 and line[:60] == lead[:60]:
            continue
        if not lines and not lead and not found_lead and _SOURCE_TAG.match(line):
            found_lead = line  # the lead paragraph, not marked up as one
            continue
        if lines and line == lines[-1]:
            continue
        lines.append(line)
    names: list[str] = []
    while lines and len(lines[-1]) <= 60 and len(lines[-1].split()) <= 8 and not lines[-1].endswith(("?", "!")):
        last = _BYLINE_PREFIX.sub("", lines[-1])
        without_initials = re.sub(r"\b[A-ZĐ]\.\s?", "", last.rstrip("."))
        if _CREDIT.match(last):
            lines.pop()
        elif _BYLINE.match(last) and not re.search(r"\d{3,}|[.:;]\s", without_initials):
            names[:0] = [n for n in re.split(r"\s*[-–,&]\s*|\s+và\s+", last.strip("() ")) if n]
            lines.pop()
        else:
            break
    return lines, names, found_lead


def extract(
    body: bytes,
    url: str | None = None,
    *,
    content_type: str | None = None,
    entry: Entry | None = None,
    rules: Rules | None = None,
    site_names: frozenset[str] = frozenset(),
) -> Extracted:
    """Extract one article page; raises NotAnArticle when the page has no article body."""
    rules = rules or Rules()
    page, charset = decode_html(body, content_type)
    try:
        tree = html.document_fromstring(page, parser=html.HTMLParser(remove_comments=True, remove_pis=True))
    except (etree.ParserError, ValueError) as exc:
        raise NotAnArticle(f"không đọc được HTML: {exc}") from exc
    page_body = cast(html.HtmlElement | None, tree.find("body"))
    container = find_body(tree, rules)
    # A page with a substantial article body is an article, whatever teasers surround it.
    if (container is None or _paragraph_chars(container) < _MIN_BODY_CHARS) and (
        reason := metadata.listing_reason(tree)
    ):
        raise NotAnArticle(reason)
    link = metadata.canonical_link(tree)
    canonical = canonical_url(link or url or (entry.url if entry else ""))
    sites = set(site_names) | metadata.site_names_of(tree, domain_of(canonical))
    title = metadata.find_title(tree)

    @functools.cache
    def head_text() -> str:  # the page's text, only when a fallback needs it (it costs a normalisation)
        return normalize_vietnamese(page_body.text_content()[:20000]) if page_body is not None else ""

    def near_title() -> str:
        at = max(head_text().find(title[:40]), 0) if title else 0
        return head_text()[at : at + 3000]

    lead_node = metadata.find_lead_node(tree, title)
    lead = metadata.find_lead(tree, lead_node, head_text)
    authors = metadata.find_authors(tree, sites)
    published = metadata.find_published(tree, near_title)

    scope = container if container is not None else page_body
    text_lines: list[str] = []
    names: list[str] = []
    if scope is not None:
        h1s = [h for h in scope.iter("h1")]
        _prune(scope, rules, [lead_node, *h1s] if lead_node is not None else h1s)
        text_lines, names, found_lead = _clean_lines(_body_text(scope, narrowed=container is not None), title, lead)
        lead = lead or found_lead
    if names:  # the visible byline beats page metadata, which often names the outlet
        authors = metadata.clean_names(names, sites) or authors
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
