"""Texts of the workflow's messages (Vietnamese, plain text; e-mail layout is the outbox sender's job)."""

from __future__ import annotations

import datetime as dt

from alerts.calendar import VN
from storage.records import Case, Deadline

KIND_VI = {
    "thong_tin_ban_dau": "thông tin ban đầu cho báo chí",
    "van_ban_tra_loi": "văn bản thông báo biện pháp giải quyết",
    "ket_luan_khieu_nai": "gửi kết luận giải quyết khiếu nại, tố cáo",
    "xac_nhan_noi_bo": "xác nhận đã nhận hồ sơ",
}


def when(moment: dt.datetime) -> str:
    local = moment.astimezone(VN)
    if local.time() == dt.time(0):
        return f"24:00 ngày {(local - dt.timedelta(days=1)):%d/%m/%Y}"
    return f"{local:%H:%M} ngày {local:%d/%m/%Y}"


def case_link(app_url: str, case: Case) -> str:
    return f"{app_url.rstrip('/')}/ho-so/{case.id}"


def new_case(case: Case, deadlines: list[Deadline], app_url: str) -> tuple[str, str]:
    subject = f"[{case.priority}] Hồ sơ #{case.id} – {case.province}: {case.title}"
    lines = [
        f"Hồ sơ xử lý thông tin báo chí #{case.id} ({case.priority}) được giao cho tỉnh/thành: {case.province}.",
        f"Bài báo: {case.title}",
        f"Lý do: {case.reason or '—'}",
        "",
        "Thời hạn:",
        *(f"  – {KIND_VI.get(d.kind, d.kind)}: {when(d.due_at)} ({d.basis})" for d in deadlines),
        "",
        f"Xem hồ sơ: {case_link(app_url, case)}",
    ]
    return subject, "\n".join(lines)


def reminder(case: Case, deadline: Deadline, point: str, app_url: str) -> tuple[str, str]:
    subject = f"Nhắc hạn: hồ sơ #{case.id} – {KIND_VI.get(deadline.kind, deadline.kind)} trước {when(deadline.due_at)}"
    text = (
        f"Hồ sơ #{case.id} ({case.province}): {case.title}\n"
        f"Còn hạn {KIND_VI.get(deadline.kind, deadline.kind)} đến {when(deadline.due_at)} (mốc nhắc: {point}).\n"
        f"Căn cứ: {deadline.basis}\nXem hồ sơ: {case_link(app_url, case)}"
    )
    return subject, text


def escalation(case: Case, deadline: Deadline, app_url: str) -> tuple[str, str]:
    subject = f"QUÁ HẠN: hồ sơ #{case.id} – {case.province} – {KIND_VI.get(deadline.kind, deadline.kind)}"
    text = (
        f"Hồ sơ #{case.id} ({case.province}, {case.priority}): {case.title}\n"
        f"Đã quá hạn {KIND_VI.get(deadline.kind, deadline.kind)} lúc {when(deadline.due_at)}.\n"
        f"Căn cứ: {deadline.basis}\nĐề nghị chỉ đạo xử lý. Xem hồ sơ: {case_link(app_url, case)}"
    )
    return subject, text
