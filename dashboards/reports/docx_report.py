"""The report as a Vietnamese administrative document (DOCX): header block, title, the press situation with its
charts, the notable stories with links, the handling of the cases, timeliness per province, the figures of
ND 244/2026's annual form, the communication incidents (docx_incidents), "Nơi nhận" and the signature block."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from io import BytesIO

from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm

from dashboards.reports import numbers, wording
from dashboards.reports.charts import Chart
from dashboards.reports.docx_incidents import incidents_section, social_section
from dashboards.reports.docx_layout import (
    blank_document,
    centred,
    closing_block,
    grid,
    header_block,
    hyperlink,
    text,
)
from dashboards.reports.figures import ALL, CaseLine, Comparison, ReportFigures
from dashboards.reports.settings import ReportSettings
from domain.enums import ANSWERED_STATUSES, OPEN_STATES, CaseState
from domain.labels import deadline_status_vi
from domain.localtime import VN
from storage.views.stats import KeyCount

SUBJECT = "Tình hình thông tin báo chí về công tác thi hành án dân sự"
HEADINGS = (
    "I. TÌNH HÌNH THÔNG TIN BÁO CHÍ",
    "II. CÁC SỰ VIỆC ĐƯỢC BÁO CHÍ PHẢN ÁNH NHIỀU",
    "III. TÌNH HÌNH XỬ LÝ, PHẢN HỒI THÔNG TIN BÁO CHÍ",
)


def subtitle(figures: ReportFigures) -> str:
    """Tình hình thông tin báo chí về công tác thi hành án dân sự tháng 11 năm 2026[ tại Cần Thơ]."""
    where = f" tại {figures.province}" if figures.province else ""
    return f"{SUBJECT} {figures.period.name}{where}"


def _compare(item: Comparison) -> list[str]:
    if item.share:
        return [
            numbers.percent(item.current),
            numbers.percent(item.previous),
            numbers.share_change(item.current, item.previous),
        ]
    current, previous = item.current, item.previous
    return [
        numbers.integer(int(current)) if current is not None else numbers.NONE,
        numbers.integer(int(previous)) if previous is not None else numbers.NONE,
        numbers.change(int(current) if current is not None else None, int(previous) if previous is not None else None),
    ]


def _leaders(rows: tuple[KeyCount, ...], name: Callable[[str | None], str], n: int = 3) -> str:
    return "; ".join(
        f"{name(r.key)} ({numbers.integer(r.count)} bài, {numbers.integer(r.negative)} tiêu cực)" for r in rows[:n]
    )


def _picture(document: Document, chart: Chart, number: int) -> None:
    document.add_picture(BytesIO(chart.png), width=Cm(16))
    document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    centred(document, f"Biểu đồ {number}. {chart.title}", italic=True, size=11)


def _situation(document: Document, figures: ReportFigures, charts: tuple[Chart, ...]) -> None:
    document.add_heading(HEADINGS[0], level=1)
    counts, where = figures.counts, f" tại {figures.province}" if figures.province else ""
    if figures.empty:
        document.add_paragraph(
            f"Trong {figures.period.name} ({figures.period.span}), không có bài viết nào liên quan đến công tác thi "
            f"hành án dân sự{where} và không có hồ sơ xử lý thông tin báo chí nào."
        )
    elif not counts.articles:
        document.add_paragraph(
            f"Trong {figures.period.name} ({figures.period.span}), không có bài viết nào liên quan đến công tác thi "
            f"hành án dân sự{where}."
        )
    else:
        change = numbers.change(counts.articles, figures.previous_counts.articles)
        document.add_paragraph(
            f"Trong {figures.period.name} ({figures.period.span}), hệ thống ghi nhận "
            f"{numbers.integer(counts.articles)} bài viết liên quan đến công tác thi hành án dân sự{where} trên "
            f"{numbers.integer(counts.outlets)} cơ quan báo chí, phản ánh {numbers.integer(counts.stories)} sự việc; "
            f"so với {figures.previous.name}: {change}. Trong đó có {numbers.integer(counts.negative)} bài tiêu cực "
            f"({numbers.percent(counts.negative / counts.articles)}), {numbers.integer(counts.neutral)} bài trung lập "
            f"và {numbers.integer(counts.positive)} bài tích cực."
        )
    document.add_heading("1. Số liệu tổng hợp", level=2)
    rows = [[item.label, *_compare(item)] for item in figures.summary]
    grid(
        document,
        ["Chỉ tiêu", "Kỳ này", f"Kỳ trước ({figures.previous.name})", "Thay đổi"],
        rows,
        widths_cm=[6.2, 2.6, 3.2, 4.0],
    )
    if not charts:
        return
    by_key = {c.key: c for c in charts}
    document.add_heading("2. Diễn biến theo thời gian", level=2)
    _picture(document, by_key["dien-bien"], 1)
    document.add_heading("3. Theo chủ đề", level=2)
    document.add_paragraph(f"Các chủ đề được phản ánh nhiều nhất: {_leaders(figures.topics, wording.topic)}.")
    _picture(document, by_key["chu-de"], 2)
    document.add_heading("4. Theo địa bàn", level=2)
    document.add_paragraph(f"Các địa bàn được nhắc đến nhiều nhất: {_leaders(figures.provinces, wording.place)}.")
    _picture(document, by_key["dia-ban"], 3)
    document.add_heading("5. Cơ quan báo chí đăng nhiều bài", level=2)
    named = "; ".join(
        f"{o.name} ({numbers.integer(o.count)} bài, {numbers.integer(o.negative)} tiêu cực)"
        for o in figures.outlets[:3]
    )
    document.add_paragraph(f"Các cơ quan báo chí đăng nhiều bài nhất: {named}.")
    _picture(document, by_key["co-quan-bao-chi"], 4)


def _stories(document: Document, figures: ReportFigures, settings: ReportSettings, app_url: str | None) -> None:
    document.add_heading(HEADINGS[1], level=1)
    stories = figures.stories[: settings.notable_stories]
    if not stories:
        document.add_paragraph("Không có sự việc nào được báo chí phản ánh trong kỳ.")
        return
    for number, story in enumerate(stories, start=1):
        paragraph = document.add_paragraph()
        text(paragraph, f"{number}. ")
        hyperlink(paragraph, story.first_url, story.title)
        text(
            paragraph,
            f" – {story.first_outlet}, {numbers.date(story.first_at.astimezone(VN).date())}; "
            f"{numbers.integer(story.copies)} bài trên {numbers.integer(story.outlets)} cơ quan báo chí "
            f"({numbers.integer(story.negative)} bài tiêu cực); chủ đề: {wording.topic(story.topic)}; "
            f"địa bàn: {wording.place(story.province)}.",
        )
        if story.case_id is not None:
            text(
                paragraph,
                f" Hồ sơ #{story.case_id} ({wording.priority(story.priority)}, {wording.state(story.case_state)})",
            )
            link = wording.case_link(app_url, story.case_id)
            if link:
                text(paragraph, ": ")
                hyperlink(paragraph, link, "xem hồ sơ")
            text(paragraph, ".")
    rest = len(figures.stories) - len(stories)
    if rest > 0:
        document.add_paragraph(f"Và {numbers.integer(rest)} sự việc khác (xem Phụ lục, trang tính “Sự việc”).")


def _handling(line: CaseLine) -> str:
    parts = [wording.state(line.case.state)]
    first = line.first_response
    if first is not None:
        parts.append(f"{wording.response_kind(first.kind)} lúc {numbers.moment(first.at)}")
    for d in line.deadlines:
        if not d.internal and d.status in ANSWERED_STATUSES:
            parts.append(f"{wording.deadline_kind(d.kind).lower()}: {deadline_status_vi(d.status)}")
    if line.overdue:
        parts.append("đang quá hạn")
    return "; ".join(parts)


def _cases(document: Document, figures: ReportFigures, settings: ReportSettings) -> None:
    document.add_heading(HEADINGS[2], level=1)
    document.add_heading("1. Hồ sơ xử lý thông tin báo chí", level=2)
    cases = figures.cases
    if not cases:
        document.add_paragraph("Trong kỳ không có hồ sơ xử lý thông tin báo chí nào.")
    else:
        states = Counter(c.case.state for c in cases)
        told = ", ".join(
            f"{numbers.integer(states[s])} {wording.state(s)}"
            for s in (CaseState.CLOSED, *reversed(OPEN_STATES), CaseState.DISMISSED)
            if states[s]
        )
        overdue = sum(c.overdue for c in cases)
        document.add_paragraph(
            f"Trong kỳ tiếp nhận {numbers.integer(len(cases))} hồ sơ xử lý thông tin báo chí: {told}; "
            f"{numbers.integer(overdue)} hồ sơ đang quá hạn."
        )
        rows = []
        for p in ("P1", "P2", "P3"):
            mine = [c for c in cases if c.case.priority == p]
            done = sum(c.case.state in ("responded", "closed") for c in mine)
            dropped = sum(c.case.state == "dismissed" for c in mine)
            rows.append(
                [
                    wording.priority(p),
                    numbers.integer(len(mine)),
                    numbers.integer(done),
                    numbers.integer(len(mine) - done - dropped),
                    numbers.integer(dropped),
                    numbers.integer(sum(c.overdue for c in mine)),
                ]
            )
        grid(
            document,
            ["Mức ưu tiên", "Số hồ sơ", "Đã phản hồi", "Đang xử lý", "Đã loại", "Quá hạn"],
            rows,
            widths_cm=[4.0, 2.4, 2.4, 2.4, 2.4, 2.4],
        )
        _case_list(document, figures, settings)
    _timeliness(document, figures)
    _annex(document, figures)


def _case_list(document: Document, figures: ReportFigures, settings: ReportSettings) -> None:
    notable = [c for c in figures.cases if c.case.priority == "P1" or c.overdue]
    shown = notable[: settings.case_rows]
    if not shown:
        return
    document.add_paragraph("Các hồ sơ khẩn và hồ sơ quá hạn:")
    rows = [
        [
            f"#{c.case.id}",
            numbers.moment(c.case.received_at),
            wording.place(c.case.province),
            c.case.priority,
            c.case.title,
            _handling(c),
        ]
        for c in shown
    ]
    grid(
        document,
        ["Số", "Tiếp nhận", "Tỉnh, thành phố", "Mức", "Tiêu đề", "Kết quả xử lý"],
        rows,
        widths_cm=[1.2, 2.2, 2.2, 1.2, 6.2, 3.0],  # the title widest: a headline on two or three lines
        size=10,
    )
    if len(notable) > len(shown):
        document.add_paragraph(
            f"Và {numbers.integer(len(notable) - len(shown))} hồ sơ khẩn hoặc quá hạn khác (xem Phụ lục, trang tính "
            "“Hồ sơ”)."
        )


def _timeliness(document: Document, figures: ReportFigures) -> None:
    document.add_heading("2. Tính kịp thời theo tỉnh, thành phố", level=2)
    if not figures.timeliness:
        document.add_paragraph("Không có hồ sơ để đánh giá tính kịp thời.")
        return
    rows = [
        [
            "Tất cả" if t.province == ALL else wording.place(t.province),
            numbers.integer(t.cases),
            numbers.percent(t.acknowledged_in_time),
            numbers.percent(t.responded_in_time),
            numbers.hours(t.median_hours_to_respond),
            numbers.integer(t.overdue),
        ]
        for t in figures.timeliness
        if not (figures.province and t.province == ALL)  # one province: its row is the total
    ]
    grid(
        document,
        [
            "Tỉnh, thành phố",
            "Hồ sơ",
            "Xác nhận đúng hạn",
            "Trả lời đúng hạn",
            "Thời gian phản hồi (trung vị)",
            "Quá hạn",
        ],
        rows,
        widths_cm=[4.2, 1.8, 2.5, 2.5, 3.0, 2.0],
        size=10,
        bold_last=figures.province is None,
    )
    paragraph = document.add_paragraph()
    text(
        paragraph,
        "Xác nhận đúng hạn: đầu mối xác nhận đã nhận hồ sơ trong thời hạn nội bộ; trả lời đúng hạn: các thời hạn "
        "luật định đã đến hạn được đáp ứng; thời gian phản hồi: từ khi tiếp nhận đến phản hồi đầu tiên; quá hạn: "
        "số thời hạn đã qua mà chưa thực hiện, tính đến thời điểm lập báo cáo.",
        italic=True,
        size=11,
    )


def _annex(document: Document, figures: ReportFigures) -> None:
    document.add_heading("3. Số liệu theo mẫu báo cáo hằng năm (Nghị định 244/2026/NĐ-CP)", level=2)
    annex = figures.annex
    rows = [
        [
            "Số vụ việc phát ngôn, cung cấp thông tin đúng hạn / tổng số vụ việc có áp dụng thời hạn",
            f"{numbers.integer(annex.statutory_met)}/{numbers.integer(annex.statutory_total)}",
            numbers.percent(annex.statutory_met / annex.statutory_total if annex.statutory_total else None),
        ],
        [
            "Số vụ việc có văn bản phản hồi, yêu cầu cải chính / tổng số vụ việc",
            f"{numbers.integer(annex.written_replies)}/{numbers.integer(annex.matters)}",
            numbers.percent(annex.written_replies / annex.matters if annex.matters else None),
        ],
        [
            "Số vụ việc yêu cầu cải chính đã được cải chính / tổng số vụ việc có yêu cầu cải chính",
            f"{numbers.integer(annex.corrected)}/{numbers.integer(annex.corrections_requested)}",
            numbers.percent(annex.corrected / annex.corrections_requested if annex.corrections_requested else None),
        ],
        [
            "Số vụ việc cơ quan báo chí không cải chính đúng hạn",
            numbers.integer(annex.not_corrected),
            numbers.percent(annex.not_corrected / annex.corrections_requested if annex.corrections_requested else None),
        ],
    ]
    grid(document, ["Chỉ tiêu", "Số liệu", "Tỷ lệ"], rows, widths_cm=[10.5, 2.8, 2.7])
    paragraph = document.add_paragraph()
    text(
        paragraph,
        "Vụ việc có áp dụng thời hạn: vụ việc có thời hạn luật định đã đến hạn hoặc đã thực hiện; không tính hồ sơ "
        "đã loại.",
        italic=True,
        size=11,
    )


def render_docx(
    figures: ReportFigures, charts: tuple[Chart, ...], *, settings: ReportSettings, app_url: str | None = None
) -> bytes:
    document = blank_document()
    core = document.core_properties
    core.title, core.author, core.subject = f"Báo cáo {subtitle(figures)}", wording.PRODUCT, SUBJECT
    header_block(
        document,
        parent=settings.parent_organisation,
        organisation=settings.organisation,
        number=f"Số:        /{settings.document_code}",
        date_line=numbers.place_and_date(settings.place, figures.generated_at.astimezone(VN).date()),
    )
    centred(document, "")
    centred(document, "BÁO CÁO", bold=True, size=14)
    centred(document, subtitle(figures), bold=True, size=14)
    centred(document, f"({figures.period.span[:1].upper()}{figures.period.span[1:]})", italic=True, size=13)
    centred(document, "")
    _situation(document, figures, charts)
    _stories(document, figures, settings, app_url)
    _cases(document, figures, settings)
    incidents_section(document, figures)
    social_section(document, figures)
    document.add_paragraph(
        f"Trên đây là báo cáo {SUBJECT[:1].lower()}{SUBJECT[1:]} {figures.period.name}"
        f"{' tại ' + figures.province if figures.province else ''}. Số liệu chi tiết tại Phụ lục kèm theo (tệp XLSX)."
    )
    note = document.add_paragraph()
    text(
        note,
        f"Báo cáo do {wording.PRODUCT[:1].lower()}{wording.PRODUCT[1:]} lập lúc "
        f"{numbers.moment(figures.generated_at)} (giờ Việt Nam).",
        italic=True,
        size=10,
    )
    closing_block(
        document,
        recipients=settings.recipients,
        signer_title=settings.signer_title,
        signer_name=settings.signer_name,
    )
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
