"""Channels: how a message written to the outbox reaches its recipient. E-mail is one (`alerts.mail.MailChannel`);
a chat, a webhook or SMS is another class with the same small interface, and the outbox worker
(`alerts.sender.deliver`) gives it the same guarantees: claimed once, retried with back-off, held for the
recipient's quiet hours, recovered after a stop.

A channel reports a failed attempt by raising `DeliveryError`; it may call `handed()` at the moment after which
the message may have reached the other side (see `alerts.sender`): False from it means the claim was lost, and
the channel must then drop the message (raise `Abandoned`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from domain.records import Notification


class DeliveryError(Exception):
    """An attempt failed. `permanent`: the other side refused this message for good (SMTP 5xx); `connection`: the
    connection or the server is at fault, and the next message should not be tried on it; `maybe_delivered`:
    the connection broke after the message was completed, before the other side's reply; `retry_after`: the other
    side asked to be left alone for this many seconds (a rate limit: HTTP 429 Retry-After, Telegram's
    `parameters.retry_after`), the next attempt comes no earlier."""

    def __init__(
        self,
        message: str,
        *,
        permanent: bool = False,
        connection: bool = False,
        maybe_delivered: bool = False,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.connection = connection
        self.maybe_delivered = maybe_delivered
        self.retry_after = retry_after


class Abandoned(Exception):
    """The caller declined to complete the message (it lost its claim): nothing was delivered."""


class Channel(Protocol):
    """A way to deliver the outbox's messages. `name` is the outbox's channel column."""

    @property
    def name(self) -> str: ...

    def off_reason(self) -> str | None:
        """Why the channel cannot deliver now (not configured), said once in the log; None when it can."""
        ...

    def send(self, notification: Notification, *, handed: Callable[[], bool]) -> str:
        """Deliver one message (its recipient is the user's e-mail, their key in the system); returns what the
        other side answered. Raises `DeliveryError` or `Abandoned`."""
        ...

    def close(self) -> None:
        """End of a run: release the connection, if any."""
        ...
