"""One SMTP connection (smtplib): plain, STARTTLS or implicit TLS, login, timeouts, and a message handed over in
two steps so that the caller can record the moment after which it may have been delivered."""

from __future__ import annotations

import re
import smtplib
import ssl
from collections.abc import Callable
from email.message import EmailMessage

from alerts.channels import Abandoned, DeliveryError
from alerts.settings import MailSettings

__all__ = ["Abandoned", "DeliveryError", "SmtpConnection"]

_LEADING_DOT = re.compile(rb"(?m)^\.")


def _reply(code: int, text: bytes | str) -> str:
    words = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return f"{code} {' '.join(words.split())}"


class SmtpConnection:
    """Opened on first use, reused for the messages of one run, closed at the end (or when it breaks)."""

    def __init__(self, settings: MailSettings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def _tls(self) -> ssl.SSLContext:
        ca = self.settings.ca_file
        return ssl.create_default_context(cafile=str(ca) if ca else None)

    def open(self) -> None:
        s = self.settings
        assert s.host is not None
        where = f"{s.host}:{s.port}"
        try:
            if s.security == "ssl":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout_s, context=self._tls())
            else:
                smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout_s)
            try:
                smtp.ehlo()
                if s.security == "starttls":
                    smtp.starttls(context=self._tls())
                    smtp.ehlo()
                if s.username:
                    smtp.login(s.username, s.password.get_secret_value())
            except BaseException:
                smtp.close()
                raise
        except smtplib.SMTPAuthenticationError as exc:
            raise DeliveryError(
                f"máy chủ SMTP {where} từ chối đăng nhập {s.username}: {_reply(exc.smtp_code, exc.smtp_error)}",
                connection=True,
            ) from exc
        except smtplib.SMTPNotSupportedError as exc:
            raise DeliveryError(
                f"máy chủ SMTP {where} không cho đăng nhập trên kết nối này ({exc}); kiểm tra mail.security",
                connection=True,
            ) from exc
        except (smtplib.SMTPException, OSError) as exc:
            reason = str(exc) or type(exc).__name__
            raise DeliveryError(f"không kết nối được máy chủ SMTP {where}: {reason}", connection=True) from exc
        self._smtp = smtp

    def send(self, message: EmailMessage, *, sender: str, recipient: str, handed: Callable[[], bool]) -> str:
        """Deliver one message; returns the server's final reply.

        The whole message but its final "." goes first; then `handed()` is called and must record that the
        message is about to be completed (a server that gets the "." may deliver it even if its reply is lost).
        `handed()` returning False, or raising, drops the connection before the ".": the server discards an
        unfinished message, so nothing is delivered.
        """
        if not (sender.isascii() and recipient.isascii()):
            # Internationalised addresses need SMTPUTF8 end to end; the outbox sends 7-bit messages only.
            raise DeliveryError(
                f"địa chỉ {recipient if not recipient.isascii() else sender} có ký tự ngoài ASCII: không gửi được",
                permanent=True,
            )
        if self._smtp is None:
            self.open()
        smtp = self._smtp
        assert smtp is not None
        try:
            code, text = smtp.mail(sender)
            if code != 250:
                smtp.rset()
                raise DeliveryError(f"MAIL FROM bị từ chối: {_reply(code, text)}", permanent=code >= 500)
            code, text = smtp.rcpt(recipient)
            if code not in (250, 251):
                smtp.rset()
                raise DeliveryError(f"người nhận {recipient} bị từ chối: {_reply(code, text)}", permanent=code >= 500)
            smtp.putcmd("data")
            code, text = smtp.getreply()
            if code != 354:
                smtp.rset()
                raise DeliveryError(f"DATA bị từ chối: {_reply(code, text)}", permanent=code >= 500)
            body = _LEADING_DOT.sub(b"..", message.as_bytes())
            smtp.send(body if body.endswith(b"\r\n") else body + b"\r\n")
        except (smtplib.SMTPException, OSError) as exc:
            self.close()
            raise DeliveryError(f"mất kết nối SMTP khi gửi: {exc or type(exc).__name__}", connection=True) from exc
        try:
            go_on = handed()
        except BaseException:
            self.close()
            raise
        if not go_on:
            self.close()
            raise Abandoned
        try:
            smtp.send(b".\r\n")
            code, text = smtp.getreply()
        except (smtplib.SMTPException, OSError) as exc:
            self.close()
            raise DeliveryError(
                f"mất kết nối SMTP sau khi chuyển thư (có thể đã được nhận): {exc or type(exc).__name__}",
                connection=True,
                maybe_delivered=True,
            ) from exc
        if code != 250:
            raise DeliveryError(f"máy chủ không nhận thư: {_reply(code, text)}", permanent=code >= 500)
        return _reply(code, text)

    def close(self) -> None:
        """Close without QUIT: also the way to abandon a message in the middle (the server discards it)."""
        if self._smtp is not None:
            self._smtp.close()
            self._smtp = None

    def quit(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                self._smtp.close()
            self._smtp = None
