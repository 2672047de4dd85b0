"""Each user's alert tier per priority (table alert_tier) and the case alerts held for a later, gathered message
(table held_alert: the hourly round-up and the P1 batch)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from domain.enums import AlertTier, Priority
from storage.tables import AlertTierRow, HeldAlertRow, UserRow
from storage.types import as_utc


def _user_id(session: Session, email: str) -> int:
    found = session.scalar(select(UserRow.id).where(UserRow.email == email.strip().lower()))
    if found is None:
        raise LookupError(f"user {email} does not exist")
    return int(found)


def tier_choices(session: Session, email: str) -> dict[Priority, AlertTier]:
    """The tiers the user chose, by priority (a priority not in the answer: the policy's default)."""
    rows = session.execute(
        select(AlertTierRow.priority, AlertTierRow.tier).where(AlertTierRow.user_id == _user_id(session, email))
    )
    return {Priority(p): AlertTier(t) for p, t in rows}


def tier_choices_of(session: Session, user_ids: Collection[int]) -> dict[int, dict[Priority, AlertTier]]:
    """The tiers chosen by each of these users (one query), by user id; users with no choice are left out."""
    found: dict[int, dict[Priority, AlertTier]] = {}
    if not user_ids:
        return found
    rows = session.execute(
        select(AlertTierRow.user_id, AlertTierRow.priority, AlertTierRow.tier).where(
            AlertTierRow.user_id.in_(list(user_ids))
        )
    )
    for user_id, priority, tier in rows:
        found.setdefault(int(user_id), {})[Priority(priority)] = AlertTier(tier)
    return found


def save_tier_choice(session: Session, email: str, priority: Priority, tier: AlertTier | None) -> None:
    """Set the user's tier for one priority; None: back to the policy's default."""
    user_id = _user_id(session, email)
    row = session.get(AlertTierRow, (user_id, str(priority)))
    if tier is None:
        if row is not None:
            session.execute(
                delete(AlertTierRow).where(AlertTierRow.user_id == user_id, AlertTierRow.priority == str(priority))
            )
    elif row is None:
        session.add(AlertTierRow(user_id=user_id, priority=str(priority), tier=str(tier)))
    else:
        row.tier = str(tier)
    session.flush()


@dataclass(frozen=True, slots=True, kw_only=True)
class HeldAlert:
    """A case alert held for one user until `due_at` (tier hourly: the round-up; immediate: the P1 batch)."""

    user_id: int
    case_id: int
    tier: AlertTier
    held_at: dt.datetime
    due_at: dt.datetime
    released_at: dt.datetime | None = None
    at_once: bool = False  # a P1 alert that went out at once (kept to open the batching window)
    id: int | None = None


def _held(row: HeldAlertRow) -> HeldAlert:
    return HeldAlert(
        id=row.id,
        user_id=row.user_id,
        case_id=row.case_id,
        tier=AlertTier(row.tier),
        held_at=as_utc(row.held_at),
        due_at=as_utc(row.due_at),
        released_at=as_utc(row.released_at) if row.released_at else None,
        at_once=row.at_once,
    )


def hold(session: Session, alert: HeldAlert) -> bool:
    """Keep the alert unless the user has this case's alert of this tier already; whether it was added."""
    same = (
        HeldAlertRow.user_id == alert.user_id,
        HeldAlertRow.case_id == alert.case_id,
        HeldAlertRow.tier == str(alert.tier),
    )
    if session.scalar(select(HeldAlertRow.id).where(*same)) is not None:
        return False
    session.add(
        HeldAlertRow(
            user_id=alert.user_id,
            case_id=alert.case_id,
            tier=str(alert.tier),
            held_at=alert.held_at,
            due_at=alert.due_at,
            released_at=alert.released_at,
            at_once=alert.at_once,
        )
    )
    session.flush()
    return True


def last_at_once(session: Session, user_id: int, *, since: dt.datetime) -> dt.datetime | None:
    """When the user's latest P1 alert that went out at once did, if it was at `since` or later."""
    found = session.scalar(
        select(HeldAlertRow.held_at)
        .where(
            HeldAlertRow.user_id == user_id,
            HeldAlertRow.tier == str(AlertTier.IMMEDIATE),
            HeldAlertRow.at_once.is_(True),
            HeldAlertRow.held_at >= since,
        )
        .order_by(HeldAlertRow.held_at.desc())
        .limit(1)
    )
    return as_utc(found) if found is not None else None


def due_held(session: Session, *, now: dt.datetime, claim: bool = False, user_id: int | None = None) -> list[HeldAlert]:
    """The held alerts not yet released whose time has come (only `user_id`'s if given), by user, time and case.

    `claim` (PostgreSQL): FOR UPDATE SKIP LOCKED, so that a second worker passes over the rows being released."""
    query = (
        select(HeldAlertRow)
        .where(HeldAlertRow.released_at.is_(None), HeldAlertRow.due_at <= now)
        .order_by(HeldAlertRow.user_id, HeldAlertRow.due_at, HeldAlertRow.held_at, HeldAlertRow.case_id)
        .execution_options(populate_existing=True)
    )
    if user_id is not None:
        query = query.where(HeldAlertRow.user_id == user_id)
    if claim and session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return [_held(r) for r in session.scalars(query)]


_RELEASE_LOCK = 0x48454C44  # the advisory lock class of "releasing a user's held alerts" (ASCII "HELD")


def claim_release(session: Session, user_id: int) -> bool:
    """Take the right to release the user's held alerts until this transaction ends; False: another worker has it
    now (and releases them). On PostgreSQL a transaction-scoped advisory lock per user, so that two workers never
    release one user's batch each, in part or twice: the held rows alone cannot say so, a worker may have read
    them before another marked them released, or SKIP LOCKED may split one batch between two workers. SQLite
    has one writer at a time: always True."""
    if session.get_bind().dialect.name != "postgresql":
        return True
    return bool(session.scalar(select(func.pg_try_advisory_xact_lock(_RELEASE_LOCK, user_id))))


def held_of(session: Session, user_id: int) -> list[HeldAlert]:
    """All the user's held alerts, released or not, oldest first."""
    rows = session.scalars(
        select(HeldAlertRow).where(HeldAlertRow.user_id == user_id).order_by(HeldAlertRow.held_at, HeldAlertRow.id)
    )
    return [_held(r) for r in rows]


def mark_released(session: Session, ids: Collection[int], *, at: dt.datetime) -> int:
    """Mark these held alerts released (those not released yet); how many this call marked."""
    if not ids:
        return 0
    result = session.execute(
        update(HeldAlertRow)
        .where(HeldAlertRow.id.in_(list(ids)), HeldAlertRow.released_at.is_(None))
        .values(released_at=at)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)
