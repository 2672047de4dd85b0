"""Queries of the response workflow: cases, their audit trail, deadlines, responses, assignees, users."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from domain.enums import CaseState, DeadlineStatus, Priority, ResponseKind, Role
from domain.records import Attachment, AuditEvent, Case, Deadline, Response, User
from storage.tables import (
    AuditEventRow,
    CaseAssigneeRow,
    CaseRow,
    DeadlineRow,
    ResponseRow,
    UserRow,
)
from storage.types import as_utc


def _case(row: CaseRow) -> Case:
    return Case(
        id=row.id,
        story_id=row.story_id,
        title=row.title,
        priority=Priority(row.priority),
        state=CaseState(row.state),
        province=row.province,
        received_at=as_utc(row.received_at),
        updated_at=as_utc(row.updated_at),
        reason=row.reason,
        policy_version=row.policy_version,
    )


def _user(row: UserRow) -> User:
    return User(
        id=row.id,
        email=row.email,
        name=row.name,
        role=Role(row.role),
        province=row.province,
        is_head=row.is_head,
        phone=row.phone,
        active=row.active,
    )


def _deadline(row: DeadlineRow) -> Deadline:
    return Deadline(
        id=row.id,
        case_id=row.case_id,
        kind=row.kind,
        due_at=as_utc(row.due_at),
        basis=row.basis,
        internal=row.internal,
        status=DeadlineStatus(row.status),
        met_at=as_utc(row.met_at),
        escalated_at=as_utc(row.escalated_at),
        reminders=tuple(row.reminders or ()),
    )


# Public names for the other query modules of storage (triage, access) that build these records too.
case_record, user_record, deadline_record = _case, _user, _deadline


# --- users ------------------------------------------------------------------------------------------


def upsert_user(session: Session, user: User) -> User:
    """Insert the user, or update the one with the same e-mail address (case-insensitive)."""
    email = user.email.strip().lower()
    row = session.scalar(select(UserRow).where(UserRow.email == email)) or UserRow(email=email)
    row.name, row.role, row.province = user.name, user.role, user.province
    row.is_head, row.phone, row.active = user.is_head, user.phone, user.active
    session.add(row)
    session.flush()
    return _user(row)


def list_users(session: Session, *, province: str | None = None, role: str | None = None) -> list[User]:
    query = select(UserRow).where(UserRow.active.is_(True)).order_by(UserRow.province, UserRow.email)
    if province is not None:
        query = query.where(UserRow.province == province)
    if role is not None:
        query = query.where(UserRow.role == role)
    return [_user(r) for r in session.scalars(query)]


def get_user(session: Session, email: str) -> User | None:
    row = session.scalar(select(UserRow).where(UserRow.email == email.strip().lower()))
    return None if row is None else _user(row)


def get_user_by_id(session: Session, user_id: int) -> User | None:
    row = session.get(UserRow, user_id)
    return None if row is None else _user(row)


# --- cases ------------------------------------------------------------------------------------------


def case_for_story(session: Session, story_id: int) -> Case | None:
    row = session.scalar(select(CaseRow).where(CaseRow.story_id == story_id))
    return None if row is None else _case(row)


def insert_case(session: Session, case: Case) -> Case:
    row = CaseRow(
        story_id=case.story_id,
        title=case.title,
        priority=case.priority,
        state=case.state,
        province=case.province,
        received_at=case.received_at,
        updated_at=case.updated_at,
        reason=case.reason,
        policy_version=case.policy_version,
    )
    session.add(row)
    session.flush()
    return _case(row)


def get_case(session: Session, case_id: int, *, lock: bool = False) -> Case | None:
    """`lock`: hold the row until the transaction ends (PostgreSQL), so that two workers cannot both act."""
    query = select(CaseRow).where(CaseRow.id == case_id)
    if lock:
        query = query.with_for_update()
    row = session.scalar(query)
    return None if row is None else _case(row)


def update_case(session: Session, case: Case) -> Case:
    row = session.get(CaseRow, case.id)
    if row is None:
        raise LookupError(f"case {case.id} does not exist")
    row.priority, row.state, row.province = case.priority, case.state, case.province
    row.updated_at, row.reason = case.updated_at, case.reason
    session.flush()
    return _case(row)


def list_cases(
    session: Session,
    *,
    states: tuple[str, ...] | None = None,
    province: str | None = None,
    limit: int = 200,
) -> list[Case]:
    query = select(CaseRow).order_by(CaseRow.priority, CaseRow.received_at.desc()).limit(limit)
    if states:
        query = query.where(CaseRow.state.in_(states))
    if province is not None:
        query = query.where(CaseRow.province == province)
    return [_case(r) for r in session.scalars(query)]


SYSTEM = "hệ thống"  # the actor of what the system does on its own


def note_event(session: Session, case: Case, action: str, *, at: datetime, note: str, actor: str = SYSTEM) -> None:
    """An action on a case that does not change its state, in the audit trail."""
    append_audit(
        session,
        AuditEvent(
            case_id=case.id, at=at, actor=actor, action=action, from_state=case.state, to_state=case.state, note=note
        ),
    )


def append_audit(session: Session, event: AuditEvent) -> None:
    session.add(
        AuditEventRow(
            case_id=event.case_id,
            at=event.at,
            actor=event.actor,
            action=event.action,
            from_state=event.from_state,
            to_state=event.to_state,
            note=event.note,
        )
    )
    session.flush()


def audit_trail(session: Session, case_id: int) -> list[AuditEvent]:
    rows = session.scalars(select(AuditEventRow).where(AuditEventRow.case_id == case_id).order_by(AuditEventRow.id))
    return [
        AuditEvent(
            id=r.id,
            case_id=r.case_id,
            at=as_utc(r.at),
            actor=r.actor,
            action=r.action,
            from_state=r.from_state,
            to_state=r.to_state,
            note=r.note,
        )
        for r in rows
    ]


def set_assignees(session: Session, case_id: int, user_ids: list[int]) -> None:
    for row in session.scalars(select(CaseAssigneeRow).where(CaseAssigneeRow.case_id == case_id)):
        session.delete(row)
    session.flush()
    for user_id in dict.fromkeys(user_ids):
        session.add(CaseAssigneeRow(case_id=case_id, user_id=user_id))
    session.flush()


def assignees(session: Session, case_id: int) -> list[User]:
    rows = session.scalars(
        select(UserRow)
        .join(CaseAssigneeRow, CaseAssigneeRow.user_id == UserRow.id)
        .where(CaseAssigneeRow.case_id == case_id)
        .order_by(UserRow.email)
    )
    return [_user(r) for r in rows]


# --- deadlines and responses ----------------------------------------------------------------------------


def add_deadline(session: Session, deadline: Deadline) -> Deadline:
    row = DeadlineRow(
        case_id=deadline.case_id,
        kind=deadline.kind,
        due_at=deadline.due_at,
        basis=deadline.basis,
        internal=deadline.internal,
        status=deadline.status,
        reminders=list(deadline.reminders),
    )
    session.add(row)
    session.flush()
    return _deadline(row)


def deadlines_of(session: Session, case_id: int) -> list[Deadline]:
    rows = session.scalars(select(DeadlineRow).where(DeadlineRow.case_id == case_id).order_by(DeadlineRow.due_at))
    return [_deadline(r) for r in rows]


def update_deadline(session: Session, deadline: Deadline) -> Deadline:
    assert deadline.id is not None
    row = session.get(DeadlineRow, deadline.id)
    if row is None:
        raise LookupError(f"deadline {deadline.id} does not exist")
    row.status, row.met_at, row.escalated_at = deadline.status, deadline.met_at, deadline.escalated_at
    row.reminders = list(deadline.reminders)
    session.flush()
    return _deadline(row)


def open_deadlines(
    session: Session, *, due_before: datetime | None = None, unescalated: bool = False, claim: bool = False
) -> list[Deadline]:
    """Open deadlines (overdue ones with `due_before`), oldest first.

    `claim` (PostgreSQL): FOR UPDATE SKIP LOCKED, so that parallel workers each take different rows.
    """
    query = (
        select(DeadlineRow)
        .where(DeadlineRow.status == DeadlineStatus.OPEN)
        .order_by(DeadlineRow.due_at, DeadlineRow.id)
    )
    if due_before is not None:
        query = query.where(DeadlineRow.due_at < due_before)
    if unescalated:
        query = query.where(DeadlineRow.escalated_at.is_(None))
    if claim and session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return [_deadline(r) for r in session.scalars(query)]


def add_response(session: Session, response: Response) -> Response:
    row = ResponseRow(
        case_id=response.case_id,
        kind=response.kind,
        text=response.text,
        by=response.by,
        at=response.at,
        attachments=[asdict(a) for a in response.attachments],
    )
    session.add(row)
    session.flush()
    return _response(row)


def _response(row: ResponseRow) -> Response:
    return Response(
        id=row.id,
        case_id=row.case_id,
        kind=ResponseKind(row.kind),
        text=row.text,
        by=row.by,
        at=as_utc(row.at),
        attachments=tuple(Attachment(**a) for a in row.attachments or []),  # type: ignore[arg-type]
    )


def responses_of(session: Session, case_id: int) -> list[Response]:
    rows = session.scalars(select(ResponseRow).where(ResponseRow.case_id == case_id).order_by(ResponseRow.at))
    return [_response(r) for r in rows]


def count_cases(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(CaseRow)) or 0)


# --- cases of a period (timeliness and reports): a few queries in all, not a few per case ------------------


AnySelect = TypeVar("AnySelect", bound="Select[*tuple[Any, ...]]")


def _received_between(query: AnySelect, start: datetime, end: datetime, province: str | None) -> AnySelect:
    query = query.where(CaseRow.received_at >= start, CaseRow.received_at < end)
    return query if province is None else query.where(CaseRow.province == province)


def cases_received(session: Session, *, start: datetime, end: datetime, province: str | None = None) -> list[Case]:
    """Cases received in [start, end) (in one province), in the order received."""
    query = _received_between(select(CaseRow), start, end, province).order_by(CaseRow.received_at, CaseRow.id)
    return [_case(r) for r in session.scalars(query)]


def deadlines_of_cases_received(
    session: Session, *, start: datetime, end: datetime, province: str | None = None
) -> dict[int, list[Deadline]]:
    """The deadlines of the cases received in [start, end), by case, each case's soonest first."""
    query = _received_between(
        select(DeadlineRow).join(CaseRow, CaseRow.id == DeadlineRow.case_id), start, end, province
    ).order_by(DeadlineRow.case_id, DeadlineRow.due_at, DeadlineRow.id)
    out: dict[int, list[Deadline]] = {}
    for row in session.scalars(query):
        out.setdefault(row.case_id, []).append(_deadline(row))
    return out


def responses_of_cases_received(
    session: Session, *, start: datetime, end: datetime, province: str | None = None
) -> dict[int, list[Response]]:
    """The responses of the cases received in [start, end), by case, each case's first first."""
    query = _received_between(
        select(ResponseRow).join(CaseRow, CaseRow.id == ResponseRow.case_id), start, end, province
    ).order_by(ResponseRow.case_id, ResponseRow.at, ResponseRow.id)
    out: dict[int, list[Response]] = {}
    for row in session.scalars(query):
        out.setdefault(row.case_id, []).append(_response(row))
    return out
