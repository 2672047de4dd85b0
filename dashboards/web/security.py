"""Sign-in security: signed session cookies with a CSRF token bound to them, argon2 passwords, throttling of
wrong passwords per account and per address, and the signing key.

The session cookie is signed (itsdangerous, HMAC-SHA1 over a key of 256 bits) and carries only the user id,
the session's CSRF token, a fingerprint of the password hash (changing the password signs every session out),
the random token of the server-side session (`storage.sessions`: sign-out ends it for good) and its issue time
(it expires after `session_lifetime_h`). HttpOnly, SameSite=Lax, Secure when configured.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from dashboards.settings import WebSettings
from storage.accounts import recent_failures

SESSION_COOKIE = "thads_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MIN_PASSWORD = 10
MAX_PASSWORD = 200
SECRET_FILE = "web-secret-key"


@dataclass(frozen=True, slots=True)
class SessionData:
    user_id: int | None  # None: not signed in yet (the sign-in form still needs a CSRF token)
    csrf: str
    fingerprint: str = ""
    token: str = ""  # the server-side session's token (signed-in sessions only)


def fingerprint(password_hash: str | None) -> str:
    """Short digest of the password hash: a session issued before a password change no longer matches."""
    return hashlib.sha256((password_hash or "").encode()).hexdigest()[:16]


def new_session(user_id: int | None = None, password_hash: str | None = None) -> SessionData:
    """A fresh session: a new CSRF token, and for a signed-in user a new server-side session token."""
    return SessionData(
        user_id=user_id,
        csrf=secrets.token_urlsafe(32),
        fingerprint=fingerprint(password_hash),
        token=secrets.token_urlsafe(32) if user_id is not None else "",
    )


class SessionCodec:
    """Reads and writes the signed session cookie."""

    def __init__(self, secret: bytes, *, lifetime_s: int, secure: bool) -> None:
        self._serializer = URLSafeTimedSerializer(secret, salt="thads-session")
        self.lifetime_s = lifetime_s
        self.secure = secure

    def load(self, request: Request) -> SessionData | None:
        raw = request.cookies.get(SESSION_COOKIE)
        if not raw or len(raw) > 1000:
            return None
        try:
            data = self._serializer.loads(raw, max_age=self.lifetime_s)
        except BadSignature:  # also SignatureExpired: a forged, altered or old cookie is no session
            return None
        if not isinstance(data, dict) or not isinstance(data.get("c"), str):
            return None
        user_id, print_, token = data.get("u"), data.get("p", ""), data.get("s", "")
        if (user_id is not None and not isinstance(user_id, int)) or not isinstance(token, str):
            return None
        return SessionData(user_id=user_id, csrf=data["c"], fingerprint=str(print_), token=token)

    def issue(self, response: Response, data: SessionData) -> None:
        value = self._serializer.dumps({"u": data.user_id, "c": data.csrf, "p": data.fingerprint, "s": data.token})
        response.set_cookie(
            SESSION_COOKIE,
            str(value),
            max_age=self.lifetime_s,
            path="/",
            secure=self.secure,
            httponly=True,
            samesite="lax",
        )

    def clear(self, response: Response) -> None:
        response.delete_cookie(SESSION_COOKIE, path="/", secure=self.secure, httponly=True, samesite="lax")


def tokens_match(expected: str, given: str | None) -> bool:
    """Constant-time comparison of a CSRF token."""
    return given is not None and hmac.compare_digest(expected.encode(), given.encode())


def _hasher(web: WebSettings) -> PasswordHasher:
    return PasswordHasher(
        time_cost=web.argon2_time_cost, memory_cost=web.argon2_memory_kib, parallelism=web.argon2_parallelism
    )


@functools.cache
def _dummy_hash(time_cost: int, memory_kib: int, parallelism: int) -> str:
    """A hash of a random password, made once per process and parameters (with the defaults a hash costs a
    fifth of a second and 64 MiB)."""
    hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism)
    return hasher.hash(secrets.token_urlsafe(16))


class Passwords:
    """argon2id hashing with the parameters of `web.argon2_*` (by default argon2-cffi's, the RFC 9106
    low-memory profile). Verifying uses the parameters stored in the hash; signing in rehashes a password whose
    hash has other parameters."""

    def __init__(self, web: WebSettings) -> None:
        self._hasher = _hasher(web)
        # Verified against when the account is unknown or has no password, so that every attempt costs the same.
        self._dummy = _dummy_hash(web.argon2_time_cost, web.argon2_memory_kib, web.argon2_parallelism)

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password_hash: str | None, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash or self._dummy, password) and password_hash is not None
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        return self._hasher.check_needs_rehash(password_hash)


def password_problem(password: str) -> str | None:
    """Why a new password is refused (Vietnamese), or None."""
    if len(password) < MIN_PASSWORD:
        return f"mật khẩu cần ít nhất {MIN_PASSWORD} ký tự"
    if len(password) > MAX_PASSWORD:
        return f"mật khẩu dài quá {MAX_PASSWORD} ký tự"
    if password.strip() != password:
        return "mật khẩu không được bắt đầu hoặc kết thúc bằng khoảng trắng"
    return None


@dataclass(frozen=True, slots=True)
class Throttle:
    max_failures: int
    max_failures_per_address: int
    window: dt.timedelta

    @classmethod
    def from_settings(cls, web: WebSettings) -> Throttle:
        return cls(
            max_failures=web.login_max_failures,
            max_failures_per_address=web.login_max_failures_per_address,
            window=dt.timedelta(minutes=web.login_window_min),
        )

    def locked_until(self, session: Session, *, email: str, ip: str, now: dt.datetime) -> dt.datetime | None:
        """When sign-in opens again for this account or address, or None when it is open now."""
        since = now - self.window
        until: dt.datetime | None = None
        for failures, limit in (
            (recent_failures(session, since=since, email=email), self.max_failures),
            (recent_failures(session, since=since, ip=ip), self.max_failures_per_address),
        ):
            if len(failures) >= limit:
                opens = failures[-limit] + self.window
                until = opens if until is None else max(until, opens)
        return until


def secret_key(web: WebSettings, data_dir: Path) -> bytes:
    """The configured key, else the one kept in the data folder (made on first use, readable by its owner only)."""
    configured = web.secret_key.get_secret_value() if web.secret_key is not None else ""
    if configured:
        return configured.encode()
    path = data_dir / SECRET_FILE
    if path.exists():
        return path.read_bytes().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32).encode()
    partial = data_dir / f".{SECRET_FILE}.{os.getpid()}"
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(key)
    try:
        os.link(partial, path)  # atomic, and fails when another worker made it first: then theirs is used
    except FileExistsError:
        key = path.read_bytes().strip()
    finally:
        partial.unlink()
    return key
