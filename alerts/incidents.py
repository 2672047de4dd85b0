"""Communication incidents (sự cố truyền thông): declared by a monitor, the central desk or an administrator from
one or more stories (or a spike alert's), handled with recorded actions (statements, rebuttals of inaccurate
information, correction requests, notes), closed with a summary that the periodic report carries.

Every refusal is a `WorkflowError` (not found: `NotFoundError`) with a Vietnamese message."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from alerts.cases import NotFoundError, WorkflowError
from domain.enums import IncidentActionKind, IncidentSeverity, IncidentState, Role
from domain.provinces import NATIONWIDE
from domain.records import User
from storage.cases import get_user
from storage.incidents import (
    Incident,
    IncidentAction,
    NewIncident,
    add_action,
    add_incident,
    close_incident,
    existing_stories,
    get_incident,
)

MAX_STORIES = 200


def may_manage(user: User) -> bool:
    """Who declares, acts on and closes incidents: administrators, monitors and the central desk (focal points of
    the whole system, province `toan_quoc`)."""
    if not user.active:
        return False
    return user.role in (Role.ADMIN, Role.MONITOR) or (user.role == Role.DAU_MOI and user.province == NATIONWIDE)


def declare(
    session: Session,
    *,
    title: str,
    summary: str,
    severity: str,
    owner_email: str,
    story_ids: tuple[int, ...],
    actor: str,
    at: dt.datetime,
    spike_alert_id: int | None = None,
) -> Incident:
    """A new open incident grouping the stories (at least one)."""
    title = title.strip()
    if not title:
        raise WorkflowError("sự cố cần có tiêu đề")
    if severity not in set(IncidentSeverity):
        raise WorkflowError(f"mức độ {severity!r} không hợp lệ")
    chosen = tuple(dict.fromkeys(story_ids))
    if not chosen:
        raise WorkflowError("cần chọn ít nhất một tin để lập sự cố")
    if len(chosen) > MAX_STORIES:
        raise WorkflowError(f"một sự cố gộp tối đa {MAX_STORIES} tin")
    missing = sorted(set(chosen) - existing_stories(session, chosen))
    if missing:
        raise NotFoundError(f"không tìm thấy tin số {', '.join(str(i) for i in missing)}")
    owner = get_user(session, owner_email.strip())
    if owner is None or owner.id is None or not may_manage(owner):
        raise WorkflowError(
            f"người phụ trách {owner_email!r} không phải cán bộ giám sát, quản trị hoặc văn phòng Cục đang hoạt động"
        )
    return add_incident(
        session,
        NewIncident(
            title=title,
            summary=summary.strip(),
            severity=IncidentSeverity(severity),
            owner_id=owner.id,
            declared_by=actor,
            declared_at=at,
            story_ids=chosen,
            spike_alert_id=spike_alert_id,
        ),
    )


def _open(session: Session, incident_id: int) -> Incident:
    incident = get_incident(session, incident_id, lock=True)
    if incident is None:
        raise NotFoundError(f"không tìm thấy sự cố #{incident_id}")
    if incident.state != IncidentState.OPEN:
        raise WorkflowError(f"sự cố #{incident_id} đã kết thúc; không ghi nhận thêm")
    return incident


def record_action(
    session: Session, incident_id: int, *, kind: str, text: str, actor: str, at: dt.datetime
) -> IncidentAction:
    """What the agency did, on an open incident."""
    _open(session, incident_id)
    if kind not in set(IncidentActionKind):
        raise WorkflowError(f"loại hoạt động {kind!r} không hợp lệ")
    if not text.strip():
        raise WorkflowError("cần ghi nội dung hoạt động")
    return add_action(session, incident_id, kind=IncidentActionKind(kind), text=text.strip(), by=actor, at=at)


def close(session: Session, incident_id: int, *, summary: str, actor: str, at: dt.datetime) -> Incident:
    """Close an open incident with its closing summary (what the periodic report says of it)."""
    _open(session, incident_id)
    if not summary.strip():
        raise WorkflowError("cần tóm tắt kết quả xử lý khi kết thúc sự cố")
    return close_incident(session, incident_id, summary=summary.strip(), by=actor, at=at)
