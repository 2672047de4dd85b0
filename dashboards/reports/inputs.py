"""The inputs of a report checked, and its files named: light enough for the command line to refuse bad input
before matplotlib and python-docx are loaded."""

from __future__ import annotations

import re
from collections.abc import Iterable

from dashboards.reports.periods import Period, ReportError
from dashboards.reports.wording import DOCX_TYPE, XLSX_TYPE
from domain.provinces import NATIONWIDE, PROVINCES
from domain.text import fold_diacritics, normalize_vietnamese

FORMATS = {"docx": DOCX_TYPE, "xlsx": XLSX_TYPE}
_BY_KEY = {fold_diacritics(p): p for p in PROVINCES}
_NATIONWIDE_KEYS = {NATIONWIDE, "toan quoc", "ca nuoc"}


def resolve_province(text: str | None) -> str | None:
    """One of the 34 provinces as written in any case, tone-mark style or without diacritics ("thanh hoa" →
    "Thanh Hóa"); empty or "toàn quốc" → None (the whole country); anything else is refused."""
    if text is None or not normalize_vietnamese(text):
        return None
    key = fold_diacritics(text)
    if key in _NATIONWIDE_KEYS:
        return None
    key = re.sub(r"^(tinh|thanh pho|tp\.?)\s+", "", key)
    if key in _BY_KEY:
        return _BY_KEY[key]
    raise ReportError(
        f"tỉnh, thành phố {text!r} không phải một trong 34 đơn vị hành chính cấp tỉnh hiện hành "
        "(ví dụ: Hà Nội, Cần Thơ, Thanh Hóa) hoặc “toàn quốc”"
    )


def parse_formats(text: str | Iterable[str]) -> tuple[str, ...]:
    """ "docx,xlsx" → ("docx", "xlsx"); an unknown or missing format is refused."""
    items = text.split(",") if isinstance(text, str) else list(text)
    formats = tuple(dict.fromkeys(f.strip().lower().lstrip(".") for f in items if f.strip()))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        shown = ", ".join(repr(f) for f in unknown) or "(trống)"
        raise ReportError(f"định dạng {shown} không được hỗ trợ; dùng docx, xlsx hoặc docx,xlsx")
    return formats


def report_filename(period: Period, province: str | None, extension: str) -> str:
    """bao-cao-2026-11.docx, bao-cao-2026-W47-can-tho.xlsx"""
    place = "" if province is None else "-" + re.sub(r"[^a-z0-9]+", "-", fold_diacritics(province)).strip("-")
    return f"bao-cao-{period.code}{place}.{extension}"
