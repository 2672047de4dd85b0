"""Triage by monitors on both backends, on real articles: confirm, dismiss, correct labels, merge; cases,
routing, deadlines and the audit trail follow."""

from __future__ import annotations

import datetime as dt

import pytest

from alerts.calendar import default_calendar
from alerts.cases import WorkflowError, respond
from alerts.deadlines import default_policy
from alerts.priority import default_rules
from alerts.settings import AlertSettings
from alerts.triage import WorkflowConfig, confirm, correct_labels, dismiss_story, merge
from alerts.workflow import run_workflow
from domain.records import Story
from storage.cases import assignees, audit_trail, case_for_story, deadlines_of, get_case, list_cases
from storage.engine import Database
from storage.enrichments import get_enrichment, get_story
from storage.feedback import list_feedback
from storage.outbox import list_notifications
from storage.views.queue import triage_queue
from tests.seeding import T0, USERS, add_copy, outlet, samples, seed_users

CONFIG = WorkflowConfig(
    rules=default_rules(), policy=default_policy(), calendar=default_calendar(), settings=AlertSettings()
)
MONITOR = USERS["monitor"].email
HOUR = dt.timedelta(hours=1)


def _stories(db: Database, *ids: str, province: str | None = None) -> list[Story]:
    out = []
    with db.session() as s:
        seed_users(s)
        source = outlet(s, "tuoitre", "Tuổi Trẻ")
        for i, sample_id in enumerate(ids):
            _, story = add_copy(s, samples()[sample_id], source, at=T0 + i * HOUR, province=province)
            assert story is not None
            out.append(story)
    return out


def _workflow(db: Database, at: dt.datetime) -> None:
    run_workflow(
        db, rules=CONFIG.rules, policy=CONFIG.policy, calendar=CONFIG.calendar, settings=CONFIG.settings, now=lambda: at
    )


def test_confirm_creates_the_case_routes_it_and_leaves_the_queue(database: Database) -> None:
    (results,) = _stories(database, "written:w1:005")  # Hà Nội results: no rule flags it
    with database.session() as s:
        case = confirm(s, results.id, config=CONFIG, actor=MONITOR, now=T0 + 2 * HOUR, note="cần theo dõi")
    with database.session() as s:
        assert (case.priority, case.province, case.state) == ("P3", "Hà Nội", "assigned")
        assert [u.email for u in assignees(s, case.id)] == ["daumoi.hanoi@thads.vn"]
        assert [e.action for e in audit_trail(s, case.id)] == ["create", "assign", "confirm"]
        assert all(e.actor == MONITOR for e in audit_trail(s, case.id))
        assert {d.kind for d in deadlines_of(s, case.id)} >= {"xac_nhan_noi_bo"}
        assert list_notifications(s) == []  # a P3 case: in the daily digest only (alerts/policy/tiers.yaml)
        story = get_story(s, results.id)
        assert story is not None
        assert (story.triage_state, story.triaged_by, story.triage_note) == ("confirmed", MONITOR, "cần theo dõi")
        assert triage_queue(s).total == 0


def test_confirm_an_existing_case_raises_it_and_assigns_the_chosen_focal_point(database: Database) -> None:
    (complaint,) = _stories(database, "written:w4:005")  # Cần Thơ, negative complaint: P2 by the rules
    _workflow(database, T0)
    with database.session() as s:
        before = case_for_story(s, complaint.id)
        assert before is not None
        assert before.priority == "P2"
        case = confirm(
            s,
            complaint.id,
            config=CONFIG,
            actor=MONITOR,
            now=T0 + HOUR,
            priority="P1",
            assignee_emails=["vanphong@cucthads.vn"],
        )
    with database.session() as s:
        assert (case.id, case.priority) == (before.id, "P1")
        assert [u.email for u in assignees(s, case.id)] == ["vanphong@cucthads.vn"]
        actions = [(e.action, e.note) for e in audit_trail(s, case.id)]
        assert actions[-3:] == [
            ("raise_priority", "P2 → P1: giám sát chọn khi phân loại"),
            ("assign", "vanphong@cucthads.vn"),
            ("confirm", f"xác nhận tin #{complaint.id}"),
        ]
        assert "thong_tin_ban_dau" in {d.kind for d in deadlines_of(s, case.id)}  # P1 owes a first statement
        assert ("vanphong@cucthads.vn", "alert") in {(n.recipient, n.kind) for n in list_notifications(s)}
    with database.session() as s, pytest.raises(WorkflowError, match="mức ưu tiên “P0” không hợp lệ"):
        confirm(s, complaint.id, config=CONFIG, actor=MONITOR, now=T0, priority="P0")
    with database.session() as s, pytest.raises(WorkflowError, match=r"không có đầu mối lanhdao@cucthads\.vn"):
        confirm(s, complaint.id, config=CONFIG, actor=MONITOR, now=T0, assignee_emails=["lanhdao@cucthads.vn"])


