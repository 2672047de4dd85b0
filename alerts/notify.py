"""Writing messages to the outbox: the one door every message goes through (case alerts, reminders, escalations,
digests, reports, feed health), in the transaction of the event that causes it."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from domain.records import Message, Notification
from storage.outbox import enqueue


def notify(session: Session, message: Message, channels: Sequence[str] = ("mail",)) -> bool:
    """Write the message to the outbox once for each channel (one row each, delivered by that channel's worker)
    unless the channel has its dedupe key already; returns whether any row was written."""
    written = [enqueue(session, _row(message, channel)) for channel in dict.fromkeys(channels)]
    return any(written)


def _row(message: Message, channel: str) -> Notification:
    return Notification(
        kind=message.kind,
        recipient=message.recipient.email,
        subject=message.subject,
        text=message.text,
        html=message.html,
        created_at=message.created_at,
        dedupe_key=message.dedupe_key,
        case_id=message.case_id,
        urgent=message.urgent,
        attachments=message.attachments,
        channel=channel,
    )
