"""Users' e-mail preferences: the daily digest (on/off, scope, last sent) and quiet hours."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from domain.records import Preferences, User
from storage.cases import _user
from storage.tables import UserRow
from storage.types import as_utc


def _preferences(row: UserRow) -> Preferences:
    return Preferences(
        email=row.email,
        digest_enabled=row.digest_enabled,
        digest_scope=row.digest_scope,
        quiet_start=row.quiet_start,
        quiet_end=row.quiet_end,
        last_digest_at=as_utc(row.last_digest_at),
    )


def _row(session: Session, email: str) -> UserRow | None:
    return session.scalar(select(UserRow).where(UserRow.email == email.strip().lower()))


def get_preferences(session: Session, email: str) -> Preferences | None:
    row = _row(session, email)
    return None if row is None else _preferences(row)


def save_preferences(session: Session, preferences: Preferences) -> Preferences:
    """Store the digest and quiet-hour choices of an existing user (`last_digest_at` is left as it is)."""
    row = _row(session, preferences.email)
    if row is None:
        raise LookupError(f"user {preferences.email} does not exist")
    row.digest_enabled = preferences.digest_enabled
    row.digest_scope = preferences.digest_scope
    row.quiet_start, row.quiet_end = preferences.quiet_start, preferences.quiet_end
    session.flush()
    return _preferences(row)


def digest_recipients(
    session: Session, *, not_since: datetime | None, email: str | None = None, claim: bool = False
) -> list[tuple[User, Preferences]]:
    """Active users with the digest on who have had none since `not_since` (None: all of them), by address.

    `claim` (PostgreSQL): FOR UPDATE SKIP LOCKED, so that parallel runs write each user's digest once.
    """
    query = (
        select(UserRow)
        .where(UserRow.active.is_(True), UserRow.digest_enabled.is_(True))
        .order_by(UserRow.email)
        .execution_options(populate_existing=True)
    )
    if not_since is not None:
        query = query.where(or_(UserRow.last_digest_at.is_(None), UserRow.last_digest_at < not_since))
    if email is not None:
        query = query.where(UserRow.email == email.strip().lower())
    if claim and session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return [(_user(r), _preferences(r)) for r in session.scalars(query)]


def record_digest(session: Session, email: str, at: datetime) -> None:
    """The user's digest was written at `at`: the next one covers what comes after."""
    row = _row(session, email)
    if row is None:
        raise LookupError(f"user {email} does not exist")
    row.last_digest_at = at
    session.flush()


def quiet_hours(session: Session, emails: Collection[str]) -> dict[str, tuple[str, str]]:
    """(start, end) of the quiet hours of those of `emails` who have set them."""
    if not emails:
        return {}
    rows = session.execute(
        select(UserRow.email, UserRow.quiet_start, UserRow.quiet_end).where(
            UserRow.email.in_(sorted({e.strip().lower() for e in emails})),
            UserRow.quiet_start.is_not(None),
            UserRow.quiet_end.is_not(None),
        )
    )
    return {email: (start, end) for email, start, end in rows if start and end}
