"""Cases and their state machine. Every change writes an audit event, in the same transaction.

new → assigned → acknowledged → responded → closed; dismissed (with a reason) from any open state.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import replace
from pathlib import Path

from sqlalchemy.orm import Session

from alerts.calendar import WorkCalendar
from alerts.corrections import open_watches
from alerts.deadlines import Policy
from domain.enums import OPEN_STATES, CaseState, DeadlineStatus, ResponseKind
from domain.labels import response_kind_vi, state_vi
from domain.records import Attachment, AuditEvent, Case, Deadline, Response, User
from storage.cases import (
    add_deadline,
    add_response,
    append_audit,
    deadlines_of,
    get_case,
    set_assignees,
    update_case,
    update_deadline,
)

ACTION_VI = {
    "assign": "giao",
    "acknowledge": "xác nhận",
    "respond": "ghi nhận phản hồi cho",
    "close": "đóng",
    "dismiss": "loại",
    "conclude": "ghi nhận kết luận cho",
}
# action → (states it may start from, state it leads to; None keeps the state)
_NEW, _ASSIGNED, _ACKNOWLEDGED, _RESPONDED = OPEN_STATES
TRANSITIONS: dict[str, tuple[frozenset[CaseState], CaseState | None]] = {
    "assign": (frozenset({_NEW, _ASSIGNED, _ACKNOWLEDGED}), CaseState.ASSIGNED),
    "acknowledge": (frozenset({_ASSIGNED}), CaseState.ACKNOWLEDGED),
    "respond": (frozenset({_ASSIGNED, _ACKNOWLEDGED, _RESPONDED}), CaseState.RESPONDED),
    "conclude": (frozenset({_ASSIGNED, _ACKNOWLEDGED, _RESPONDED}), None),
    "close": (frozenset({_RESPONDED}), CaseState.CLOSED),
    "dismiss": (frozenset({_NEW, _ASSIGNED, _ACKNOWLEDGED}), CaseState.DISMISSED),
}
# Which responses meet which deadline (by the deadline's kind).
MEETS: dict[str, frozenset[ResponseKind]] = {
    "thong_tin_ban_dau": frozenset(
        {ResponseKind.THONG_TIN_BAN_DAU, ResponseKind.VAN_BAN_TRA_LOI, ResponseKind.YEU_CAU_CAI_CHINH}
    ),
    "van_ban_tra_loi": frozenset({ResponseKind.VAN_BAN_TRA_LOI, ResponseKind.YEU_CAU_CAI_CHINH}),
    "ket_luan_khieu_nai": frozenset({ResponseKind.BAO_CAO, ResponseKind.VAN_BAN_TRA_LOI}),
}


class WorkflowError(Exception):
    """An action that is not allowed; the message names the case, its state and the action."""


class NotFoundError(WorkflowError):
    """The case (or story) named does not exist."""


def _load(session: Session, case_id: int) -> Case:
    case = get_case(session, case_id, lock=True)
    if case is None:
        raise NotFoundError(f"không có hồ sơ #{case_id}")
    return case


def transition(
    session: Session, case_id: int, action: str, *, actor: str, at: dt.datetime, note: str | None = None
) -> Case:
    """Apply an action to a case, or refuse it naming the state and the action."""
    case = _load(session, case_id)
    allowed, target = TRANSITIONS[action]
    if case.state not in allowed:
        raise WorkflowError(
            f"Không thể {ACTION_VI[action]} hồ sơ #{case.id} đang ở trạng thái “{state_vi(case.state)}”."
        )
    to_state = target or case.state
    changed = replace(case, state=to_state, updated_at=at, reason=note if action == "dismiss" else case.reason)
    update_case(session, changed)
    append_audit(
        session,
        AuditEvent(
            case_id=case.id, at=at, actor=actor, action=action, from_state=case.state, to_state=to_state, note=note
        ),
    )
    return changed


def assign(session: Session, case_id: int, users: list[User], *, actor: str, at: dt.datetime) -> Case:
    if not users:
        raise WorkflowError(f"hồ sơ #{case_id}: chưa có đầu mối nào để giao")
    case = transition(session, case_id, "assign", actor=actor, at=at, note=", ".join(u.email for u in users))
    set_assignees(session, case.id, [u.id for u in users if u.id is not None])
    return case


def acknowledge(session: Session, case_id: int, *, actor: str, at: dt.datetime, note: str | None = None) -> Case:
    """The focal point has the case (which stops its acknowledgement chain); `note`: how, for the audit trail."""
    case = transition(session, case_id, "acknowledge", actor=actor, at=at, note=note)
    _meet(session, case.id, {"xac_nhan_noi_bo"}, at)
    return case


def dismiss(session: Session, case_id: int, *, actor: str, at: dt.datetime, reason: str) -> Case:
    if not reason.strip():
        raise WorkflowError(f"hồ sơ #{case_id}: cần nêu lý do loại")
    case = transition(session, case_id, "dismiss", actor=actor, at=at, note=reason.strip())
    for deadline in deadlines_of(session, case.id):
        if deadline.status == DeadlineStatus.OPEN:
            update_deadline(
                session, replace(deadline, status=DeadlineStatus.VOID)
            )  # no longer owed; neither met nor missed
    return case


def close(session: Session, case_id: int, *, actor: str, at: dt.datetime, note: str | None = None) -> Case:
    return transition(session, case_id, "close", actor=actor, at=at, note=note)


def store_attachment(path: Path, folder: Path) -> Attachment:
    """Copy a file into the evidence folder under its SHA-256 (same content stored once)."""
    return store_attachment_bytes(path.read_bytes(), path.name, folder)


def store_attachment_bytes(data: bytes, name: str, folder: Path) -> Attachment:
    """Keep uploaded bytes in the evidence folder under their SHA-256 (same content stored once).

    `name` is what users see and download it as; the caller has made it safe (no folders, no control characters).
    """
    digest = hashlib.sha256(data).hexdigest()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / digest
    if not target.exists():
        partial = folder / f".{digest}.part"
        partial.write_bytes(data)
        partial.replace(target)  # atomic: a reader never sees half a file
    return Attachment(name=name, sha256=digest, size=len(data), path=str(target))


def respond(
    session: Session,
    case_id: int,
    *,
    kind: str,
    text: str,
    actor: str,
    at: dt.datetime,
    attachments: tuple[Attachment, ...] = (),
) -> Response:
    """Record a response of one of the `ResponseKind` codes (a code from a form or the CLI is checked here)."""
    if kind not in set(ResponseKind):
        raise WorkflowError(f"loại phản hồi {kind!r} không hợp lệ (dùng: {', '.join(ResponseKind)})")
    if not text.strip():
        raise WorkflowError(f"hồ sơ #{case_id}: nội dung phản hồi trống")
    response_kind = ResponseKind(kind)
    note = f"{response_kind_vi(response_kind)}: {text[:200]}"
    case = transition(session, case_id, "respond", actor=actor, at=at, note=note)
    response = add_response(
        session, Response(case_id=case.id, kind=response_kind, text=text, by=actor, at=at, attachments=attachments)
    )
    _meet(session, case.id, {k for k, kinds in MEETS.items() if response_kind in kinds}, at)
    if response_kind == ResponseKind.YEU_CAU_CAI_CHINH:
        open_watches(session, case, response)  # the correction loop: watch each outlet for its correction
    return response


def conclude(
    session: Session, case_id: int, *, policy: Policy, calendar: WorkCalendar, actor: str, at: dt.datetime
) -> Case:
    """The complaint was concluded: the deadline to send the conclusion to the outlet starts now."""
    case = transition(session, case_id, "conclude", actor=actor, at=at)
    existing = {d.kind for d in deadlines_of(session, case.id)}
    # The rules in force at reception apply; their period runs from the conclusion.
    for rule, _ in policy.deadlines(
        calendar, priority=case.priority, received_at=case.received_at, trigger="conclusion"
    ):
        if rule.kind not in existing:
            due = rule.period.due(calendar, at)
            add_deadline(
                session, Deadline(case_id=case.id, kind=rule.kind, due_at=due, basis=rule.basis, internal=rule.internal)
            )
    return case


def _meet(session: Session, case_id: int, kinds: set[str], at: dt.datetime) -> None:
    for deadline in deadlines_of(session, case_id):
        if deadline.kind in kinds and deadline.status == DeadlineStatus.OPEN:
            status = DeadlineStatus.MET if at <= deadline.due_at else DeadlineStatus.MISSED
            update_deadline(session, replace(deadline, status=status, met_at=at))
