"""Article metadata from a parsed page: canonical URL, title, lead (sapo), authors, publication time.

Standard markup first (Open Graph, schema.org, <time>), then the conventions of Vietnamese outlets
(a "sapo" lead paragraph, "Thứ Hai, 24/12/2012, 03:04 (GMT+7)" dates), each result normalised.
"""

from __future__ import annotations

import html as entities
import itertools
import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, cast

from lxml import etree, html

from crawler.lines import BYLINE, SOURCE_TAG, cut_related, split_names
from domain.localtime import VN
from domain.text import fold_diacritics, tidy_text

_LEAD_CLASS = re.compile(
    r"(^|[\s_-])(sapo|lead|chapeau|description|short_intro|summary|init|news-sapo|detail-sapo|"
    r"article-sapo|article__sapo|singular-sapo|knc-sapo|sapo_detail|lead_detail|desc)($|[\s_-])",
    re.IGNORECASE,
)
_AUTHOR_CLASS = re.compile(r"author|byline|tacgia|tac-gia|writer|signature|nguon", re.IGNORECASE)
_SITE_SUFFIX = re.compile(r"\s*[|\-–—:]\s*[^|\-–—:]{2,40}$")


def _text(node: html.HtmlElement) -> str:
    return tidy_text(node.text_content())


# Compiled once: `tree.xpath(...)` compiles its expression at every call (several per page).
_META_CONTENT = tuple(etree.XPath(f"//meta[@{attr}=$n]/@content") for attr in ("property", "name", "itemprop"))


def _meta(tree: html.HtmlElement, *names: str) -> str | None:
    for name in names:
        for xpath in _META_CONTENT:
            found = cast(list[Any], xpath(tree, n=name))
            if found and str(found[0]).strip():
                return tidy_text(entities.unescape(str(found[0])))  # "&amp;quot;" in an attribute is a quote
    return None


def _json_ld(tree: html.HtmlElement) -> list[dict[str, object]]:
    objects: list[dict[str, object]] = []
    for script in tree.xpath('//script[@type="application/ld+json"]/text()'):
        try:
            data = json.loads(str(script))
        except ValueError:
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                objects.append(item)
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(graph)
            elif isinstance(item, list):
                stack.extend(item)
    return objects


def canonical_link(tree: html.HtmlElement) -> str | None:
    found = tree.xpath('//link[@rel="canonical"]/@href') or tree.xpath('//meta[@property="og:url"]/@content')
    return str(found[0]).strip() if found and str(found[0]).startswith("http") else None


def find_title(tree: html.HtmlElement) -> str:
    """The headline: the <h1> that agrees with og:title / <title>, else og:title, else <title> minus site name."""
    og = _meta(tree, "og:title", "twitter:title")
    page_title = tidy_text(tree.findtext(".//title") or "")
    headings = [h for h in tree.iter("h1") if 10 <= len(_text(h)) <= 300]
    # A heading marked as the title comes first (pages also use <h1> for the site's logo or section).
    headings.sort(
        key=lambda h: not re.search(r"title|headline|tieude", f"{h.get('class', '')} {h.get('id', '')}", re.I)
    )
    candidates = [_text(h) for h in headings]
    for reference in (og, page_title):
        if reference:
            for candidate in candidates:
                # The headline leads <title> ("Headline - Section | Site"); a site name inside it does not count.
                if reference.startswith(candidate[:40]):
                    return candidate
    if og:
        return og
    marked = [
        _text(n)
        for n in tree.iter("h2", "h3", "div", "p", "span")
        if re.search(r"(^|\s)(title|tieude|headline)(\s|$)", n.get("class", ""), re.I) and 10 <= len(_text(n)) <= 300
    ]
    if marked:
        return marked[0]
    if candidates:
        return candidates[0]
    return _SITE_SUFFIX.sub("", page_title) if len(page_title) > 20 else page_title


def find_lead_node(tree: html.HtmlElement, title: str) -> html.HtmlElement | None:
    """The element holding the lead paragraph (sapo), if the page marks one."""
    for node in tree.iter("p", "h2", "div", "span", "strong"):
        cls = f"{node.get('class', '')} {node.get('id', '')}"
        if not _LEAD_CLASS.search(cls):
            continue
        text = _text(node)
        if 40 <= len(text) <= 1200 and text != title and len(node.xpath(".//p")) <= 1:
            return node
    return _lead_after_headline(tree, title)


