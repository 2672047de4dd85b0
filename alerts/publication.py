"""Publishing a case's response on the portal (the THADS portal's press section reads the feed), and withdrawing
it. Each is an audit event of the case, in the same transaction; the case's state does not change."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from alerts.cases import NotFoundError, WorkflowError
from domain.records import AuditEvent, Publication
from storage.cases import append_audit, get_case, responses_of
from storage.publications import publish_response, withdraw_publication

MAX_TITLE = 300
MAX_TEXT = 20000


def publish(
    session: Session, case_id: int, response_id: int, *, title: str, text: str, actor: str, at: dt.datetime
) -> Publication:
    """Mark the case's response for publication with a public title and text (empty text: the response's own).
    Published already: the title and text are corrected."""
    case = get_case(session, case_id, lock=True)
    if case is None:
        raise NotFoundError(f"không có hồ sơ #{case_id}")
    response = next((r for r in responses_of(session, case_id) if r.id == response_id), None)
    if response is None:
        raise NotFoundError(f"hồ sơ #{case_id} không có phản hồi #{response_id}")
    title, text = title.strip(), text.strip() or response.text.strip()
    if not title:
        raise WorkflowError("cần có tiêu đề công khai để đăng phản hồi lên Cổng thông tin")
    if len(title) > MAX_TITLE or len(text) > MAX_TEXT:
        raise WorkflowError(f"tiêu đề tối đa {MAX_TITLE} ký tự, nội dung tối đa {MAX_TEXT} ký tự")
    publication = publish_response(session, response_id, title=title, text=text, by=actor, at=at)
    note = f"phản hồi #{response_id}: “{title}”"
    append_audit(
        session,
        AuditEvent(
            case_id=case_id,
            at=at,
            actor=actor,
            action="publish",
            from_state=case.state,
            to_state=case.state,
            note=note,
        ),
    )
    return publication


def withdraw(
    session: Session, case_id: int, response_id: int, *, actor: str, at: dt.datetime, reason: str = ""
) -> Publication:
    """Take the case's response off the portal (the feed no longer lists it)."""
    case = get_case(session, case_id, lock=True)
    if case is None:
        raise NotFoundError(f"không có hồ sơ #{case_id}")
    if not any(r.id == response_id for r in responses_of(session, case_id)):
        raise NotFoundError(f"hồ sơ #{case_id} không có phản hồi #{response_id}")
    publication = withdraw_publication(session, response_id, by=actor, at=at)
    if publication is None:
        raise WorkflowError(f"phản hồi #{response_id} không đang được đăng trên Cổng thông tin")
    note = f"phản hồi #{response_id}" + (f": {reason.strip()}" if reason.strip() else "")
    append_audit(
        session,
        AuditEvent(
            case_id=case_id,
            at=at,
            actor=actor,
            action="unpublish",
            from_state=case.state,
            to_state=case.state,
            note=note,
        ),
    )
    return publication
