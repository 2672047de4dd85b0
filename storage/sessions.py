"""Web sessions kept server-side, so that a session can be ended before its cookie expires: on sign-out, on a
password change, or everywhere at once for one user (an administrator's `users sign-out`).

The cookie carries a random token; the table keeps only its SHA-256 (a copy of the table opens no session).
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.orm import Session

from storage.accounts import Credentials
from storage.cases import user_record
from storage.tables import UserRow, WebSessionRow


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(session: Session, *, token: str, user_id: int, at: datetime, expires_at: datetime) -> None:
    """Record a new signed-in session."""
    session.execute(
        insert(WebSessionRow).values(token_sha256=_digest(token), user_id=user_id, created_at=at, expires_at=expires_at)
    )


def session_credentials(session: Session, token: str, *, now: datetime) -> Credentials | None:
    """The active user of a live session (not ended, not expired) and their password hash, or None."""
    row = session.scalar(
        select(UserRow)
        .join(WebSessionRow, WebSessionRow.user_id == UserRow.id)
        .where(
            WebSessionRow.token_sha256 == _digest(token),
            WebSessionRow.revoked_at.is_(None),
            WebSessionRow.expires_at > now,
            UserRow.active.is_(True),
        )
    )
    return None if row is None else Credentials(user=user_record(row), password_hash=row.password_hash)


def end_session(session: Session, token: str, *, at: datetime) -> bool:
    """End one session (sign-out); False when it was not live."""
    result = session.execute(
        update(WebSessionRow)
        .where(WebSessionRow.token_sha256 == _digest(token), WebSessionRow.revoked_at.is_(None))
        .values(revoked_at=at)
    )
    return bool(getattr(result, "rowcount", 0))


def end_user_sessions(session: Session, email: str, *, at: datetime) -> int | None:
    """End every live session of the user (password change, "sign out everywhere"); how many were live, or
    None when there is no such user."""
    user_id = session.scalar(select(UserRow.id).where(UserRow.email == email.strip().lower()))
    if user_id is None:
        return None
    result = session.execute(
        update(WebSessionRow)
        .where(WebSessionRow.user_id == user_id, WebSessionRow.revoked_at.is_(None), WebSessionRow.expires_at > at)
        .values(revoked_at=at)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def prune_sessions(session: Session, *, before: datetime) -> int:
    """Forget sessions that expired or were ended before `before`; returns how many were removed."""
    result = session.execute(
        delete(WebSessionRow).where(or_(WebSessionRow.expires_at < before, WebSessionRow.revoked_at < before))
    )
    return int(getattr(result, "rowcount", 0) or 0)
