"""XLSX writers measured on the year report's annex: the project's own SpreadsheetML writer
(dashboards/reports/xlsx_writer.py) beside XlsxWriter in `constant_memory` mode, in one run.

Seeds the year of benchmarks/report.py (100,000 relevant articles, 35,000 stories, 2,000 cases) in a temporary
SQLite database, collects the year's figures once, then renders the annex (`render_xlsx`, the same six sheets, the
same cells) with each writer in a forked child process, so that each starts from the same memory. Prints, per
writer, the wall and CPU time, the peak resident memory the rendering added (VmHWM after resetting it through
/proc/self/clear_refs, less the resident size before) and the file size; then reads both files back with openpyxl
and says whether the sheets, headers, cell values, number formats, frozen panes, filters and column widths agree.

XlsxWriter is not a dependency of the project; install it beside it to run this:

    .venv/bin/pip install 'XlsxWriter>=3.2,<4'
    .venv/bin/python benchmarks/xlsx_writers.py [--articles 100000] [--repeat 1]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import multiprocessing
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import xlsxwriter

sys.path.insert(0, str(Path(__file__).resolve().parent))

from report import NOW, YEAR, seed

from dashboards.reports import xlsx_annex, xlsx_writer
from dashboards.reports.figures import ReportFigures, collect_figures
from dashboards.reports.periods import parse_period
from dashboards.reports.xlsx_writer import Cell, Column, Kind, Typed
from storage.engine import Database
from storage.migrate import upgrade
from storage.settings import StorageSettings

FORMATS = {
    Kind.TEXT: None,
    Kind.ID: "0",
    Kind.INT: "#,##0",
    Kind.NUMBER: "#,##0.0",
    Kind.PERCENT: "0.0%",
    Kind.DATE: "dd/mm/yyyy",
    Kind.DATETIME: "dd/mm/yyyy hh:mm",
}


class XlsxWriterWorkbook:
    """The interface of dashboards.reports.xlsx_writer.Workbook on XlsxWriter (constant_memory: each row is
    flushed to a temporary file as soon as the next starts, strings are written inline)."""

    def __init__(self, *, title: str, created_at: dt.datetime, zone: ZoneInfo, creator: str = "THADS Press Monitor"):
        self.zone = zone
        self._buffer = io.BytesIO()
        self._book = xlsxwriter.Workbook(
            self._buffer, {"constant_memory": True, "in_memory": False, "strings_to_numbers": False}
        )
        self._book.set_properties({"title": title, "author": creator, "created": created_at.replace(tzinfo=None)})
        self._header = self._book.add_format(
            {"bold": True, "bg_color": "#DDE5F0", "text_wrap": True, "valign": "vcenter"}
        )
        self._formats = {k: self._book.add_format({"num_format": f}) if f else None for k, f in FORMATS.items()}

    def _local(self, value: dt.date) -> dt.date:
        if isinstance(value, dt.datetime):
            if value.tzinfo is None:
                raise ValueError(f"naive datetime {value!r}: give tz-aware timestamps")
            return value.astimezone(self.zone).replace(tzinfo=None)
        return value

    def add_sheet(self, name: str, columns: Sequence[Column], rows: Iterable[Sequence[Cell]]) -> int:
        sheet = self._book.add_worksheet(name)
        formats = [self._formats[c.kind] for c in columns]
        for i, c in enumerate(columns):
            sheet.set_column(i, i, c.width)
            sheet.write_string(0, i, c.header, self._header)
        sheet.freeze_panes(1, 0)
        number = 0
        for number, row in enumerate(rows, start=1):
            if len(row) != len(columns):
                raise ValueError(f"sheet {name!r}, row {number + 1}: {len(row)} cells for {len(columns)} columns")
            for i, value in enumerate(row):
                fmt = formats[i]
                if isinstance(value, Typed):
                    fmt, value = self._formats[value.kind], value.value
                if value is None:
                    continue
                if isinstance(value, str):
                    sheet.write_string(number, i, value)
                elif isinstance(value, dt.date):
                    kind = (
                        Kind.DATETIME
                        if isinstance(value, dt.datetime) and fmt is not self._formats[Kind.DATE]
                        else Kind.DATE
                    )
                    sheet.write_datetime(number, i, self._local(value), self._formats[kind])
                else:
                    sheet.write_number(number, i, value, fmt)
        sheet.autofilter(0, 0, number, len(columns) - 1)
        return number

    def to_bytes(self) -> bytes:
        self._book.close()
        return self._buffer.getvalue()


def _render(figures: ReportFigures, workbook: type[Any], out: Path) -> None:
    """`render_xlsx` with `Workbook` swapped for `workbook`."""
    original = xlsx_annex.Workbook
    xlsx_annex.Workbook = workbook
    try:
        out.write_bytes(xlsx_annex.render_xlsx(figures, app_url="http://127.0.0.1:8000"))
    finally:
        xlsx_annex.Workbook = original


def _status(field: str) -> int:
    """A field of /proc/self/status in bytes."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise LookupError(field)


