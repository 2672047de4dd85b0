"""The report's section on communication incidents (sự cố truyền thông): each incident active in the period, when
it was declared and closed, its severity, how many stories it grouped, and its closing summary; then the section on
the stories' reaction on social media (posts, comments, reactions, shares, the comments' tone)."""

from __future__ import annotations

from docx.document import Document

from dashboards.reports import numbers
from dashboards.reports.docx_layout import grid
from dashboards.reports.figures import IncidentLine, ReportFigures
from domain.enums import IncidentState
from domain.labels import incident_severity_vi, incident_state_vi

HEADING = "IV. SỰ CỐ TRUYỀN THÔNG"


def _progress(line: IncidentLine) -> str:
    incident = line.incident
    parts = [f"Phát sinh {numbers.moment(incident.declared_at)}" + ("" if line.opened else " (kỳ trước)")]
    if incident.closed_at is not None and incident.state == IncidentState.CLOSED:
        parts.append(f"kết thúc {numbers.moment(incident.closed_at)}")
    else:
        parts.append(incident_state_vi(incident.state).lower())
    return "; ".join(parts)


def incidents_section(document: Document, figures: ReportFigures) -> None:
    document.add_heading(HEADING, level=1)
    lines = figures.incidents
    if not lines:
        document.add_paragraph("Trong kỳ không có sự cố truyền thông nào.")
        return
    opened = sum(line.opened for line in lines)
    closed = sum(line.closed for line in lines)
    still_open = sum(line.incident.state == IncidentState.OPEN for line in lines)
    document.add_paragraph(
        f"Trong kỳ có {numbers.integer(len(lines))} sự cố truyền thông được theo dõi: "
        f"{numbers.integer(opened)} sự cố phát sinh trong kỳ, {numbers.integer(closed)} sự cố kết thúc trong kỳ, "
        f"{numbers.integer(still_open)} sự cố đang xử lý."
    )
    rows = [
        [
            f"#{line.incident.id}",
            line.incident.title,
            incident_severity_vi(line.incident.severity),
            numbers.integer(line.stories),
            _progress(line),
            line.incident.closing_summary or "",
        ]
        for line in lines
    ]
    grid(
        document,
        ["Số", "Sự cố", "Mức độ", "Số tin", "Diễn biến", "Kết quả xử lý"],
        rows,
        widths_cm=[1.2, 4.6, 1.9, 1.3, 3.2, 4.8],
        size=10,
    )


SOCIAL_HEADING = "V. PHẢN ỨNG TRÊN MẠNG XÃ HỘI"


def social_section(document: Document, figures: ReportFigures) -> None:
    """The stories whose posts and videos on social media drew the most reaction in the period."""
    document.add_heading(SOCIAL_HEADING, level=1)
    lines = figures.social
    if not lines:
        document.add_paragraph(
            "Trong kỳ chưa ghi nhận bài đăng, video trên mạng xã hội nào về các sự việc được theo dõi."
        )
        return
    document.add_paragraph(
        f"Các sự việc có phản ứng lớn nhất trên mạng xã hội trong kỳ ({numbers.integer(len(lines))} sự việc, "
        "theo số bình luận, lượt bày tỏ cảm xúc và lượt chia sẻ trên các bài đăng, video chia sẻ hoặc nói về tin):"
    )
    rows = [
        [
            f"#{r.story_id}",
            r.title,
            numbers.integer(len(r.posts)),
            numbers.integer(r.comments),
            numbers.integer(r.reactions),
            numbers.integer(r.shares),
            " / ".join(f"{r.tone_percent(t)}%" for t in ("tieu_cuc", "trung_lap", "tich_cuc")) if r.toned else "—",
        ]
        for r in lines
    ]
    grid(
        document,
        ["Số", "Sự việc", "Bài đăng, video", "Bình luận", "Cảm xúc", "Chia sẻ", "Tiêu cực / trung lập / tích cực"],
        rows,
        widths_cm=[1.2, 5.6, 1.6, 1.6, 1.6, 1.6, 3.8],
        size=10,
    )
