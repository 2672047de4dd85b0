"""The Zalo channel: a message from the agency's Official Account (OA) to a user who follows it, else a ZNS
(Zalo Notification Service) template message to the user's phone number.

Consultation message (OA API v3.0), to a follower's user id:

    POST {api_url}/v3.0/oa/message/cs        header  access_token: <OA access token>
    {"recipient": {"user_id": "<follower id>"}, "message": {"text": "<subject>\\n\\n<text>"}}

ZNS template message, to a phone number in 84 format:

    POST {zns_url}/message/template          header  access_token: <OA access token>
    {"phone": "84912345678", "template_id": "<approved id>", "template_data": {<parameter>: <value>, …},
     "tracking_id": "<dedupe key>"}

Both answer HTTP 200 with JSON {"error": 0, "message": "Success", "data": {"message_id": "…"}} on success, and a
non-zero `error` with a `message` otherwise. References: https://developers.zalo.me/docs/official-account/tin-nhan/
tin-tu-van/gui-tin-tu-van and https://developers.zalo.me/docs/zalo-notification-service/gui-tin-zns/gui-zns.

ASSUMPTIONS (not verified against Zalo, and why the code is written as it is):
- error codes: -216 and -124 are an invalid or expired access token (every message would fail: permanent, and
  the run stops); -32 is "exceeded rate limit" (no wait is given: the outbox's back-off, or an HTTP Retry-After
  header if a proxy sends one); -213 is "user has not followed the OA" and -108 "invalid phone number"
  (permanent for that message); any other code is retried with back-off until the attempts run out.
- OA text messages are limited to 2000 characters (cut like Telegram's).
- `tracking_id` is the partner's own id, returned in delivery callbacks; Zalo is not known to drop a second
  request with the same tracking id, so a request whose answer never came is held (`zalo.ambiguous = "hold"`),
  as for Telegram.
- The OA access token lives about 25 hours and is refreshed with the app's refresh token (OAuth v4,
  https://oauth.zaloapp.com/v4/oa/access_token); this system does not refresh it: the operator (or a job of the
  agency) writes the current token into zalo.access_token. See README, "Zalo".
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from importlib import resources
from pathlib import Path
from typing import Literal

import httpx
from pydantic import BaseModel, ConfigDict, Field

from alerts.channels import DeliveryError
from alerts.http_channel import HttpClient, case_url, cut, post, retry_after, status_error
from alerts.messages import when_short
from alerts.settings import ZaloSettings
from domain.enums import DeadlineStatus
from domain.labels import priority_vi, province_vi
from domain.records import Notification
from domain.yamlfile import FileError, parse_yaml
from storage.cases import deadlines_of, get_case
from storage.channels import Addresses
from storage.engine import Database

TEXT_LIMIT = 2000
TOKEN_ERRORS = frozenset({-216, -124})
RATE_ERRORS = frozenset({-32})
REFUSED = frozenset({-213, -108})

Source = Literal["case_title", "province", "priority", "deadline", "link", "case_id"]


class ZnsField(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    source: Source
    max_length: int = Field(ge=1, le=1000)


class ZnsTemplate(BaseModel):
    """An approved ZNS template: its id and the parameters it carries (see alerts/policy/zns.yaml)."""

    model_config = ConfigDict(extra="forbid")

    template_id: str = Field(min_length=1)
    fields: list[ZnsField] = Field(min_length=1)

    @property
    def approved(self) -> bool:
        return self.template_id.strip() not in {"", "0"}

    def data(self, facts: Mapping[str, str]) -> dict[str, str]:
        """The template_data of one message: each parameter filled from `facts`, cut to its length."""
        return {f.name: cut(facts.get(f.source, ""), f.max_length) for f in self.fields}


def load_template(path: Path | None = None) -> ZnsTemplate:
    if path is None:
        text = resources.files("alerts").joinpath("policy/zns.yaml").read_text("utf-8")
        return parse_yaml(text, "alerts/policy/zns.yaml", ZnsTemplate, FileError)
    return parse_yaml(path.read_text(encoding="utf-8"), str(path), ZnsTemplate, FileError)


def phone_84(phone: str) -> str | None:
    """A Vietnamese phone number as ZNS wants it: 84 and the subscriber number ("0912 345 678" → "84912345678");
    None when it is not one."""
    digits = "".join(c for c in phone if c.isdigit())
    if digits.startswith("84"):
        digits = digits[2:]
    elif digits.startswith("0"):
        digits = digits[1:]
    return f"84{digits}" if len(digits) == 9 else None


Facts = Callable[[Notification], Mapping[str, str]]


class ZaloChannel(HttpClient):
    """OA consultation messages to followers, ZNS template messages to the others' phones (one client per run)."""

    name = "zalo"

    def __init__(
        self,
        settings: ZaloSettings,
        addresses: Callable[[str], Addresses | None],
        *,
        facts: Facts,
        template: ZnsTemplate | None = None,
    ) -> None:
        self.settings = settings
        self.addresses = addresses
        self.facts = facts
        self.template = template or load_template(settings.zns_template_file)
        self.ambiguous = settings.ambiguous
        super().__init__(settings.timeout_s)

    def off_reason(self) -> str | None:
        return None if self.settings.enabled else "zalo.access_token is not set: Zalo messages are off"

    def send(self, notification: Notification, *, handed: Callable[[], bool]) -> str:
        where = self.addresses(notification.recipient)
        url, body = self._request(notification, where)
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        headers = {"access_token": self.settings.access_token.get_secret_value()}
        response = post(self._http(), url, body=data, headers=headers, handed=handed, what="Zalo")
        return _answer(response)

    def _request(self, n: Notification, where: Addresses | None) -> tuple[str, dict[str, object]]:
        if where is not None and where.zalo_user_id:
            text = cut(f"{n.subject}\n\n{n.text}", TEXT_LIMIT)
            url = f"{self.settings.api_url.rstrip('/')}/v3.0/oa/message/cs"
            return url, {"recipient": {"user_id": where.zalo_user_id}, "message": {"text": text}}
        phone = phone_84(where.phone) if where is not None and where.phone else None
        if phone is None:
            raise DeliveryError(f"Zalo: {n.recipient} chưa có mã người theo dõi OA hay số điện thoại", permanent=True)
        if not self.template.approved:
            raise DeliveryError("Zalo: chưa có mẫu ZNS được duyệt (template_id)", permanent=True)
        url = f"{self.settings.zns_url.rstrip('/')}/message/template"
        return url, {
            "phone": phone,
            "template_id": self.template.template_id,
            "template_data": self.template.data(self.facts(n)),
            "tracking_id": n.dedupe_key,
        }


