"""Reports of each period kind built from a seeded database and read back with python-docx and openpyxl: headings,
figures against a hand-computed expectation, every chart embedded, Vietnamese intact, typed XLSX cells."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from dataclasses import dataclass
from typing import Any

import docx
import openpyxl
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE
from PIL import Image

from dashboards.reports.build import build_report
from dashboards.reports.inputs import parse_formats, report_filename, resolve_province
from dashboards.reports.periods import ReportError, parse_period
from dashboards.reports.settings import ReportSettings
from domain.localtime import VN
from tests.dashboards.reports.conftest import SeededDatabase
from tests.dashboards.reports.seed import INCIDENT_CLOSING, INCIDENT_TITLE, NOW

APP = "http://127.0.0.1:8000"
SUBJECT = "Tình hình thông tin báo chí về công tác thi hành án dân sự"
SHEETS = ["Tổng hợp", "Bài viết", "Sự việc", "Hồ sơ", "Thời hạn", "Đúng hạn", "Sự cố", "Phản ứng trên mạng xã hội"]


@dataclass
class Read:
    paragraphs: list[tuple[str, str]]  # (style, text)
    tables: list[list[list[str]]]
    images: int
    image_parts: list[bytes]
    links: list[tuple[str, str]]  # (address, text)
    book: openpyxl.Workbook


_cache: dict[tuple[str, str, str | None], Read] = {}


def build(seeded: SeededDatabase, period: str, province: str | None = None) -> Read:
    key = (seeded.backend, period, province)
    if key not in _cache:
        files = build_report(seeded.db, period, province, "docx,xlsx", NOW, settings=ReportSettings(), app_url=APP)
        document = docx.Document(io.BytesIO(files["docx"]))
        images = [
            part.blob
            for rel, part in document.part.related_parts.items()
            if document.part.rels[rel].reltype == RELATIONSHIP_TYPE.IMAGE
        ]
        _cache[key] = Read(
            paragraphs=[(p.style.name if p.style else "", p.text) for p in document.paragraphs],
            tables=[[[c.text for c in row.cells] for row in t.rows] for t in document.tables],
            images=len(document.inline_shapes),
            image_parts=images,
            links=[(h.address, h.text) for p in document.paragraphs for h in p.hyperlinks],
            book=openpyxl.load_workbook(io.BytesIO(files["xlsx"])),
        )
    return _cache[key]


def told(current: int, previous: int) -> str:
    """The change as the report must word it (written out here independently of the report's code)."""
    if current == previous:
        return "không đổi"
    if previous == 0:
        return f"tăng {current} (kỳ trước không có)"
    word, sign = ("tăng", "+") if current > previous else ("giảm", "-")
    percent = f"{abs(current - previous) / previous * 100:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return f"{word} {abs(current - previous)} ({sign}{percent} %)"


def local_wall(moment: dt.datetime) -> dt.datetime:
    """What a spreadsheet shows of a timestamp: the Viet Nam wall time (spreadsheets have no time zones)."""
    return moment.astimezone(VN).replace(tzinfo=None)


def table_starting(read: Read, first_cell: str) -> list[list[str]]:
    return next(t for t in read.tables if t[0][0] == first_cell)


# Timeliness by hand from seed.DESIGNED (cases received in the period; figures as of NOW):
#   A Cần Thơ P1: acknowledged in time; 24 h and 15-working-day deadlines met; first response after 21 h.
#   B Hà Nội P2: acknowledged late; correction request in time, 142 h after reception.
#   C Cần Thơ P2: dismissed (out of every figure).  D Hà Nội P2: nothing done, both deadlines overdue.
#   E Cần Thơ P2 (W46): written notice in time after 46 h, never acknowledged (overdue).
#   F Hà Nội P2 (October): written notice after its deadline, 886 h; never acknowledged (overdue).
TIMELINESS = {
    "2026-W47": [
        ["Cần Thơ", "2", "100,0 %", "100,0 %", "21,0 giờ", "0"],
        ["Hà Nội", "2", "0,0 %", "50,0 %", "142,0 giờ", "2"],
        ["Tất cả", "4", "33,3 %", "75,0 %", "81,5 giờ", "2"],
    ],
    "2026-11": [
        ["Cần Thơ", "3", "50,0 %", "100,0 %", "33,5 giờ", "1"],
        ["Hà Nội", "2", "0,0 %", "50,0 %", "142,0 giờ", "2"],
        ["Tất cả", "5", "25,0 %", "80,0 %", "46,0 giờ", "3"],
    ],
    "2026-Q4": [
        ["Cần Thơ", "3", "50,0 %", "100,0 %", "33,5 giờ", "1"],
        ["Hà Nội", "3", "0,0 %", "33,3 %", "514,0 giờ", "3"],
        ["Tất cả", "6", "20,0 %", "66,7 %", "94,0 giờ", "4"],
    ],
}
TIMELINESS["2026"] = TIMELINESS["2026-Q4"]
ANNEX = {  # (answered in time / matters with a statutory deadline due, written replies / matters not dismissed)
    "2026-W47": ("2/3", "66,7 %", "2/3", "66,7 %"),  # A, B in time; D not. Written: A, B.
    "2026-11": ("3/4", "75,0 %", "3/4", "75,0 %"),  # + E
    "2026-Q4": ("3/5", "60,0 %", "4/5", "80,0 %"),  # + F (late, written)
}
ANNEX["2026"] = ANNEX["2026-Q4"]
CASES = {"2026-W47": "ABCD", "2026-11": "ABCDE", "2026-Q4": "ABCDEF", "2026": "ABCDEF"}
NAMES = {
    "2026-W47": "tuần 47 năm 2026",
    "2026-11": "tháng 11 năm 2026",
    "2026-Q4": "quý IV năm 2026",
    "2026": "năm 2026",
}
UNITS = {"2026-W47": "ngày", "2026-11": "ngày", "2026-Q4": "tuần", "2026": "tháng"}


@pytest.mark.parametrize("code", ["2026-W47", "2026-11", "2026-Q4", "2026"])
def test_docx_report_of_each_period(seeded: SeededDatabase, code: str) -> None:
    read, data, period = build(seeded, code), seeded.seeded, parse_period(code)
    texts = [t for _, t in read.paragraphs]
    assert "BÁO CÁO" in texts
    assert f"{SUBJECT} {NAMES[code]}" in texts
    assert f"(Từ ngày {period.first_day:%d/%m/%Y} đến ngày {period.last_day:%d/%m/%Y})" in texts
    assert [t for s, t in read.paragraphs if s == "Heading 1"] == [
        "I. TÌNH HÌNH THÔNG TIN BÁO CHÍ",
        "II. CÁC SỰ VIỆC ĐƯỢC BÁO CHÍ PHẢN ÁNH NHIỀU",
        "III. TÌNH HÌNH XỬ LÝ, PHẢN HỒI THÔNG TIN BÁO CHÍ",
        "IV. SỰ CỐ TRUYỀN THÔNG",
        "V. PHẢN ỨNG TRÊN MẠNG XÃ HỘI",
    ]
    assert [t for s, t in read.paragraphs if s == "Heading 2"] == [
        "1. Số liệu tổng hợp",
        "2. Diễn biến theo thời gian",
        "3. Theo chủ đề",
        "4. Theo địa bàn",
        "5. Cơ quan báo chí đăng nhiều bài",
        "1. Hồ sơ xử lý thông tin báo chí",
        "2. Tính kịp thời theo tỉnh, thành phố",
        "3. Số liệu theo mẫu báo cáo hằng năm (Nghị định 244/2026/NĐ-CP)",
    ]
    # header block: the bodies, the motto, the place and the date of NOW
    header = read.tables[0][0]
    assert header[0].split("\n")[:2] == ["BỘ TƯ PHÁP", "CỤC QUẢN LÝ THI HÀNH ÁN DÂN SỰ"]
    assert header[1].split("\n")[:2] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert header[1].endswith("Hà Nội, ngày 10 tháng 01 năm 2027")
    # summary figures and the change from the previous period, counted here from the seed
    previous = period.previous()
    now, before = data.relevant_in(period.start, period.end), data.relevant_in(previous.start, previous.end)
    summary = table_starting(read, "Chỉ tiêu")
    assert summary[0][2] == f"Kỳ trước ({period.previous().name})"
    assert summary[1] == [
        "Bài viết liên quan đến thi hành án dân sự",
        str(len(now)),
        str(len(before)),
        told(len(now), len(before)),
    ]
    negative = [a for a in now if a.sentiment == "tieu_cuc"]
    negative_before = [a for a in before if a.sentiment == "tieu_cuc"]
    assert summary[2] == [
        "Bài viết tiêu cực",
        str(len(negative)),
        str(len(negative_before)),
        told(len(negative), len(negative_before)),
    ]
    share = f"{len(negative) / len(now) * 100:.1f} %".replace(".", ",")
    assert summary[3][:2] == ["Tỷ lệ bài viết tiêu cực", share]
    assert summary[5][1] == str(len({a.outlet for a in now}))
    assert summary[6][1] == str(len({a.story for a in now if a.story}))
    assert summary[7][1] == str(len(CASES[code]))
    # every chart embedded, as a real PNG
    assert read.images == 4
    assert len(read.image_parts) == 4
    assert all(Image.open(io.BytesIO(png)).format == "PNG" for png in read.image_parts)
    assert [t for t in texts if t.startswith("Biểu đồ")] == [
        f"Biểu đồ 1. Số bài viết theo {UNITS[code]} và sắc thái",
        "Biểu đồ 2. Số bài viết theo chủ đề",
        "Biểu đồ 3. Số bài viết theo tỉnh, thành phố (15 địa bàn nhiều nhất)",
        "Biểu đồ 4. Cơ quan báo chí đăng nhiều bài nhất",
    ]
    # notable stories: the widest first (A: three outlets), linked to its first article and to its case
    assert read.links[0] == ("https://phapluat.vn/su-viec-a-0", next(a.title for a in now if a.story == "A"))
    assert (f"{APP}/ho-so/{data.cases['A']}", "xem hồ sơ") in read.links
    # timeliness per province and ND 244/2026's figures, by hand
    timeliness = table_starting(read, "Tỉnh, thành phố")
    assert timeliness[1:] == TIMELINESS[code]
    annex = next(t for t in read.tables if t[0] == ["Chỉ tiêu", "Số liệu", "Tỷ lệ"])
    met, met_share, written, written_share = ANNEX[code]
    assert annex[1][1:] == [met, met_share]
    assert annex[2][1:] == [written, written_share]
    assert any(row[0].startswith("Nơi nhận:") for row in read.tables[-1])
    # Vietnamese intact: NFC everywhere, the story's title (a real headline) exactly as written, with its figures
    assert all(unicodedata.is_normalized("NFC", t) for t in texts)
    title = next(a.title for a in now if a.story == "A")
    assert f"1. {title} – Báo Pháp luật Việt Nam, 16/11/2026; 3 bài trên 3 cơ quan báo chí" in "\n".join(texts)


@pytest.mark.parametrize("code", ["2026-W47", "2026-11", "2026-Q4", "2026"])
def test_xlsx_annex_of_each_period(seeded: SeededDatabase, code: str) -> None:
    read, data, period = build(seeded, code), seeded.seeded, parse_period(code)
    book = read.book
    assert book.sheetnames == SHEETS
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(sheet.max_column)}{sheet.max_row}"
    articles = sorted(data.relevant_in(period.start, period.end), key=lambda a: a.at)
    sheet = book["Bài viết"]
    assert [c.value for c in sheet[1]][:4] == ["Mã bài", "Ngày đăng (giờ Việt Nam)", "Cơ quan báo chí", "Tiêu đề"]
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == len(articles)
    assert all(r[1].is_date for r in rows)
    assert [r[1].value for r in rows] == [local_wall(a.at) for a in articles]
    assert sorted(r[3].value for r in rows) == sorted(a.title for a in articles)  # exact Vietnamese titles
    assert all(isinstance(r[0].value, int) for r in rows)
    summary = {row[0].value: row for row in book["Tổng hợp"].iter_rows(min_row=2)}
    before = data.relevant_in(period.previous().start, period.previous().end)
    first = summary["Bài viết liên quan đến thi hành án dân sự"]
    assert (first[1].value, first[2].value, first[3].value) == (len(articles), len(before), len(articles) - len(before))
    assert summary["Từ ngày"][1].is_date
    assert summary["Từ ngày"][1].value.date() == period.first_day
    share = summary["Tỷ lệ bài viết tiêu cực"][1]
    assert share.number_format == "0.0%"
    assert share.value == pytest.approx(sum(a.sentiment == "tieu_cuc" for a in articles) / len(articles))
    cases = list(book["Hồ sơ"].iter_rows(min_row=2, values_only=True))
    assert sorted(r[0] for r in cases) == sorted(data.cases[k] for k in CASES[code])
    a_case = next(r for r in book["Hồ sơ"].iter_rows(min_row=2) if r[0].value == data.cases["A"])
    assert a_case[1].is_date
    assert a_case[1].value == local_wall(dt.datetime(2026, 11, 16, 12, 0, tzinfo=VN))
    assert (a_case[4].value, a_case[9].value, a_case[10].value) == ("đã đóng", 21.0, "Có")
    assert a_case[12].value == f"{APP}/ho-so/{data.cases['A']}"
    deadlines = list(book["Thời hạn"].iter_rows(min_row=2))
    assert {r[0].value for r in deadlines} == {data.cases[k] for k in CASES[code]}
    assert all(r[3].is_date for r in deadlines)
    timeliness = {r[0].value: r for r in book["Đúng hạn"].iter_rows(min_row=2)}
    everything = timeliness["Tất cả"]
    expected = TIMELINESS[code][-1]
    assert everything[1].value == int(expected[1])
    assert everything[4].number_format == "0.0%"
    assert f"{everything[4].value * 100:.1f} %".replace(".", ",") == expected[3]


