"""A local SMTP server that keeps every message it receives as an .eml file (for the demo and for trying the
system out without a mail server): aiosmtpd on the loopback interface, one file per message, named by the order
it came in and its subject, openable in any mail client."""

from __future__ import annotations

import email
import email.policy
import logging
import re
import threading
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

from domain.text import fold_diacritics


class _Saver:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.count = len(list(folder.glob("*.eml")))
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = bytes(envelope.original_content or envelope.content)
        subject = str(email.message_from_bytes(raw, policy=email.policy.default).get("Subject", ""))
        slug = re.sub(r"[^a-z0-9]+", "-", fold_diacritics(subject).lower()).strip("-")[:60] or "thu"
        with self.lock:
            self.count += 1
            path = self.folder / f"{self.count:04d}-{slug}.eml"
        path.write_bytes(raw)
        return "250 OK"


class Mailbox:
    """SMTP on 127.0.0.1:`port` (0: a free port) saving messages into `folder`."""

    def __init__(self, folder: Path, *, port: int = 0) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self._saver = _Saver(folder)
        self._controller = Controller(self._saver, hostname="127.0.0.1", port=port or _free_port())

    @property
    def port(self) -> int:
        return int(self._controller.port)

    def start(self) -> Mailbox:
        logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP command at INFO
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    def messages(self) -> list[Path]:
        return sorted(self.folder.glob("*.eml"))


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port
