"""The one entry point of the reports: `build_report` (for the command line, the web app's /bao-cao page and the
scheduled e-mail), the checks of its inputs, and the files' names."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from contextlib import nullcontext

from sqlalchemy.orm import Session

from dashboards.reports.charts import render_charts
from dashboards.reports.docx_report import render_docx
from dashboards.reports.figures import ReportFigures, collect_figures
from dashboards.reports.periods import Period, ReportError, parse_period
from dashboards.reports.settings import ReportSettings
from dashboards.reports.wording import DOCX_TYPE, XLSX_TYPE
from dashboards.reports.xlsx_annex import render_xlsx
from storage.engine import Database
from storage.provinces import NATIONWIDE, PROVINCES
from storage.text import fold_diacritics, normalize_vietnamese

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


def build_report(
    source: Session | Database,
    period: Period | str,
    province: str | None,
    formats: Iterable[str] | str,
    now: dt.datetime,
    *,
    settings: ReportSettings | None = None,
    app_url: str | None = None,
) -> dict[str, bytes]:
    """The report of `period` for `province` (None: the whole country) as of `now`: format → file bytes.

    `source` is a session (the web app's) or the database (a session is opened and closed here). Bad input
    raises ReportError with a Vietnamese message naming the value.
    """
    chosen = parse_period(period) if isinstance(period, str) else period
    place = resolve_province(province)
    wanted = parse_formats(formats)
    scope = source.session() if isinstance(source, Database) else nullcontext(source)
    with scope as session:
        figures = collect_figures(session, chosen, province=place, now=now)
    return render(figures, wanted, settings=settings or ReportSettings(), app_url=app_url)


def render(
    figures: ReportFigures, formats: tuple[str, ...], *, settings: ReportSettings, app_url: str | None
) -> dict[str, bytes]:
    """The files of a report whose figures are collected: format → bytes."""
    out: dict[str, bytes] = {}
    for fmt in formats:
        if fmt == "docx":
            out[fmt] = render_docx(figures, render_charts(figures), settings=settings, app_url=app_url)
        else:
            out[fmt] = render_xlsx(figures, app_url=app_url)
    return out
