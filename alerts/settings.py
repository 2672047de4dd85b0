"""Settings of the alerts package: workflow, deadlines, reminders, the daily digest, and the SMTP sender
(composed into the application Settings)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

_CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class AlertSettings(BaseModel):
    """The response workflow and the messages it writes."""

    model_config = ConfigDict(extra="forbid")

    priority_rules_file: Path | None = Field(default=None, description="Your priority rules (YAML); empty: shipped.")
    deadline_policy_file: Path | None = Field(default=None, description="Your deadline policy (YAML); empty: shipped.")
    escalation_policy_file: Path | None = Field(
        default=None,
        description="Your acknowledgement chain of urgent cases and leaders' duty roster (YAML); empty: shipped.",
    )
    ack_link_key: SecretStr = Field(
        default=SecretStr(""),
        description="Key signing the one-click acknowledgement links; empty: the web app's secret key.",
    )
    calendar_file: Path | None = Field(
        default=None, description="Your official days-off schedule by year (YAML); empty: shipped."
    )
    spike_policy_file: Path | None = Field(
        default=None, description="Your spike detection policy (YAML); empty: shipped."
    )
    culture_day_off: bool = Field(
        default=False,
        description="Count 24/11 (Ngày Văn hóa Việt Nam) as a day off (announced 2026; Labour Code change unverified).",
    )
    reminder_points: tuple[float, ...] = Field(
        default=(0.5, 0.8), description="Remind at these fractions of each deadline's time (plus its last working day)."
    )
    app_url: str = Field(default="http://127.0.0.1:8000", description="Web app address used in e-mail links.")
    digest_time: str = Field(
        default="07:30", description="Local time (HH:MM, Asia/Ho_Chi_Minh) after which each user's daily digest is due."
    )
    digest_send_empty: bool = Field(
        default=True,
        description="With no new article and no open case in a user's scope, send a short digest (false: skip it).",
    )
    digest_interval_s: int = Field(
        default=60, ge=10, le=3600, description="How often the scheduler looks for digests that are due (seconds)."
    )
    channels: tuple[str, ...] = Field(
        default=("mail",),
        min_length=1,
        description="The channels each case message and digest is written for, one outbox row each (mail: e-mail).",
    )

    @field_validator("digest_time")
    @classmethod
    def _clock(cls, value: str) -> str:
        if not _CLOCK.match(value.strip()):
            raise ValueError(f"giờ {value!r} phải có dạng HH:MM (ví dụ 07:30)")
        return value.strip()


class MailSettings(BaseModel):
    """The outbox sender: how e-mail leaves the system (SMTP). No host: sending is off, messages wait."""

    model_config = ConfigDict(extra="forbid")

    host: str | None = Field(default=None, description="SMTP server; empty: sending is off (messages wait).")
    port: int = Field(default=587, ge=1, le=65535, description="SMTP port (587 STARTTLS, 465 SSL, 25 plain).")
    security: Literal["none", "starttls", "ssl"] = Field(
        default="starttls", description="Connection security: none, starttls or ssl (implicit TLS)."
    )
    ca_file: Path | None = Field(
        default=None, description="CA certificates (PEM) to verify the server with; empty: the system's."
    )
    username: str | None = Field(default=None, description="SMTP login; empty: no login.")
    password: SecretStr = Field(default=SecretStr(""), description="SMTP password.")
    timeout_s: float = Field(
        default=30, gt=0, le=600, description="Seconds before an SMTP connection or reply times out."
    )
    from_address: str = Field(default="thads-press-monitor@moj.gov.vn", description="Sender address (From).")
    from_name: str = Field(default="Hệ thống theo dõi báo chí THADS", description="Sender display name (From).")
    message_id_domain: str | None = Field(
        default=None, description="Domain of the Message-ID of every e-mail; empty: the domain of `from_address`."
    )
    max_attempts: int = Field(default=8, ge=1, le=100, description="Attempts before a message is marked failed.")
    backoff_base_s: float = Field(
        default=30, gt=0, le=86400, description="Wait after the first failed attempt; doubles after each further one."
    )
    backoff_max_s: float = Field(default=900, gt=0, le=86400, description="Longest wait between two attempts.")
    batch_size: int = Field(default=50, ge=1, le=10000, description="Most messages one run of the sender delivers.")
    lease_s: int = Field(
        default=300,
        ge=30,
        le=86400,
        description=(
            "A message a sender took (state `sending`) and did not finish within this time is taken to be "
            "abandoned by a stopped sender."
        ),
    )
    ambiguous: Literal["resend", "hold"] = Field(
        default="resend",
        description=(
            "An abandoned message that may have reached the server (handed over, not recorded): `resend` "
            "(same Message-ID, mailboxes drop the copy) or `hold` (marked failed for an operator to check)."
        ),
    )
    alerts_interval_s: int = Field(
        default=15, ge=1, le=3600, description="How often the scheduler delivers urgent messages (seconds)."
    )
    outbox_interval_s: int = Field(
        default=60, ge=1, le=3600, description="How often the scheduler delivers every due message (seconds)."
    )

    @field_validator("host", "username", "message_id_domain")
    @classmethod
    def _empty_is_none(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None

    @field_validator("from_address")
    @classmethod
    def _address(cls, value: str) -> str:
        if value.count("@") != 1 or not all(value.split("@")):
            raise ValueError(f"{value!r} không phải địa chỉ e-mail")
        return value.strip()

    @field_validator("username", "password")
    @classmethod
    def _ascii(cls, value: str | SecretStr | None) -> str | SecretStr | None:
        text = value.get_secret_value() if isinstance(value, SecretStr) else value
        if text and not text.isascii():  # smtplib sends AUTH PLAIN/LOGIN credentials as ASCII only
            raise ValueError("tên đăng nhập và mật khẩu SMTP chỉ được dùng ký tự ASCII (không dấu)")
        return value

    @property
    def enabled(self) -> bool:
        return self.host is not None

    @property
    def domain(self) -> str:
        return self.message_id_domain or self.from_address.rsplit("@", 1)[1]


class _HttpChannel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    timeout_s: float = Field(default=15, gt=0, le=300, description="Seconds before a request or its answer times out.")
    ambiguous: Literal["resend", "hold"] = Field(
        default="hold",
        description=(
            "A message whose request went out but whose answer never came (connection broken, sender stopped): "
            "`hold` (marked failed for an operator to check: the far side cannot drop a copy) or `resend`."
        ),
    )


class WebhookSettings(_HttpChannel):
    """The installation's webhook: every message as signed JSON to one address (see alerts/webhook.py)."""

    url: str | None = Field(default=None, description="Where to POST each message (JSON); empty: webhook is off.")
    secret: SecretStr = Field(default=SecretStr(""), description="Shared secret of the HMAC-SHA256 signature.")
    ambiguous: Literal["resend", "hold"] = Field(
        default="resend",
        description="A message that may have arrived: `resend` (same idempotency id, the receiver drops the copy).",
    )

    @field_validator("url")
    @classmethod
    def _empty_is_none(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None

    @property
    def enabled(self) -> bool:
        return self.url is not None and bool(self.secret.get_secret_value())


class TelegramSettings(_HttpChannel):
    """A Telegram bot (Bot API sendMessage) that writes to each user's chat id."""

    token: SecretStr = Field(default=SecretStr(""), description="Bot token from @BotFather; empty: Telegram is off.")
    api_url: str = Field(default="https://api.telegram.org", description="Bot API address.")

    @property
    def enabled(self) -> bool:
        return bool(self.token.get_secret_value())


class ZaloSettings(_HttpChannel):
    """A Zalo Official Account: consultation messages to followers, ZNS template messages to phone numbers."""

    access_token: SecretStr = Field(default=SecretStr(""), description="OA access token; empty: Zalo is off.")
    api_url: str = Field(default="https://openapi.zalo.me", description="OA API address (v3.0/oa/message/cs).")
    zns_url: str = Field(default="https://business.openapi.zalo.me", description="ZNS API address (message/template).")
    zns_template_file: Path | None = Field(
        default=None, description="Your approved ZNS template (YAML, see alerts/policy/zns.yaml); empty: shipped."
    )

    @property
    def enabled(self) -> bool:
        return bool(self.access_token.get_secret_value())
