"""Fixtures of the e-mail tests: a real SMTP server on loopback (aiosmtpd) and the sender's settings for it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from alerts.settings import MailSettings
from tests.alerts.smtp_server import Recorder, smtp_server


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def smtp(recorder: Recorder) -> Iterator[MailSettings]:
    """An SMTP server on 127.0.0.1 recording what it accepts; the settings that send to it (no TLS)."""
    with smtp_server(recorder) as controller:
        yield MailSettings(
            host="127.0.0.1",
            port=controller.port,
            security="none",
            timeout_s=5,
            from_address="canhbao@thads.example",
            backoff_base_s=30,
        )
