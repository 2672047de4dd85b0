"""Restart safety of the outbox sender: a real sender process killed (SIGKILL) at a deterministic point of an
SMTP conversation, then a new sender. See the window that remains in alerts/sender.py's docstring."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any, Literal

import pytest

from alerts.sender import run_outbox
from alerts.settings import MailSettings
from domain.records import Notification
from storage.engine import Database
from storage.outbox import enqueue, list_notifications
from tests.alerts.smtp_server import Recorder, smtp_server, wait_for

EXE = str(Path(sys.executable).parent / "thads-monitor")
pytestmark = pytest.mark.slow  # sender processes, each starting the full CLI


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _seed(database: Database) -> None:
    with database.session() as session:
        for i, name in enumerate(["Cần Thơ", "Hà Nội", "Thanh Hóa"], 1):
            enqueue(
                session,
                Notification(
                    kind="alert",
                    recipient=f"daumoi{i}@thads.vn",
                    subject=f"[P1] Hồ sơ #{i} – {name}: cưỡng chế thi hành án bị phản ánh",
                    text=f"Hồ sơ xử lý thông tin báo chí #{i} được giao cho tỉnh/thành: {name}.",
                    created_at=_now(),
                    dedupe_key=f"case:{i}:new:daumoi{i}@thads.vn",
                    urgent=True,
                ),
            )


def _settings(port: int, ambiguous: Literal["resend", "hold"]) -> MailSettings:
    return MailSettings(host="127.0.0.1", port=port, security="none", timeout_s=30, ambiguous=ambiguous)


def _sender(db_url: str, port: int, ambiguous: str, home: Path) -> subprocess.Popen[str]:
    """`thads-monitor outbox send` in a process of its own, as the scheduler's worker would run."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("THADS_")}
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "cfg"),
        THADS_STORAGE__DATABASE_URL=db_url,
        THADS_MAIL__HOST="127.0.0.1",
        THADS_MAIL__PORT=str(port),
        THADS_MAIL__SECURITY="none",
        THADS_MAIL__AMBIGUOUS=ambiguous,
    )
    return subprocess.Popen([EXE, "outbox", "send"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _rows(database: Database) -> list[Notification]:
    with database.session() as session:
        return list_notifications(session)


def _kill(process: subprocess.Popen[str]) -> None:
    os.kill(process.pid, signal.SIGKILL)
    process.communicate(timeout=30)
    assert process.returncode == -signal.SIGKILL


@pytest.mark.parametrize("ambiguous", ["resend", "hold"])
def test_killed_after_handing_a_message_over_the_sender_resends_it_with_its_message_id_or_holds_it(
    database: Database, db_url: str, recorder: Recorder, tmp_path: Path, ambiguous: Literal["resend", "hold"]
) -> None:
    _seed(database)
    arrived, release = threading.Event(), threading.Event()

    async def hold_second(received: Any) -> None:  # the server has the whole second message; no reply yet
        if len(recorder.received) == 2:
            arrived.set()
            await wait_for(release)

    recorder.after_data = hold_second
    with smtp_server(recorder) as server:
        process = _sender(db_url, server.port, ambiguous, tmp_path)
        try:
            assert arrived.wait(90), process.stderr.read() if process.stderr else ""
            first, second, third = _rows(database)
            # The window: the second message is handed over (sending_at recorded) and not recorded as sent.
            assert (first.status, second.status, third.status) == ("sent", "sending", "pending")
            assert second.sending_at is not None
            _kill(process)
        finally:
            release.set()
            if process.poll() is None:
                process.kill()
            process.communicate(timeout=30)  # reaped, its pipes closed (also when the test failed above)
        recorder.after_data = None
        settings = _settings(server.port, ambiguous)
        # A sender started at once leaves the second message alone: its lease has not run out, its sender
        # might be alive and waiting for the server's reply.
        early = run_outbox(database, settings, now=_now)
        assert (early.sent, early.recovered, early.held) == (1, 0, 0)
        assert [n.status for n in _rows(database)] == ["sent", "sending", "sent"]
        # Once the lease has run out, the stopped sender's message is resolved.
        later = run_outbox(database, settings, now=lambda: _now() + dt.timedelta(seconds=settings.lease_s + 1))
    rows = _rows(database)
    copies = [r.message_id for r in recorder.received]
    if ambiguous == "resend":
        assert (later.recovered, later.sent) == (1, 1)
        assert [n.status for n in rows] == ["sent", "sent", "sent"]
        assert rows[1].attempts == 2
        # Sent twice, with the same Message-ID and the same content: mail stores keep one of them.
        assert copies.count(rows[1].message_id) == 2
        twice = [r for r in recorder.received if r.message_id == rows[1].message_id]
        assert twice[0].part("text/plain") == twice[1].part("text/plain")
        assert sorted(set(copies)) == sorted(n.message_id for n in rows)
    else:
        assert (later.held, later.sent) == (1, 0)
        assert [n.status for n in rows] == ["sent", "failed", "sent"]
        assert "có thể đã gửi" in (rows[1].last_error or "")
        assert f"outbox retry {rows[1].id}" in (rows[1].last_error or "")
        assert sorted(copies) == sorted(n.message_id for n in rows)  # each exactly once


def test_killed_before_handing_a_message_over_the_sender_sends_it_once_after_restart(
    database: Database, db_url: str, recorder: Recorder, tmp_path: Path
) -> None:
    _seed(database)
    arrived, release = threading.Event(), threading.Event()
    seen: list[str] = []

    async def hold_second(address: Any) -> None:  # the sender is in the middle of the second conversation
        seen.append(str(address))
        if len(seen) == 2:
            arrived.set()
            await wait_for(release)

    recorder.before_rcpt = hold_second
    with smtp_server(recorder) as server:
        process = _sender(db_url, server.port, "hold", tmp_path)
        try:
            assert arrived.wait(90), process.stderr.read() if process.stderr else ""
            first, second, third = _rows(database)
            assert (first.status, second.status, third.status) == ("sent", "sending", "pending")
            assert second.sending_at is None  # taken, never handed over
            _kill(process)
        finally:
            release.set()
            if process.poll() is None:
                process.kill()
            process.communicate(timeout=30)  # reaped, its pipes closed (also when the test failed above)
        recorder.before_rcpt = None
        # Even with `hold`, the strict setting, a message that never reached the server goes out once.
        settings = _settings(server.port, "hold")
        later = run_outbox(database, settings, now=lambda: _now() + dt.timedelta(seconds=settings.lease_s + 1))
    assert (later.recovered, later.held, later.sent) == (1, 0, 2)
    rows = _rows(database)
    assert [n.status for n in rows] == ["sent", "sent", "sent"]
    copies = [r.message_id for r in recorder.received]
    assert sorted(copies) == sorted(n.message_id for n in rows)  # each exactly once
