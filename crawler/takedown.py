"""Recognising that an outlet took an article down, from evidence only: where a redirect led (the home page, a
section page) and what a page that answers 200 says (the outlet's "not found" page).

A redirect to another article-like address (a new slug, https, a mobile host) is not a takedown: the page there
is read and compared like any other. A page with no article text is a "not found" page only when it says so
(a not-found phrase in its title or headings, or the outlet's own `not_found:` marker from the registry); a short
or unreadable page that says nothing of the kind is not guessed to be one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import cast
from urllib.parse import parse_qsl, urlsplit

from lxml import etree, html

from crawler.decode import decode_html
from crawler.urls import canonical_url
from domain.enums import TakedownReason
from domain.text import fold_diacritics

# What outlets' not-found pages say (folded: no diacritics, lower case): in the title, a heading or a short
# block of a page; the bare codes only in the title or a heading (a licence number "404/GP" is no evidence).
NOT_FOUND_PHRASES = (
    "khong ton tai",
    "khong con ton tai",
    "khong tim thay",
    "da bi xoa",
    "da bi go",
    "da go bo",
    "page not found",
)
NOT_FOUND_CODES = ("404", "not found")
SHORT_BLOCK_CHARS = 300
_ARTICLE_SUFFIX = re.compile(r"\.(html?|aspx|php|shtml|chn|ldo|tpo|vnp|epi)$", re.IGNORECASE)
_ID_RUN = re.compile(r"\d{5,}")
_ID_PARAM = re.compile(r"^(id|itemid|newsid|articleid|p|aid|nid)$", re.IGNORECASE)


def is_home(url: str) -> bool:
    """The site's root, whatever the query says of tracking."""
    parts = urlsplit(canonical_url(url))
    return parts.path in ("", "/") and not parts.query


def is_article_like(url: str) -> bool:
    """An address that names one article: a page file (.html, .aspx…), a long numeric id, an id parameter, or a
    slug of four words or more."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    if any(_ID_PARAM.match(k) and v.strip().isdigit() for k, v in parse_qsl(parts.query)):
        return True
    if not segments:
        return False
    last = segments[-1]
    return bool(
        _ARTICLE_SUFFIX.search(last) or _ID_RUN.search(parts.path) or any(len(s.split("-")) >= 4 for s in segments)
    )


def redirect_reason(original: str, final: str, sections: Iterable[str] = ()) -> TakedownReason | None:
    """Why a redirect from `original` to `final` means the article is gone: the home page, a page the registry
    lists as a section or feed, or a short address with no article in it. None when `final` may be the article."""
    if canonical_url(final) == canonical_url(original):
        return None
    if is_home(final):
        return TakedownReason.REDIRECT_HOME
    if canonical_url(final) in {canonical_url(s) for s in sections}:
        return TakedownReason.REDIRECT_SECTION
    if not is_article_like(final):
        return TakedownReason.REDIRECT_SECTION
    return None


def _elements(tree: html.HtmlElement, *tags: str) -> list[html.HtmlElement]:
    return [cast(html.HtmlElement, e) for e in tree.iter(*tags)]


def _fold(text: str) -> str:
    return " ".join(fold_diacritics(text).casefold().split())


def not_found_evidence(
    page: bytes, *, has_article: bool, markers: Iterable[str] = (), content_type: str | None = None
) -> str | None:
    """The words on a 200 page that say the article does not exist, or None.

    An outlet's own marker (registry `not_found:`) counts wherever it is on the page; the common phrases count
    only in the title, a heading or a short block (not a link) of a page with no article text (`has_article`
    false), so that an article that merely quotes "không tồn tại" is not taken for an error page."""
    try:
        tree = cast(html.HtmlElement, html.document_fromstring(decode_html(page, content_type)[0]))
    except (etree.ParserError, ValueError):
        return None
    for bad in _elements(tree, "script", "style", "noscript"):
        bad.drop_tree()
    whole = _fold(tree.text_content())
    for marker in markers:
        if _fold(marker) and _fold(marker) in whole:
            return marker
    if has_article:
        return None
    for link in _elements(tree, "a"):  # menus and related headlines are not what the page says of itself
        link.drop_tree()
    heads = [tree.findtext(".//title") or "", *(h.text_content() for h in _elements(tree, "h1", "h2", "h3"))]
    blocks = [b.text_content() for b in _elements(tree, "p", "div", "span", "strong", "b")]
    blocks = [b for b in blocks if len(b.strip()) <= SHORT_BLOCK_CHARS]
    for text, phrases in ((heads, NOT_FOUND_PHRASES + NOT_FOUND_CODES), (blocks, NOT_FOUND_PHRASES)):
        for candidate in text:
            folded = _fold(candidate)
            if any(re.search(rf"(?<!\w){re.escape(p)}(?!\w)", folded) for p in phrases):
                return " ".join(candidate.split())
    return None
