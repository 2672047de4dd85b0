"""Restart safety of the chat and webhook channels: a real sender process (`thads-monitor outbox send`, configured
for the channel alone) killed (SIGKILL) while the local server holds its second request, after a server outage;
then a new sender. The API shapes are those of tests/alerts/test_chat_channels.py.

The request went out and the server has it, but the sender never recorded the answer. Telegram and Zalo cannot
drop a second copy, so the new sender holds the message (failed, "có thể đã gửi", for an operator to check):
each urgent message reaches the chat exactly once. The webhook carries an idempotency id, so it is sent again
and the receiver keeps one copy (as e-mail does with its Message-ID).
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from alerts.channels import Channel
from alerts.routing import address_book
from alerts.sender import deliver
from alerts.settings import MailSettings, TelegramSettings, WebhookSettings, ZaloSettings
from alerts.telegram import TelegramChannel
from alerts.webhook import WebhookChannel
from alerts.zalo import ZaloChannel, case_facts
from domain.enums import NotificationKind
from domain.records import Notification
from storage.channels import save_addresses
from storage.engine import Database
from storage.outbox import enqueue, list_notifications
from tests.alerts.chat_servers import Api, Server, Telegram, Webhook, Zalo
from tests.alerts.seed import APP_URL, seed

EXE = str(Path(sys.executable).parent / "thads-monitor")
TOKEN, ZALO_TOKEN, SECRET = "7123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw", "zalo-oa-token", "bí-mật"
PEOPLE = [
    ("daumoi.cantho@thads.vn", "Cần Thơ"),
    ("truong.cantho@thads.vn", "Cần Thơ"),
    ("daumoi.hanoi@thads.vn", "Hà Nội"),
]
OUTBOX = MailSettings()
pytestmark = pytest.mark.slow  # sender processes, each starting the full CLI


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _seed(database: Database, channel: str) -> None:
    with database.session() as session:
        for i, (email, province) in enumerate(PEOPLE, 1):
            save_addresses(session, email, telegram_chat_id=f"700{i}", zalo_user_id=f"zl-{i}")
            enqueue(
                session,
                Notification(
                    kind=NotificationKind.ALERT,
                    recipient=email,
                    subject=f"[P1] Hồ sơ #{i} – {province}: cưỡng chế thi hành án bị phản ánh",
                    text=f"Hồ sơ xử lý thông tin báo chí #{i} được giao cho tỉnh/thành: {province}.",
                    created_at=_now(),
                    dedupe_key=f"case:{i}:new:{email}",
                    urgent=True,
                    channel=channel,
                ),
            )


def _api(channel: str) -> Api:
    if channel == "telegram":
        return Telegram(TOKEN, chats={"7001", "7002", "7003"})
    if channel == "zalo":
        return Zalo(ZALO_TOKEN, followers={"zl-1", "zl-2", "zl-3"}, templates={})
    return Webhook(SECRET)


def _environment(channel: str, url: str) -> dict[str, str]:
    if channel == "telegram":
        return {"THADS_TELEGRAM__TOKEN": TOKEN, "THADS_TELEGRAM__API_URL": url}
    if channel == "zalo":
        return {"THADS_ZALO__ACCESS_TOKEN": ZALO_TOKEN, "THADS_ZALO__API_URL": url, "THADS_ZALO__ZNS_URL": url}
    return {"THADS_WEBHOOK__URL": f"{url}/thads", "THADS_WEBHOOK__SECRET": SECRET}


def _channel(channel: str, url: str, database: Database) -> Channel:
    book = address_book(database)
    if channel == "telegram":
        return TelegramChannel(TelegramSettings.model_validate({"token": TOKEN, "api_url": url}), book)
    if channel == "zalo":
        settings = ZaloSettings.model_validate({"access_token": ZALO_TOKEN, "api_url": url, "zns_url": url})
        return ZaloChannel(settings, book, facts=case_facts(database, APP_URL))
    return WebhookChannel(WebhookSettings.model_validate({"url": f"{url}/thads", "secret": SECRET}), app_url=APP_URL)


def _sender(db_url: str, channel: str, url: str, home: Path) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("THADS_")}
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / "cfg"), THADS_STORAGE__DATABASE_URL=db_url)
    env.update(THADS_MAIL__BACKOFF_BASE_S="1")  # after the outage, the first message is due again in a second
    env.update(_environment(channel, url))
    return subprocess.Popen([EXE, "outbox", "send"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _rows(database: Database, channel: str) -> list[Notification]:
    with database.session() as session:
        return list_notifications(session, channel=channel)


def _texts(api: Api) -> list[str]:
    """What each request carried, as the person (or the receiver) reads it."""
    found = []
    for r in api.received:
        body = r.json
        found.append(body.get("text") or body.get("message", {}).get("text") or body["subject"])
    return found


@pytest.mark.parametrize("channel", ["telegram", "zalo", "webhook"])
def test_each_urgent_message_reaches_the_server_once_through_an_outage_and_a_killed_sender(
    database: Database, db_url: str, tmp_path: Path, channel: str
) -> None:
    seed(database, [])
    _seed(database, channel)
    api = _api(channel)
    server = Server(api)
    server.start()
    server.stop()  # the outage: the first sender finds nothing listening
    process = _sender(db_url, channel, server.url, tmp_path)
    _, err = process.communicate(timeout=90)
    assert process.returncode == 0, err
    rows = _rows(database, channel)
    assert [(n.status, n.attempts) for n in rows] == [("pending", 1), ("pending", 0), ("pending", 0)]
    assert "không kết nối được" in (rows[0].last_error or "")
    assert rows[0].next_attempt_at is not None
    time.sleep(max((rows[0].next_attempt_at - _now()).total_seconds(), 0) + 0.1)
    # The server is back; the next sender is killed while the server holds its second request (messages go
    # urgent first, then by when they are due: #2, #3, then the retry of #1).
    api.hold_at = 2
    server.start()
    try:
        process = _sender(db_url, channel, server.url, tmp_path)
        assert api.arrived.wait(90), process.stderr.read() if process.stderr else ""
        first, second, third = _rows(database, channel)
        assert (first.status, second.status, third.status) == ("pending", "sent", "sending")
        assert third.sending_at is not None  # handed over, not recorded
        os.kill(process.pid, signal.SIGKILL)
        process.communicate(timeout=30)
        assert process.returncode == -signal.SIGKILL
        api.release.set()
        sender = _channel(channel, server.url, database)
        # At once, the new sender leaves the held message alone (its sender might still be waiting).
        early = deliver(database, OUTBOX, now=_now, urgent_only=True, channel=sender)
        assert (early.sent, early.held, early.recovered) == (1, 0, 0)
        later = deliver(
            database,
            OUTBOX,
            now=lambda: _now() + dt.timedelta(seconds=OUTBOX.lease_s + 1),
            urgent_only=True,
            channel=_channel(channel, server.url, database),
        )
    finally:
        api.release.set()
        if process.poll() is None:
            process.kill()
            process.communicate(timeout=30)
        server.stop()
    texts = _texts(api)
    rows = _rows(database, channel)
    expected = sorted(n.text for n in rows)
    if channel == "webhook":
        assert (later.recovered, later.sent) == (1, 1)
        assert [n.status for n in rows] == ["sent", "sent", "sent"]
        assert sorted(texts) == sorted([*expected, rows[2].text])  # sent twice, with one idempotency id
        assert isinstance(api, Webhook)
        assert sorted(p["text"] for p in api.accepted.values()) == expected  # the receiver keeps one
    else:
        assert (later.held, later.sent) == (1, 0)
        assert [n.status for n in rows] == ["sent", "sent", "failed"]
        assert "có thể đã gửi" in (rows[2].last_error or "")
        assert "hỏi người nhận đã nhận tin qua" in (rows[2].last_error or "")
        assert sorted(t.split("\n\n", 1)[1] for t in texts) == expected  # each exactly once
