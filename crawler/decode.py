"""Decoding page bytes to text, including pages that declare the wrong charset.

Vietnamese outlets still serve the odd page labelled ISO-8859-1 or windows-1252 that is really UTF-8, or
labelled UTF-8 that is really windows-1258. The declared charset is a hint: strict UTF-8 that decodes wins
(it almost never decodes by accident), otherwise the declared or sniffed single-byte charset, otherwise
UTF-8 with replacement characters, so that no page is lost.
"""

from __future__ import annotations

import codecs
import re

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.IGNORECASE)
_FALLBACKS = ("windows-1258", "windows-1252")


def declared_charset(body: bytes, content_type: str | None = None) -> str | None:
    """The charset from the Content-Type header, else from a <meta> in the first 4 KB."""
    if content_type:
        match = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_:.\-]+)", content_type, re.IGNORECASE)
        if match:
            return _known(match.group(1))
    meta = _META_CHARSET.search(body[:4096])
    return _known(meta.group(1).decode("ascii", "ignore")) if meta else None


def _known(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_html(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Return (text, charset actually used)."""
    if body.startswith(codecs.BOM_UTF8):
        return body[len(codecs.BOM_UTF8) :].decode("utf-8", "replace"), "utf-8"
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = declared_charset(body, content_type)
    for charset in (declared, *_FALLBACKS):
        if charset and charset != "utf-8":
            try:
                return body.decode(charset), charset
            except UnicodeDecodeError:
                continue
    return body.decode("utf-8", "replace"), "utf-8"