def _lead_after_headline(tree: html.HtmlElement, title: str) -> html.HtmlElement | None:
    """Unmarked, the lead is the block just under the headline that opens with the outlet's tag: "(TNO) - …"."""
    headline = next((h for h in tree.iter("h1") if title and _text(h) == title), None)
    node = headline.getnext() if headline is not None else None
    for _ in range(3):
        if node is None:
            return None
        text = _text(node) if isinstance(node.tag, str) else ""
        if 40 <= len(text) <= 1200 and SOURCE_TAG.match(text) and len(node.xpath(".//p")) <= 1:
            return node
        node = node.getnext()
    return None


def find_lead(tree: html.HtmlElement, lead_node: html.HtmlElement | None, page_text: Callable[[], str]) -> str:
    if lead_node is not None:
        return cut_related(_text(lead_node))
    description = _meta(tree, "og:description", "description", "twitter:description")
    # Only a description the page itself shows is the article's lead (SEO descriptions are not).
    if description and description[:60] in page_text():
        return cut_related(description)
    return ""


_NOT_PEOPLE = re.compile(
    r"vccorp|channelvn|\bvn\b|báo|tòa soạn|admin|\.vn|\.com|\.net|^\d+$|^nhóm\b|^pv$|phóng viên|^ctv$", re.IGNORECASE
)


def find_authors(tree: html.HtmlElement, site_names: set[str]) -> tuple[str, ...]:
    """People from structured metadata or a byline element; organisations and site names are dropped."""
    names: list[str] = []
    for obj in _json_ld(tree):
        author = obj.get("author")
        for a in author if isinstance(author, list) else [author]:
            if isinstance(a, dict) and isinstance(a.get("name"), str):
                if str(a.get("@type", "Person")) in ("Organization", "NewsMediaOrganization", "WebSite"):
                    continue  # the outlet itself, not a person
                names.append(str(a["name"]))
            elif isinstance(a, str):
                names.append(a)
    for name in ("article:author", "author", "dable:author"):
        value = _meta(tree, name)
        if value and not value.startswith("http"):
            names.extend(re.split(r"\s*[,;]\s*", value))
    if not names:
        for node in tree.iter("p", "span", "div", "strong", "a"):
            if _AUTHOR_CLASS.search(f"{node.get('class', '')} {node.get('id', '')}"):
                text = _byline_of(node)
                if 2 <= len(text) <= 60:
                    names.append(text)
                    break
    return clean_names(names, site_names)


_RIGHT = re.compile(r"text-align:\s*right", re.IGNORECASE)
_CREDITED = re.compile(r"^theo\s+(?P<name>[^/()]{2,40}?)\s*(/|\()", re.IGNORECASE)  # "Theo Minh Nguyễn/Vcamp.vn"


def find_signature(scope: html.HtmlElement) -> list[str]:
    """The byline set right-aligned under the article ("K. Miên", "Theo Minh Nguyễn/Vcamp.vn")."""
    for node in scope.iter("div", "p"):
        if not ((node.get("align") or "").lower() == "right" or _RIGHT.search(node.get("style") or "")):
            continue
        text = tidy_text(node.text_content())
        if not text or len(text) > 60 or re.search(r"\d", text):
            continue
        if credited := _CREDITED.match(text):
            return [credited["name"]]
        if BYLINE.match(text):
            return split_names(text)
    return []


def _byline_of(node: html.HtmlElement) -> str:
    """A byline element's name part: "Nguyên Minh\n- 07/03/2026 08:47" → "Nguyên Minh"."""
    text = node.text_content().strip()
    return tidy_text(_TRAILING_DATE.sub("", text.split("\n")[0] if "\n" in text else text))


def _squash(value: str) -> str:
    return re.sub(r"[\W_]+", "", fold_diacritics(value))


def site_names_of(tree: html.HtmlElement, domain: str) -> set[str]:
    """Names the site goes by (og:site_name, application-name, the domain and its first label)."""
    names = {domain, domain.split(".")[0]} if domain else set()
    for value in (_meta(tree, "og:site_name", "application-name", "copyright"),):
        if value:
            names.add(value)
    return names


