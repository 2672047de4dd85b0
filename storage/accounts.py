"""Sign-in data: password hashes of users and the log of sign-in attempts (for throttling).

Hashing and verifying are the web app's job; storage only keeps the hash (argon2, as an encoded string).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from domain.records import User
from storage.cases import user_record
from storage.tables import LoginAttemptRow, UserRow
from storage.types import as_utc


@dataclass(frozen=True, slots=True, kw_only=True)
class Credentials:
    """A user and the hash to check a password against (None: no password set, cannot sign in)."""

    user: User
    password_hash: str | None


def credentials(session: Session, email: str) -> Credentials | None:
    """The active user with this e-mail address (case-insensitive) and their password hash."""
    row = session.scalar(select(UserRow).where(UserRow.email == email.strip().lower(), UserRow.active.is_(True)))
    return None if row is None else Credentials(user=user_record(row), password_hash=row.password_hash)


def credentials_by_id(session: Session, user_id: int) -> Credentials | None:
    """The active user with this id and their password hash (a session names its user by id)."""
    row = session.scalar(select(UserRow).where(UserRow.id == user_id, UserRow.active.is_(True)))
    return None if row is None else Credentials(user=user_record(row), password_hash=row.password_hash)


def set_password_hash(session: Session, email: str, password_hash: str) -> bool:
    """Store a new hash for the user; False when there is no such user."""
    row = session.scalar(select(UserRow).where(UserRow.email == email.strip().lower()))
    if row is None:
        return False
    row.password_hash = password_hash
    session.flush()
    return True


def record_login(session: Session, *, email: str, ip: str, at: datetime, ok: bool) -> None:
    """Log one sign-in attempt, good or bad (the e-mail as typed, lower-cased, at most 254 characters)."""
    session.execute(insert(LoginAttemptRow).values(email=email.strip().lower()[:254], ip=ip[:64], at=at, ok=ok))


def recent_failures(
    session: Session, *, since: datetime, email: str | None = None, ip: str | None = None
) -> list[datetime]:
    """Times of the failed attempts since `since` for an account (after its last success) or an address,
    oldest first."""
    query = select(LoginAttemptRow.at, LoginAttemptRow.ok).where(LoginAttemptRow.at >= since)
    if email is not None:
        query = query.where(LoginAttemptRow.email == email.strip().lower()[:254])
    if ip is not None:
        query = query.where(LoginAttemptRow.ip == ip[:64])
    failures: list[datetime] = []
    for at, ok in session.execute(query.order_by(LoginAttemptRow.at, LoginAttemptRow.id)):
        if ok and email is not None:
            failures = []  # a success resets the account's count (not the address's)
        elif not ok:
            failures.append(as_utc(at))
    return failures


def prune_logins(session: Session, *, before: datetime) -> int:
    """Forget attempts older than `before`; returns how many were removed."""
    result = session.execute(delete(LoginAttemptRow).where(LoginAttemptRow.at < before))
    return int(getattr(result, "rowcount", 0) or 0)
