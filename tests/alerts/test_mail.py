"""E-mail messages built from outbox rows: parts, encodings, headers, HTML without external resources."""

from __future__ import annotations

import dataclasses
import datetime as dt
import email
import re
from email.policy import default
from html.parser import HTMLParser

import pytest

from alerts import messages
from alerts.mail import build_message, message_id
from alerts.settings import MailSettings
from domain.records import Case, Deadline, Notification, NotificationAttachment
from tests.alerts.seed import APP_URL, T0

SETTINGS = MailSettings(host="127.0.0.1", from_address="canhbao@thads.example", message_id_domain="thads.example")
CASE = Case(
    id=17,
    story_id=3,
    title="Người dân phản ánh <chấp hành viên> “làm khó” & chậm kê biên tại Cần Thơ",
    priority="P1",
    state="assigned",
    province="Cần Thơ",
    received_at=T0,
    updated_at=T0,
    reason="Sai phạm của cán bộ, cơ quan thi hành án",
)
DEADLINES = [
    Deadline(
        case_id=17, kind="thong_tin_ban_dau", due_at=T0 + dt.timedelta(hours=24), basis="Nghị định 244/2026/NĐ-CP"
    ),
    Deadline(case_id=17, kind="van_ban_tra_loi", due_at=T0 + dt.timedelta(days=21), basis="Nghị định 237/2026/NĐ-CP"),
]


def _notification(message: messages.Content, **changes: object) -> Notification:
    fields: dict[str, object] = {
        "id": 42,
        "kind": "alert",
        "recipient": "daumoi.cantho@thads.vn",
        "subject": message.subject,
        "text": message.text,
        "html": message.html,
        "created_at": T0,
        "dedupe_key": "case:17:new:daumoi.cantho@thads.vn",
        "case_id": 17,
        "urgent": True,
    }
    return Notification(**{**fields, **changes})  # type: ignore[arg-type]


class _Resources(HTMLParser):
    """Everything in an HTML document that would make a mail client fetch or apply something external."""

    def __init__(self) -> None:
        super().__init__()
        self.external: list[str] = []
        self.hrefs: list[str] = []
        self.styled = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("link", "script", "style", "img", "iframe", "object"):
            self.external.append(tag)
        self.external += [f"{tag}[{k}]" for k in ("src", "background", "srcset") if k in values]
        if "url(" in (values.get("style") or ""):
            self.external.append(f"{tag}[style=url()]")
        self.styled += "style" in values
        if tag == "a" and values.get("href"):
            self.hrefs.append(str(values["href"]))


@pytest.mark.parametrize(
    "message",
    [
        messages.new_case(CASE, DEADLINES, APP_URL),
        messages.reminder(CASE, DEADLINES[0], "80%", APP_URL),
        messages.escalation(CASE, DEADLINES[0], APP_URL),
    ],
    ids=["alert", "reminder", "escalation"],
)
def test_every_workflow_message_is_plain_text_plus_self_contained_escaped_html(message: messages.Content) -> None:
    raw = build_message(_notification(message), SETTINGS).as_bytes()
    raw.decode("ascii")  # 7-bit: encoded words and base64 / quoted-printable only
    parsed = email.message_from_bytes(raw, policy=default)
    assert str(parsed["Subject"]) == message.subject
    plain, html = (parsed.get_body(preferencelist=(kind,)) for kind in ("plain", "html"))  # type: ignore[attr-defined]
    assert plain.get_content().replace("\r\n", "\n").rstrip("\n") == message.text
    body = html.get_content()
    assert "&lt;chấp hành viên&gt; “làm khó” &amp; chậm kê biên" in body  # escaped, not markup
    assert "<chấp hành viên>" not in body
    found = _Resources()
    found.feed(body)
    assert found.external == []
    assert found.styled >= 10  # styles are inline attributes
    assert found.hrefs
    assert all(h.startswith(APP_URL) for h in found.hrefs), found.hrefs
    assert f"{APP_URL}/ho-so/17" in found.hrefs


def test_headers_message_id_and_urgency() -> None:
    note = _notification(messages.new_case(CASE, DEADLINES, APP_URL))
    built = build_message(note, SETTINGS)
    assert built["Message-ID"] == message_id(note, "thads.example")
    assert build_message(note, SETTINGS)["Message-ID"] == built["Message-ID"]  # stable
    other = _notification(messages.new_case(CASE, DEADLINES, APP_URL), id=43, dedupe_key="case:17:new:khac@thads.vn")
    assert build_message(other, SETTINGS)["Message-ID"] != built["Message-ID"]
    stored = _notification(messages.new_case(CASE, DEADLINES, APP_URL), message_id="<da-luu@thads.example>")
    assert build_message(stored, SETTINGS)["Message-ID"] == "<da-luu@thads.example>"  # as first sent
    assert built["Date"] == "Mon, 16 Nov 2026 09:00:00 +0700"  # when it was written, Hà Nội time
    assert (built["Importance"], built["X-THADS-Kind"], built["X-THADS-Case"]) == ("high", "alert", "17")
    assert (
        build_message(_notification(messages.reminder(CASE, DEADLINES[0], "50%", APP_URL), urgent=False), SETTINGS)[
            "Importance"
        ]
        is None
    )
    assert re.fullmatch(r"<thads\.42\.[0-9a-f]{16}@thads\.example>", built["Message-ID"])
    assert MailSettings(from_address="canhbao@thads.example").domain == "thads.example"