# A date and time after a name in a byline: "Nguyên Minh - 07/03/2026 08:47", "Lê An | 12:05 20-11-2026".
_TRAILING_DATE = re.compile(
    r"\s*[-–|,]?\s*(\d{1,2}[:h]\d{2}\s*)?(\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}).*$|\s*[-–|,]\s*\d{1,2}:\d{2}.*$", re.S
)
_HANDLE = re.compile(r"^@|^[a-z0-9_.-]{3,}$")  # "@nhatxuan", "nhatxuan.vnn", "nhatxuan_98"
_COMBINED = re.compile(r"\s+[-–&/]\s+|\s*,\s*|\s+và\s+")
_ROLE = re.compile(
    r"\s*\((tổng hợp|tổng hợp và biên dịch|biên dịch|lược dịch|dịch|theo [^()]{2,40}|t/h|th|pv|ctv)\)", re.I
)


def clean_names(names: list[str], site_names: set[str]) -> tuple[str, ...]:
    """Each person once, in the page's spelling: entities decoded, dates, roles, handles and site names out,
    "A - B" and "A, B" split (a page that gives both the pair and each name yields each name once)."""
    out: list[str] = []
    keys: set[str] = set()
    lowered_sites = {_squash(s) for s in site_names if s}
    for raw in names:
        raw = _TRAILING_DATE.sub("", tidy_text(entities.unescape(raw)).split("\n")[0])
        raw = _ROLE.sub("", raw)
        for part in _COMBINED.split(raw):
            name = re.sub(r"\s*\([^)]*\)\s*", " ", part).strip(" -–—|:")
            if not re.search(r"(^|[\s.])\w\.$", name):  # "H.V." keeps the dot of its initials
                name = name.rstrip(". ")
            name = re.sub(r"^(theo|bài và ảnh|bài, ảnh|ảnh|bài|tác giả|pv|phóng viên)\s*:?\s*", "", name, flags=re.I)
            key = fold_diacritics(name).casefold()
            if not name or len(name) > 60 or _squash(name) in lowered_sites or _NOT_PEOPLE.search(name):
                continue
            if _HANDLE.search(name) or key in keys:
                continue
            keys.add(key)
            out.append(name)
    return tuple(out)


# "24/12/2012 15:02", "Thứ Ba, 25/12/2012 - 10:03", "24/12/12 11:05 tối", "15:20 PM | 21/12/2012".
_DATE_TEXT = re.compile(
    r"(?:(?P<H0>\d{1,2})[:h](?P<M0>\d{2})\s*(?P<ampm0>AM|PM|SA|CH)?\s*[,|-]?\s*)?"
    r"(?<![\d/.-])(?P<d>\d{1,2})[/-](?P<m>\d{1,2})[/-](?P<y>20\d\d|\d\d)(?![\d/-]|\.\d)"
    r"(?:\s*[,|-]?\s*(?P<H>\d{1,2})[:h](?P<M>\d{2})(?::(?P<S>\d{2}))?\s*(?P<ampm>AM|PM|SA|CH|sáng|chiều|tối)?)?",
    re.IGNORECASE,
)
_MONTH_FIRST = re.compile(r"(published|posted|updated)( on)?\s*:?\s*$", re.IGNORECASE)


def _parse_iso(value: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=VN)  # Vietnamese outlets write local time
    return parsed.astimezone(UTC)


_PUBLISHED_META = (
    "article:published_time",
    "datePublished",
    "og:published_time",
    "pubdate",
    "publishdate",
    "publish-date",
    "article:published",
    "dc.date.issued",
    "DC.date.issued",
    "dcterms.created",
    "dc.date",
    "parsely-pub-date",
    "sailthru.date",
    "date",
)


