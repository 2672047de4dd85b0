"""A real SMTP server on loopback for the tests (aiosmtpd), recording what it accepts."""

from __future__ import annotations

import asyncio
import email
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import default
from typing import Any

from aiosmtpd.controller import Controller

from tests.ports import free_port


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    raw: bytes
    message: EmailMessage
    at: float  # time.time() when the server accepted it

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"])

    def part(self, content_type: str) -> str:
        """The decoded text of the first part of that type (base64 / quoted-printable undone)."""
        for part in self.message.walk():
            if part.get_content_type() == content_type and not part.is_multipart():
                return str(part.get_content())
        raise AssertionError(f"no {content_type} part in {self.message['Subject']}")


Hook = Callable[[Any], Awaitable[None]]


class Recorder:
    """aiosmtpd handler: keeps every accepted message; optional hooks run before RCPT and DATA replies."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.lock = threading.Lock()
        self.before_rcpt: Hook | None = None  # called with the address
        self.after_data: Hook | None = None  # called with the Received, before the 250 reply
        self.refuse: set[str] = set()  # recipients answered with 550

    def per_recipient(self, subject_prefix: str) -> dict[str, int]:
        """How many of the messages whose subject starts with `subject_prefix` each recipient received."""
        counts: dict[str, int] = {}
        with self.lock:
            for got in self.received:
                if str(got.message["Subject"]).startswith(subject_prefix):
                    for rcpt in got.rcpt_tos:
                        counts[rcpt] = counts.get(rcpt, 0) + 1
        return counts

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if self.before_rcpt is not None:
            await self.before_rcpt(address)
        if address in self.refuse:
            return "550 5.1.1 Hộp thư không tồn tại".encode("ascii", "replace").decode()
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = bytes(envelope.original_content or envelope.content)
        message = email.message_from_bytes(raw, policy=default)
        got = Received(envelope.mail_from, tuple(envelope.rcpt_tos), raw, message, time.time())
        with self.lock:
            self.received.append(got)
        if self.after_data is not None:
            await self.after_data(got)
        return "250 2.0.0 Đã nhận".encode("ascii", "replace").decode()

    def by_recipient(self) -> dict[str, list[Received]]:
        out: dict[str, list[Received]] = {}
        with self.lock:
            for got in self.received:
                for rcpt in got.rcpt_tos:
                    out.setdefault(rcpt, []).append(got)
        return out


@contextmanager
def smtp_server(recorder: Recorder, *, port: int | None = None, **smtp_options: Any) -> Iterator[Controller]:
    """aiosmtpd on 127.0.0.1 (a free port unless given); `smtp_options` go to aiosmtpd's SMTP (TLS, auth)."""
    controller = Controller(recorder, hostname="127.0.0.1", port=port or free_port(), **smtp_options)
    controller.start()
    try:
        yield controller
    finally:
        controller.stop()


async def wait_for(event: threading.Event) -> None:
    """Block one SMTP session (not the server's loop) until the test sets `event`."""
    while not event.is_set():
        await asyncio.sleep(0.02)
