"""`thads-monitor report`: the periodic report of a week, month, quarter or year as DOCX and XLSX files."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Annotated

import typer

from dashboards.reports.inputs import parse_formats, report_filename, resolve_province
from dashboards.reports.periods import ReportError, parse_period
from thads_monitor.commands.common import open_database, settings_of
from thads_monitor.settings import ConfigError


def report_command(
    ctx: typer.Context,
    period: Annotated[
        str, typer.Option(help="Kỳ báo cáo: 2026-W47 (tuần), 2026-11 (tháng), 2026-Q4 (quý) hoặc 2026 (năm).")
    ],
    province: Annotated[str | None, typer.Option(help="Một trong 34 tỉnh, thành phố (mặc định: toàn quốc).")] = None,
    formats: Annotated[str, typer.Option("--format", help="docx, xlsx hoặc docx,xlsx.")] = "docx,xlsx",
    out: Annotated[Path, typer.Option(help="Thư mục ghi tệp (tạo nếu chưa có).", file_okay=False)] = Path("."),
) -> None:
    """Lập báo cáo định kỳ tình hình thông tin báo chí và phản hồi (DOCX kèm biểu đồ, phụ lục XLSX)."""
    settings = settings_of(ctx)
    try:
        chosen, place, wanted = parse_period(period), resolve_province(province), parse_formats(formats)
    except ReportError as exc:
        raise ConfigError(str(exc)) from exc
    if out.exists() and not out.is_dir():
        raise ConfigError(f"{out} không phải một thư mục")
    # Imported once the input is known good: matplotlib and python-docx take a second to load. matplotlib logs at
    # INFO when it builds its font cache (first run on a machine): not news for the user.
    logging.getLogger("matplotlib").setLevel(max(logging.WARNING, logging.getLogger().level))
    from dashboards.reports.build import build_report

    with open_database(settings) as db:
        files = build_report(
            db,
            chosen,
            place,
            wanted,
            dt.datetime.now(dt.UTC),
            settings=settings.reports,
            app_url=settings.alerts.app_url,
        )
    out.mkdir(parents=True, exist_ok=True)
    for fmt, data in files.items():
        path = out / report_filename(chosen, place, fmt)
        path.write_bytes(data)
        typer.echo(f"Đã ghi {path} ({len(data):,} byte)".replace(",", "."))


def register(app: typer.Typer) -> None:
    app.command("report")(report_command)
