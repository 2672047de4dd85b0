"""Writing messages to the outbox: the one door every message goes through (case alerts, reminders, escalations,
digests, reports, feed health), in the transaction of the event that causes it."""

from __future__ import annotations

from sqlalchemy.orm import Session

from domain.records import Message, Notification
from storage.outbox import enqueue


def notify(session: Session, message: Message) -> bool:
    """Write the message to the outbox unless its dedupe key is there already; returns whether it was written."""
    return enqueue(
        session,
        Notification(
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
        ),
    )
