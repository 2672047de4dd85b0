"""A second channel beside e-mail: a throw-away channel that keeps what it receives in memory gets the P1 alert of
a real case through the same path as e-mail (the workflow writes one outbox row per channel, the outbox worker
delivers each channel's rows), exactly once, with retries; nothing in the workflow knows of it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from alerts.calendar import default_calendar
from alerts.channels import DeliveryError
from alerts.deadlines import default_policy
from alerts.priority import default_rules
from alerts.sender import backoff, deliver, run_alerts
from alerts.settings import AlertSettings, MailSettings
from alerts.workflow import run_workflow
from domain.records import Notification
from storage.engine import Database
from storage.outbox import list_notifications
from tests.alerts.seed import APP_URL, CAN_THO_P1, T0, every_alert_at_once, samples, seed
from tests.alerts.smtp_server import Recorder


class MemoryChannel:
    """Keeps every message it is given; fails the next `failures` attempts as a broken connection would."""

    name = "memory"

    def __init__(self, failures: int = 0) -> None:
        self.received: list[Notification] = []
        self.failures = failures

    def off_reason(self) -> str | None:
        return None

    def send(self, notification: Notification, *, handed: Callable[[], bool]) -> str:
        if self.failures:
            self.failures -= 1
            raise DeliveryError("kênh thử nghiệm tạm thời không nhận tin", connection=True)
        assert handed()
        self.received.append(notification)
        return "ok"

    def close(self) -> None:
        pass


def _flag(database: Database, at: dt.datetime) -> None:
    run_workflow(
        database,
        rules=default_rules(),
        policy=default_policy(),
        calendar=default_calendar(),
        settings=AlertSettings(app_url=APP_URL, channels=("mail", "memory")),
        now=lambda: at,
    )


def test_a_p1_alert_reaches_a_second_channel_exactly_once_through_the_outbox_like_email(
    database: Database, smtp: MailSettings, recorder: Recorder
) -> None:
    seed(database)
    every_alert_at_once(database)  # the delivery of one message per case, not the tiers
    flagged = T0 + dt.timedelta(minutes=10)
    _flag(database, flagged)
    memory = MemoryChannel()
    assert run_alerts(database, smtp, now=lambda: flagged, app_url=APP_URL).sent == 2
    assert deliver(database, smtp, now=lambda: flagged, urgent_only=True, channel=memory).sent == 2
    title = samples()[CAN_THO_P1]["title"]
    by_mail = {r: [str(m.message["Subject"]) for m in got] for r, got in recorder.by_recipient().items()}
    by_memory = {n.recipient: [n.subject] for n in memory.received}
    assert by_memory == by_mail  # the same people, the same words
    assert set(by_memory) == {"daumoi.cantho@thads.vn", "vanphong@cucqlthads.vn"}
    for n in memory.received:
        assert (n.kind, n.urgent, n.channel) == ("alert", True, "memory")
        assert n.subject.startswith("[P1] Hồ sơ #")
        assert f"Cần Thơ: {title}" in n.subject
        assert f"Bài báo: {title}" in n.text
    # Running everything again, and the workflow again, delivers nothing more on either channel.
    _flag(database, flagged + dt.timedelta(minutes=1))
    assert deliver(database, smtp, now=lambda: flagged, channel=memory).sent == 3  # the non-urgent P2/P3 messages
    assert deliver(database, smtp, now=lambda: flagged, channel=memory).sent == 0
    assert run_alerts(database, smtp, now=lambda: flagged, app_url=APP_URL).sent == 0
    assert len(memory.received) == 5
    with database.session() as s:
        rows = list_notifications(s)
    assert {n.channel for n in rows} == {"mail", "memory"}
    assert {n.status for n in rows if n.channel == "memory"} == {"sent"}
    assert {n.status for n in rows if n.channel == "mail"} == {"sent", "pending"}  # mail's P2/P3 wait for run_outbox


def test_a_failing_second_channel_retries_with_back_off_and_leaves_email_alone(
    database: Database, smtp: MailSettings, recorder: Recorder
) -> None:
    seed(database)
    flagged = T0 + dt.timedelta(minutes=10)
    _flag(database, flagged)
    memory = MemoryChannel(failures=1)
    first = deliver(database, smtp, now=lambda: flagged, urgent_only=True, channel=memory)
    assert (first.sent, first.retried) == (0, 1)  # the connection broke: the other message waits too
    assert run_alerts(database, smtp, now=lambda: flagged, app_url=APP_URL).sent == 2  # e-mail goes regardless
    assert deliver(database, smtp, now=lambda: flagged, urgent_only=True, channel=memory).sent == 1  # not the retry
    later = flagged + backoff(smtp, 1)
    assert deliver(database, smtp, now=lambda: later, urgent_only=True, channel=memory).sent == 1
    assert sorted(n.recipient for n in memory.received) == ["daumoi.cantho@thads.vn", "vanphong@cucqlthads.vn"]
    assert len(recorder.received) == 2
