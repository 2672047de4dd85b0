"""The workflow's messages (Vietnamese): subject, plain text and HTML, written into the outbox as they will be
sent (the HTML is rendered when the message is written, so the outbox row is the message)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from alerts.render import render
from domain.enums import Priority
from domain.labels import priority_vi, province_vi
from domain.localtime import VN
from domain.provinces import FORMER, SPELLINGS
from domain.records import Case, Deadline, FeedHealth
from domain.text import normalize_vietnamese

KIND_VI = {
    "thong_tin_ban_dau": "thông tin ban đầu cho báo chí",
    "van_ban_tra_loi": "văn bản thông báo biện pháp giải quyết",
    "ket_luan_khieu_nai": "gửi kết luận giải quyết khiếu nại, tố cáo",
    "xac_nhan_noi_bo": "xác nhận đã nhận hồ sơ",
}
BAND = "THADS · Theo dõi và phản hồi thông tin báo chí"


@dataclass(frozen=True, slots=True)
class Content:
    """A message's words, before it is addressed: subject, plain text, HTML, and the pages it points to."""

    subject: str
    text: str
    html: str
    links: tuple[str, ...] = ()


def when(moment: dt.datetime) -> str:
    local = moment.astimezone(VN)
    if local.time() == dt.time(0):
        return f"24:00 ngày {(local - dt.timedelta(days=1)):%d/%m/%Y}"
    return f"{local:%H:%M} ngày {local:%d/%m/%Y}"


def case_link(app_url: str, case: Case) -> str:
    return f"{app_url.rstrip('/')}/ho-so/{case.id}"


def preferences_link(app_url: str) -> str:
    """The user's own preferences page; empty when the web app's address is not known."""
    return f"{app_url.rstrip('/')}/tai-khoan" if app_url else ""


def plain_html(subject: str, text: str, app_url: str, *, urgent: bool = False) -> str:
    """HTML for a message written as plain text only (its lines as paragraphs, links clickable)."""
    return render(
        "plain.html",
        title=subject,
        band=BAND,
        urgent=urgent,
        preferences_link=preferences_link(app_url),
        lines=text.splitlines(),
    )


# A headline's place label: "Lạng Sơn: …", "TP.HCM – …", "Sóc Trăng - …".
_PLACE_LABEL = re.compile(r"^\s*(?P<place>[^:–—]{2,40}?)\s*(:|\s[–—-]\s)\s*(?P<rest>.+)$", re.DOTALL)


def case_heading(case: Case) -> str:
    """The province and the headline once: "Lạng Sơn: Bản án …" whether or not the headline starts with the
    province; a headline starting with a former name of it keeps that name beside the current one
    ("Cần Thơ (Sóc Trăng): Nguyên 4 cán bộ …")."""
    province = province_vi(case.province)
    match = _PLACE_LABEL.match(case.title)
    if match and case.province:
        place = normalize_vietnamese(match["place"]).casefold()
        current = (case.province, *SPELLINGS.get(case.province, ()))
        if place in {normalize_vietnamese(name).casefold() for name in current}:
            return f"{province}: {match['rest']}"
        former = {normalize_vietnamese(name).casefold(): name for name in FORMER.get(case.province, ())}
        if place in former:
            return f"{province} ({former[place]}): {match['rest']}"
    return f"{province}: {case.title}"


def new_case(case: Case, deadlines: list[Deadline], app_url: str) -> Content:
    province = province_vi(case.province)
    subject = f"[{case.priority}] Hồ sơ #{case.id} – {case_heading(case)}"
    lines = [
        f"Hồ sơ xử lý thông tin báo chí #{case.id} ({case.priority}) được giao cho tỉnh/thành: {province}.",
        f"Bài báo: {case.title}",
        f"Lý do: {case.reason or '—'}",
        "",
        "Thời hạn:",
        *(f"  – {KIND_VI.get(d.kind, d.kind)}: {when(d.due_at)} ({d.basis})" for d in deadlines),
        "",
        f"Xem hồ sơ: {case_link(app_url, case)}",
    ]
    html = render(
        "case.html",
        title=subject,
        band=BAND + (" · KHẨN" if case.priority == Priority.P1 else ""),
        urgent=case.priority == Priority.P1,
        preferences_link=preferences_link(app_url),
        case=case,
        province=province,
        priority_label=priority_vi(case.priority),
        received=when(case.received_at),
        deadlines=[{"kind": KIND_VI.get(d.kind, d.kind), "due": when(d.due_at), "basis": d.basis} for d in deadlines],
        link=case_link(app_url, case),
    )
    return Content(subject, "\n".join(lines), html, (case_link(app_url, case),))


