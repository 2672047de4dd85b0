"""The acknowledgement chain of urgent cases (alerts.ack_chain, alerts/policy/escalation.yaml) on a frozen clock:
an unacknowledged P1 case walks the chain step by step at the policy's minutes, an acknowledgement stops it, and
two workers on PostgreSQL take each step exactly once. The case is the real one of test_workflow: three copies
of a negative story about Cần Thơ, P1 by the shipped priority rules."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest

from alerts import cases as workflow
from alerts.ack_chain import run_ack_chain, sla
from alerts.ack_policy import EscalationPolicy, default_escalation
from alerts.settings import AlertSettings
from domain.enums import Role
from domain.records import User
from domain.yamlfile import FileError
from storage.ack import steps_of
from storage.cases import audit_trail, list_cases, upsert_user
from storage.engine import Database
from storage.outbox import list_notifications
from tests.alerts.test_workflow import T0, _run, _seed

MINUTE = dt.timedelta(minutes=1)
ROSTER = """\
link_valid_h: 72
priorities:
  P1:
    steps:
      - {after_min: 15, target: truong_tinh}
      - {after_min: 30, target: van_phong_trung_uong}
      - {after_min: 60, target: lanh_dao_truc}
duty_roster:
  mon: [lanhdao.truc@moj.gov.vn]
