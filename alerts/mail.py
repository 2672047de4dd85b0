"""The e-mail channel. Messages from outbox rows: multipart/alternative (plain text + HTML), UTF-8, RFC 2047 headers, a
stable Message-ID per notification, attachments."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from email import policy
from email.header import Header
from email.message import EmailMessage
from email.utils import format_datetime, formataddr

from alerts.messages import plain_html
from alerts.settings import MailSettings
from alerts.smtp import SmtpConnection
from domain.localtime import VN
from domain.records import Notification, NotificationAttachment

# CRLF line ends, headers folded at 78 characters, non-ASCII headers as RFC 2047 encoded words, bodies in
# base64 or quoted-printable (whichever is shorter): 7-bit clean, needing no SMTPUTF8 or 8BITMIME from the server.
SMTP_POLICY = policy.SMTP.clone(cte_type="7bit")


def message_id(notification: Notification, domain: str) -> str:
    """The notification's Message-ID: the same at every attempt, so that a copy sent twice is one message to
    the mail store. From its id and its dedupe key (unique forever), at the configured domain."""
    assert notification.id is not None
    key = hashlib.sha256(notification.dedupe_key.encode("utf-8")).hexdigest()[:16]
    return f"<thads.{notification.id}.{key}@{domain}>"


def _set_encoded(message: EmailMessage, name: str, value: str, *, address: str | None = None) -> None:
    """A header with non-ASCII text, as RFC 2047 encoded words made by the legacy encoder.

    Departure from the policy API: Python 3.11's header folder drops the space between two words when a fold
    falls there and both sides become encoded words ("Người dân" arrives as "Ngườidân"). The legacy `Header`
    keeps spaces inside the encoded words; `set_raw` stores its output as it is.
    """
    if address is not None:
        message.set_raw(name, formataddr((value, address), charset="utf-8"))
    elif value.isascii():
        message[name] = value
    else:
        message.set_raw(name, Header(value, "utf-8", header_name=name).encode(linesep="\n"))


def build_message(
    notification: Notification,
    settings: MailSettings,
    *,
    attachments: tuple[NotificationAttachment, ...] = (),
    app_url: str = "",
) -> EmailMessage:
    """The e-mail as it goes on the wire. Its Date is when the message was written (so that every attempt
    sends the same bytes); the HTML part is the stored one, or the text laid out as HTML for rows that have none."""
    message = EmailMessage(policy=SMTP_POLICY)
    _set_encoded(message, "Subject", notification.subject)
    _set_encoded(message, "From", settings.from_name, address=settings.from_address)
    message["To"] = notification.recipient
    message["Date"] = format_datetime(notification.created_at.astimezone(VN))
    message["Message-ID"] = notification.message_id or message_id(notification, settings.domain)
    message["Auto-Submitted"] = "auto-generated"
    message["X-THADS-Kind"] = notification.kind
    if notification.case_id is not None:
        message["X-THADS-Case"] = str(notification.case_id)
    if notification.urgent:
        message["Importance"] = "high"
        message["X-Priority"] = "1"
    message.set_content(notification.text, subtype="plain", charset="utf-8")
    html = notification.html or plain_html(notification.subject, notification.text, app_url, urgent=notification.urgent)
    message.add_alternative(html, subtype="html", charset="utf-8")
    for attachment in attachments:
        maintype, _, subtype = attachment.content_type.partition("/")
        message.add_attachment(
            attachment.data,
            maintype=maintype or "application",
            subtype=subtype or "octet-stream",
            filename=attachment.filename,
        )
    return message


class MailChannel:
    """E-mail: the outbox's first channel, over one SMTP connection per run (opened on the first message)."""

    name = "mail"

    def __init__(self, settings: MailSettings, *, app_url: str = "") -> None:
        self.settings = settings
        self.app_url = app_url
        self._connection = SmtpConnection(settings)

    def off_reason(self) -> str | None:
        return None if self.settings.enabled else "mail.host is not set: e-mail sending is off"

    def send(self, notification: Notification, *, handed: Callable[[], bool]) -> str:
        message = build_message(notification, self.settings, attachments=notification.attachments, app_url=self.app_url)
        return self._connection.send(
            message, sender=self.settings.from_address, recipient=notification.recipient, handed=handed
        )

    def close(self) -> None:
        self._connection.quit()
