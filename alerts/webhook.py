"""The webhook channel: every message as JSON, POSTed to the installation's address and signed with a shared secret.

The request (one per outbox row; a message to several users is one request per user, `recipient` says whom):

    POST <webhook.url>
    Content-Type: application/json
    Idempotency-Key: <id>
    X-THADS-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>

    {"id": "<dedupe key: the same at every attempt>", "kind": "alert", "recipient": "…@…", "subject": "…",
     "text": "…", "case_id": 12, "links": ["https://…/ho-so/12"], "urgent": true,
     "created_at": "2026-12-03T10:00:00+00:00"}

The signature scheme is Stripe's: the receiver recomputes the HMAC over the timestamp, a dot and the raw body as
received, compares in constant time, and refuses a timestamp older than its tolerance (a replayed request).
`verify` does exactly that. The same message is sent again after a failure with the same body and id, a new
timestamp and signature: a receiver keeps the ids it has seen and drops a copy.

Answers: any 2xx is delivered; 5xx, 408, 429 and a broken connection are tried again (429 and 503 no earlier than
their Retry-After); other 4xx are refused for good.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Callable
from typing import Any

from alerts.http_channel import HttpClient, case_url, post, status_error
from alerts.settings import WebhookSettings
from domain.records import Notification

SIGNATURE_HEADER = "X-THADS-Signature"
TOLERANCE_S = 300


def payload(notification: Notification, app_url: str) -> dict[str, Any]:
    links = [case_url(app_url, notification.case_id)] if notification.case_id and app_url else []
    return {
        "id": notification.dedupe_key,
        "kind": str(notification.kind),
        "recipient": notification.recipient,
        "subject": notification.subject,
        "text": notification.text,
        "case_id": notification.case_id,
        "links": links,
        "urgent": notification.urgent,
        "created_at": notification.created_at.isoformat(),
    }


def body_of(notification: Notification, app_url: str) -> bytes:
    """The JSON body, the same bytes at every attempt (UTF-8, Vietnamese as it is)."""
    return json.dumps(payload(notification, app_url), ensure_ascii=False, sort_keys=True).encode("utf-8")


def sign(secret: str, body: bytes, timestamp: int) -> str:
    """The signature header's value for `body` sent at `timestamp` (unix seconds)."""
    mac = hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode("ascii") + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def verify(secret: str, header: str, body: bytes, *, now: float | None = None, tolerance_s: int = TOLERANCE_S) -> bool:
    """For receivers: whether `header` (X-THADS-Signature) signs the raw `body` with `secret`, and is recent."""
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    stamp, given = parts.get("t", ""), parts.get("v1", "")
    if not stamp.isdigit() or not given:
        return False
    if abs((time.time() if now is None else now) - int(stamp)) > tolerance_s:
        return False
    expected = sign(secret, body, int(stamp)).split("v1=", 1)[1]
    return hmac.compare_digest(expected, given)


class WebhookChannel(HttpClient):
    """Signed JSON to the installation's webhook address (one HTTP client per run)."""

    name = "webhook"

    def __init__(self, settings: WebhookSettings, *, app_url: str = "", clock: Callable[[], float] = time.time) -> None:
        self.settings = settings
        self.app_url = app_url
        self.clock = clock
        self.ambiguous = settings.ambiguous
        super().__init__(settings.timeout_s)

    def off_reason(self) -> str | None:
        return None if self.settings.enabled else "webhook.url or webhook.secret is not set: the webhook is off"

    def send(self, notification: Notification, *, handed: Callable[[], bool]) -> str:
        assert self.settings.url is not None
        body = body_of(notification, self.app_url)
        headers = {
            SIGNATURE_HEADER: sign(self.settings.secret.get_secret_value(), body, int(self.clock())),
            "Idempotency-Key": notification.dedupe_key,
        }
        response = post(self._http(), self.settings.url, body=body, headers=headers, handed=handed, what="webhook")
        if not response.is_success:
            raise status_error(response, "webhook", response.text[:200])
        return f"{response.status_code}"