def reminder(case: Case, deadline: Deadline, point: str, app_url: str) -> Content:
    kind, province = KIND_VI.get(deadline.kind, deadline.kind), province_vi(case.province)
    subject = f"Nhắc hạn: hồ sơ #{case.id} – {kind} trước {when(deadline.due_at)}"
    text = (
        f"Hồ sơ #{case.id} ({province}): {case.title}\n"
        f"Còn hạn {kind} đến {when(deadline.due_at)} (mốc nhắc: {point}).\n"
        f"Căn cứ: {deadline.basis}\nXem hồ sơ: {case_link(app_url, case)}"
    )
    html = render(
        "reminder.html",
        title=subject,
        band=BAND,
        urgent=False,
        preferences_link=preferences_link(app_url),
        case=case,
        province=province,
        kind=kind,
        due=when(deadline.due_at),
        point=point,
        basis=deadline.basis,
        link=case_link(app_url, case),
    )
    return Content(subject, text, html, (case_link(app_url, case),))


def escalation(case: Case, deadline: Deadline, app_url: str) -> Content:
    kind, province = KIND_VI.get(deadline.kind, deadline.kind), province_vi(case.province)
    subject = f"QUÁ HẠN: hồ sơ #{case.id} – {province} – {kind}"
    text = (
        f"Hồ sơ #{case.id} ({province}, {case.priority}): {case.title}\n"
        f"Đã quá hạn {kind} lúc {when(deadline.due_at)}.\n"
        f"Căn cứ: {deadline.basis}\nĐề nghị chỉ đạo xử lý. Xem hồ sơ: {case_link(app_url, case)}"
    )
    html = render(
        "escalation.html",
        title=subject,
        band=BAND + " · QUÁ HẠN",
        urgent=True,
        preferences_link=preferences_link(app_url),
        case=case,
        province=province,
        kind=kind,
        due=when(deadline.due_at),
        basis=deadline.basis,
        link=case_link(app_url, case),
    )
    return Content(subject, text, html, (case_link(app_url, case),))


FEED_STATE_VI = {
    "ok": "bình thường",
    "failing": "đang lỗi",
    "silent": "im lặng bất thường",
    "new": "chưa có dữ liệu",
    "disabled": "tắt",
}


def feed_warning(health: FeedHealth, now: dt.datetime, app_url: str) -> Content:
    """The message about a broken feed (plain text: its HTML is laid out from the text when it is sent)."""
    subject = f"Nguồn tin {FEED_STATE_VI[health.state]}: {health.outlet_slug} – {health.url}"
    last = (
        health.last_new_article_at.astimezone(VN).strftime("%H:%M ngày %d/%m/%Y") if health.last_new_article_at else "—"
    )
    link = f"{app_url.rstrip('/')}/nguon-tin"
    lines = [
        f"Nguồn tin {health.url} ({health.outlet_slug}) đang ở trạng thái “{FEED_STATE_VI[health.state]}”.",
        f"Số lần lỗi liên tiếp: {health.consecutive_failures}. Bài mới gần nhất: {last}.",
        f"Vấn đề gần nhất: {health.problem or '—'}",
        f"Kiểm tra lúc {now.astimezone(VN):%H:%M ngày %d/%m/%Y}.",
        f"Xem tình trạng nguồn tin: {link}",
    ]
    return Content(subject, "\n".join(lines), "", (link,))
