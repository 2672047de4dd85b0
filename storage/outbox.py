"""The notification outbox: rows written in the same transaction as the event that causes them."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.orm import Session

from domain.enums import NotificationKind, NotificationStatus
from domain.records import Notification, NotificationAttachment
from storage.tables import NotificationAttachmentRow, NotificationRow
from storage.types import as_utc


def _notification(row: NotificationRow) -> Notification:
    return Notification(
        id=row.id,
        kind=NotificationKind(row.kind),
        recipient=row.recipient,
        subject=row.subject,
        text=row.text,
        html=row.html,
        case_id=row.case_id,
        created_at=as_utc(row.created_at),
        dedupe_key=row.dedupe_key,
        channel=row.channel,
        status=NotificationStatus(row.status),
        attempts=row.attempts,
        next_attempt_at=as_utc(row.next_attempt_at),
        sent_at=as_utc(row.sent_at),
        last_error=row.last_error,
        message_id=row.message_id,
        urgent=row.urgent,
        sending_at=as_utc(row.sending_at),
    )


def enqueue(session: Session, notification: Notification) -> bool:
    """Add a message unless its channel has one with the same dedupe key; returns whether it was added."""
    same = (NotificationRow.channel == notification.channel, NotificationRow.dedupe_key == notification.dedupe_key)
    if session.scalar(select(NotificationRow.id).where(*same)):
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
            channel=notification.channel,
            status=NotificationStatus.PENDING,
            attempts=0,
            next_attempt_at=notification.next_attempt_at or notification.created_at,
            urgent=notification.urgent,
        )
    )
    session.flush()
    if notification.attachments:
        row_id = session.scalar(select(NotificationRow.id).where(*same))
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
    session: Session,
    *,
    status: str | None = None,
    case_id: int | None = None,
    channel: str | None = None,
    limit: int = 500,
    newest_first: bool = False,
) -> list[Notification]:
    order = NotificationRow.id.desc() if newest_first else NotificationRow.id
    query = select(NotificationRow).order_by(order).limit(limit)
    if status is not None:
        query = query.where(NotificationRow.status == status)
    if case_id is not None:
        query = query.where(NotificationRow.case_id == case_id)
    if channel is not None:
        query = query.where(NotificationRow.channel == channel)
    return [_notification(r) for r in session.scalars(query)]


def get_notification(session: Session, notification_id: int) -> Notification | None:
    # populate_existing: the state changes below are core UPDATEs, which leave loaded rows as they were
    row = session.get(NotificationRow, notification_id, populate_existing=True)
    return None if row is None else _notification(row)


def count_by_status(session: Session) -> dict[str, int]:
    rows = session.execute(select(NotificationRow.status, func.count()).group_by(NotificationRow.status))
    return {status: int(n) for status, n in rows}


# --- the sender's state changes -------------------------------------------------------------------------
# Every change is a compare-and-set on the row's state and its attempt number (the claim's fencing token):
# a sender that lost its claim (its lease ran out and another sender took the message over) changes nothing.


def _set(session: Session, notification_id: int, where: tuple[Any, ...], **values: Any) -> bool:
    statement = (
        update(NotificationRow)
        .where(NotificationRow.id == notification_id, *where)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    result = cast(CursorResult[Any], session.execute(statement))
    return result.rowcount == 1


def _set_taken(session: Session, notification_id: int, attempt: int, **values: Any) -> bool:
    """Change a message still held by this attempt (state `sending`, same attempt number): a compare-and-set, so
    that a sender whose lease ran out and was taken over cannot overwrite the newer attempt's outcome."""
    return _set(
        session,
        notification_id,
        (NotificationRow.status == NotificationStatus.SENDING, NotificationRow.attempts == attempt),
        **values,
    )


def due_notifications(
    session: Session,
    *,
    now: datetime,
    limit: int,
    urgent_only: bool = False,
    claim: bool = False,
    channel: str = "mail",
) -> list[Notification]:
    """Pending messages of `channel` due at `now` (next attempt not later), urgent first, then the longest waiting.

    `claim` (PostgreSQL): FOR UPDATE SKIP LOCKED, so that parallel senders look at different rows.
    """
    query = (
        select(NotificationRow)
        .where(
            NotificationRow.status == NotificationStatus.PENDING,
            NotificationRow.next_attempt_at <= now,
            NotificationRow.channel == channel,
        )
        .order_by(NotificationRow.urgent.desc(), NotificationRow.next_attempt_at, NotificationRow.id)
        .limit(limit)
        .execution_options(populate_existing=True)
    )
    if urgent_only:
        query = query.where(NotificationRow.urgent.is_(True))
    if claim and session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return [_notification(r) for r in session.scalars(query)]


