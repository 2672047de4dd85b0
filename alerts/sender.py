"""The outbox sender: delivers the notification rows through a channel (e-mail by default, see `alerts.channels`),
with retries, quiet hours and restart safety. The steps below are said for SMTP; a channel does the same with its
own connection (its `send` calls `handed()` just before the point of no return). The HTTP channels (webhook,
Telegram, Zalo: `alerts.http_channel`) call it just before their one request; an answer that never came is
`maybe_delivered`, and follows the channel's own `ambiguous` rule (`hold` for chats, which cannot drop a copy;
`resend` for the webhook, whose receiver drops a copy by its idempotency id). A rate limit's `retry_after` puts
the next attempt no earlier than the far side asked (`next_wait`).

One message at a time:
  1. claim (own transaction, committed): a due pending row, FOR UPDATE SKIP LOCKED on PostgreSQL and a
     compare-and-set on its state everywhere, becomes `sending` with one more attempt, its Message-ID, and a
     lease (next_attempt_at = now + lease_s). Nothing has been said to the SMTP server yet.
  2. MAIL FROM, RCPT TO, DATA and the whole message except its final "." go to the server.
  3. `sending_at` is committed (compare-and-set on state and attempt number: a sender whose lease ran out and
     whose message was taken over drops the connection here, and the server discards the unfinished message).
  4. The final "." goes; the server's reply; `sent` (or a retry, or `failed`) is committed.

A sender killed before step 3 leaves a row in `sending` without `sending_at`: nothing reached the server, and
once the lease runs out the row is simply pending again. The one window that cannot be resolved from here is
between step 3 and the commit of step 4: the server may have accepted the message (it received the "." and
maybe replied 250) without the sender recording it. SMTP offers no way to ask a server whether it has a
Message-ID, so such a row, once its lease runs out, follows `mail.ambiguous`: `resend` sends it again with the
same Message-ID (mail stores keep one message per Message-ID), `hold` marks it failed for an operator to check
(`thads-monitor outbox retry ID` sends it again).
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import ClassVar

from alerts.channels import Abandoned, Channel, DeliveryError
from alerts.mail import MailChannel, message_id
from alerts.messages import when
from alerts.preferences import quiet_until
from alerts.settings import MailSettings
from domain.enums import NotificationStatus
from domain.labels import taxonomy
from domain.records import Notification
from storage.engine import Database
from storage.outbox import (
    abandoned,
    attachments_of,
    count_by_status,
    defer,
    due_notifications,
    mark_failed,
    mark_handed,
    mark_retry,
    mark_sending,
    mark_sent,
)
from storage.preferences import quiet_hours

log = logging.getLogger(__name__)
_LOOKAHEAD = 20  # due rows looked at per claim (quiet hours can set some of them aside)


@dataclass
class OutboxSummary:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    deferred: int = 0  # waiting for the end of their recipient's quiet hours
    recovered: int = 0  # left by a stopped sender, pending again
    held: int = 0  # left by a stopped sender after handing over: failed, for an operator to check
    off: bool = False  # no SMTP server configured
    errors: list[str] = field(default_factory=list)


class _Off:
    """Say once per process and channel that sending is off, not every run of the scheduler."""

    said: ClassVar[set[str]] = set()


def backoff(settings: MailSettings, attempts: int) -> dt.timedelta:
    """Wait before the next attempt: the base after the first failure, doubling, at most the maximum."""
    return dt.timedelta(seconds=min(settings.backoff_base_s * 2 ** max(attempts - 1, 0), settings.backoff_max_s))


def next_wait(settings: MailSettings, attempts: int, retry_after: float | None) -> dt.timedelta:
    """The back-off, or longer when the other side asked for a longer pause (a rate limit's retry-after)."""
    wait = backoff(settings, attempts)
    return max(wait, dt.timedelta(seconds=retry_after)) if retry_after is not None else wait


def _after_failure(
    database: Database,
    settings: MailSettings,
    n: Notification,
    error: str,
    now: dt.datetime,
    *,
    permanent: bool,
    retry_after: float | None = None,
) -> str:
    """Retry later (no earlier than `retry_after` seconds), or give up: 'retried' or 'failed'."""
    with database.session() as session:
        if permanent or n.attempts >= settings.max_attempts:
            mark_failed(session, _id(n), attempt=n.attempts, error=error)
            outcome = "failed"
        else:
            wait = next_wait(settings, n.attempts, retry_after)
            mark_retry(session, _id(n), attempt=n.attempts, error=error, next_attempt_at=now + wait)
            outcome = "retried"
    if outcome == "failed":
        log.error(
            "outbox: message #%d (%s) to %s failed after %d attempt(s): %s",
            _id(n),
            n.kind,
            n.recipient,
            n.attempts,
            error,
        )
    else:
        log.warning(
            "outbox: message #%d to %s, attempt %d failed, will retry: %s", _id(n), n.recipient, n.attempts, error
        )
    return outcome


def _id(n: Notification) -> int:
    assert n.id is not None
    return n.id


def ambiguous_rule(channel: Channel, settings: MailSettings) -> str:
    """What becomes of a message that may have been delivered: the channel's own rule (`ambiguous`, for channels
    whose far side cannot drop a copy, such as a chat), else the outbox's (`mail.ambiguous`)."""
    rule = getattr(channel, "ambiguous", None)
    return rule if isinstance(rule, str) else settings.ambiguous


def recover(
    database: Database,
    settings: MailSettings,
    *,
    now: dt.datetime,
    summary: OutboxSummary,
    channel: str = "mail",
    ambiguous: str | None = None,
) -> None:
    """Rows left in `sending` by a stopped sender (lease run out): pending again, or held (see the module)."""
    ambiguous = ambiguous or settings.ambiguous
    server, check = _words(channel)
    with database.session() as session:
        for n in abandoned(session, now=now, claim=True, channel=channel):
            if n.sending_at is None:
                mark_retry(
                    session,
                    _id(n),
                    attempt=n.attempts,
                    error=f"trình gửi dừng trước khi chuyển thư cho máy chủ {server}",
                    next_attempt_at=now,
                )
                summary.recovered += 1
                log.warning("outbox: message #%d was taken by a stopped sender before sending; pending again", _id(n))
            elif ambiguous == "resend":
                error = (
                    f"trình gửi dừng sau khi chuyển thư lúc {when(n.sending_at)}, trước khi ghi nhận: "
                    f"gửi lại với cùng Message-ID {n.message_id}"
                )
                mark_retry(session, _id(n), attempt=n.attempts, error=error, next_attempt_at=now)
                summary.recovered += 1
                log.warning(
                    "outbox: message #%d may have been delivered; sending again with the same Message-ID", _id(n)
                )
            else:
                error = (
                    f"có thể đã gửi: trình gửi dừng sau khi chuyển thư lúc {when(n.sending_at)}, trước khi ghi nhận "
                    f"(Message-ID {n.message_id}); {check}, gửi lại bằng: outbox retry {_id(n)}"
                )
                mark_failed(session, _id(n), attempt=n.attempts, error=error)
                summary.held += 1
                log.error("outbox: message #%d to %s held: %s", _id(n), n.recipient, error)


def _words(channel: str) -> tuple[str, str]:
    """How the held and recovered messages' errors name the far side, and what the operator should check."""
    if channel == "mail":
        return "SMTP", "kiểm tra hộp thư người nhận"
    name = taxonomy().channels.get(channel, channel)
    return name, f"hỏi người nhận đã nhận tin qua {name} chưa"


def _claim(
    database: Database,
    settings: MailSettings,
    *,
    now: dt.datetime,
    urgent_only: bool,
    summary: OutboxSummary,
    channel: str,
) -> Notification | None:
    """Take the next due message (committed before any word to the channel), with its attachments."""
    with database.session() as session:
        while True:
            due = due_notifications(
                session, now=now, limit=_LOOKAHEAD, urgent_only=urgent_only, claim=True, channel=channel
            )
            if not due:
                return None
            quiet = quiet_hours(session, {n.recipient for n in due if not n.urgent})
            for n in due:
                period = quiet.get(n.recipient.lower()) if not n.urgent else None
                until = quiet_until(now, *period) if period else None
                if until is not None:
                    defer(session, _id(n), until=until)
                    summary.deferred += 1
                    continue
                taken = mark_sending(
                    session,
                    _id(n),
                    message_id=n.message_id or message_id(n, settings.domain),
                    lease_until=now + dt.timedelta(seconds=settings.lease_s),
                )
                if taken is None:  # another sender was quicker (SQLite has no SKIP LOCKED)
                    continue
                return replace(taken, attachments=attachments_of(session, _id(n)))


def _handed(database: Database, n: Notification, now: Callable[[], dt.datetime]) -> bool:
    with database.session() as session:
        return mark_handed(session, _id(n), attempt=n.attempts, at=now())


def deliver(
    database: Database,
    settings: MailSettings,
    *,
    now: Callable[[], dt.datetime],
    urgent_only: bool = False,
    app_url: str = "",
    stop: Callable[[], bool] = lambda: False,
    channel: Channel | None = None,
) -> OutboxSummary:
    """Deliver due messages (only urgent ones with `urgent_only`), at most `batch_size`, through `channel` (e-mail
    over one SMTP connection when none is given). `stop()` is asked before each message: a shutdown finishes the
    message in hand and takes no other. `settings` give the outbox's rules (attempts, back-off, lease)."""
    summary = OutboxSummary()
    channel = channel or MailChannel(settings, app_url=app_url)
    off = channel.off_reason()
    if off is not None:
        summary.off = True
        if channel.name not in _Off.said:
            with database.session() as session:
                waiting = count_by_status(session).get(NotificationStatus.PENDING, 0)
            log.warning("%s; %d message(s) wait in the outbox", off, waiting)
            _Off.said.add(channel.name)
        return summary
    ambiguous = ambiguous_rule(channel, settings)
    recover(database, settings, now=now(), summary=summary, channel=channel.name, ambiguous=ambiguous)
    try:
        for _ in range(settings.batch_size):
            if stop():
                break
            n = _claim(database, settings, now=now(), urgent_only=urgent_only, summary=summary, channel=channel.name)
            if n is None:
                break
            try:
                channel.send(n, handed=functools.partial(_handed, database, n, now))
            except Abandoned:
                log.warning("outbox: message #%d was taken over by another sender; not sent here", _id(n))
                continue
            except DeliveryError as exc:
                summary.errors.append(str(exc))
                if exc.maybe_delivered and ambiguous == "hold":
                    error = f"có thể đã gửi (Message-ID {n.message_id}): {exc}"
                    outcome = _after_failure(database, settings, n, error, now(), permanent=True)
                else:
                    outcome = _after_failure(
                        database, settings, n, str(exc), now(), permanent=exc.permanent, retry_after=exc.retry_after
                    )
                setattr(summary, outcome, getattr(summary, outcome) + 1)
                if exc.connection:
                    break  # the server is unreachable or broke down: the other messages wait for the next run
                continue
            with database.session() as session:
                mark_sent(session, _id(n), attempt=n.attempts, at=now())
            summary.sent += 1
    finally:
        channel.close()
    if summary.sent or summary.failed or summary.retried:
        log.info(
            "outbox: %d sent, %d to retry, %d failed, %d waiting for quiet hours to end",
            summary.sent,
            summary.retried,
            summary.failed,
            summary.deferred,
        )
    return summary


def run_alerts(
    database: Database,
    settings: MailSettings,
    *,
    now: Callable[[], dt.datetime],
    app_url: str = "",
    stop: Callable[[], bool] = lambda: False,
) -> OutboxSummary:
    """Scheduled often (`mail.alerts_interval_s`): deliver the urgent messages (P1 alerts, escalations) now."""
    return deliver(database, settings, now=now, urgent_only=True, app_url=app_url, stop=stop)


def run_outbox(
    database: Database,
    settings: MailSettings,
    *,
    now: Callable[[], dt.datetime],
    app_url: str = "",
    stop: Callable[[], bool] = lambda: False,
) -> OutboxSummary:
    """Scheduled every `mail.outbox_interval_s`: deliver every due message, retries included."""
    return deliver(database, settings, now=now, app_url=app_url, stop=stop)


def add_up(total: OutboxSummary, part: OutboxSummary) -> OutboxSummary:
    """Two channels' runs as one: counts added, errors joined; `off` only when both were off."""
    return OutboxSummary(
        sent=total.sent + part.sent,
        retried=total.retried + part.retried,
        failed=total.failed + part.failed,
        deferred=total.deferred + part.deferred,
        recovered=total.recovered + part.recovered,
        held=total.held + part.held,
        off=total.off and part.off,
        errors=total.errors + part.errors,
    )


def deliver_channels(
    database: Database,
    settings: MailSettings,
    channels: Sequence[Channel],
    *,
    now: Callable[[], dt.datetime],
    urgent_only: bool = False,
    stop: Callable[[], bool] = lambda: False,
) -> OutboxSummary:
    """`deliver` for each channel beside e-mail (webhook, Telegram, Zalo…), one after the other."""
    total = OutboxSummary(off=True)
    for channel in channels:
        if stop():
            break
        part = deliver(database, settings, now=now, urgent_only=urgent_only, stop=stop, channel=channel)
        total = add_up(total, part)
    return total
