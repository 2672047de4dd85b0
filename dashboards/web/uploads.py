"""Uploaded attachments: safe names, and the header to download them under that name (their kinds:
`dashboards.web.filetypes`)."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

MAX_NAME = 120
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def safe_filename(raw: str) -> str:
    """The last path component, NFC, without control or path characters, at most 120 characters, never
    empty or hidden: 'C:\\tmp\\../Công văn số 12.pdf' → 'Công văn số 12.pdf'."""
    name = unicodedata.normalize("NFC", raw.replace("\\", "/").rsplit("/", 1)[-1])
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")
    name = _UNSAFE.sub("_", name).strip(" .")
    if len(name) > MAX_NAME:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: MAX_NAME - len(ext) - 1] + dot + ext) if dot and len(ext) <= 10 else name[:MAX_NAME]
    return name or "tep-dinh-kem"


def content_disposition(name: str) -> str:
    """attachment; an ASCII fallback name and the UTF-8 name (RFC 6266 / 5987)."""
    plain = name.replace("đ", "d").replace("Đ", "D")
    ascii_name = unicodedata.normalize("NFKD", plain).encode("ascii", "ignore").decode() or "tep-dinh-kem"
    ascii_name = ascii_name.replace('"', "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"