def test_a_province_report(seeded: SeededDatabase) -> None:
    read, data, period = build(seeded, "2026-W47", "cần thơ"), seeded.seeded, parse_period("2026-W47")
    texts = [t for _, t in read.paragraphs]
    assert f"{SUBJECT} tuần 47 năm 2026 tại Cần Thơ" in texts
    mine = data.relevant_in(period.start, period.end, province="Cần Thơ")
    assert table_starting(read, "Chỉ tiêu")[1][1] == str(len(mine))
    assert table_starting(read, "Tỉnh, thành phố")[1:] == [TIMELINESS["2026-W47"][0]]  # no row for all
    cases = list(read.book["Hồ sơ"].iter_rows(min_row=2, values_only=True))
    assert sorted(r[0] for r in cases) == sorted([data.cases["A"], data.cases["C"]])
    assert {r[6] for r in read.book["Bài viết"].iter_rows(min_row=2, values_only=True)} == {"Cần Thơ"}
    assert [r[0] for r in read.book["Đúng hạn"].iter_rows(min_row=2, values_only=True)] == ["Cần Thơ"]


@pytest.mark.parametrize("code", ["2026-W47", "2026-11", "2026-W48"])
def test_the_incidents_of_the_period(seeded: SeededDatabase, code: str) -> None:
    """The incident declared on 19/11 and closed on 22/11 (W47) with three stories: in the DOCX section and the
    "Sự cố" sheet of the week and the month, not in the next week."""
    read, incident = build(seeded, code), seeded.seeded.incident
    texts = [t for _, t in read.paragraphs]
    rows = list(read.book["Sự cố"].iter_rows(min_row=2, values_only=True))
    if code == "2026-W48":
        assert "Trong kỳ không có sự cố truyền thông nào." in texts
        assert rows == []
        return
    assert (
        "Trong kỳ có 1 sự cố truyền thông được theo dõi: 1 sự cố phát sinh trong kỳ, 1 sự cố kết thúc trong kỳ, "
        "0 sự cố đang xử lý." in texts
    )
    table = next(t for t in read.tables if t[0][:2] == ["Số", "Sự cố"])
    assert table[0] == ["Số", "Sự cố", "Mức độ", "Số tin", "Diễn biến", "Kết quả xử lý"]
    assert table[1] == [
        f"#{incident}",
        INCIDENT_TITLE,
        "Cao",
        "3",
        "Phát sinh 10:00 19/11/2026; kết thúc 16:00 22/11/2026",
        INCIDENT_CLOSING,
    ]
    assert [c.value for c in read.book["Sự cố"][1]][:4] == ["Số sự cố", "Sự cố", "Mức độ", "Trạng thái"]
    assert rows == [
        (
            incident,
            INCIDENT_TITLE,
            "Cao",
            "Đã kết thúc",
            local_wall(dt.datetime(2026, 11, 19, 10, 0, tzinfo=VN)),
            "Có",
            local_wall(dt.datetime(2026, 11, 22, 16, 0, tzinfo=VN)),
            "Có",
            3,
            "Văn phòng Cục",
            "Ba sự việc cùng phản ánh chậm thi hành bản án trong một tuần.",
            INCIDENT_CLOSING,
            f"{APP}/su-co/{incident}",
        )
    ]