def _answer(response: httpx.Response) -> str:
    if not response.is_success:
        raise status_error(response, "Zalo", response.text[:200])
    try:
        answer = response.json()
    except ValueError:
        answer = None
    if not isinstance(answer, dict) or not isinstance(answer.get("error"), int):
        raise DeliveryError("Zalo: trả lời không đọc được", connection=True, maybe_delivered=True)
    code, detail = answer["error"], str(answer.get("message", ""))
    if code == 0:
        data = answer.get("data")
        return str(data.get("message_id", "")) if isinstance(data, dict) else ""
    if code in TOKEN_ERRORS:
        raise DeliveryError(
            f"Zalo: access token không hợp lệ hoặc hết hạn ({code}: {detail})", permanent=True, connection=True
        )
    if code in RATE_ERRORS:
        raise DeliveryError(
            f"Zalo: quá giới hạn gửi ({code}: {detail})", connection=True, retry_after=retry_after(response)
        )
    if code in REFUSED:
        raise DeliveryError(f"Zalo: từ chối tin ({code}: {detail})", permanent=True)
    raise DeliveryError(f"Zalo: lỗi {code} ({detail})")


def case_facts(database: Database, app_url: str) -> Facts:
    """The ZNS parameters of a message, from its case as it is at sending time (a message without a case: its
    subject as the title, the web app as the link)."""

    def facts(n: Notification) -> Mapping[str, str]:
        with database.session() as session:
            case = get_case(session, n.case_id) if n.case_id is not None else None
            due = [d.due_at for d in deadlines_of(session, case.id) if d.status == DeadlineStatus.OPEN] if case else []
        if case is None:
            return {"case_title": n.subject, "link": app_url}
        return {
            "case_title": case.title,
            "province": province_vi(case.province),
            "priority": priority_vi(case.priority),
            "deadline": when_short(min(due)) if due else "",
            "link": case_url(app_url, case.id),
            "case_id": str(case.id),
        }

    return facts
