"""The SMTP connection: STARTTLS and implicit TLS with login against aiosmtpd, refusals, timeouts, and a
message abandoned before its final dot."""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pydantic import SecretStr

from alerts import messages
from alerts.mail import build_message
from alerts.settings import MailSettings
from alerts.smtp import Abandoned, DeliveryError, SmtpConnection
from domain.records import Case, Deadline, Notification
from tests.alerts.seed import T0
from tests.alerts.smtp_server import Recorder, smtp_server
from tests.ports import free_port

USER, PASSWORD = "canhbao@thads.example", "Mat-khau:THADS#2026"


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (PEM certificate, PEM key)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Máy chủ thư thử nghiệm THADS")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_file, key_file


def _server_context(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    return context


def _authenticator(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
    ok = isinstance(data, LoginPassword) and (data.login.decode(), data.password.decode()) == (USER, PASSWORD)
    return AuthResult(success=ok, handled=False)  # not handled: aiosmtpd answers 535 itself


def _message() -> tuple[Notification, Any]:
    case_message = messages.escalation(
        Case(
            id=9,
            story_id=1,
            title="Chậm thi hành bản án ở Thanh Hóa",
            priority="P1",
            state="assigned",
            province="Thanh Hóa",
            received_at=T0,
            updated_at=T0,
        ),
        Deadline(case_id=9, kind="thong_tin_ban_dau", due_at=T0, basis="Nghị định 244/2026/NĐ-CP"),
        "https://giamsat.thads.example",
    )
    note = Notification(
        id=1,
        kind="escalation",
        recipient="truong.thanhhoa@thads.vn",
        subject=case_message.subject,
        text=case_message.text,
        html=case_message.html,
        created_at=T0,
        dedupe_key="deadline:1:escalate:truong.thanhhoa@thads.vn",
        urgent=True,
    )
    return note, build_message(note, MailSettings(from_address=USER))


@pytest.fixture
def tls_server(
    certificate: tuple[Path, Path], recorder: Recorder, request: pytest.FixtureRequest
) -> Iterator[MailSettings]:
    security = request.param
    options: dict[str, Any] = {"authenticator": _authenticator, "auth_required": True}
    if security == "ssl":  # aiosmtpd sees no TLS in an implicit-TLS connection: AUTH offered, not required
        options.update(ssl_context=_server_context(certificate), auth_require_tls=False, auth_required=False)
    else:
        options.update(tls_context=_server_context(certificate), require_starttls=True)
    with smtp_server(recorder, **options) as controller:
        yield MailSettings(
            host="127.0.0.1",
            port=controller.port,
            security=security,
            ca_file=certificate[0],
            username=USER,
            password=SecretStr(PASSWORD),
            timeout_s=5,
            from_address=USER,
        )


@pytest.mark.parametrize("tls_server", ["starttls", "ssl"], indirect=True)
def test_tls_and_login(tls_server: MailSettings, recorder: Recorder) -> None:
    note, message = _message()
    connection = SmtpConnection(tls_server)
    reply = connection.send(message, sender=USER, recipient=note.recipient, handed=lambda: True)
    connection.quit()
    assert reply.startswith("250")
    (received,) = recorder.received
    assert str(received.message["Subject"]) == note.subject
    assert received.part("text/plain").replace("\r\n", "\n").rstrip() == note.text


@pytest.mark.parametrize("tls_server", ["starttls"], indirect=True)
def test_a_wrong_password_or_an_untrusted_certificate_is_a_connection_error(tls_server: MailSettings) -> None:
    wrong = tls_server.model_copy(update={"password": SecretStr("sai-mat-khau")})
    with pytest.raises(DeliveryError, match=f"từ chối đăng nhập {USER}: 535") as refused:
        SmtpConnection(wrong).open()
    assert refused.value.connection
    untrusted = tls_server.model_copy(update={"ca_file": None})
    with pytest.raises(DeliveryError, match="CERTIFICATE_VERIFY_FAILED"):
        SmtpConnection(untrusted).open()
    plain = tls_server.model_copy(update={"security": "none"})  # the server offers AUTH after STARTTLS only
    note, message = _message()
    with pytest.raises(DeliveryError, match=r"không cho đăng nhập trên kết nối này .*; kiểm tra mail\.security"):
        SmtpConnection(plain).send(message, sender=USER, recipient=note.recipient, handed=lambda: True)


def test_a_server_that_never_answers_times_out() -> None:
    with socket.socket() as silent:  # accepts connections (backlog) and never says a word
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        settings = MailSettings(host="127.0.0.1", port=silent.getsockname()[1], security="none", timeout_s=1)
        with pytest.raises(DeliveryError, match="không kết nối được máy chủ SMTP") as stuck:
            SmtpConnection(settings).open()
    assert stuck.value.connection


def test_a_message_abandoned_before_its_final_dot_is_not_delivered(smtp: MailSettings, recorder: Recorder) -> None:
    note, message = _message()
    connection = SmtpConnection(smtp)
    with pytest.raises(Abandoned):
        connection.send(message, sender=USER, recipient=note.recipient, handed=lambda: False)
    assert recorder.received == []
    assert connection.send(message, sender=USER, recipient=note.recipient, handed=lambda: True).startswith("250")
    connection.quit()
    assert len(recorder.received) == 1


def test_no_server_at_all() -> None:
    settings = MailSettings(host="127.0.0.1", port=free_port(), security="none", timeout_s=2)
    with pytest.raises(DeliveryError, match=r"không kết nối được máy chủ SMTP 127\.0\.0\.1:\d+: .*refused"):
        SmtpConnection(settings).open()


def test_smtp_credentials_must_be_ascii() -> None:
    with pytest.raises(ValueError, match="chỉ được dùng ký tự ASCII"):
        MailSettings(host="127.0.0.1", password=SecretStr("mật khẩu"))
