"""Queries of the acknowledgement chain of urgent cases: its steps (each once per case) and the one-click links
already used."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from domain.enums import CaseState, Priority
from domain.records import Case
from storage.cases import case_record
from storage.tables import AckStepRow, AckTokenUseRow, CaseRow
from storage.types import as_utc


@dataclass(frozen=True, slots=True, kw_only=True)
class AckStep:
    """One step of a case's chain: 0 the alert itself, then the people told because nobody acknowledged."""

    case_id: int
    step: int
    at: datetime
    target: str
    recipients: tuple[str, ...]


def _insert_once(session: Session, values: dict[str, object], table: type[AckStepRow | AckTokenUseRow]) -> bool:
    """INSERT … ON CONFLICT DO NOTHING on the row's key; whether this call wrote it. On PostgreSQL a second writer
    of the same key waits for the first one's transaction and then writes nothing."""
    make = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    written = session.execute(
        make(table).values(**values).on_conflict_do_nothing().returning(*table.__table__.primary_key)
    )
    return written.first() is not None


def record_step(session: Session, step: AckStep) -> bool:
    """Record the step unless it is there already; whether this call recorded it (only then tell anyone)."""
    values: dict[str, object] = {
        "case_id": step.case_id,
        "step": step.step,
        "at": step.at,
        "target": step.target,
        "recipients": list(step.recipients),
    }
    return _insert_once(session, values, AckStepRow)


def steps_of(session: Session, case_id: int) -> list[AckStep]:
    rows = session.scalars(select(AckStepRow).where(AckStepRow.case_id == case_id).order_by(AckStepRow.step))
    return [
        AckStep(case_id=r.case_id, step=r.step, at=as_utc(r.at), target=r.target, recipients=tuple(r.recipients))
        for r in rows
    ]


def unacknowledged(session: Session, priorities: tuple[Priority, ...]) -> list[Case]:
    """Open cases of these priorities that nobody has acknowledged yet (new or assigned), oldest first."""
    query = (
        select(CaseRow)
        .where(CaseRow.priority.in_(priorities), CaseRow.state.in_((CaseState.NEW, CaseState.ASSIGNED)))
        .order_by(CaseRow.received_at, CaseRow.id)
    )
    return [case_record(r) for r in session.scalars(query)]


def token_used(session: Session, nonce: str) -> datetime | None:
    """When the link with this nonce was used; None if never."""
    row = session.get(AckTokenUseRow, nonce)
    return None if row is None else as_utc(row.used_at)


def use_token(session: Session, *, nonce: str, case_id: int, user_id: int, at: datetime) -> bool:
    """Mark the link used; False when it was used already (by this or a concurrent request)."""
    return _insert_once(
        session, {"nonce": nonce, "case_id": case_id, "user_id": user_id, "used_at": at}, AckTokenUseRow
    )


def claim_case(session: Session, case_id: int) -> Case | None:
    """The case, its row held until the transaction ends; None if it is gone or (PostgreSQL) another transaction
    holds it (FOR UPDATE SKIP LOCKED: that worker is taking its steps)."""
    query = select(CaseRow).where(CaseRow.id == case_id)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    row = session.scalar(query)
    return None if row is None else case_record(row)