def mark_sending(
    session: Session, notification_id: int, *, message_id: str, lease_until: datetime
) -> Notification | None:
    """Take a pending message for sending: one more attempt, its Message-ID, held until `lease_until`.

    Not yet handed to the SMTP server (`sending_at` stays empty until `mark_handed`). None when another
    sender took it first.
    """
    taken = _set(
        session,
        notification_id,
        (NotificationRow.status == NotificationStatus.PENDING,),
        status=NotificationStatus.SENDING,
        attempts=NotificationRow.attempts + 1,
        message_id=message_id,
        next_attempt_at=lease_until,
        sending_at=None,
    )
    return get_notification(session, notification_id) if taken else None


def mark_handed(session: Session, notification_id: int, *, attempt: int, at: datetime) -> bool:
    """The message is about to be completed on the SMTP connection: from now on it may have been delivered."""
    return _set_taken(session, notification_id, attempt, sending_at=at)


def mark_sent(session: Session, notification_id: int, *, attempt: int, at: datetime) -> bool:
    return _set_taken(session, notification_id, attempt, status=NotificationStatus.SENT, sent_at=at, last_error=None)


def mark_retry(session: Session, notification_id: int, *, attempt: int, error: str, next_attempt_at: datetime) -> bool:
    """Back to pending after a failed attempt, not before `next_attempt_at`."""
    return _set_taken(
        session,
        notification_id,
        attempt,
        status=NotificationStatus.PENDING,
        next_attempt_at=next_attempt_at,
        sending_at=None,
        last_error=error,
    )


def mark_failed(session: Session, notification_id: int, *, attempt: int, error: str) -> bool:
    return _set_taken(session, notification_id, attempt, status=NotificationStatus.FAILED, last_error=error)


def defer(session: Session, notification_id: int, *, until: datetime) -> bool:
    """A pending message waits until `until` (the recipient's quiet hours end) without using an attempt."""
    return _set(
        session, notification_id, (NotificationRow.status == NotificationStatus.PENDING,), next_attempt_at=until
    )


def abandoned(session: Session, *, now: datetime, claim: bool = False, channel: str = "mail") -> list[Notification]:
    """Messages of `channel` left in `sending` whose sender's lease ran out before `now` (the sender was stopped)."""
    query = (
        select(NotificationRow)
        .where(
            NotificationRow.status == NotificationStatus.SENDING,
            NotificationRow.next_attempt_at <= now,
            NotificationRow.channel == channel,
        )
        .order_by(NotificationRow.id)
        .execution_options(populate_existing=True)
    )
    if claim and session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return [_notification(r) for r in session.scalars(query)]


def retry_notifications(
    session: Session, *, now: datetime, ids: Collection[int] | None = None
) -> tuple[list[int], dict[int, str]]:
    """Failed messages (all, or those of `ids`) back to pending with a fresh count of attempts.

    Returns the ids put back, and for each of `ids` that could not be, its state ("missing" if none).
    """
    query = select(NotificationRow.id, NotificationRow.status).order_by(NotificationRow.id)
    query = (
        query.where(NotificationRow.id.in_(list(ids)))
        if ids is not None
        else query.where(NotificationRow.status == NotificationStatus.FAILED)
    )
    found: dict[int, str] = {i: status for i, status in session.execute(query)}
    refused = {i: found.get(i, "missing") for i in ids or () if found.get(i) != NotificationStatus.FAILED}
    again = [i for i, status in found.items() if status == NotificationStatus.FAILED]
    for notification_id in again:
        _set(
            session,
            notification_id,
            (NotificationRow.status == NotificationStatus.FAILED,),
            status=NotificationStatus.PENDING,
            attempts=0,
            next_attempt_at=now,
            sending_at=None,
        )
    return again, refused


def existing_dedupe_keys(session: Session, keys: list[str], *, channel: str = "mail") -> set[str]:
    """Which of these dedupe keys the outbox already has for `channel` (messages written before, in any state)."""
    found: set[str] = set()
    for start in range(0, len(keys), 500):  # keep IN lists short for both backends
        chunk = keys[start : start + 500]
        found.update(
            session.scalars(
                select(NotificationRow.dedupe_key).where(
                    NotificationRow.channel == channel, NotificationRow.dedupe_key.in_(chunk)
                )
            )
        )
    return found
