"""Channels beyond e-mail: the signed webhook, Telegram and Zalo, each against a local server (tests/alerts/
chat_servers.py) that speaks the real API's shapes, errors and rate limits, on both storage backends.

The shapes the local servers speak:

Telegram Bot API, sendMessage (https://core.telegram.org/bots/api#making-requests, #sendmessage,
#responseparameters):
    POST /bot<token>/sendMessage  {"chat_id": "7001", "text": "…", "disable_web_page_preview": true}
    200 {"ok": true, "result": {"message_id": 101, "chat": {"id": 7001, "type": "private"}, "text": "…"}}
    400 {"ok": false, "error_code": 400, "description": "Bad Request: chat not found"}  (also "message is too long"
        above 4096 characters)
    401 {"ok": false, "error_code": 401, "description": "Unauthorized"}  (a wrong token)
    429 {"ok": false, "error_code": 429, "description": "Too Many Requests: retry after 90",
         "parameters": {"retry_after": 90}}

Zalo Official Account API v3.0, consultation message (https://developers.zalo.me/docs/official-account/tin-nhan/
tin-tu-van/gui-tin-tu-van), and ZNS template message (https://developers.zalo.me/docs/zalo-notification-service/
gui-tin-zns/gui-zns), both with the header `access_token`:
    POST /v3.0/oa/message/cs  {"recipient": {"user_id": "…"}, "message": {"text": "…"}}
    POST /message/template    {"phone": "849…", "template_id": "…", "template_data": {…}, "tracking_id": "…"}
    200 {"error": 0, "message": "Success", "data": {"message_id": "…", …}}
    200 {"error": -216, "message": "Access token is invalid"}; -213 "User has not followed OA"; -108 "Phone number
        is invalid"; -32 a rate limit (assumed, see alerts/zalo.py); -1123 template data not matching the template
        (assumed code). Zalo answers errors with HTTP 200 and a non-zero `error`.

Webhook (ours, alerts/webhook.py): POST JSON with `X-THADS-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret,
"<t>." + body)>` and `Idempotency-Key`; the receiver verifies with `alerts.webhook.verify`, answers 401 to a bad
signature, 2xx when it took the message, 429/503 with Retry-After when it wants a pause.

An outage is the server stopped (connections refused) and started again on the same port.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace

import pytest
from pydantic import SecretStr

from alerts.calendar import default_calendar
from alerts.deadlines import default_policy
from alerts.http_channel import cut
from alerts.priority import default_rules
from alerts.routing import address_book, channels_for
from alerts.sender import deliver
from alerts.settings import AlertSettings, MailSettings, TelegramSettings, WebhookSettings, ZaloSettings
from alerts.telegram import TelegramChannel
from alerts.webhook import WebhookChannel, body_of, sign, verify
from alerts.workflow import run_workflow
from alerts.zalo import ZaloChannel, ZnsTemplate, case_facts, load_template, phone_84
from domain.enums import AlertTier, ChannelName, NotificationKind
from domain.labels import priority_vi
from domain.records import Notification
from storage.cases import get_case, get_user, upsert_user
from storage.channels import save_addresses, save_channel_choices
from storage.engine import Database
from storage.outbox import enqueue, list_notifications, retry_notifications
from tests.alerts.chat_servers import Server, Telegram, Webhook, Zalo, serving, telegram_rate_limit
from tests.alerts.seed import APP_URL, CAN_THO_P1, T0, samples, seed
from tests.json_api import Answer

TOKEN = "7123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
ZALO_TOKEN = "zalo-oa-access-token-0001"
SECRET = "bí-mật-chung-của-cục"
OUTBOX = MailSettings(backoff_base_s=30, backoff_max_s=900, max_attempts=8)
TEMPLATE = ZnsTemplate.model_validate({**load_template().model_dump(), "template_id": "412345"})
CAN_THO, CENTRAL = "daumoi.cantho@thads.vn", "vanphong@cucqlthads.vn"


def _rows(database: Database, channel: str) -> list[Notification]:
    with database.session() as session:
        return list_notifications(session, channel=channel)


def _telegram(server: Server, database: Database, token: str = TOKEN) -> TelegramChannel:
    settings = TelegramSettings(token=SecretStr(token), api_url=server.url, timeout_s=5)
    return TelegramChannel(settings, address_book(database))


def _zalo(server: Server, database: Database) -> ZaloChannel:
    settings = ZaloSettings(access_token=SecretStr(ZALO_TOKEN), api_url=server.url, zns_url=server.url, timeout_s=5)
    return ZaloChannel(settings, address_book(database), facts=case_facts(database, APP_URL), template=TEMPLATE)


def _choose(database: Database) -> None:
    """Cần Thơ's focal point wants urgent alerts on Telegram too; the central desk on Zalo alone (a phone, no OA
    follower id: ZNS)."""
    with database.session() as session:
        save_addresses(session, CAN_THO, telegram_chat_id="7001", zalo_user_id=None)
        save_channel_choices(session, CAN_THO, {AlertTier.IMMEDIATE: [ChannelName.MAIL, ChannelName.TELEGRAM]})
        save_addresses(session, CENTRAL, telegram_chat_id=None, zalo_user_id=None)
        save_channel_choices(session, CENTRAL, {AlertTier.IMMEDIATE: [ChannelName.ZALO]})
        user = get_user(session, CENTRAL)
        assert user is not None
        upsert_user(session, replace(user, phone="0912 345 678"))


def _flag(database: Database, at: dt.datetime) -> None:
    run_workflow(
        database,
        rules=default_rules(),
        policy=default_policy(),
        calendar=default_calendar(),
        settings=AlertSettings(app_url=APP_URL, channels=("mail", "webhook")),
        now=lambda: at,
    )


@pytest.fixture
def flagged(database: Database) -> dt.datetime:
    """The day's articles through the workflow, with the users' channel choices made first."""
    seed(database)
    _choose(database)
    at = T0 + dt.timedelta(minutes=10)
    _flag(database, at)
    return at


def test_each_user_s_choice_per_tier_decides_the_outbox_rows_and_the_webhook_takes_every_message(
    database: Database, flagged: dt.datetime
) -> None:
    with database.session() as session:
        cantho, central = get_user(session, CAN_THO), get_user(session, CENTRAL)
        assert cantho is not None
        assert central is not None
        assert channels_for(session, cantho, AlertTier.IMMEDIATE) == ("mail", "telegram")
        assert channels_for(session, cantho, AlertTier.DIGEST) == ("mail",)  # no choice for the tier: e-mail
        assert channels_for(session, central, AlertTier.IMMEDIATE) == ("zalo",)
    mail, telegram, zalo, webhook = (_rows(database, c) for c in ("mail", "telegram", "zalo", "webhook"))
    assert {n.recipient for n in telegram} == {CAN_THO}
    assert {n.recipient for n in zalo} == {CENTRAL}
    assert CENTRAL not in {n.recipient for n in mail}  # chose Zalo alone
    assert sorted(n.dedupe_key for n in telegram) == sorted(n.dedupe_key for n in mail if n.recipient == CAN_THO)
    # The webhook (installation-wide) has every message of every user, whatever they chose.
    everyone = sorted(n.dedupe_key for n in mail + zalo)
    assert sorted(n.dedupe_key for n in webhook) == everyone
    urgent = [n for n in telegram if n.urgent]
    assert len(urgent) == 1
    assert urgent[0].subject.startswith("[P1] Hồ sơ #")
    # The workflow again writes nothing more on any channel.
    _flag(database, flagged + dt.timedelta(minutes=1))
    assert [len(_rows(database, c)) for c in ("mail", "telegram", "zalo", "webhook")] == [
        len(mail),
        len(telegram),
        len(zalo),
        len(webhook),
    ]


def test_telegram_delivers_each_urgent_alert_once_through_an_outage_and_a_rate_limit(
    database: Database, flagged: dt.datetime
) -> None:
    api = Telegram(TOKEN, chats={"7001"})
    server = Server(api)
    server.start()
    port = server.port
    server.stop()  # the outage: connections refused
    try:
        channel = _telegram(server, database)
        down = deliver(database, OUTBOX, now=lambda: flagged, urgent_only=True, channel=channel)
        assert (down.sent, down.retried) == (0, 1)
        assert "không kết nối được" in down.errors[0]
        row = next(n for n in _rows(database, "telegram") if n.urgent)
        assert (row.status, row.attempts, row.next_attempt_at) == ("pending", 1, flagged + dt.timedelta(seconds=30))
        server.start()
        assert server.port == port
        api.script.append(telegram_rate_limit(90))  # back up, and busy: "retry after 90"
        at = flagged + dt.timedelta(seconds=31)
        limited = deliver(database, OUTBOX, now=lambda: at, urgent_only=True, channel=channel)
        assert (limited.sent, limited.retried) == (0, 1)
        row = next(n for n in _rows(database, "telegram") if n.urgent)
        assert row.next_attempt_at == at + dt.timedelta(seconds=90)  # not the 60 s of the back-off
        early = deliver(database, OUTBOX, now=lambda: at + dt.timedelta(seconds=89), urgent_only=True, channel=channel)
        assert early.sent == 0
        assert len(api.received) == 1
        later = at + dt.timedelta(seconds=90)
        assert deliver(database, OUTBOX, now=lambda: later, urgent_only=True, channel=channel).sent == 1
        assert deliver(database, OUTBOX, now=lambda: later, urgent_only=True, channel=channel).sent == 0
    finally:
        server.stop()
    sent = api.delivered()
    assert len(sent) == 2  # the rate-limited request and the one that got through
    title = samples()[CAN_THO_P1]["title"]
    assert sent[0] == sent[1]  # the same message both times
    assert sent[1]["chat_id"] == "7001"
    assert f"Cần Thơ: {title}" in sent[1]["text"]
    assert sent[1]["text"].startswith("[P1] Hồ sơ #")
    assert [n.status for n in _rows(database, "telegram") if n.urgent] == ["sent"]


def test_zalo_sends_a_zns_template_filled_from_the_case_to_a_user_with_a_phone_only(
    database: Database, flagged: dt.datetime
) -> None:
    api = Zalo(ZALO_TOKEN, followers=set(), templates={"412345": {f.name for f in TEMPLATE.fields}})
    with serving(api) as server:
        channel = _zalo(server, database)
        api.script.append(Answer(200, {"error": -32, "message": "Exceeded rate limit"}))
        busy = deliver(database, OUTBOX, now=lambda: flagged, urgent_only=True, channel=channel)
        assert (busy.sent, busy.retried) == (0, 1)
        later = flagged + dt.timedelta(seconds=30)
        assert deliver(database, OUTBOX, now=lambda: later, urgent_only=True, channel=channel).sent == 1
        assert deliver(database, OUTBOX, now=lambda: later, urgent_only=True, channel=channel).sent == 0
    assert [r.path for r in api.received] == ["/message/template", "/message/template"]
    body = api.received[1].json
    urgent = next(n for n in _rows(database, "zalo") if n.urgent)
    with database.session() as session:
        case = get_case(session, urgent.case_id or 0)
    assert case is not None
    assert body["phone"] == "84912345678"
    assert body["template_id"] == "412345"
    assert body["tracking_id"] == urgent.dedupe_key
    data = body["template_data"]
    assert data["case_title"] == cut(case.title, 100)
    assert data["case_title"].startswith(case.title[:50])
    assert (data["province"], data["priority"]) == ("Cần Thơ", priority_vi("P1"))
    assert data["link"] == f"{APP_URL}/ho-so/{case.id}"
    assert data["deadline"].endswith("/11/2026")


def test_zalo_oa_message_to_a_follower_and_an_invalid_token_fails_for_good(database: Database) -> None:
    seed(database, [])
    with database.session() as session:
        save_addresses(session, CAN_THO, telegram_chat_id=None, zalo_user_id="zl-8842")
        for i in (1, 2):
            enqueue(
                session,
                Notification(
                    kind=NotificationKind.ALERT,
                    recipient=CAN_THO,
                    subject=f"[P1] Hồ sơ #{i} – Cần Thơ: cưỡng chế thi hành án bị phản ánh",
                    text="Đề nghị xác minh, báo cáo trong ngày.",
                    created_at=T0,
                    dedupe_key=f"case:{i}:new:{CAN_THO}",
                    urgent=True,
                    channel="zalo",
                ),
            )
    api = Zalo(ZALO_TOKEN, followers={"zl-8842"}, templates={})
    with serving(api) as server:
        channel = _zalo(server, database)
        channel.settings = channel.settings.model_copy(update={"access_token": SecretStr("expired")})
        bad = deliver(database, OUTBOX, now=lambda: T0, channel=channel)
        assert (bad.sent, bad.failed) == (0, 1)  # permanent, and the run stopped: the second waits
        assert "access token" in bad.errors[0]
        good = deliver(database, OUTBOX, now=lambda: T0, channel=_zalo(server, database))
        assert good.sent == 1
    cs = [r.json for r in api.received if r.headers.get("access_token") == ZALO_TOKEN]
    assert cs == [
        {
            "recipient": {"user_id": "zl-8842"},
            "message": {
                "text": "[P1] Hồ sơ #2 – Cần Thơ: cưỡng chế thi hành án bị phản ánh\n\n"
                "Đề nghị xác minh, báo cáo trong ngày."
            },
        }
    ]
    assert [n.status for n in _rows(database, "zalo")] == ["failed", "sent"]


def test_telegram_invalid_token_and_unknown_chat_are_permanent_and_long_text_is_cut(database: Database) -> None:
    seed(database, [])
    long_text = " ".join(["Báo phản ánh việc cưỡng chế thi hành án tại Cần Thơ."] * 120)
    with database.session() as session:
        save_addresses(session, CAN_THO, telegram_chat_id="7001", zalo_user_id=None)
        save_addresses(session, CENTRAL, telegram_chat_id="9999", zalo_user_id=None)
        for i, who in ((1, CAN_THO), (2, CENTRAL)):
            enqueue(
                session,
                Notification(
                    kind=NotificationKind.ALERT,
                    recipient=who,
                    subject=f"[P1] Hồ sơ #{i} – Cần Thơ",
                    text=long_text,
                    created_at=T0,
                    dedupe_key=f"case:{i}:new:{who}",
                    urgent=True,
                    channel="telegram",
                ),
            )
    api = Telegram(TOKEN, chats={"7001"})
    with serving(api) as server:
        wrong = deliver(database, OUTBOX, now=lambda: T0, channel=_telegram(server, database, "123:wrong"))
        assert (wrong.sent, wrong.failed) == (0, 1)
        assert "401" in wrong.errors[0]
        rest = deliver(database, OUTBOX, now=lambda: T0, channel=_telegram(server, database))
        assert (rest.sent, rest.failed) == (0, 1)  # chat 9999 does not exist
        assert "chat not found" in rest.errors[0]
        assert [n.status for n in _rows(database, "telegram")] == ["failed", "failed"]
        with database.session() as session:  # the operator fixed the token and sends the first one again
            assert retry_notifications(session, now=T0, ids=[1]) == ([1], {})
        assert deliver(database, OUTBOX, now=lambda: T0, channel=_telegram(server, database)).sent == 1
    assert [n.status for n in _rows(database, "telegram")] == ["sent", "failed"]
    assert [b["chat_id"] for b in api.delivered()] == ["9999", "7001"]
    text = api.delivered()[1]["text"]
    assert len(long_text) > 4096 >= len(text)
    assert text.startswith("[P1] Hồ sơ #1 – Cần Thơ\n\nBáo phản ánh")
    full = f"[P1] Hồ sơ #1 – Cần Thơ\n\n{long_text}"
    kept = text.removesuffix("…")
    assert text.endswith("…")
    assert full.startswith(kept)
    assert full[len(kept)] == " "
    assert len(text) > 4000


def _webhook_row(database: Database) -> None:
    with database.session() as session:
        enqueue(
            session,
            Notification(
                kind=NotificationKind.ALERT,
                recipient=CAN_THO,
                subject="[P1] Hồ sơ #7 – Cần Thơ: chấp hành viên bị tố sách nhiễu",
                text="Bài báo phản ánh chấp hành viên sách nhiễu người dân.",
                created_at=T0,
                dedupe_key=f"case:7:new:{CAN_THO}",
                case_id=None,
                urgent=True,
                channel="webhook",
            ),
        )


def _webhook(server: Server, secret: str = SECRET) -> WebhookChannel:
    return WebhookChannel(WebhookSettings(url=f"{server.url}/thads", secret=SecretStr(secret)), app_url=APP_URL)


def test_webhook_signature_verifies_and_a_wrong_secret_is_refused(database: Database) -> None:
    seed(database, [])
    _webhook_row(database)
    receiver = Webhook(SECRET)
    with serving(receiver) as server:
        refused = deliver(database, OUTBOX, now=lambda: T0, channel=_webhook(server, "bí-mật-khác"))
        assert (refused.sent, refused.failed) == (0, 1)
        assert "401" in refused.errors[0]
        assert receiver.accepted == {}
        with database.session() as session:
            retry_notifications(session, now=T0)
        assert deliver(database, OUTBOX, now=lambda: T0, channel=_webhook(server)).sent == 1
    request = receiver.received[-1]
    payload = json.loads(request.body)
    assert payload["id"] == f"case:7:new:{CAN_THO}" == request.headers["idempotency-key"]
    assert payload["subject"] == "[P1] Hồ sơ #7 – Cần Thơ: chấp hành viên bị tố sách nhiễu"
    assert (payload["kind"], payload["urgent"], payload["recipient"]) == ("alert", True, CAN_THO)
    header = request.headers["x-thads-signature"]
    assert verify(SECRET, header, request.body)
    assert not verify("bí-mật-khác", header, request.body)
    assert not verify(SECRET, header, request.body.replace("sách nhiễu".encode(), "nhũng nhiễu".encode()))
    stamp = int(header.split(",")[0].removeprefix("t="))
    assert not verify(SECRET, header, request.body, now=stamp + 301)  # a replay after the tolerance
    assert verify(SECRET, sign(SECRET, request.body, stamp), request.body, now=stamp + 10)


def test_webhook_waits_as_long_as_its_retry_after_asks_and_resends_the_same_body(database: Database) -> None:
    seed(database, [])
    _webhook_row(database)
    receiver = Webhook(SECRET)
    with serving(receiver) as server:
        receiver.script.append(Answer(429, {"error": "slow down"}, {"Retry-After": "600"}))
        busy = deliver(database, OUTBOX, now=lambda: T0, channel=_webhook(server))
        assert busy.retried == 1
        (row,) = _rows(database, "webhook")
        assert row.next_attempt_at == T0 + dt.timedelta(seconds=600)
        assert deliver(database, OUTBOX, now=lambda: T0 + dt.timedelta(seconds=599), channel=_webhook(server)).sent == 0
        assert deliver(database, OUTBOX, now=lambda: T0 + dt.timedelta(seconds=600), channel=_webhook(server)).sent == 1
    first, second = receiver.received
    assert first.body == second.body  # the same id and content; a new timestamp and signature
    assert list(receiver.accepted) == [f"case:7:new:{CAN_THO}"]
    (row,) = _rows(database, "webhook")
    assert json.loads(body_of(row, APP_URL)) == json.loads(second.body)


def test_phone_numbers_for_zns() -> None:
    assert phone_84("0912 345 678") == "84912345678"
    assert phone_84("+84 912-345-678") == "84912345678"
    assert phone_84("84912345678") == "84912345678"
    assert phone_84("091234") is None


def test_the_scheduled_alerts_job_runs_each_configured_channel(database: Database, flagged: dt.datetime) -> None:
    from thads_monitor.jobs import JOBS, Runtime
    from thads_monitor.settings import Settings

    api, receiver = Telegram(TOKEN, chats={"7001"}), Webhook(SECRET)
    with serving(api) as bot, serving(receiver) as hook:
        settings = Settings.model_validate(
            {
                "alerts": {"app_url": APP_URL},
                "telegram": {"token": TOKEN, "api_url": bot.url},
                "webhook": {"url": f"{hook.url}/thads", "secret": SECRET},
            }
        )
        outcome = JOBS["alerts"].run(Runtime(settings=settings, database=database, now=lambda: flagged))
    urgent_hooks = [n for n in _rows(database, "webhook") if n.urgent]
    assert outcome.summary.startswith(f"{1 + len(urgent_hooks)} thư đã gửi")  # e-mail is off; Zalo not configured
    assert len(api.delivered()) == 1
    assert sorted(receiver.accepted) == sorted(n.dedupe_key for n in urgent_hooks)
    assert all(n.status == "pending" for n in _rows(database, "zalo"))  # waits for Zalo to be configured
