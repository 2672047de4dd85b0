"""The scheduled report e-mail: due on Monday and on the 1st from the send hour, one outbox message per leader
with both files attached, the province's report for a provincial leader, never twice."""

from __future__ import annotations

import datetime as dt
import io

import docx
import openpyxl
import pytest

from dashboards.reports.mailing import due_periods, run_report
from dashboards.reports.settings import ReportSettings
from domain.localtime import VN
from storage.outbox import attachments_of, list_notifications
from tests.dashboards.reports.conftest import SeededDatabase

SENT = dt.datetime(2026, 12, 1, 7, 30, tzinfo=VN)  # W48's report (due since Monday) and November's are due
APP = "http://127.0.0.1:8000"


@pytest.mark.parametrize(
    ("moment", "settings", "due"),
    [
        (dt.datetime(2026, 11, 23, 6, 59, tzinfo=VN), ReportSettings(), []),  # before the send hour
        (dt.datetime(2026, 11, 23, 7, 0, tzinfo=VN), ReportSettings(), ["2026-W47"]),
        (dt.datetime(2026, 11, 29, 22, 0, tzinfo=VN), ReportSettings(), ["2026-W47"]),  # late in the week: still due
        (dt.datetime(2026, 12, 1, 7, 0, tzinfo=VN), ReportSettings(), ["2026-W48", "2026-11"]),
        (dt.datetime(2026, 12, 1, 7, 0, tzinfo=VN), ReportSettings(weekly=False), ["2026-11"]),
        (dt.datetime(2026, 12, 1, 7, 0, tzinfo=VN), ReportSettings(weekly=False, send_hour=8), []),
        (dt.datetime(2026, 12, 7, 23, 0, tzinfo=VN), ReportSettings(), ["2026-W49", "2026-11"]),  # last day for 11
        (dt.datetime(2026, 12, 8, 0, 0, tzinfo=VN), ReportSettings(), ["2026-W49"]),  # November's: no longer
        # 00:30 UTC on Monday 01/02/2027 is 07:30 in Viet Nam: January's report and W04's
        (dt.datetime(2027, 2, 1, 0, 30, tzinfo=dt.UTC), ReportSettings(), ["2027-W04", "2027-01"]),
    ],
)
def test_due_periods(moment: dt.datetime, settings: ReportSettings, due: list[str]) -> None:
    assert [p.code for p in due_periods(settings, moment)] == due


@pytest.mark.slow  # builds and mails six reports, a docx and an xlsx each
def test_one_message_per_leader_and_period_with_both_files_and_never_twice(seeded: SeededDatabase) -> None:
    db = seeded.db
    first = run_report(db, ReportSettings(), lambda: SENT, app_url=APP)
    assert (first.messages, first.reports, first.already_sent) == (6, 4, 0)  # 2 periods × (national, Cần Thơ)
    with db.session() as s:
        messages = {(n.recipient, n.subject): n for n in list_notifications(s) if n.kind == "report"}
        files = {key: attachments_of(s, n.id) for key, n in messages.items() if n.id is not None}
    leaders = {"cuctruong@cucqlthads.vn", "pho.cuctruong@cucqlthads.vn", "lanhdao.cantho@thads.vn"}
    assert {r for r, _ in messages} == leaders
    november = ("cuctruong@cucqlthads.vn", "Báo cáo tình hình thông tin báo chí tháng 11 năm 2026")
    in_province = ("lanhdao.cantho@thads.vn", "Báo cáo tình hình thông tin báo chí tháng 11 năm 2026 – Cần Thơ")
    assert ("pho.cuctruong@cucqlthads.vn", "Báo cáo tình hình thông tin báo chí tuần 48 năm 2026") in messages
    national, province = messages[november], messages[in_province]
    assert national.dedupe_key == "report:2026-11:cuctruong@cucqlthads.vn"
    assert national.text.startswith("Kính gửi Phạm Văn Đức,\n")
    # As of 01/12 07:30 (seed.DESIGNED): cases A-E; D and E have an overdue acknowledgement; the statutory
    # deadlines that have come were all met (A twice, B, E; D's written notice is not due yet).
    assert "5 hồ sơ xử lý mới, 1 hồ sơ khẩn; 2 hồ sơ đang quá hạn;" in national.text
    assert "trả lời đúng thời hạn luật định: 3/3 (100,0 %)." in national.text
    assert "3 hồ sơ xử lý mới, 1 hồ sơ khẩn; 1 hồ sơ đang quá hạn;" in province.text  # A, C, E
    assert f'<a class="button" href="{APP}/bao-cao" style=' in (national.html or "")
    assert "Kính gửi Trần Thị Lan," in (province.html or "")
    assert [a.filename for a in files[november]] == ["bao-cao-2026-11.docx", "bao-cao-2026-11.xlsx"]
    docx_file, xlsx_file = files[in_province]
    assert (docx_file.filename, xlsx_file.filename) == ("bao-cao-2026-11-can-tho.docx", "bao-cao-2026-11-can-tho.xlsx")
    assert docx_file.content_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert xlsx_file.content_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    texts = [p.text for p in docx.Document(io.BytesIO(docx_file.data)).paragraphs]
    assert "Tình hình thông tin báo chí về công tác thi hành án dân sự tháng 11 năm 2026 tại Cần Thơ" in texts
    assert openpyxl.load_workbook(io.BytesIO(xlsx_file.data))["Hồ sơ"].max_row == 4  # header + A, C, E
    again = run_report(db, ReportSettings(), lambda: SENT + dt.timedelta(days=1), app_url=APP)
    assert (again.messages, again.reports, again.already_sent) == (0, 0, 6)  # nothing built, nothing sent
    with db.session() as s:
        assert sum(n.kind == "report" for n in list_notifications(s)) == 6


def test_the_report_email_is_styled_like_the_alerts_and_names_the_system_in_vietnamese(seeded: SeededDatabase) -> None:
    from alerts.messages import new_case
    from domain.records import Case

    run_report(seeded.db, ReportSettings(), lambda: SENT, app_url=APP)
    with seeded.db.session() as s:
        report = next(n for n in list_notifications(s) if n.kind == "report")
    alert = new_case(
        Case(
            id=1,
            story_id=1,
            title="Cà Mau: Khởi tố vụ án",
            priority="P2",
            state="new",
            province="Cà Mau",
            received_at=SENT,
            updated_at=SENT,
        ),
        [],
        APP,
    )
    html = report.html or ""
    # the same layout as an alert: its frame, card, band and footer, every style inline, no <style> block
    for part in (
        '<table class="frame" role="presentation"',
        "max-width: 680px;",
        "background: #8b1a1a;color: #ffffff;",
    ):
        assert part in html
        assert part in alert.html
    assert "<style" not in html
    assert 'style="' in html.split("<h1", 1)[1].split(">", 1)[0]
    assert html.count("<li>") == 0  # the summary as the alerts' rows, styled
    assert html.lstrip().startswith("<!DOCTYPE html>")
    assert html.rstrip().endswith("</html>")
    assert f'href="{APP}/bao-cao"' in html
    assert "Thư tự động của Hệ thống theo dõi báo chí về thi hành án dân sự" in html
    assert "Thư tự động của Hệ thống theo dõi báo chí về thi hành án dân sự" in report.text
    assert "Press Monitor" not in html + report.text
    assert "Hệ thống theo dõi báo chí về thi hành án dân sự gửi báo cáo" in report.text
