"""The daily digest: its content (golden file of the text part), when it is due, its scope, once a day."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from pathlib import Path

import pytest

from alerts.cases import acknowledge
from alerts.digest import build_digest, countdown, run_digest
from alerts.settings import AlertSettings
from domain.localtime import VN
from domain.records import User
from storage.cases import get_user, upsert_user
from storage.engine import Database
from storage.outbox import list_notifications
from storage.preferences import get_preferences, save_preferences
from tests.alerts.seed import APP_URL, T0, add_sample, samples, seed, workflow

GOLDEN = Path(__file__).with_name("golden") / "digest-van-phong-cuc.txt"
MORNING = dt.datetime(2026, 11, 17, 7, 30, tzinfo=VN).astimezone(dt.UTC)
SETTINGS = AlertSettings(app_url=APP_URL)


def _at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=VN).astimezone(dt.UTC)


def test_the_digest_text_is_the_golden_file_and_the_same_every_time(database: Database) -> None:
    seed(database)
    workflow(database, T0 + dt.timedelta(minutes=10))
    with database.session() as session:
        user = get_user(session, "vanphong@cucqlthads.vn")
        preferences = get_preferences(session, "vanphong@cucqlthads.vn")
        assert user is not None
        assert preferences is not None
        digest, message = build_digest(session, user, preferences, now=MORNING, app_url=APP_URL)
        _, again = build_digest(session, user, preferences, now=MORNING, app_url=APP_URL)
    assert again == message  # text and HTML
    if os.environ.get("THADS_UPDATE_GOLDEN") == "1":
        GOLDEN.write_text(message.text, encoding="utf-8")
    assert message.text == GOLDEN.read_text(encoding="utf-8")
    assert message.subject == "Điểm tin THADS ngày 17/11/2026 – toàn quốc: 6 bài mới"
    assert (digest.articles, len(digest.cases)) == (6, 4)


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        (MORNING + dt.timedelta(days=2, hours=3, minutes=59), ("còn 2 ngày 3 giờ", False)),
        (MORNING + dt.timedelta(days=1), ("còn 1 ngày", False)),
        (MORNING + dt.timedelta(minutes=45), ("còn 45 phút", False)),
        (MORNING - dt.timedelta(hours=5, seconds=30), ("quá hạn 5 giờ", True)),
        (MORNING - dt.timedelta(hours=1, minutes=40), ("quá hạn 1 giờ 40 phút", True)),
        (MORNING - dt.timedelta(days=3, hours=1), ("quá hạn 3 ngày 1 giờ", True)),
    ],
)
def test_deadline_countdowns(due: dt.datetime, expected: tuple[str, bool]) -> None:
    assert countdown(due, MORNING) == expected


def test_overdue_cases_come_first(database: Database) -> None:
    seed(database)
    workflow(database, T0 + dt.timedelta(minutes=10))
    with database.session() as session:
        for case_id in (2, 3):  # Cần Thơ acknowledges two of its cases in time
            acknowledge(session, case_id, actor="daumoi.cantho@thads.vn", at=_at(16, 15))
    with database.session() as session:
        user, preferences = (
            get_user(session, "vanphong@cucqlthads.vn"),
            get_preferences(session, "vanphong@cucqlthads.vn"),
        )
        assert user is not None
        assert preferences is not None
        digest, message = build_digest(session, user, preferences, now=_at(18, 8), app_url=APP_URL)
    assert [(c.id, c.overdue) for c in digest.cases] == [(1, True), (4, True), (2, False), (3, False)]
    assert digest.cases[0].countdown == "quá hạn 22 giờ 50 phút"  # the P1 case's 24-hour initial information
    assert digest.cases[1].countdown == "quá hạn 8 giờ"  # Hà Nội's acknowledgement, due 24:00 yesterday
    assert message.subject.endswith(", 2 hồ sơ quá hạn")
    assert "== Hồ sơ đang mở (4, 2 quá hạn) ==" in message.text


def test_digests_are_due_after_the_local_time_once_a_day_in_each_scope(database: Database) -> None:
    seed(database)
    workflow(database, T0 + dt.timedelta(minutes=10))
    assert run_digest(database, SETTINGS, now=lambda: _at(17, 7, 29)).written == 0  # not yet 07:30
    first = run_digest(database, SETTINGS, now=lambda: _at(17, 7, 31))
    assert first.written == 4
    assert run_digest(database, SETTINGS, now=lambda: _at(17, 12)).written == 0  # once a day
    with database.session() as session:
        digests = [n for n in list_notifications(session) if n.kind == "digest"]
        assert {n.dedupe_key for n in digests} == {f"digest:{u}:2026-11-17" for u in _emails()}
        assert {get_preferences(session, e).last_digest_at for e in _emails()} == {_at(17, 7, 31)}  # type: ignore[union-attr]
        hanoi_first = next(n for n in digests if n.recipient == "daumoi.hanoi@thads.vn")
        assert hanoi_first.subject == "Điểm tin THADS ngày 17/11/2026 – Hà Nội: 2 bài mới"
        add_sample(session, "written:w4:005", _at(17, 10))  # Cần Thơ, after the first digest
    second = run_digest(database, SETTINGS, now=lambda: _at(18, 8))
    assert second.written == 4
    with database.session() as session:
        latest = {n.recipient: n for n in list_notifications(session) if n.dedupe_key.endswith("2026-11-18")}
    cantho = latest["daumoi.cantho@thads.vn"]
    assert cantho.subject == "Điểm tin THADS ngày 18/11/2026 – Cần Thơ: 1 bài mới, 3 hồ sơ quá hạn"
    assert samples()["written:w4:005"]["title"] in cantho.text
    assert samples()["written:w4:052"]["title"] not in cantho.text.split("== Hồ sơ đang mở")[0]  # yesterday's
    assert "Có 1 bài mới liên quan đến thi hành án dân sự từ 07:31 17/11/2026 đến 08:00 18/11/2026." in cantho.text
    hanoi = latest["daumoi.hanoi@thads.vn"]
    assert hanoi.subject == "Điểm tin THADS ngày 18/11/2026 – Hà Nội: không có bài mới, 1 hồ sơ quá hạn"
    assert "Không có bài mới" in hanoi.text
    assert "#4 [P2] Hà Nội" in hanoi.text  # its open case still counts down


def _emails() -> list[str]:
    return ["daumoi.cantho@thads.vn", "truong.cantho@thads.vn", "daumoi.hanoi@thads.vn", "vanphong@cucqlthads.vn"]


def test_preferences_switch_the_digest_off_widen_its_scope_or_skip_an_empty_one(database: Database) -> None:
    seed(database)
    with database.session() as session:
        upsert_user(
            session, User(email="daumoi.thanhhoa@thads.vn", name="Phạm Thị Hòa", role="dau_moi", province="Thanh Hóa")
        )
        for email, change in [
            ("daumoi.cantho@thads.vn", {"digest_enabled": False}),
            ("daumoi.hanoi@thads.vn", {"digest_scope": "toan_quoc"}),
        ]:
            current = get_preferences(session, email)
            assert current is not None
            save_preferences(session, dataclasses.replace(current, **change))  # type: ignore[arg-type]
    skip_empty = AlertSettings(app_url=APP_URL, digest_send_empty=False)
    summary = run_digest(database, skip_empty, now=lambda: _at(16, 10))
    assert (summary.written, summary.skipped) == (3, 1)  # Thanh Hóa has nothing: skipped; Cần Thơ's is off
    with database.session() as session:
        sent = {n.recipient: n for n in list_notifications(session)}
        skipped = get_preferences(session, "daumoi.thanhhoa@thads.vn")
    assert set(sent) == {"truong.cantho@thads.vn", "daumoi.hanoi@thads.vn", "vanphong@cucqlthads.vn"}
    assert sent["daumoi.hanoi@thads.vn"].subject.endswith("toàn quốc: 6 bài mới")
    assert skipped is not None
    assert skipped.last_digest_at == _at(16, 10)  # nothing was in its period: the next digest starts there


def test_the_first_digest_looks_back_one_day(database: Database) -> None:
    seed(database, ["written:w3:038"], at=_at(15, 6))  # 27 hours before
    seed(database, ["written:w3:030"], at=_at(15, 12))  # 21 hours before
    summary = run_digest(database, SETTINGS, now=lambda: _at(16, 9), email="daumoi.cantho@thads.vn")
    assert summary.written == 1
    with database.session() as session:
        (digest,) = list_notifications(session)
    assert samples()["written:w3:030"]["title"] in digest.text
    assert samples()["written:w3:038"]["title"] not in digest.text
