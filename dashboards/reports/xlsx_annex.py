"""The report's XLSX annex: a summary sheet, then one sheet per table (articles, stories, cases, deadlines,
timeliness, communication incidents), with typed cells, Vietnamese headers and values."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from dashboards.reports import wording
from dashboards.reports.figures import ALL, ReportFigures
from dashboards.reports.xlsx_writer import Cell, Column, Kind, Typed, Workbook
from domain.labels import incident_severity_vi, incident_state_vi
from domain.localtime import VN

SHEETS = ("Tổng hợp", "Bài viết", "Sự việc", "Hồ sơ", "Thời hạn", "Đúng hạn", "Sự cố", "Phản ứng trên mạng xã hội")


def _summary(figures: ReportFigures) -> Iterator[Sequence[Cell]]:
    where = wording.scope(figures.province)
    yield ("Kỳ báo cáo", figures.period.name, figures.previous.name, None)
    yield ("Từ ngày", figures.period.first_day, figures.previous.first_day, None)
    yield ("Đến ngày", figures.period.last_day, figures.previous.last_day, None)
    yield ("Phạm vi", where[:1].upper() + where[1:], None, None)
    for item in figures.summary:
        kind = Kind.PERCENT if item.share else Kind.INT
        delta = None
        if item.current is not None and item.previous is not None:
            delta = item.current - item.previous
        yield (item.label, Typed(item.current, kind), Typed(item.previous, kind), Typed(delta, kind))
    annex = figures.annex
    yield ("NĐ 244/2026: vụ việc phát ngôn, trả lời đúng hạn", annex.statutory_met, None, None)
    yield ("NĐ 244/2026: tổng số vụ việc có áp dụng thời hạn", annex.statutory_total, None, None)
    yield ("NĐ 244/2026: vụ việc có văn bản phản hồi, yêu cầu cải chính", annex.written_replies, None, None)
    yield ("NĐ 244/2026: tổng số vụ việc", annex.matters, None, None)
    yield ("Vụ việc có yêu cầu cải chính", annex.corrections_requested, None, None)
    yield ("Vụ việc đã được cải chính", annex.corrected, None, None)
    yield ("Vụ việc không được cải chính đúng hạn", annex.not_corrected, None, None)


def _articles(figures: ReportFigures) -> Iterator[Sequence[Cell]]:
    for a in figures.articles:
        yield (
            a.id,
            a.published_at,
            a.outlet,
            a.title,
            wording.topic(a.topic),
            wording.tone(a.sentiment),
            wording.place(a.province),
            a.story_id,
            a.url,
        )


def _stories(figures: ReportFigures) -> Iterator[Sequence[Cell]]:
    for s in figures.stories:
        yield (
            s.story_id,
            s.title,
            s.first_at,
            s.copies,
            s.outlets,
            s.negative,
            wording.topic(s.topic),
            wording.place(s.province),
            s.case_id,
            wording.priority(s.priority) or None,
            wording.state(s.case_state) or None,
            s.first_outlet,
            s.first_url,
        )


def _cases(figures: ReportFigures, app_url: str | None) -> Iterator[Sequence[Cell]]:
    for line in figures.cases:
        case, first = line.case, line.first_response
        hours = line.hours_to_respond
        yield (
            case.id,
            case.received_at,
            wording.place(case.province),
            wording.priority(case.priority),
            wording.state(case.state),
            case.title,
            case.reason,
            first.at if first else None,
            wording.response_kind(first.kind) if first else None,
            round(hours, 1) if hours is not None else None,
            wording.yes_no(line.written_reply),
            wording.yes_no(line.overdue),
            wording.case_link(app_url, case.id),
        )


def _deadlines(figures: ReportFigures) -> Iterator[Sequence[Cell]]:
    now = figures.generated_at
    for line in figures.cases:
        for d in line.deadlines:
            yield (
                d.case_id,
                wording.place(line.case.province),
                wording.deadline_kind(d.kind),
                d.due_at,
                "Nội bộ" if d.internal else "Luật định",
                wording.deadline_status(d, now),
                d.met_at,
                d.basis,
            )


def _timeliness(figures: ReportFigures) -> Iterator[Sequence[Cell]]:
    for t in figures.timeliness:
        if figures.province and t.province == ALL:
            continue  # one province: its own row is the total
        yield (
            "Tất cả" if t.province == ALL else wording.place(t.province),
            t.cases,
            t.dismissed,
            t.acknowledged_in_time,
            t.responded_in_time,
            t.statutory_met,
            t.statutory_total,
            t.written_replies,
            t.corrections_requested,
            t.not_corrected,
            t.median_hours_to_respond,
            t.overdue,
            t.backlog.get("<1 ngày", 0),
            t.backlog.get("1–7 ngày", 0),
            t.backlog.get(">7 ngày", 0),
        )


def _incidents(figures: ReportFigures, app_url: str | None) -> Iterator[Sequence[Cell]]:
    for line in figures.incidents:
        i = line.incident
        yield (
            i.id,
            i.title,
            incident_severity_vi(i.severity),
            incident_state_vi(i.state),
            i.declared_at,
            wording.yes_no(line.opened),
            i.closed_at,
            wording.yes_no(line.closed),
            line.stories,
            i.owner_name or i.owner_email,
            i.summary or None,
            i.closing_summary,
            wording.incident_link(app_url, i.id),
        )


def _social(figures: ReportFigures, app_url: str | None) -> Iterator[Sequence[Cell]]:
    base = (app_url or "").rstrip("/")
    for r in figures.social:
        yield (
            r.story_id,
            r.title,
            len(r.posts),
            r.comments,
            r.reactions,
            r.shares,
            r.views,
            (r.tones or {}).get("tieu_cuc", 0) / r.toned if r.toned else None,
            (r.tones or {}).get("trung_lap", 0) / r.toned if r.toned else None,
            (r.tones or {}).get("tich_cuc", 0) / r.toned if r.toned else None,
            f"{base}/phan-loai/{r.story_id}" if base else None,
        )


def render_xlsx(figures: ReportFigures, *, app_url: str | None = None) -> bytes:
    book = Workbook(
        title=f"Phụ lục số liệu báo cáo {figures.period.name}",
        created_at=figures.generated_at,
        zone=VN,
        creator=wording.PRODUCT,
    )
    T, ID, INT, N, P, DT = Kind.TEXT, Kind.ID, Kind.INT, Kind.NUMBER, Kind.PERCENT, Kind.DATETIME
    book.add_sheet(
        SHEETS[0],
        [
            Column("Chỉ tiêu", T, 58),
            Column("Kỳ này", INT, 20),
            Column("Kỳ trước", INT, 20),
            Column("Chênh lệch", INT, 12),
        ],
        _summary(figures),
    )
    book.add_sheet(
        SHEETS[1],
        [
            Column("Mã bài", ID, 9),
            Column("Ngày đăng (giờ Việt Nam)", DT, 17),
            Column("Cơ quan báo chí", T, 24),
            Column("Tiêu đề", T, 70),
            Column("Chủ đề", T, 28),
            Column("Sắc thái", T, 11),
            Column("Tỉnh, thành phố", T, 16),
            Column("Mã sự việc", ID, 10),
            Column("Đường dẫn", T, 50),
        ],
        _articles(figures),
    )
    book.add_sheet(
        SHEETS[2],
        [
            Column("Mã sự việc", ID, 10),
            Column("Tiêu đề", T, 70),
            Column("Bài đầu tiên trong kỳ", DT, 17),
            Column("Số bài", INT, 8),
            Column("Số cơ quan báo chí", INT, 10),
            Column("Số bài tiêu cực", INT, 10),
            Column("Chủ đề", T, 28),
            Column("Tỉnh, thành phố", T, 16),
            Column("Số hồ sơ", ID, 9),
            Column("Mức ưu tiên", T, 16),
            Column("Trạng thái hồ sơ", T, 14),
            Column("Cơ quan đăng đầu tiên", T, 24),
            Column("Đường dẫn bài đầu tiên", T, 50),
        ],
        _stories(figures),
    )
    book.add_sheet(
        SHEETS[3],
        [
            Column("Số hồ sơ", ID, 9),
            Column("Tiếp nhận (giờ Việt Nam)", DT, 17),
            Column("Tỉnh, thành phố", T, 16),
            Column("Mức ưu tiên", T, 16),
            Column("Trạng thái", T, 13),
            Column("Tiêu đề", T, 60),
            Column("Lý do", T, 36),
            Column("Phản hồi đầu tiên", DT, 17),
            Column("Loại phản hồi đầu tiên", T, 20),
            Column("Số giờ đến phản hồi", N, 11),
            Column("Có văn bản trả lời, yêu cầu cải chính", T, 14),
            Column("Quá hạn", T, 9),
            Column("Đường dẫn hồ sơ", T, 36),
        ],
        _cases(figures, app_url),
    )
    book.add_sheet(
        SHEETS[4],
        [
            Column("Số hồ sơ", ID, 9),
            Column("Tỉnh, thành phố", T, 16),
            Column("Thời hạn", T, 40),
            Column("Hạn (giờ Việt Nam)", DT, 17),
            Column("Loại", T, 10),
            Column("Tình trạng", T, 16),
            Column("Hoàn thành lúc", DT, 17),
            Column("Căn cứ", T, 70),
        ],
        _deadlines(figures),
    )
    book.add_sheet(
        SHEETS[5],
        [
            Column("Tỉnh, thành phố", T, 20),
            Column("Số hồ sơ", ID, 9),
            Column("Đã loại", INT, 8),
            Column("Xác nhận đúng hạn", P, 11),
            Column("Trả lời đúng hạn", P, 11),
            Column("Vụ việc trả lời đúng hạn", INT, 12),
            Column("Vụ việc có thời hạn luật định", INT, 12),
            Column("Có văn bản trả lời, yêu cầu cải chính", INT, 14),
            Column("Có yêu cầu cải chính", INT, 11),
            Column("Không cải chính đúng hạn", INT, 11),
            Column("Trung vị số giờ đến phản hồi", N, 12),
            Column("Thời hạn đang quá hạn", INT, 10),
            Column("Tồn dưới 1 ngày", INT, 9),
            Column("Tồn 1–7 ngày", INT, 9),
            Column("Tồn trên 7 ngày", INT, 9),
        ],
        _timeliness(figures),
    )
    book.add_sheet(
        SHEETS[6],
        [
            Column("Số sự cố", ID, 9),
            Column("Sự cố", T, 50),
            Column("Mức độ", T, 12),
            Column("Trạng thái", T, 12),
            Column("Phát sinh (giờ Việt Nam)", DT, 17),
            Column("Phát sinh trong kỳ", T, 10),
            Column("Kết thúc (giờ Việt Nam)", DT, 17),
            Column("Kết thúc trong kỳ", T, 10),
            Column("Số tin", INT, 8),
            Column("Người phụ trách", T, 20),
            Column("Mô tả", T, 40),
            Column("Kết quả xử lý", T, 50),
            Column("Đường dẫn sự cố", T, 36),
        ],
        _incidents(figures, app_url),
    )
    book.add_sheet(
        SHEETS[7],
        [
            Column("Mã sự việc", ID, 10),
            Column("Tiêu đề", T, 70),
            Column("Bài đăng, video", INT, 10),
            Column("Bình luận", INT, 10),
            Column("Lượt bày tỏ cảm xúc", INT, 12),
            Column("Lượt chia sẻ", INT, 10),
            Column("Lượt xem", INT, 10),
            Column("Bình luận tiêu cực", P, 11),
            Column("Bình luận trung lập", P, 11),
            Column("Bình luận tích cực", P, 11),
            Column("Đường dẫn", T, 36),
        ],
        _social(figures, app_url),
    )
    return book.to_bytes()