def test_dismiss_closes_the_matter_for_good(database: Database) -> None:
    (complaint,) = _stories(database, "written:w4:005")
    _workflow(database, T0)
    with database.session() as s, pytest.raises(WorkflowError, match="cần nêu lý do loại"):
        dismiss_story(s, complaint.id, reason="   ", actor=MONITOR, at=T0 + HOUR)
    with database.session() as s:
        dismiss_story(s, complaint.id, reason="Tin cũ năm 2023, đã trả lời", actor=MONITOR, at=T0 + HOUR)
    with database.session() as s:
        case = case_for_story(s, complaint.id)
        assert case is not None
        assert (case.state, case.reason) == ("dismissed", "Tin cũ năm 2023, đã trả lời")
        assert {d.status for d in deadlines_of(s, case.id)} == {"void"}
        story = get_story(s, complaint.id)
        assert story is not None
        assert story.triage_state == "dismissed"
        more = outlet(s, "dantri", "Dân trí")
        add_copy(s, samples()["written:w4:005"], more, at=T0 + 3 * HOUR, story=story)  # it spreads afterwards
    _workflow(database, T0 + 4 * HOUR)
    with database.session() as s:
        after = case_for_story(s, complaint.id)
        assert after is not None
        assert (after.state, after.priority) == ("dismissed", "P2")  # a dismissed case is not raised again
        assert [e.action for e in audit_trail(s, after.id)][-1] == "dismiss"
        assert len(list_cases(s)) == 1


def test_a_case_with_a_response_cannot_be_dismissed_from_triage(database: Database) -> None:
    (complaint,) = _stories(database, "written:w4:005")
    _workflow(database, T0)
    with database.session() as s:
        case = case_for_story(s, complaint.id)
        assert case is not None
        respond(s, case.id, kind="thong_tin_ban_dau", text="Đã cung cấp thông tin.", actor="an", at=T0 + HOUR)
    with database.session() as s, pytest.raises(WorkflowError, match=r"Không thể loại hồ sơ #\d+ .*“đã phản hồi”"):
        dismiss_story(s, complaint.id, reason="trùng", actor=MONITOR, at=T0 + 2 * HOUR)
    with database.session() as s:
        story = get_story(s, complaint.id)
        assert story is not None
        assert story.triage_state == "pending"  # nothing changed


