"""The notification outbox: rows written in the same transaction as the event that causes them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.records import Notification, NotificationAttachment
from storage.tables import NotificationAttachmentRow, NotificationRow
from storage.types import as_utc


def _notification(row: NotificationRow) -> Notification:
    return Notification(
        id=row.id,
        kind=row.kind,
        recipient=row.recipient,
        subject=row.subject,
        text=row.text,
        html=row.html,
        case_id=row.case_id,
        created_at=as_utc(row.created_at),
        dedupe_key=row.dedupe_key,
        status=row.status,
        attempts=row.attempts,
        next_attempt_at=as_utc(row.next_attempt_at),
        sent_at=as_utc(row.sent_at),
        last_error=row.last_error,
        message_id=row.message_id,
        urgent=row.urgent,
        sending_at=as_utc(row.sending_at),
    )


def enqueue(session: Session, notification: Notification) -> bool:
    """Add a message unless one with the same dedupe key exists; returns whether it was added."""
    if session.scalar(select(NotificationRow.id).where(NotificationRow.dedupe_key == notification.dedupe_key)):
        return False
    session.add(
        NotificationRow(
            kind=notification.kind,
            recipient=notification.recipient,
            subject=notification.subject,
            text=notification.text,
            html=notification.html,
            case_id=notification.case_id,
            created_at=notification.created_at,
            dedupe_key=notification.dedupe_key,
            status="pending",
            attempts=0,
            next_attempt_at=notification.next_attempt_at or notification.created_at,
            urgent=notification.urgent,
        )
    )
    session.flush()
    if notification.attachments:
        row_id = session.scalar(select(NotificationRow.id).where(NotificationRow.dedupe_key == notification.dedupe_key))
        session.add_all(
            NotificationAttachmentRow(
                notification_id=row_id, filename=a.filename, content_type=a.content_type, data=a.data
            )
            for a in notification.attachments
        )
        session.flush()
    return True


def attachments_of(session: Session, notification_id: int) -> tuple[NotificationAttachment, ...]:
    rows = session.scalars(
        select(NotificationAttachmentRow)
        .where(NotificationAttachmentRow.notification_id == notification_id)
        .order_by(NotificationAttachmentRow.id)
    )
    return tuple(NotificationAttachment(filename=r.filename, content_type=r.content_type, data=r.data) for r in rows)


def list_notifications(
    session: Session, *, status: str | None = None, case_id: int | None = None, limit: int = 500
) -> list[Notification]:
    query = select(NotificationRow).order_by(NotificationRow.id).limit(limit)
    if status is not None:
        query = query.where(NotificationRow.status == status)
    if case_id is not None:
        query = query.where(NotificationRow.case_id == case_id)
    return [_notification(r) for r in session.scalars(query)]


def existing_dedupe_keys(session: Session, keys: list[str]) -> set[str]:
    """Which of these dedupe keys the outbox already has (messages written before, in any state)."""
    found: set[str] = set()
    for start in range(0, len(keys), 500):  # keep IN lists short for both backends
        chunk = keys[start : start + 500]
        found.update(session.scalars(select(NotificationRow.dedupe_key).where(NotificationRow.dedupe_key.in_(chunk))))
    return found
