"""One-click acknowledgement links of urgent alerts: `/xac-nhan/<token>`.

The token names the case, the user it was sent to, when it was issued and a random nonce, signed with
HMAC-SHA256 under a key derived from the web app's secret key. It is checked here (signature, age); that it works
once is the table `ack_token_use` (storage.ack), written in the acknowledgement's transaction. The link does not
sign anyone in: the web app still asks for the session of that very user.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

PURPOSE = b"thads-ack-link-v1"
MAX_TOKEN = 200


@dataclass(frozen=True, slots=True, kw_only=True)
class AckClaim:
    """What a genuine token says."""

    case_id: int
    user_id: int
    issued_at: dt.datetime
    nonce: str


class TokenError(Exception):
    """A link that cannot be used; the message says why, in Vietnamese."""


FORGED = "Liên kết xác nhận không hợp lệ (sai hoặc không đầy đủ). Hãy mở hồ sơ trong hệ thống để xác nhận."


def _key(secret: bytes) -> bytes:
    return hmac.new(secret, PURPOSE, hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _sign(secret: bytes, payload: str) -> str:
    return _b64(hmac.new(_key(secret), payload.encode(), hashlib.sha256).digest())


def issue(secret: bytes, *, case_id: int, user_id: int, at: dt.datetime, nonce: str | None = None) -> str:
    """A token for this user and case, issued at `at`."""
    payload = f"{case_id}.{user_id}.{int(at.timestamp())}.{nonce or secrets.token_urlsafe(12)}"
    return f"{payload}.{_sign(secret, payload)}"


def read(secret: bytes, token: str, *, now: dt.datetime, valid: dt.timedelta) -> AckClaim:
    """The token's claim, or TokenError: forged or altered, or older than `valid`."""
    parts = token.split(".") if len(token) <= MAX_TOKEN else []
    if len(parts) != 5 or not all(p.isascii() and p.isdigit() and len(p) <= 15 for p in parts[:3]):
        raise TokenError(FORGED)
    payload = ".".join(parts[:4])
    if not hmac.compare_digest(_sign(secret, payload).encode(), parts[4].encode()):
        raise TokenError(FORGED)
    issued = dt.datetime.fromtimestamp(int(parts[2]), dt.UTC)
    if now - issued > valid:
        raise TokenError(
            "Liên kết xác nhận đã hết hạn. Hãy mở hồ sơ trong hệ thống để xác nhận (nút “Xác nhận đã nhận”)."
        )
    return AckClaim(case_id=int(parts[0]), user_id=int(parts[1]), issued_at=issued, nonce=parts[3])


def link(app_url: str, token: str) -> str:
    return f"{app_url.rstrip('/')}/xac-nhan/{token}"
