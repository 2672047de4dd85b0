"""The one entry point of the reports: `build_report`, for the command line, the web app's /bao-cao page and the
scheduled e-mail."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from contextlib import nullcontext

from sqlalchemy.orm import Session

from dashboards.reports.charts import render_charts
from dashboards.reports.docx_report import render_docx
from dashboards.reports.figures import ReportFigures, collect_figures
from dashboards.reports.inputs import parse_formats, resolve_province
from dashboards.reports.periods import Period, parse_period
from dashboards.reports.settings import ReportSettings
from dashboards.reports.xlsx_annex import render_xlsx
from storage.engine import Database


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
