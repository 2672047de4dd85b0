"""The Telegram channel: a bot writes each message to the user's chat (Bot API `sendMessage`).

    POST {api_url}/bot<token>/sendMessage
    {"chat_id": "<the user's chat id>", "text": "<subject>\\n\\n<text>", "disable_web_page_preview": true}

Answers (always JSON): {"ok": true, "result": {"message_id": 42, …}}; or {"ok": false, "error_code": 400 | 401 |
403 | 404 | 429, "description": "…"}, a 429 with {"parameters": {"retry_after": N}} (seconds to wait). Reference:
https://core.telegram.org/bots/api#sendmessage and #responseparameters.

Plain text (no parse_mode): nothing in a message needs escaping. A text longer than the API's 4096 characters is
cut at a line or word boundary with "…" (the link to the case is in the first lines of every message).

Exactly once: Telegram has no idempotency key, so a request whose answer never came cannot be sent again without
risking a second copy in the chat. `telegram.ambiguous = "hold"` (the default) marks such a message failed with
"có thể đã gửi" for an operator to check (`thads-monitor outbox retry ID` sends it again), as `mail.ambiguous =
"hold"` does for e-mail; a refused connection or an error answer (nothing delivered) is retried.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx

from alerts.channels import DeliveryError
from alerts.http_channel import HttpClient, cut, post, status_error
from alerts.settings import TelegramSettings
from domain.records import Notification
from storage.channels import Addresses

TEXT_LIMIT = 4096
PERMANENT = frozenset({400, 401, 403, 404})  # bad chat id, bad token (401/404), bot blocked by the user (403)


def text_of(notification: Notification) -> str:
    return cut(f"{notification.subject}\n\n{notification.text}", TEXT_LIMIT)


class TelegramChannel(HttpClient):
    """Bot API sendMessage to the chat id each user gave (one HTTP client per run)."""

    name = "telegram"

    def __init__(self, settings: TelegramSettings, addresses: Callable[[str], Addresses | None]) -> None:
        self.settings = settings
        self.addresses = addresses
        self.ambiguous = settings.ambiguous
        super().__init__(settings.timeout_s)

    def off_reason(self) -> str | None:
        return None if self.settings.enabled else "telegram.token is not set: Telegram messages are off"

    def send(self, notification: Notification, *, handed: Callable[[], bool]) -> str:
        where = self.addresses(notification.recipient)
        if where is None or where.telegram_chat_id is None:
            raise DeliveryError(f"Telegram: {notification.recipient} chưa khai báo chat id", permanent=True)
        body = {"chat_id": where.telegram_chat_id, "text": text_of(notification), "disable_web_page_preview": True}
        url = f"{self.settings.api_url.rstrip('/')}/bot{self.settings.token.get_secret_value()}/sendMessage"
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        response = post(self._http(), url, body=data, headers={}, handed=handed, what="Telegram")
        return _answer(response)


def _answer(response: httpx.Response) -> str:
    """The message id of a success; DeliveryError for an error answer (the message was not delivered)."""
    try:
        answer = response.json()
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        if response.is_success:  # a 2xx we cannot read: the message may well be in the chat
            raise DeliveryError("Telegram: trả lời không đọc được", connection=True, maybe_delivered=True)
        raise status_error(response, "Telegram", "trả lời không phải JSON")
    if answer.get("ok") is True:
        return str(answer.get("result", {}).get("message_id", ""))
    raise _error(response, answer)


def _error(response: httpx.Response, answer: dict[str, object]) -> DeliveryError:
    code = answer.get("error_code")
    code = code if isinstance(code, int) else response.status_code
    detail = str(answer.get("description", ""))
    if code == 429:
        parameters = answer.get("parameters")
        after = parameters.get("retry_after") if isinstance(parameters, dict) else None
        wait = float(after) if isinstance(after, int | float) else None
        return DeliveryError(f"Telegram: quá giới hạn gửi ({detail})", connection=True, retry_after=wait)
    if code in PERMANENT:
        # 401/404 is the bot's token: every message would fail, so the run stops here too.
        return DeliveryError(f"Telegram: lỗi {code} ({detail})", permanent=True, connection=code in {401, 404})
    return status_error(response, "Telegram", detail)
