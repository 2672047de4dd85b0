"""Lists as files: CSV (UTF-8 with a byte-order mark, so that Excel reads the Vietnamese right; times in Viet Nam
time) and XLSX (the report's own writer: typed cells, a frozen header with a filter). Whole lists, never a page:
the rows are read by the caller in batches and written as they come."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from fastapi import HTTPException
from starlette.responses import Response

from dashboards.reports.xlsx_writer import Cell, Column, Workbook
from dashboards.web.uploads import content_disposition
from domain.localtime import VN

Format = Literal["csv", "xlsx"]
FORMATS: tuple[Format, ...] = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True, slots=True)
class Table:
    """One list as a sheet: its name (the sheet's), columns and rows (cells as the XLSX writer takes them)."""

    name: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[Cell]]


def check_format(value: str) -> Format:
    if value == "csv":
        return "csv"
    if value == "xlsx":
        return "xlsx"
    raise HTTPException(status_code=400, detail=f"Định dạng “{value[:10]}” không có (chọn csv hoặc xlsx).")


def _csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return f"{value.astimezone(VN):%d/%m/%Y %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".")
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value  # a headline that starts like a formula stays text in a spreadsheet
    return str(value)


def to_csv(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.header for c in table.columns])
    for row in table.rows:
        writer.writerow([_csv_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(tables: Sequence[Table], *, title: str, now: dt.datetime) -> bytes:
    book = Workbook(title=title, created_at=now, zone=VN)
    for table in tables:
        book.add_sheet(table.name, table.columns, table.rows)
    return book.to_bytes()


def file_response(tables: Sequence[Table], fmt: Format, *, filename: str, title: str, now: dt.datetime) -> Response:
    """The list as a download: CSV holds the first table, XLSX every table as a sheet."""
    stamp = f"{now.astimezone(VN):%Y%m%d-%H%M}"
    if fmt == "csv":
        body, media = to_csv(tables[0]), "text/csv; charset=utf-8"
    else:
        body, media = to_xlsx(tables, title=title, now=now), XLSX_TYPE
    return Response(
        body,
        media_type=media,
        headers={"content-disposition": content_disposition(f"{filename}-{stamp}.{fmt}")},
    )