def find_published(tree: html.HtmlElement, page_text: Callable[[], str], title: str) -> datetime | None:
    """Publication time, tz-aware UTC: page metadata (meta tags, schema.org in JSON-LD or microdata, <time>),
    ISO or Vietnamese day-first, else the date written nearest the headline. A day without a time in the
    metadata takes the time the page shows for that day."""
    sources: list[Callable[[], list[str]]] = [  # each is read only if the ones before it had nothing
        lambda: [v] if (v := _meta(tree, *_PUBLISHED_META)) else [],
        lambda: [str(o["datePublished"]) for o in _json_ld(tree) if isinstance(o.get("datePublished"), str)],
        lambda: [
            str(v)
            for v in tree.xpath("//*[@itemprop='datePublished']/@content|//*[@itemprop='datePublished']/@datetime")
        ],
        lambda: [str(t) for t in tree.xpath("//time/@datetime")],
        lambda: [t.text_content() for t in tree.xpath("//*[@itemprop='datePublished'][not(@content)][not(@datetime)]")],
    ]
    candidates = itertools.chain.from_iterable(source() for source in sources)
    for value in candidates:
        if not value or not (parsed := _parse_iso(value) or _parse_day_first(value)):
            continue
        if re.fullmatch(r"\s*\d{4}-\d{2}-\d{2}\s*", value):
            day = parsed.astimezone(VN).date()
            shown = _near_title(page_text(), title)
            if shown is not None and shown.astimezone(VN).date() == day:
                return shown
        return parsed
    return _near_title(page_text(), title)


def _near_title(text: str, title: str) -> datetime | None:
    """The date written nearest the headline: the last one in the 300 characters before it or the first in the
    600 after it, whichever is closer (a page header puts it just above or below; body dates come later)."""
    at = text.find(title[:40]) if title else -1
    if at < 0:
        return _parse_day_first(text[:3000])
    end = at + len(title)
    before = list(_DATE_TEXT.finditer(text, max(at - 300, 0), at))
    after = _DATE_TEXT.search(text, end, end + 600)
    options = []
    if before:
        options.append((at - before[-1].end(), before[-1]))
    if after:
        options.append((after.start() - end, after))
    if not options:
        return None
    match = min(options, key=lambda o: o[0])[1]
    return _from_match(match, text[max(match.start() - 20, 0) : match.start()])


def _parse_day_first(text: str) -> datetime | None:
    """The first "07/03/2026 08:47" (or 7-3-2026, with AM/PM or SA/CH) in `text`, Vietnamese local time."""
    match = _DATE_TEXT.search(text)
    return _from_match(match, text[max(match.start() - 20, 0) : match.start()]) if match else None


def _from_match(match: re.Match[str], before: str) -> datetime | None:
    day, month = int(match["d"]), int(match["m"])
    if _MONTH_FIRST.search(before):  # an English template: "Published on 03-08-2011"
        day, month = month, day
    year = int(match["y"]) + (2000 if len(match["y"]) == 2 else 0)
    hour, minute = int(match["H"] or match["H0"] or 0), int(match["M"] or match["M0"] or 0)
    ampm = (match["ampm"] or match["ampm0"] or "").upper()
    if ampm in ("PM", "CH", "CHIỀU", "TỐI") and hour < 12:
        hour += 12
    elif ampm in ("AM", "SA", "SÁNG") and hour == 12:
        hour = 0
    try:
        local = datetime(year, month, day, hour, minute, int(match["S"] or 0), tzinfo=VN)
    except ValueError:
        return None
    return local.astimezone(UTC)


def listing_reason(tree: html.HtmlElement) -> str | None:
    """Why the page looks like a home or section page rather than one article, or None.

    A listing page is a wall of linked headlines or of teaser leads, or has no headline at all; article pages
    in the recorded set have at most ~30 linked headlines (related stories) and a handful of lead blocks.
    """
    if tree.find(".//h1") is None and not _meta(tree, "og:title"):
        return "không có tiêu đề bài viết (<h1>)"
    linked = sum(1 for a in tree.xpath("//h2//a|//h3//a|//h4//a") if len(a.text_content().strip()) > 20)
    if linked >= 40:
        return f"{linked} tiêu đề có liên kết: trang danh sách, không phải bài viết"
    leads = sum(
        1
        for n in tree.iter("p", "h2", "h3", "h4", "div", "span")
        if _LEAD_CLASS.search(f"{n.get('class', '')} {n.get('id', '')}")
        and len(n.text_content().strip()) >= 40
        and not any(a.tag == "aside" or "sidebar" in (a.get("class") or "") for a in n.iterancestors())
    )
    if leads >= 8:
        return f"{leads} đoạn dẫn (sapo): trang danh sách, không phải bài viết"
    return None
