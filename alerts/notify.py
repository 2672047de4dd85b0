"""Writing messages to the outbox: the one door every message goes through (case alerts, reminders, escalations,
digests, reports, feed health), in the transaction of the event that causes it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence

from sqlalchemy.orm import Session

from alerts.messages import Content
from alerts.routing import route
from domain.enums import AlertTier, NotificationKind
from domain.records import Message, Notification, User
from storage.outbox import enqueue


def notify(session: Session, message: Message, channels: Sequence[str] = ("mail",)) -> bool:
    """Write the message to the outbox once for each channel (one row each, delivered by that channel's worker)
    unless the channel has its dedupe key already; returns whether any row was written."""
    written = [enqueue(session, _row(message, channel)) for channel in dict.fromkeys(channels)]
    return any(written)


def notify_users(
    session: Session,
    users: Iterable[User],
    content: Content | Callable[[User], Content],
    *,
    kind: NotificationKind,
    key: str,
    now: dt.datetime,
    channels: Sequence[str] = ("mail",),
    tier: AlertTier | None = None,
    case_id: int | None = None,
    urgent: bool = False,
) -> int:
    """Tell each of `users` once (a user listed twice gets one message): the content (or the content made for
    them, when it carries their own link) under the dedupe key `{key}:{email}`. With a `tier`, each user's rows go
    to the channels they chose for it (`alerts.routing.route`); without, to `channels` as they are. `urgent`
    ignores quiet hours. Returns the users a message was written for."""
    written = 0
    for user in dict.fromkeys(users):
        words = content(user) if callable(content) else content
        message = Message(
            kind=kind,
            recipient=user,
            subject=words.subject,
            text=words.text,
            html=words.html,
            links=words.links,
            created_at=now,
            dedupe_key=f"{key}:{user.email}",
            case_id=case_id,
            urgent=urgent,
        )
        written += notify(session, message, channels if tier is None else route(session, user, tier, channels))
    return written


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