def _child(figures: ReportFigures, workbook: type[Any], out: Path, pipe: Connection) -> None:
    Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM (the peak) to the current resident size
    before = _status("VmRSS")
    wall, cpu = time.perf_counter(), time.process_time()
    _render(figures, workbook, out)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    pipe.send((wall, cpu, _status("VmHWM") - before))
    pipe.close()


def measure(figures: ReportFigures, workbook: type[Any], out: Path) -> tuple[float, float, int]:
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(figures, workbook, out, sender))
    child.start()
    result: tuple[float, float, int] = receiver.recv()
    child.join()
    return result


def _widths(sheet: Any) -> list[int]:
    """Column widths in whole characters: XlsxWriter stores a width of 20 as 20.7109375 (the 5-pixel padding
    Excel adds) and groups equal neighbouring columns into one <col min max>."""
    widths: dict[int, int] = {}
    for dimension in sheet.column_dimensions.values():
        for index in range(dimension.min or 0, (dimension.max or 0) + 1):
            widths[index] = int(dimension.width)
    return [widths.get(i, 0) for i in range(1, sheet.max_column + 1)]


def _cells(path: Path) -> list[tuple[Any, ...]]:
    """Everything the report tests read of a workbook: sheet names, frozen panes, filters, widths, values and
    number formats of every cell."""
    book = openpyxl.load_workbook(path)
    seen: list[tuple[Any, ...]] = []
    for sheet in book.worksheets:
        widths = _widths(sheet)
        seen.append((sheet.title, sheet.freeze_panes, sheet.auto_filter.ref, widths))
        for row in sheet.iter_rows():
            # openpyxl reads both writers' styles; a text cell's format is "General" in both
            seen.append(tuple((c.value, c.number_format, bool(c.font and c.font.b)) for c in row))
    return seen


def compare(ours: Path, theirs: Path) -> str:
    a, b = _cells(ours), _cells(theirs)
    if a == b:
        return "same sheets, headers, cells, number formats, frozen panes, filters and widths"
    for i, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            cells = [(n, p, q) for n, (p, q) in enumerate(zip(x, y, strict=False)) if p != q]
            return f"{sum(p != q for p, q in zip(a, b, strict=False))} rows differ; first, row item {i}: {cells[:3]}"
    return f"differ in length: {len(a)} / {len(b)} rows"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--stories", type=int, default=35_000)
    parser.add_argument("--cases", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=1, help="renderings per writer (the best is printed)")
    parser.add_argument("--no-compare", action="store_true", help="skip reading both files back with openpyxl")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="thads-xlsx-bench-") as folder:
        db = Database.from_settings(
            StorageSettings(database_url=f"sqlite:///{Path(folder) / 'bench.db'}", data_dir=Path(folder))
        )
        upgrade(db.engine)
        started = time.perf_counter()
        counts = seed(db, articles=args.articles, stories=args.stories, cases=args.cases)
        print(f"seeded {', '.join(f'{v:,} {k}' for k, v in counts.items())} in {time.perf_counter() - started:.1f} s")
        with db.session() as session:
            figures = collect_figures(session, parse_period(str(YEAR)), province=None, now=NOW)
        db.dispose()
        cells = sum(1 for _ in figures.articles) * 9
        print(
            f"annex of {YEAR}: {len(figures.articles):,} articles ({cells:,} cells in that sheet alone), "
            f"{len(figures.stories):,} stories, {len(figures.cases):,} cases"
        )
        writers: dict[str, Callable[..., Any]] = {
            "own SpreadsheetML writer": xlsx_writer.Workbook,
            "XlsxWriter constant_memory": XlsxWriterWorkbook,
        }
        files: dict[str, Path] = {}
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; XlsxWriter {xlsxwriter.__version__}")
        for label, workbook in writers.items():
            out = Path(folder) / f"{label.split()[0]}.xlsx"
            runs = [measure(figures, workbook, out) for _ in range(args.repeat)]
            wall, cpu, peak = min(runs)
            files[label] = out
            print(
                f"  {label:<28} {wall:6.2f} s  (CPU {cpu:5.2f} s)  peak memory +{peak / 1e6:6.1f} MB  "
                f"file {out.stat().st_size / 1e6:5.2f} MB"
            )
        print(f"load average {os.getloadavg()[0]:.1f} after")
        if not args.no_compare:
            ours, theirs = files.values()
            print(f"read back with openpyxl: {compare(ours, theirs)}")


if __name__ == "__main__":
    main()
