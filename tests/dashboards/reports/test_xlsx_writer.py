"""The streaming XLSX writer, read back with openpyxl: typed cells, formats, frozen header, filters, escaping."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
import pytest

from dashboards.reports.xlsx_writer import Column, Kind, Typed, Workbook, column_letter
from domain.localtime import VN

NOW = dt.datetime(2026, 11, 23, 2, 0, tzinfo=dt.UTC)


def _book() -> Workbook:
    return Workbook(title="Phụ lục thử", created_at=NOW, zone=VN)


def test_typed_cells_read_back_with_openpyxl() -> None:
    book = _book()
    columns = [
        Column("Mã", Kind.ID, 8),
        Column("Ngày đăng (giờ Việt Nam)", Kind.DATETIME, 18),
        Column("Ngày", Kind.DATE, 12),
        Column("Tiêu đề", Kind.TEXT, 60),
        Column("Số bài", Kind.INT),
        Column("Tỷ lệ", Kind.PERCENT),
        Column("Số giờ", Kind.NUMBER),
    ]
    title = "Cưỡng chế thi hành án ở Cần Thơ: “bản án chỉ nằm trên giấy” <&> \x0b"
    rows = [
        (12345, dt.datetime(2026, 11, 15, 17, 30, tzinfo=dt.UTC), dt.date(2026, 11, 16), title, 1234, 0.125, 81.5),
        (7, None, None, "  khoảng trắng ở hai đầu  ", Typed(0.5, Kind.PERCENT), None, 3),
    ]
    assert book.add_sheet("Bài viết", columns, rows) == 2
    data = book.to_bytes()
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    assert sheet.title == "Bài viết"
    assert [c.value for c in sheet[1]] == [c.header for c in columns]
    assert all(c.font.b for c in sheet[1])
    first = sheet[2]
    assert (first[0].value, first[0].number_format) == (12345, "0")
    assert first[1].is_date
    assert first[1].value == dt.datetime(2026, 11, 16, 0, 30, tzinfo=VN).replace(tzinfo=None)  # Viet Nam wall time
    assert first[1].number_format == "dd/mm/yyyy hh:mm"
    assert first[2].is_date
    assert (first[2].value.date(), first[2].number_format) == (dt.date(2026, 11, 16), "dd/mm/yyyy")
    assert first[3].value == "Cưỡng chế thi hành án ở Cần Thơ: “bản án chỉ nằm trên giấy” <&> "  # \x0b dropped
    assert (first[4].value, first[4].number_format) == (1234, "#,##0")
    assert (first[5].value, first[5].number_format) == (0.125, "0.0%")
    assert (first[6].value, first[6].number_format) == (81.5, "#,##0.0")
    second = sheet[3]
    assert [second[i].value for i in (1, 2, 5)] == [None, None, None]
    assert second[3].value == "  khoảng trắng ở hai đầu  "
    assert (second[4].value, second[4].number_format) == (0.5, "0.0%")  # a share in a column of counts
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:G3"
    assert sheet.column_dimensions["D"].width == 60
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        workbook = package.read("xl/workbook.xml").decode()
    assert '<definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">\'Bài viết\'!$A$1:$G$3' in workbook


def test_an_empty_table_keeps_its_header_and_filter() -> None:
    book = _book()
    book.add_sheet("Hồ sơ", [Column("Số hồ sơ", Kind.ID), Column("Tiêu đề")], [])
    book.add_sheet("Thời hạn", [Column("Số hồ sơ", Kind.ID)], iter(()))
    sheets = openpyxl.load_workbook(io.BytesIO(book.to_bytes())).worksheets
    assert [(s.title, s.max_row, s.auto_filter.ref) for s in sheets] == [
        ("Hồ sơ", 1, "A1:B1"),
        ("Thời hạn", 1, "A1:A1"),
    ]


@pytest.mark.parametrize(("index", "letters"), [(0, "A"), (25, "Z"), (26, "AA"), (51, "AZ"), (701, "ZZ"), (702, "AAA")])
def test_column_letters(index: int, letters: str) -> None:
    assert column_letter(index) == letters


def test_bad_input_is_refused() -> None:
    book = _book()
    with pytest.raises(ValueError, match="sheet name 'Bài/viết'"):
        book.add_sheet("Bài/viết", [Column("A")], [])
    with pytest.raises(ValueError, match=r"sheet 'Bài viết', row 3: 1 cells for 2 columns"):
        book.add_sheet("Bài viết", [Column("A"), Column("B")], [("a", "b"), ("c",)])
    with pytest.raises(ValueError, match="naive datetime"):
        book.add_sheet("Ngày", [Column("Ngày", Kind.DATETIME)], [(dt.datetime(2026, 11, 16, 9, 0),)])  # noqa: DTZ001
    with pytest.raises(TypeError, match="booleans"):
        book.add_sheet("Có", [Column("Có")], [(True,)])
    with pytest.raises(ValueError, match="at least one sheet"):
        _book().to_bytes()
