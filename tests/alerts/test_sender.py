"""The outbox sender against a real SMTP server on loopback (aiosmtpd), on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import re
import threading
from collections.abc import Callable

import pytest
from markupsafe import escape

from alerts.digest import run_digest
from alerts.sender import _Off, backoff, run_alerts, run_outbox
from alerts.settings import AlertSettings, MailSettings
from domain.localtime import VN
from domain.records import Notification
from storage.engine import Database
from storage.outbox import enqueue, list_notifications
from storage.preferences import get_preferences, save_preferences
from storage.settings import StorageSettings
from tests.alerts.seed import APP_URL, CAN_THO_P1, T0, every_alert_at_once, samples, seed, workflow
from tests.alerts.smtp_server import Recorder, smtp_server
from tests.ports import free_port


def clock(at: dt.datetime) -> Callable[[], dt.datetime]:
    return lambda: at


def test_a_p1_alert_and_the_digests_arrive_whole_at_the_right_people(
    database: Database, smtp: MailSettings, recorder: Recorder
) -> None:
    seed(database)
    every_alert_at_once(database)  # the delivery of one message per case, not the tiers
    flagged = T0 + dt.timedelta(minutes=10)
    workflow(database, flagged)
    urgent = run_alerts(database, smtp, now=clock(flagged), app_url=APP_URL)
    # The Cần Thơ P1 case: Cần Thơ's focal point and the central desk; not Hà Nội, not the head (escalations)
    got = recorder.by_recipient()
    assert urgent.sent == 2
    assert set(got) == {"daumoi.cantho@thads.vn", "vanphong@cucqlthads.vn"}
    title = samples()[CAN_THO_P1]["title"]
    for received in (got["daumoi.cantho@thads.vn"][0], got["vanphong@cucqlthads.vn"][0]):
        received.raw.decode("ascii")  # 7-bit clean: RFC 2047 headers, base64 / quoted-printable bodies
        assert re.search(rb"^Subject: =\?utf-8\?[bq]\?", received.raw, re.MULTILINE)  # RFC 2047
        subject = str(received.message["Subject"])
        assert subject.startswith("[P1] Hồ sơ #")
        assert f"Cần Thơ: {title}" in subject
        assert received.message.get_content_type() == "multipart/alternative"
        assert [p.get_content_type() for p in received.message.iter_parts()] == ["text/plain", "text/html"]
        text, html = received.part("text/plain"), received.part("text/html")
        assert "được giao cho tỉnh/thành: Cần Thơ" in text
        assert f"Bài báo: {title}" in text
        assert "Sai phạm của cán bộ, cơ quan thi hành án" in text  # the rule that made it P1
        assert f"{APP_URL}/ho-so/" in text
        assert str(escape(title)) in html
        assert received.message["Importance"] == "high"
        assert str(received.message["From"]) == "Hệ thống theo dõi báo chí THADS <canhbao@thads.example>"
    # Non-urgent case messages wait for the outbox run; Hà Nội's P2 case goes to Hà Nội only.
    rest = run_outbox(database, smtp, now=clock(flagged), app_url=APP_URL)
    assert rest.sent == 3
    hanoi = recorder.by_recipient()["daumoi.hanoi@thads.vn"]
    assert [str(m.message["Subject"])[:5] for m in hanoi] == ["[P2] "]
    assert "Hà Nội" in str(hanoi[0].message["Subject"])

    # The next morning's digest, once its time has passed.
    morning = dt.datetime(2026, 11, 17, 7, 31, tzinfo=VN).astimezone(dt.UTC)
    assert run_digest(database, AlertSettings(app_url=APP_URL), now=clock(morning)).written == 4
    run_outbox(database, smtp, now=clock(morning), app_url=APP_URL)
    digests = {
        rcpt: [m for m in got if m.message["X-THADS-Kind"] == "digest"] for rcpt, got in recorder.by_recipient().items()
    }
    assert {rcpt: len(m) for rcpt, m in digests.items()} == {
        "daumoi.cantho@thads.vn": 1,
        "truong.cantho@thads.vn": 1,
        "daumoi.hanoi@thads.vn": 1,
        "vanphong@cucqlthads.vn": 1,
    }
    cantho = digests["daumoi.cantho@thads.vn"][0]
    assert str(cantho.message["Subject"]) == "Điểm tin THADS ngày 17/11/2026 – Cần Thơ: 3 bài mới"
    text, html = cantho.part("text/plain"), cantho.part("text/html")
    for sample_id in ("written:w4:052", "written:w3:038", "written:w3:030"):  # Cần Thơ's three
        assert samples()[sample_id]["title"] in text
        assert str(escape(samples()[sample_id]["title"])) in html
    assert samples()["written:w3:034"]["title"] not in text  # Hà Nội's auction
    assert "Kính gửi: Nguyễn Văn An" in text
    assert "== Khẩn (P1) (1 bài) ==" in text
    central = digests["vanphong@cucqlthads.vn"][0].part("text/plain")
    assert "Có 6 bài mới" in central
    assert samples()["written:w3:034"]["title"] in central


def test_with_the_server_down_messages_wait_and_back_off_then_go_exactly_once(
    database: Database, recorder: Recorder
) -> None:
    seed(database)
    every_alert_at_once(database)  # the delivery of one message per case, not the tiers
    start = T0 + dt.timedelta(minutes=10)
    workflow(database, start)
    port = free_port()  # nothing listens there yet
    settings = MailSettings(host="127.0.0.1", port=port, security="none", timeout_s=3, backoff_base_s=30)
    tries: dict[int, list[dt.datetime]] = {}
    for second in range(0, 600, 15):  # ten minutes of runs every 15 s with the server down
        at = start + dt.timedelta(seconds=second)
        before = {n.id: n.attempts for n in _rows(database)}
        summary = run_outbox(database, settings, now=clock(at))
        assert summary.sent == 0
        for n in _rows(database):
            if n.attempts > before[n.id]:
                assert n.id is not None
                tries.setdefault(n.id, []).append(at)
                assert n.status == "pending"
                assert f"không kết nối được máy chủ SMTP 127.0.0.1:{port}" in (n.last_error or "")
                assert n.next_attempt_at == at + backoff(settings, n.attempts)
    assert len(tries) == 5  # every message was tried
    for times in tries.values():  # and never again before its back-off had passed
        gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
        assert all(gap >= backoff(settings, i + 1) for i, gap in enumerate(gaps)), gaps
    assert max(len(t) for t in tries.values()) >= 3
    assert recorder.received == []

    with smtp_server(recorder, port=port):
        back = start + dt.timedelta(hours=1)
        assert run_outbox(database, settings, now=clock(back)).sent == 5
        assert run_outbox(database, settings, now=clock(back + dt.timedelta(hours=1))).sent == 0
    rows = _rows(database)
    assert {n.status for n in rows} == {"sent"}
    ids = [r.message_id for r in recorder.received]
    assert sorted(ids) == sorted(n.message_id for n in rows)  # each row exactly once
    assert len(set(ids)) == 5


def _rows(database: Database) -> list[Notification]:
    with database.session() as session:
        return list_notifications(session)


def test_quiet_hours_hold_non_urgent_mail_until_they_end_and_let_urgent_mail_through(
    database: Database, smtp: MailSettings, recorder: Recorder
) -> None:
    seed(database)
    every_alert_at_once(database)  # the delivery of one message per case, not the tiers
    with database.session() as session:
        prefs = get_preferences(session, "daumoi.cantho@thads.vn")
        assert prefs is not None
        save_preferences(session, prefs.__class__(**{**_fields(prefs), "quiet_start": "22:00", "quiet_end": "06:30"}))
    night = dt.datetime(2026, 11, 16, 23, 0, tzinfo=VN).astimezone(dt.UTC)
    workflow(database, night)  # a P1 alert and two non-urgent case messages for Cần Thơ's focal point
    summary = run_outbox(database, smtp, now=clock(night))
    assert summary.deferred == 2
    cantho = recorder.by_recipient()["daumoi.cantho@thads.vn"]
    assert [str(m.message["Subject"])[:4] for m in cantho] == ["[P1]"]
    waiting = [n for n in _rows(database) if n.status == "pending"]
    end = dt.datetime(2026, 11, 17, 6, 30, tzinfo=VN).astimezone(dt.UTC)
    assert {(n.recipient, n.next_attempt_at, n.attempts) for n in waiting} == {("daumoi.cantho@thads.vn", end, 0)}
    run_outbox(database, smtp, now=clock(end - dt.timedelta(minutes=1)))
    assert len(recorder.by_recipient()["daumoi.cantho@thads.vn"]) == 1
    run_outbox(database, smtp, now=clock(end))
    assert len(recorder.by_recipient()["daumoi.cantho@thads.vn"]) == 3


def _fields(record: object) -> dict[str, object]:
    return {name: getattr(record, name) for name in record.__slots__}  # type: ignore[attr-defined]


def test_a_refused_recipient_fails_at_once_and_so_does_a_message_out_of_attempts(
    database: Database, smtp: MailSettings, recorder: Recorder, caplog: pytest.LogCaptureFixture
) -> None:
    recorder.refuse.add("khongtontai@thads.vn")
    with database.session() as session:
        for i, recipient in enumerate(["khongtontai@thads.vn", "đầumối@thads.vn", "daumoi.hanoi@thads.vn"]):
            enqueue(session, _note(recipient, f"thu-{i}", T0))
    with caplog.at_level(logging.ERROR, logger="alerts.sender"):
        summary = run_outbox(database, smtp, now=clock(T0))
    assert (summary.sent, summary.failed) == (1, 2)
    failed = [n for n in _rows(database) if n.status == "failed"]
    assert [(n.recipient, n.attempts) for n in failed] == [("khongtontai@thads.vn", 1), ("đầumối@thads.vn", 1)]
    assert "người nhận khongtontai@thads.vn bị từ chối: 550 5.1.1" in (failed[0].last_error or "")
    assert "địa chỉ đầumối@thads.vn có ký tự ngoài ASCII" in (failed[1].last_error or "")
    assert "failed after 1 attempt(s)" in caplog.text

    down = MailSettings(host="127.0.0.1", port=free_port(), security="none", max_attempts=2, backoff_base_s=30)
    with database.session() as session:
        enqueue(session, _note("daumoi.cantho@thads.vn", "het-luot", T0))
    with caplog.at_level(logging.ERROR, logger="alerts.sender"):
        run_outbox(database, down, now=clock(T0))
        run_outbox(database, down, now=clock(T0 + dt.timedelta(seconds=30)))
    (gave_up,) = [n for n in _rows(database) if n.recipient == "daumoi.cantho@thads.vn"]
    assert (gave_up.status, gave_up.attempts) == ("failed", 2)
    assert "failed after 2 attempt(s)" in caplog.text


def _note(recipient: str, key: str, at: dt.datetime, *, urgent: bool = False) -> Notification:
    return Notification(
        kind="alert" if urgent else "case",
        recipient=recipient,
        subject=f"Thử nghiệm gửi thư: hồ sơ Cần Thơ – {key}",
        text=f"Nội dung thư thử nghiệm có dấu tiếng Việt ({key}): Thi hành án dân sự thành phố Cần Thơ.",
        created_at=at,
        dedupe_key=f"thu-nghiem:{key}",
        urgent=urgent,
    )


def test_two_senders_at_once_deliver_every_message_exactly_once(
    database: Database, storage_settings: StorageSettings, smtp: MailSettings, recorder: Recorder
) -> None:
    with database.session() as session:
        for i in range(40):
            enqueue(session, _note(f"nguoinhan{i % 7}@thads.vn", f"song-song-{i}", T0, urgent=i % 3 == 0))
    barrier = threading.Barrier(2)
    sent: list[int] = []

    def sender() -> None:
        own = Database.from_settings(storage_settings)
        barrier.wait()
        sent.append(run_outbox(own, smtp, now=lambda: T0).sent)
        own.dispose()

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(sent) == 40
    ids = [r.message_id for r in recorder.received]
    assert len(ids) == len(set(ids)) == 40
    assert {n.status for n in _rows(database)} == {"sent"}


def test_without_an_smtp_host_sending_is_off_says_so_and_messages_wait(
    database: Database, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_Off, "said", set())
    with database.session() as session:
        enqueue(session, _note("daumoi.hanoi@thads.vn", "tat", T0, urgent=True))
    with caplog.at_level(logging.WARNING, logger="alerts.sender"):
        summary = run_alerts(database, MailSettings(), now=clock(T0))
    assert summary.off
    assert "mail.host is not set: e-mail sending is off; 1 message(s) wait in the outbox" in caplog.text
    assert [(n.status, n.attempts) for n in _rows(database)] == [("pending", 0)]
