"""The portal feed's two shapes: Atom 1.0 (RFC 4287) for any CMS that reads Atom, and JSON for an importer of its
own. Same entries, newest first: the responses published and not withdrawn (`storage.views.portal`).

Each entry's id is a tag URI (RFC 4151) that never changes for the response — `tag:AUTHORITY,DATE:phan-hoi/N`,
DATE the day the response was recorded — so an importer de-duplicates on it; `updated` moves when the public title
or text is corrected. The entry links the article it answers (`rel="related"`) and names its topic (category)."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import html
from collections.abc import Sequence
from typing import Any
from xml.etree import ElementTree as ET

from dashboards.settings import PortalSettings
from domain.labels import response_kind_vi, topic_vi
from storage.views.portal import PortalEntry, Position, Withdrawal

ATOM_NS = "http://www.w3.org/2005/Atom"
ATOM_TYPE = "application/atom+xml; charset=utf-8"
FEED_TITLE = "Phản hồi thông tin báo chí của cơ quan thi hành án dân sự"
JSON_VERSION = 1


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def entry_id(settings: PortalSettings, entry: PortalEntry | Withdrawal) -> str:
    return f"tag:{settings.tag_authority},{entry.responded_at.date().isoformat()}:phan-hoi/{entry.response_id}"


def feed_id(settings: PortalSettings) -> str:
    return f"tag:{settings.tag_authority},2026:cong-thong-tin/phan-hoi"


def content_html(text: str) -> str:
    """The public text as HTML paragraphs, one per non-empty line, escaped."""
    return "".join(f"<p>{html.escape(line.strip())}</p>" for line in text.splitlines() if line.strip())


def _sub(parent: ET.Element, name: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM_NS}}}{name}", attributes)
    if text is not None:
        element.text = text
    return element


def build_atom(settings: PortalSettings, entries: list[PortalEntry], *, self_url: str, now: dt.datetime) -> bytes:
    """The Atom document (UTF-8, with its XML declaration)."""
    ET.register_namespace("", ATOM_NS)
    feed = ET.Element(f"{{{ATOM_NS}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "vi"})
    _sub(feed, "id", feed_id(settings))
    _sub(feed, "title", FEED_TITLE)
    _sub(feed, "updated", _iso(max((e.updated_at for e in entries), default=now)))
    _sub(feed, "link", rel="self", href=self_url, type="application/atom+xml")
    _sub(_sub(feed, "author"), "name", settings.author)
    for e in entries:
        item = _sub(feed, "entry")
        _sub(item, "id", entry_id(settings, e))
        _sub(item, "title", e.title)
        _sub(item, "updated", _iso(e.updated_at))
        _sub(item, "published", _iso(e.published_at))
        _sub(_sub(item, "author"), "name", settings.author)
        _sub(item, "link", rel="related", href=e.article_url, title=f"{e.article_title} ({e.outlet_name})")
        if e.topic:
            _sub(item, "category", term=e.topic, label=topic_vi(e.topic))
        _sub(item, "content", content_html(e.text), type="html")
    document: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return document


def encode_cursor(entry: PortalEntry) -> str:
    raw = f"{entry.published_at.isoformat()}|{entry.response_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> Position | None:
    """The position a cursor names; None for anything that is not a cursor of ours."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        moment, _, number = raw.partition("|")
        at = dt.datetime.fromisoformat(moment)
        if at.tzinfo is None or not number.isdigit():
            return None
        return Position(at.astimezone(dt.UTC), int(number))
    except (ValueError, UnicodeDecodeError, binascii.Error):
        return None


def entry_json(settings: PortalSettings, e: PortalEntry) -> dict[str, Any]:
    return {
        "id": entry_id(settings, e),
        "response_id": e.response_id,
        "case_id": e.case_id,
        "title": e.title,
        "content_text": e.text,
        "content_html": content_html(e.text),
        "published": _iso(e.published_at),
        "updated": _iso(e.updated_at),
        "author": settings.author,
        "kind": e.kind.value,
        "kind_vi": response_kind_vi(e.kind),
        "topic": e.topic,
        "topic_vi": topic_vi(e.topic) if e.topic else None,
        "province": e.province,
        "answers": {"url": e.article_url, "title": e.article_title, "outlet": e.outlet_name},
    }


def build_json(
    settings: PortalSettings,
    entries: list[PortalEntry],
    *,
    self_url: str,
    more: bool,
    now: dt.datetime,
    withdrawn: Sequence[Withdrawal] = (),
) -> dict[str, Any]:
    """The JSON document: the page of entries, the cursor of the next page (null at the end), and the entries
    withdrawn since the `since` asked (to take down)."""
    return {
        "version": JSON_VERSION,
        "id": feed_id(settings),
        "title": FEED_TITLE,
        "feed_url": self_url,
        "updated": _iso(max((e.updated_at for e in entries), default=now)),
        "items": [entry_json(settings, e) for e in entries],
        "next_cursor": encode_cursor(entries[-1]) if more and entries else None,
        "withdrawn": [{"id": entry_id(settings, w), "withdrawn": _iso(w.withdrawn_at)} for w in withdrawn],
    }
