"""Case alerts by tier on both backends, with a frozen clock: P1 at once, P2 in the hourly round-up, P3 only in the
daily digest (the shipped alerts/policy/tiers.yaml); a user's own choice; P1 batching within the window; each
round-up written once however often, and by however many workers (two at once on PostgreSQL), the release runs."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest
from sqlalchemy import update

from alerts.batching import release_held
from alerts.settings import AlertSettings
from dashboards.settings import WebSettings
from domain.enums import AlertTier, Priority, Role
from domain.records import Notification, User
from storage.ack import steps_of
from storage.alert_tiers import save_tier_choice
from storage.cases import list_cases, upsert_user
from storage.engine import Database
from storage.outbox import list_notifications
from storage.settings import StorageSettings
from storage.tables import HeldAlertRow
from tests.alerts.seed import APP_URL, T0, add_sample, samples, seed, workflow
from thads_monitor.jobs import JOBS, Runtime
from thads_monitor.settings import Settings

SETTINGS = AlertSettings(app_url=APP_URL)
CENTRAL = "vanphong@cucqlthads.vn"
MINUTE = dt.timedelta(minutes=1)


def _rows(database: Database) -> list[Notification]:
    with database.session() as session:
        return list_notifications(session)


def test_p1_at_once_p2_in_the_hourly_round_up_p3_only_in_the_digest(database: Database) -> None:
    seed(database)  # Cần Thơ P1, P2, P3; Hà Nội P2; nationwide P2 (one minute apart from 09:00)
    flagged = T0 + 10 * MINUTE
    workflow(database, flagged)
    with database.session() as session:
        priorities = {c.id: c.priority for c in list_cases(session)}
    rows = _rows(database)
    assert {(n.recipient, n.kind) for n in rows} == {("daumoi.cantho@thads.vn", "alert"), (CENTRAL, "alert")}
    assert all(priorities[n.case_id] == Priority.P1 for n in rows if n.case_id is not None)
    assert release_held(database, SETTINGS, now=T0 + 59 * MINUTE) == 0  # 09:59: the hour is not over
    ten = T0 + 60 * MINUTE
    written = release_held(database, SETTINGS, now=ten)
    roundups = [n for n in _rows(database) if n.kind == "roundup"]
    assert written == len(roundups) == len({n.recipient for n in roundups}) >= 2  # one per person
    assert {n.recipient for n in roundups} >= {"daumoi.cantho@thads.vn", "daumoi.hanoi@thads.vn"}
    hanoi = next(n for n in roundups if n.recipient == "daumoi.hanoi@thads.vn")
    assert hanoi.subject == "Tổng hợp cảnh báo 09:00–10:00 ngày 16/11/2026: 1 hồ sơ mới"
    assert samples()["written:w3:034"]["title"] in hanoi.text  # Hà Nội's auction, its P2 case
    assert "Kính gửi: Lê Thị Cúc" in hanoi.text
    assert f"{APP_URL}/ho-so/" in hanoi.text
    assert hanoi.html is not None
    assert "Tổng hợp cảnh báo" in hanoi.html
    assert not hanoi.urgent
    # No P3 alert outside the digest.
    p3 = {i for i, p in priorities.items() if p == Priority.P3}
    assert p3
    assert not [n for n in _rows(database) if n.case_id in p3]
    assert not any(samples()["written:w3:030"]["title"] in n.text for n in _rows(database))
    # A restart runs the release again: nothing more. A second worker that read the rows before the first marked
    # them released writes nothing either (the outbox key names the user and the hour).
    assert release_held(database, SETTINGS, now=ten + MINUTE) == 0
    with database.session() as session:
        session.execute(update(HeldAlertRow).where(HeldAlertRow.tier == "hourly").values(released_at=None))
    assert release_held(database, SETTINGS, now=ten + 2 * MINUTE) == 0
    assert len([n for n in _rows(database) if n.kind == "roundup"]) == len(roundups)


def test_a_users_own_tier_wins(database: Database) -> None:
    seed(database, [])
    with database.session() as session:
        save_tier_choice(session, "daumoi.cantho@thads.vn", Priority.P1, AlertTier.HOURLY)
        save_tier_choice(session, "daumoi.cantho@thads.vn", Priority.P3, AlertTier.IMMEDIATE)
        add_sample(session, "written:w4:052", T0)  # Cần Thơ P1
        add_sample(session, "written:w3:030", T0)  # Cần Thơ P3
    workflow(database, T0 + MINUTE)
    cantho = [n for n in _rows(database) if n.recipient == "daumoi.cantho@thads.vn"]
    assert [(n.kind, n.subject[:4]) for n in cantho] == [("case", "[P3]")]  # the P3 at once; the P1 held
    assert release_held(database, SETTINGS, now=T0 + 60 * MINUTE) == 1
    roundup = [n for n in _rows(database) if n.kind == "roundup"]
    assert [n.recipient for n in roundup] == ["daumoi.cantho@thads.vn"]
    assert samples()["written:w4:052"]["title"] in roundup[0].text
    with database.session() as session:  # the acknowledgement chain of the P1 case started all the same
        (case,) = [c for c in list_cases(session) if c.priority == Priority.P1]
        assert [s.step for s in steps_of(session, case.id)] == [0]


def test_three_p1_cases_in_two_minutes_make_two_messages(database: Database) -> None:
    seed(database, [])
    p1 = ["written:w4:033", "written:w4:034", "written:w4:037"]  # Phú Thọ, Hồ Chí Minh, Hà Nội: all P1
    for i, sample_id in enumerate(p1):
        with database.session() as session:
            add_sample(session, sample_id, T0 + i * MINUTE)
        workflow(database, T0 + i * MINUTE)
    central = [n for n in _rows(database) if n.recipient == CENTRAL]
    assert len(central) == 1  # the first at once; the two others held for the batch
    assert samples()[p1[0]]["title"] in central[0].text
    hanoi = [n for n in _rows(database) if n.recipient == "daumoi.hanoi@thads.vn"]
    assert len(hanoi) == 1  # Hà Nội's focal point: their first P1, at once
    assert release_held(database, SETTINGS, now=T0 + 4 * MINUTE) == 0  # the window is still open
    assert release_held(database, SETTINGS, now=T0 + 5 * MINUTE) == 1
    assert release_held(database, SETTINGS, now=T0 + 6 * MINUTE) == 0
    central = [n for n in _rows(database) if n.recipient == CENTRAL]
    assert len(central) == 2
    batch = central[1]
    assert (batch.kind, batch.urgent) == ("alert", True)
    assert batch.subject == "[P1] 2 hồ sơ khẩn mới trong 5 phút (09:00–09:05)"
    for sample_id in p1[1:]:
        assert samples()[sample_id]["title"] in batch.text
    with database.session() as session:  # every P1 case's acknowledgement chain started when it was opened
        assert all([s.step for s in steps_of(session, c.id)] == [0] for c in list_cases(session))
    # A P1 after the window goes out at once again.
    with database.session() as session:
        add_sample(session, "written:w4:032", T0 + 7 * MINUTE)  # Hà Tĩnh
    workflow(database, T0 + 7 * MINUTE)
    assert len([n for n in _rows(database) if n.recipient == CENTRAL]) == 3


def test_the_focal_point_a_p1_case_is_assigned_to_waits_for_no_window(database: Database) -> None:
    seed(database, [])
    phu_tho = "daumoi.phutho@thads.vn"
    with database.session() as session:
        upsert_user(session, User(email=phu_tho, name="Phạm Thị Dung", role=Role.DAU_MOI, province="Phú Thọ"))
    for i, sample_id in enumerate(["written:w4:033", "written:w4:047"]):  # two Phú Thọ P1 cases a minute apart
        with database.session() as session:
            add_sample(session, sample_id, T0 + i * MINUTE)
        workflow(database, T0 + i * MINUTE)
        # The release pass that follows each workflow run (the scheduler wakes it): the focal point's second case
        # was gathered, due at once.
        release_held(database, SETTINGS, now=T0 + i * MINUTE)
    mine = [n for n in _rows(database) if n.recipient == phu_tho]
    assert len(mine) == 2  # each in the pass it was opened in: the statutory clock runs for them
    assert mine[1].subject == "[P1] 1 hồ sơ khẩn mới được giao lúc 09:01"
    assert mine[1].urgent
    assert mine[1].case_id is not None
    assert len([n for n in _rows(database) if n.recipient == CENTRAL]) == 1  # the second waits for the batch
    assert release_held(database, SETTINGS, now=T0 + 5 * MINUTE) == 1
    (batch,) = [n for n in _rows(database) if n.recipient == CENTRAL][1:]
    assert batch.case_id is not None  # a batch of one case names it
    assert batch.subject == "[P1] 1 hồ sơ khẩn mới trong 5 phút (09:00–09:05)"
    assert "Phú Thọ (Hòa Bình): Cách chức Chi cục trưởng Chi cục THADS huyện Lương Sơn" in batch.text


def test_a_burst_for_one_focal_point_makes_two_messages_in_the_same_pass(database: Database) -> None:
    seed(database, [])
    phu_tho = "daumoi.phutho@thads.vn"
    with database.session() as session:
        upsert_user(session, User(email=phu_tho, name="Phạm Thị Dung", role=Role.DAU_MOI, province="Phú Thọ"))
        for sample_id in ["written:w4:033", "written:w4:047"]:  # two Phú Thọ P1 cases in one pass
            add_sample(session, sample_id, T0)
    workflow(database, T0 + MINUTE)
    assert len([n for n in _rows(database) if n.recipient == phu_tho]) == 1  # the first at once
    assert release_held(database, SETTINGS, now=T0 + MINUTE) >= 1  # the rest with no wait
    mine = [n for n in _rows(database) if n.recipient == phu_tho]
    assert len(mine) == 2
    assert mine[1].subject == "[P1] 1 hồ sơ khẩn mới được giao lúc 09:01"
    assert mine[0].case_id != mine[1].case_id


def test_the_roundup_job_releases_what_is_due(database: Database, tmp_path: Path) -> None:
    seed(database)
    workflow(database, T0 + 10 * MINUTE)
    clock = [T0 + 30 * MINUTE]
    settings = Settings(storage=StorageSettings(data_dir=tmp_path / "data"), web=WebSettings())
    runtime = Runtime(settings=settings, database=database, now=lambda: clock[0])
    job = JOBS["roundup"]
    assert job.interval_s(settings) == 60
    assert job.run(runtime).done == 0  # 09:30: the hour is not over
    clock[0] = T0 + 61 * MINUTE
    outcome = job.run(runtime)
    assert outcome.done >= 2
    assert outcome.summary == f"{outcome.done} thư tổng hợp cảnh báo"
    assert job.run(runtime).done == 0


@pytest.mark.postgres
@pytest.mark.parametrize("claim", [False, True], ids=["plain", "claim"])
def test_two_workers_on_postgresql_release_a_batch_once(postgres_server: object, tmp_path: Path, claim: bool) -> None:
    from sqlalchemy.engine import URL

    from storage.migrate import upgrade
    from tests import postgres

    assert isinstance(postgres_server, URL)
    p1 = ["written:w4:033", "written:w4:034", "written:w4:037"]  # three P1 cases a minute apart: two held
    with postgres.fresh_database(postgres_server) as url:
        settings = StorageSettings(database_url=url.render_as_string(hide_password=False), data_dir=tmp_path)
        db = Database.from_settings(settings)
        upgrade(db.engine)
        seed(db, [])
        for i, sample_id in enumerate(p1):
            with db.session() as session:
                add_sample(session, sample_id, T0 + i * MINUTE)
            workflow(db, T0 + i * MINUTE)
        before = len(_rows(db))
        barrier = threading.Barrier(2)
        written: list[int] = []
        failed: list[BaseException] = []

        def worker() -> None:
            own = Database.from_settings(settings)
            try:
                for at in (T0 + 5 * MINUTE, T0 + 6 * MINUTE):  # both at the same moment, twice
                    barrier.wait()
                    written.append(release_held(own, SETTINGS, now=at, claim=claim))
            except BaseException as exc:  # a worker's failure is the finding: the other one must not wait for it
                failed.append(exc)
                barrier.abort()
            finally:
                own.dispose()

        threads = [threading.Thread(target=worker) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert failed == []
        assert sorted(written) == [0, 0, 0, 1]  # one worker wrote the one batch; nothing else, ever
        rows = _rows(db)
        batches = [n for n in rows if n.dedupe_key.startswith("p1batch:")]
        assert len(rows) == before + 1
        assert [(n.recipient, n.dedupe_key) for n in batches] == [(CENTRAL, f"p1batch:2026-11-16T02:05:00:{CENTRAL}")]
        assert batches[0].subject == "[P1] 2 hồ sơ khẩn mới trong 5 phút (09:00–09:05)"
        for sample_id in p1[1:]:  # the batch lists both held cases, none lost to the other worker
            assert samples()[sample_id]["title"] in batches[0].text
        db.dispose()