def test_attachments_keep_their_vietnamese_names_and_bytes() -> None:
    report = NotificationAttachment(
        filename="Báo cáo tháng 11 – Cần Thơ.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        data=bytes(range(256)) * 40,
    )
    note = _notification(messages.new_case(CASE, DEADLINES, APP_URL), kind="report")
    parsed = email.message_from_bytes(build_message(note, SETTINGS, attachments=(report,)).as_bytes(), policy=default)
    assert parsed.get_content_type() == "multipart/mixed"
    (attachment,) = list(parsed.iter_attachments())  # type: ignore[attr-defined]
    assert attachment.get_filename() == report.filename
    assert attachment.get_content_type() == report.content_type
    assert attachment.get_content() == report.data
    assert parsed.get_body(preferencelist=("html",)) is not None  # type: ignore[attr-defined]


def test_a_row_without_html_gets_its_text_laid_out_as_html() -> None:
    text = "Báo cáo định kỳ tháng 11/2026 đã sẵn sàng.\nXem tại:\nhttps://giamsat.thads.example/bao-cao"
    note = Notification(
        id=5,
        kind="report",
        recipient="lanhdao@thads.vn",
        subject="Báo cáo tháng 11/2026",
        text=text,
        created_at=T0,
        dedupe_key="report:2026-11:lanhdao@thads.vn",
    )
    parsed = email.message_from_bytes(build_message(note, SETTINGS, app_url=APP_URL).as_bytes(), policy=default)
    body = parsed.get_body(preferencelist=("html",)).get_content()  # type: ignore[attr-defined]
    assert '<p class="p" style="margin: 0 0 10px 0;">' in body
    assert "Báo cáo định kỳ tháng 11/2026 đã sẵn sàng." in body
    assert '<a class="link" href="https://giamsat.thads.example/bao-cao" style="color: #1d4ed8;' in body
    assert f"{APP_URL}/tai-khoan" in body


@pytest.mark.parametrize(
    ("province", "title", "subject"),
    [
        # headlines of the corpus (vietnews) that start with the province or its name before 01/07/2025
        (
            "Cà Mau",
            "Cà Mau: Khởi tố vụ án dùng dao và xăng tấn công đoàn thi hành án vi phạm đất đai",
            "[P1] Hồ sơ #17 – Cà Mau: Khởi tố vụ án dùng dao và xăng tấn công đoàn thi hành án vi phạm đất đai",
        ),
        (
            "Phú Thọ",
            "Phú Thọ: Chi cục trưởng chi cục Thi hành án bị khởi tố, đồng nghiệp bất ngờ",
            "[P1] Hồ sơ #17 – Phú Thọ: Chi cục trưởng chi cục Thi hành án bị khởi tố, đồng nghiệp bất ngờ",
        ),
        (
            "Cần Thơ",
            "Sóc Trăng: Nguyên 4 cán bộ THA nhận án tù vì tội Tham ô tài sản",
            "[P1] Hồ sơ #17 – Cần Thơ (Sóc Trăng): Nguyên 4 cán bộ THA nhận án tù vì tội Tham ô tài sản",
        ),
        (
            "Phú Thọ",
            "Vĩnh Phúc: Bi hài người dân mua nhà sau gần 10 năm vẫn không được ở",
            "[P1] Hồ sơ #17 – Phú Thọ (Vĩnh Phúc): Bi hài người dân mua nhà sau gần 10 năm vẫn không được ở",
        ),
        (
            "Hồ Chí Minh",
            "TP.HCM: Cưỡng chế thi hành án căn nhà trên đường Nguyễn Trãi",
            "[P1] Hồ sơ #17 – Hồ Chí Minh: Cưỡng chế thi hành án căn nhà trên đường Nguyễn Trãi",
        ),
        (
            "Khánh Hòa",
            "Khánh Hoà: Đấu giá tài sản thi hành án lần thứ 5 vẫn ế",
            "[P1] Hồ sơ #17 – Khánh Hòa: Đấu giá tài sản thi hành án lần thứ 5 vẫn ế",
        ),
        # another place, or no place: the headline as it is
        (
            "Hà Nội",
            "Đà Nẵng: Doanh nghiệp kêu cứu vì khoản nợ nhiều năm",
            "[P1] Hồ sơ #17 – Hà Nội: Đà Nẵng: Doanh nghiệp kêu cứu vì khoản nợ nhiều năm",
        ),
        (
            "Hà Nội",
            "Vụ án ông Đinh la Thăng: Mất 800 tỉ, PVN được bồi thường 1.073 tỉ",
            "[P1] Hồ sơ #17 – Hà Nội: Vụ án ông Đinh la Thăng: Mất 800 tỉ, PVN được bồi thường 1.073 tỉ",
        ),
    ],
)
def test_alert_subject_names_the_province_once(province: str, title: str, subject: str) -> None:
    case = dataclasses.replace(CASE, province=province, title=title)
    message = messages.new_case(case, DEADLINES, APP_URL)
    assert message.subject == subject
    assert _notification(message).subject == subject