def test_an_empty_period_says_there_was_nothing(seeded: SeededDatabase) -> None:
    read = build(seeded, "2025-W10")
    texts = [t for _, t in read.paragraphs]
    assert (
        "Trong tuần 10 năm 2025 (từ ngày 03/03/2025 đến ngày 09/03/2025), không có bài viết nào liên quan đến công "
        "tác thi hành án dân sự và không có hồ sơ xử lý thông tin báo chí nào." in texts
    )
    assert "Không có sự việc nào được báo chí phản ánh trong kỳ." in texts
    assert "Trong kỳ không có hồ sơ xử lý thông tin báo chí nào." in texts
    assert read.images == 0
    assert table_starting(read, "Chỉ tiêu")[1][1:] == ["0", "0", "không đổi"]
    assert "Trong kỳ không có sự cố truyền thông nào." in texts
    assert "Trong kỳ chưa ghi nhận bài đăng, video trên mạng xã hội nào về các sự việc được theo dõi." in texts
    assert [s.max_row for s in read.book.worksheets[1:]] == [1, 1, 1, 1, 1, 1, 1]  # headers only


@pytest.mark.parametrize(
    ("period", "province", "formats", "message"),
    [
        ("2026-W60", None, "docx", r"kỳ báo cáo '2026-W60': năm 2026 không có tuần 60"),
        ("quý 4", None, "docx", r"kỳ báo cáo 'quý 4' không hợp lệ; dùng 2026-W47"),
        ("2026", "Bình Dương", "docx", r"tỉnh, thành phố 'Bình Dương' không phải một trong 34"),
        ("2026", None, "pdf", r"định dạng 'pdf' không được hỗ trợ"),
        ("2026", None, "", r"định dạng \(trống\) không được hỗ trợ"),
    ],
)
def test_bad_input_is_refused_before_any_work(period: str, province: str | None, formats: str, message: str) -> None:
    not_a_database: Any = object()  # refused before the database is touched
    with pytest.raises(ReportError, match=message):
        build_report(not_a_database, period, province, formats, NOW)


