"""The correction loop end to end on both backends, with a frozen clock: a correction request opens a watch on the
story's outlet; the outlet's correction (a new article that corrects it, or a note added to the article) found in
time is recorded with its evidence and the focal point told; none by the deadline reopens the case, reminds the
focal point and counts as not corrected in the timeliness figures and the ND 244 annual figures (page, DOCX, XLSX).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from dataclasses import replace

import docx
import openpyxl

from alerts.cases import acknowledge, close, respond
from alerts.corrections import default_correction_policy, run_corrections
from alerts.settings import AlertSettings
from alerts.timeliness import timeliness
from dashboards.reports.build import build_report
from dashboards.reports.periods import Period
from domain.enums import CaseState, CorrectionEvidence, CorrectionState, TakedownReason, WatchState
from domain.records import Article
from domain.watch import ArticleChange
from storage.articles import add_article, get_article, update_article_content
from storage.cases import audit_trail, list_cases
from storage.corrections import watches_of_case
from storage.engine import Database
from storage.outbox import list_notifications
from storage.watch import record_change
from tests.alerts.seed import APP_URL, T0, add_sample, samples, seed, workflow

SETTINGS = AlertSettings(app_url=APP_URL)
HOUR = dt.timedelta(hours=1)
FOCAL = "daumoi.cantho@thads.vn"
SAMPLE = "written:w4:052"  # a Cần Thơ P1 story: the outlet is asked to correct it


def _requested(database: Database) -> tuple[int, int]:
    """Seed the story, open its case, and have the focal point request a correction at T0 + 2 h: (case, article)."""
    seed(database, [])
    with database.session() as session:
        article, _ = add_sample(session, SAMPLE, T0)
    workflow(database, T0 + dt.timedelta(minutes=1))
    with database.session() as session:
        (case,) = list_cases(session)
        acknowledge(session, case.id, actor=FOCAL, at=T0 + HOUR)
        respond(
            session,
            case.id,
            kind="yeu_cau_cai_chinh",
            text="Đề nghị Quý báo cải chính thông tin sai về việc cưỡng chế thi hành án.",
            actor=FOCAL,
            at=T0 + 2 * HOUR,
        )
    assert article.id is not None
    return case.id, article.id


def _correcting_article(database: Database, original_id: int, at: dt.datetime) -> int:
    with database.session() as session:
        original = get_article(session, original_id)
        assert original is not None
        title = f"Đính chính thông tin trong bài “{original.title}”"
        text = (
            "Ngày hôm qua, báo đăng bài viết có nội dung chưa chính xác về việc cưỡng chế thi hành án. "
            "Báo xin đính chính và thành thật xin lỗi bạn đọc, cơ quan thi hành án dân sự."
        )
        added, _ = add_article(
            session,
            Article(
                outlet_id=original.outlet_id,
                url=original.url.replace(".html", "-dinh-chinh.html"),
                title=title,
                text=text,
                content_hash=hashlib.sha256(text.encode()).hexdigest(),
                published_at=at,
                fetched_at=at,
            ),
        )
    assert added.id is not None
    return added.id


def test_a_correction_found_in_time_is_recorded_with_its_evidence(database: Database) -> None:
    case_id, article_id = _requested(database)
    with database.session() as session:
        (watch,) = watches_of_case(session, case_id)
    assert watch.state == CorrectionState.WAITING
    assert watch.article_id == article_id
    assert watch.due_at == T0 + 26 * HOUR  # online: "ngay", the policy allows 24 hours
    assert watch.basis.startswith("Nghị định 237/2026/NĐ-CP")  # requested in 11/2026: the rules since 01/07/2026
    assert run_corrections(database, SETTINGS, now=T0 + 3 * HOUR).waiting == 1  # nothing yet: still waiting
    correction = _correcting_article(database, article_id, T0 + 5 * HOUR)
    summary = run_corrections(database, SETTINGS, now=T0 + 6 * HOUR)
    assert (summary.corrected, summary.not_corrected) == (1, 0)
    with database.session() as session:
        (watch,) = watches_of_case(session, case_id)
        assert watch.state == CorrectionState.CORRECTED
        assert watch.evidence == CorrectionEvidence.NEW_ARTICLE
        assert watch.evidence_article_id == correction
        assert watch.found_at == T0 + 5 * HOUR
        assert watch.evidence_text.startswith("Đính chính thông tin trong bài")
        assert [e.action for e in audit_trail(session, case_id)][-1] == "correction_found"
        told = [n for n in list_notifications(session) if n.kind == "correction"]
        assert [n.recipient for n in told] == [FOCAL]
        assert "đã cải chính" in told[0].subject
        assert f"{APP_URL}/ho-so/{case_id}" in told[0].text
        close(session, case_id, actor=FOCAL, at=T0 + 7 * HOUR)  # the case may close
    # Settled once: a second run (a restart, a second worker) changes nothing and writes nothing.
    assert run_corrections(database, SETTINGS, now=T0 + 30 * HOUR).corrected == 0
    with database.session() as session:
        assert len([n for n in list_notifications(session) if n.kind == "correction"]) == 1
        rows = timeliness(session, start=T0 - HOUR, end=T0 + 48 * HOUR, now=T0 + 48 * HOUR)
    total = next(r for r in rows if r.province == "tất cả")
    assert (total.corrections_requested, total.corrected, total.not_corrected) == (1, 1, 0)


def test_a_note_added_to_the_article_is_a_correction(database: Database) -> None:
    case_id, article_id = _requested(database)
    with database.session() as session:
        article = get_article(session, article_id)
        assert article is not None
        note = "Ghi chú của tòa soạn: bài viết đã được đính chính theo văn bản của cơ quan thi hành án dân sự."
        update_article_content(
            session, article_id, replace(article, text=f"{article.text}\n{note}", content_hash="0" * 64)
        )
    run_corrections(database, SETTINGS, now=T0 + 4 * HOUR)
    with database.session() as session:
        (watch,) = watches_of_case(session, case_id)
    assert watch.state == CorrectionState.CORRECTED
    assert watch.evidence == CorrectionEvidence.NOTE
    assert watch.evidence_text == note


def test_the_article_taken_down_after_the_request_is_a_correction(database: Database) -> None:
    case_id, article_id = _requested(database)
    with database.session() as session:  # the post-response re-check found the outlet's "not found" page
        record_change(
            session,
            ArticleChange(
                article_id=article_id,
                at=T0 + 3 * HOUR,
                kind=WatchState.TAKEN_DOWN,
                http_status=200,
                reason=TakedownReason.NOT_FOUND_PAGE,
            ),
        )
    run_corrections(database, SETTINGS, now=T0 + 4 * HOUR)
    with database.session() as session:
        (watch,) = watches_of_case(session, case_id)
    assert (watch.state, watch.evidence, watch.found_at) == (
        CorrectionState.CORRECTED,
        CorrectionEvidence.TAKEN_DOWN,
        T0 + 3 * HOUR,
    )
    assert watch.evidence_text == "trang báo “bài viết không tồn tại” của báo"


def test_no_correction_by_the_deadline_reopens_the_case_and_counts_in_the_annual_figures(database: Database) -> None:
    case_id, article_id = _requested(database)
    with database.session() as session:
        close(session, case_id, actor=FOCAL, at=T0 + 3 * HOUR)  # closed too early: the watch goes on
    # An unrelated article of the same outlet that says "đính chính" about something else is no correction.
    with database.session() as session:
        original = get_article(session, article_id)
        assert original is not None
        text = "Báo xin đính chính: giá vé xe buýt tuyến số 5 là 7.000 đồng, không phải 70.000 đồng."
        add_article(
            session,
            Article(
                outlet_id=original.outlet_id,
                url=original.url.replace(".html", "-xe-buyt.html"),
                title="Đính chính giá vé xe buýt tuyến số 5",
                text=text,
                content_hash=hashlib.sha256(text.encode()).hexdigest(),
                published_at=T0 + 5 * HOUR,
                fetched_at=T0 + 5 * HOUR,
            ),
        )
    assert run_corrections(database, SETTINGS, now=T0 + 25 * HOUR).waiting == 1
    summary = run_corrections(database, SETTINGS, now=T0 + 27 * HOUR)
    assert (summary.corrected, summary.not_corrected) == (0, 1)
    with database.session() as session:
        (watch,) = watches_of_case(session, case_id)
        assert watch.state == CorrectionState.NOT_CORRECTED
        (case,) = list_cases(session)
        assert case.state == CaseState.ACKNOWLEDGED  # reopened
        event = audit_trail(session, case_id)[-1]
        assert (event.action, event.from_state, event.to_state) == ("correction_missed", "closed", "acknowledged")
        (reminder,) = [n for n in list_notifications(session) if n.kind == "reminder"]
        assert reminder.recipient == FOCAL
        assert "chưa cải chính đúng hạn – hồ sơ được mở lại" in reminder.subject
        assert "Nghị định 237/2026/NĐ-CP, Điều 19 khoản 3 và Điều 21" in reminder.text
        assert reminder.urgent
    week = Period.week(2026, 47)
    files = build_report(database, week, None, ("docx", "xlsx"), now=T0 + 48 * HOUR)
    document = docx.Document(io.BytesIO(files["docx"]))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    at = cells.index("Số vụ việc cơ quan báo chí không cải chính đúng hạn")
    assert cells[at + 1] == "1"
    book = openpyxl.load_workbook(io.BytesIO(files["xlsx"]), read_only=True)
    summary_rows = {row[0]: row[1] for row in book.worksheets[0].iter_rows(values_only=True) if row and row[0]}
    assert summary_rows["Vụ việc có yêu cầu cải chính"] == 1
    assert summary_rows["Vụ việc không được cải chính đúng hạn"] == 1
    assert summary_rows["Vụ việc đã được cải chính"] == 0


def test_the_rules_in_force_on_the_day_of_the_request_apply() -> None:
    policy = default_correction_policy()
    before = policy.version(dt.datetime(2026, 6, 30, 16, 59, tzinfo=dt.UTC))  # 23:59 in Viet Nam, 30/06
    after = policy.version(dt.datetime(2026, 6, 30, 17, 0, tzinfo=dt.UTC))  # 00:00, 01/07/2026
    assert "Luật Báo chí 2016" in before.basis
    assert "237/2026" in after.basis
    assert samples()[SAMPLE]["province"] == "Cần Thơ"