"""


def _policy(tmp_path: Path) -> EscalationPolicy:
    path = tmp_path / "escalation.yaml"
    path.write_text(ROSTER, encoding="utf-8")
    return EscalationPolicy.load(path)


def _setup(db: Database) -> int:
    """The seeded P1 case of Cần Thơ, alerted at T0 (Monday 09:00), and two national leaders."""
    _seed(db)
    with db.session() as s:
        for email, name in (("lanhdao.truc@moj.gov.vn", "Lãnh đạo trực"), ("lanhdao.khac@moj.gov.vn", "Lãnh đạo")):
            upsert_user(s, User(email=email, name=name, role=Role.LEADER, province=None))
    _run(db, T0)
    with db.session() as s:
        (case,) = list_cases(s)
    assert case.priority == "P1"
    return case.id


def _chain(db: Database, policy: EscalationPolicy, at: dt.datetime) -> int:
    return run_ack_chain(db, policy=policy, settings=AlertSettings(), now=lambda: at)


def _told(db: Database, case_id: int) -> list[tuple[str, str]]:
    with db.session() as s:
        notes = list_notifications(s, case_id=case_id)
    return [(n.dedupe_key.split(":")[3], n.recipient) for n in notes if n.kind == "ack_escalation"]


def test_an_unacknowledged_case_walks_the_chain_at_the_policy_minutes(database: Database, tmp_path: Path) -> None:
    policy = _policy(tmp_path)
    case_id = _setup(database)
    walk = [(15 * MINUTE - dt.timedelta(seconds=1), 0), (15 * MINUTE, 1), (16 * MINUTE, 0), (29 * MINUTE, 0)]
    walk += [(30 * MINUTE, 1), (59 * MINUTE, 0), (60 * MINUTE, 1), (240 * MINUTE, 0)]
    assert [_chain(database, policy, T0 + after) for after, _ in walk] == [n for _, n in walk]
    assert _told(database, case_id) == [
        ("1", "truong.cantho@thads.vn"),  # the head of Cần Thơ's body
        ("2", "vanphong@cucqlthads.vn"),  # the central desk
        ("3", "lanhdao.truc@moj.gov.vn"),  # Monday's leader on duty, not the other leader
    ]
    with database.session() as s:
        steps = steps_of(s, case_id)
        trail = [e for e in audit_trail(s, case_id) if e.action == "ack_escalate"]
        (last,) = [
            n for n in list_notifications(s, case_id=case_id) if n.dedupe_key.startswith(f"case:{case_id}:ack:3")
        ]
    assert [(s.step, s.at - T0) for s in steps] == [
        (0, 0 * MINUTE),
        (1, 15 * MINUTE),
        (2, 30 * MINUTE),
        (3, 60 * MINUTE),
    ]
    assert steps[0].recipients == ("daumoi.cantho@thads.vn", "vanphong@cucqlthads.vn")  # the alert itself
    assert [e.at - T0 for e in trail] == [15 * MINUTE, 30 * MINUTE, 60 * MINUTE]
    assert "bước 3: chưa xác nhận sau 60 phút → lãnh đạo trực: lanhdao.truc@moj.gov.vn" in (trail[2].note or "")
    # The leader's message: which case, since when, who was told before; urgent (ignores quiet hours).
    assert last.urgent
    assert last.subject.startswith(f"CHƯA XÁC NHẬN sau 60 phút: hồ sơ #{case_id} – Cần Thơ: ")
    assert "Cảnh báo khẩn gửi lúc 09:00 ngày 16/11/2026; đây là bước 3/3" in last.text
    assert "09:15 ngày 16/11/2026 – lãnh đạo cơ quan THADS tỉnh/thành: truong.cantho@thads.vn" in last.text
    assert "09:30 ngày 16/11/2026 – văn phòng trung ương (bàn báo chí): vanphong@cucqlthads.vn" in last.text
    assert "/xac-nhan/" not in last.text  # a leader reads; no acknowledgement link for them
    assert last.html is not None
    assert "Chưa được xác nhận sau 60 phút" in last.html


def test_an_acknowledgement_between_steps_stops_the_rest(database: Database, tmp_path: Path) -> None:
    policy = _policy(tmp_path)
    case_id = _setup(database)
    assert _chain(database, policy, T0 + 15 * MINUTE) == 1
    with database.session() as s:
        view = sla(list_cases(s)[0], steps_of(s, case_id), policy)
        assert view is not None
        assert (view.acknowledge_by - T0, view.next_at and view.next_at - T0, view.stopped) == (
            15 * MINUTE,
            30 * MINUTE,
            False,
        )
        workflow.acknowledge(s, case_id, actor="daumoi.cantho@thads.vn", at=T0 + 20 * MINUTE)
    assert [_chain(database, policy, T0 + m * MINUTE) for m in (30, 60, 600)] == [0, 0, 0]
    assert _told(database, case_id) == [("1", "truong.cantho@thads.vn")]
    with database.session() as s:
        view = sla(list_cases(s)[0], steps_of(s, case_id), policy)
    assert view is not None
    assert (view.stopped, view.next_at, len(view.done)) == (True, None, 1)


def test_the_shipped_policy_and_bad_files(tmp_path: Path) -> None:
    shipped = default_escalation()
    assert [s.after_min for s in shipped.steps("P1")] == [15, 30, 60]
    assert (shipped.steps("P2"), shipped.priorities) == ((), ("P1",))
    bad = tmp_path / "escalation.yaml"
    bad.write_text(ROSTER.replace("after_min: 30", "after_min: 10"), encoding="utf-8")
    with pytest.raises(FileError) as unordered:
        EscalationPolicy.load(bad)
    assert str(unordered.value) == (
        f"{bad}:4: trường priorities.P1: các bước phải có số phút tăng dần, không trùng nhau"
    )
    bad.write_text(ROSTER.replace("target: lanh_dao_truc", "target: giam_doc"), encoding="utf-8")
    with pytest.raises(FileError) as target:
        EscalationPolicy.load(bad)
    assert str(target.value) == (
        f"{bad}:7: trường priorities.P1.steps.2.target: người nhận “giam_doc” không hợp lệ "
        "(dùng: truong_tinh, van_phong_trung_uong, lanh_dao_truc)"
    )
    bad.write_text(ROSTER.replace("mon:", "thu2:"), encoding="utf-8")
    with pytest.raises(FileError, match=r":9: trường duty_roster: ngày trong tuần “thu2” không hợp lệ"):
        EscalationPolicy.load(bad)
    bad.write_text(ROSTER.replace("lanhdao.truc@moj.gov.vn", "lãnh đạo trực"), encoding="utf-8")
    with pytest.raises(FileError, match=r"'lãnh đạo trực' không phải địa chỉ e-mail"):
        EscalationPolicy.load(bad)


@pytest.mark.postgres
def test_two_workers_on_postgresql_take_each_step_once(postgres_server: object, tmp_path: Path) -> None:
    from sqlalchemy.engine import URL

    from storage.migrate import upgrade
    from storage.settings import StorageSettings
    from tests import postgres

    assert isinstance(postgres_server, URL)
    policy = _policy(tmp_path)
    with postgres.fresh_database(postgres_server) as url:
        settings = StorageSettings(database_url=url.render_as_string(hide_password=False), data_dir=tmp_path)
        db = Database.from_settings(settings)
        upgrade(db.engine)
        case_id = _setup(db)
        taken: list[int] = []
        moments = [T0 + m * MINUTE for m in (15, 16, 30, 45, 60, 61)]
        barrier = threading.Barrier(2)

        def worker() -> None:
            own = Database.from_settings(settings)
            for at in moments:  # both at the same moment, step after step
                barrier.wait()
                taken.append(_chain(own, policy, at))
            own.dispose()

        threads = [threading.Thread(target=worker) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        with db.session() as s:
            steps = [st.step for st in steps_of(s, case_id)]
            trail = [e for e in audit_trail(s, case_id) if e.action == "ack_escalate"]
        assert (sum(taken), steps, len(trail)) == (3, [0, 1, 2, 3], 3)
        assert sorted(_told(db, case_id)) == [
            ("1", "truong.cantho@thads.vn"),
            ("2", "vanphong@cucqlthads.vn"),
            ("3", "lanhdao.truc@moj.gov.vn"),
        ]
        db.dispose()