def test_provinces_formats_and_file_names() -> None:
    assert resolve_province("Thanh Hoá") == "Thanh Hóa"
    assert resolve_province("tp hồ chí minh") == "Hồ Chí Minh"
    assert resolve_province("TỈNH ĐẮK LẮK") == "Đắk Lắk"
    assert resolve_province("toàn quốc") is None
    assert resolve_province("toan_quoc") is None
    assert resolve_province(" ") is None
    assert parse_formats(" DOCX, xlsx,docx") == ("docx", "xlsx")
    assert report_filename(parse_period("2026-11"), None, "docx") == "bao-cao-2026-11.docx"
    assert report_filename(parse_period("2026-W47"), "Đắk Lắk", "xlsx") == "bao-cao-2026-W47-dak-lak.xlsx"


def test_docx_headings_in_times_new_roman_and_the_case_table_widths(seeded: SeededDatabase) -> None:
    """ND 30/2020: Times New Roman everywhere, headings included (a theme font attribute would win over it);
    the urgent-case table's columns as set, the headline's the widest; the system named in Vietnamese."""
    files = build_report(seeded.db, "2026-W47", None, "docx", NOW, settings=ReportSettings(), app_url=APP)
    document = docx.Document(io.BytesIO(files["docx"]))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    for name in ("Normal", "Heading 1", "Heading 2", "Title"):
        fonts = document.styles[name].element.find(f"{w}rPr/{w}rFonts")
        assert fonts is not None, name
        assert {k.removeprefix(w): v for k, v in fonts.attrib.items()} == {
            "ascii": "Times New Roman",
            "hAnsi": "Times New Roman",
            "cs": "Times New Roman",
            "eastAsia": "Times New Roman",
        }, name
    used = {p.style.name for p in document.paragraphs if p.style is not None and p.style.name.startswith("Heading")}
    assert used == {"Heading 1", "Heading 2"}
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Số")
    assert [c.text for c in table.rows[0].cells] == [
        "Số",
        "Tiếp nhận",
        "Tỉnh, thành phố",
        "Mức",
        "Tiêu đề",
        "Kết quả xử lý",
    ]
    grid = [int(str(col.get(f"{w}w"))) for col in table._tbl.tblGrid.findall(f"{w}gridCol")]
    assert sum(grid) == pytest.approx(docx.shared.Cm(16).twips, abs=6)  # the text width of A4 less the margins
    assert max(grid) == grid[4] >= docx.shared.Cm(6).twips  # the headline
    layout = table._tbl.tblPr.find(f"{w}tblLayout")
    assert layout is not None
    assert layout.get(f"{w}type") == "fixed"
    assert all(
        abs(row.cells[c].width - docx.shared.Twips(grid[c])) < docx.shared.Twips(6)
        for row in table.rows
        for c in range(len(grid))
    )
    everything = "\n".join(
        [p.text for p in document.paragraphs]
        + [c.text for t in document.tables for r in t.rows for c in r.cells]
        + [document.core_properties.author]
    )
    assert "Press Monitor" not in everything
    assert document.core_properties.author == "Hệ thống theo dõi báo chí về thi hành án dân sự"
    assert "Báo cáo do hệ thống theo dõi báo chí về thi hành án dân sự lập lúc" in everything
    book = openpyxl.load_workbook(io.BytesIO(build_report(seeded.db, "2026-W47", None, "xlsx", NOW).get("xlsx", b"")))
    assert book.properties.creator == "Hệ thống theo dõi báo chí về thi hành án dân sự"