def test_corrected_province_is_fed_back_applied_and_routes_the_case(database: Database) -> None:
    (complaint,) = _stories(database, "written:w4:005", province="Hà Nội")  # the model got the province wrong
    _workflow(database, T0)
    with database.session() as s:
        case = case_for_story(s, complaint.id)
        assert case is not None
        assert [u.email for u in assignees(s, case.id)] == ["daumoi.hanoi@thads.vn"]
        saved = correct_labels(
            s,
            complaint.id,
            {"province": "Cần Thơ", "topic": "khieu_nai_to_cao", "sentiment": "trung_lap"},
            actor=MONITOR,
            at=T0 + HOUR,
        )
    assert [(f.field, f.old_value, f.new_value) for f in saved] == [
        ("province", "Hà Nội", "Cần Thơ"),
        ("sentiment", "tieu_cuc", "trung_lap"),
    ]  # the topic was right: no row for it
    with database.session() as s:
        assert len(list_feedback(s)) == 2
        enrichment = get_enrichment(s, complaint.first_article_id)
        assert enrichment is not None
        assert (enrichment.province, enrichment.sentiment) == ("Cần Thơ", "trung_lap")
        moved = get_case(s, case.id)
        assert moved is not None
        assert moved.province == "Cần Thơ"
        assert [u.email for u in assignees(s, case.id)] == ["daumoi.cantho@thads.vn"]
        assert [e.action for e in audit_trail(s, case.id)][-2:] == ["relabel", "assign"]
    with database.session() as s, pytest.raises(WorkflowError, match="giá trị “Sóc Trăng” không hợp lệ"):
        correct_labels(s, complaint.id, {"province": "Sóc Trăng"}, actor=MONITOR, at=T0)
    with database.session() as s:
        correct_labels(s, complaint.id, {"relevant": False}, actor=MONITOR, at=T0 + 2 * HOUR)
    with database.session() as s:
        gone = get_case(s, case.id)
        assert gone is not None
        assert gone.state == "dismissed"
        assert [f.field for f in list_feedback(s)][-1] == "relevant"


def test_merge_keeps_one_case_at_the_higher_priority(database: Database) -> None:
    # Two reports of one enforcement in Mỹ Xuyên, kept apart by clustering (both Cần Thơ, negative).
    source, target = _stories(database, "written:w3:015", "written:w4:005")
    _workflow(database, T0)
    with database.session() as s, pytest.raises(WorkflowError, match="vào chính nó"):
        merge(s, source.id, source.id, config=CONFIG, actor=MONITOR, at=T0)
    with database.session() as s:
        source_case, target_case = case_for_story(s, source.id), case_for_story(s, target.id)
        assert source_case is not None
        assert target_case is not None
        merged = merge(s, source.id, target.id, config=CONFIG, actor=MONITOR, at=T0 + HOUR)
    assert merged.size == 2
    with database.session() as s:
        kept, dropped = get_case(s, target_case.id), get_case(s, source_case.id)
        assert kept is not None
        assert dropped is not None
        assert kept.state != "dismissed"
        assert dropped.state == "dismissed"
        assert dropped.reason is not None
        assert dropped.reason.startswith(f"Gộp vào hồ sơ #{kept.id}")
        assert audit_trail(s, kept.id)[-1].action == "merge"
        assert triage_queue(s).total == 1
    with database.session() as s, pytest.raises(WorkflowError, match=f"tin #{source.id} đã được gộp vào tin"):
        merge(s, source.id, target.id, config=CONFIG, actor=MONITOR, at=T0)


def test_merge_moves_a_lone_case_and_refuses_to_drop_a_response(database: Database) -> None:
    lone, plain, answered = _stories(database, "written:w4:005", "written:w1:005", "written:w4:006")
    _workflow(database, T0)  # cases for the two negative stories; none for the results news
    with database.session() as s:
        lone_case = case_for_story(s, lone.id)
        answered_case = case_for_story(s, answered.id)
        assert lone_case is not None
        assert answered_case is not None
        assert case_for_story(s, plain.id) is None
        respond(s, answered_case.id, kind="van_ban_tra_loi", text="Đã có văn bản trả lời.", actor="x", at=T0)
    with database.session() as s, pytest.raises(WorkflowError, match="đã có phản hồi; hãy gộp tin"):
        merge(s, answered.id, lone.id, config=CONFIG, actor=MONITOR, at=T0 + HOUR)
    with database.session() as s:
        merge(s, lone.id, plain.id, config=CONFIG, actor=MONITOR, at=T0 + HOUR)
    with database.session() as s:
        moved = case_for_story(s, plain.id)
        assert moved is not None
        assert moved.id == lone_case.id
        assert audit_trail(s, moved.id)[-1].action == "merge"
