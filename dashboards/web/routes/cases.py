"""Cases (/ho-so): the list and the case page, the actions a role may take in the case's state, responses with
attachments (uploaded with a size limit, stored under their SHA-256, downloadable). A case outside the user's
province is not found."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, HTTPException, Path, Query, Request, UploadFile
from starlette.responses import FileResponse, Response

from alerts import cases as workflow
from alerts.ack_chain import sla
from alerts.ack_policy import TARGET_VI
from alerts.cases import WorkflowError
from dashboards.labels import ACTION_VI
from dashboards.web.context import AppContext, Ctx, User, Writer
from dashboards.web.filetypes import ACCEPTED_VI, attachment_problem
from dashboards.web.permissions import Principal
from dashboards.web.routes.common import Id, PageNo, redirect
from dashboards.web.templating import render
from dashboards.web.uploads import content_disposition, safe_filename
from domain.enums import OPEN_STATES, ResponseKind, Role
from domain.labels import state_vi, taxonomy
from domain.provinces import NATIONWIDE
from domain.records import Attachment, Case
from domain.records import User as UserRecord
from storage.access import CasePage, list_visible_cases, visible_case, visible_snapshots
from storage.ack import steps_of
from storage.cases import assignees, audit_trail, deadlines_of, get_user, list_users, responses_of
from storage.corrections import watches_of_case
from storage.enrichments import get_story
from storage.explanations import get_explanation
from storage.outlets import outlet_by_id
from storage.publications import publications_of_case
from storage.statements import statements_for_stories
from storage.views.queue import story_copies
from storage.views.social_reaction import story_reaction
from storage.watch import changes_of, watches_of

router = APIRouter()
PAGE_SIZE = 50
StateFilter = Literal["mo", "tat-ca", "new", "assigned", "acknowledged", "responded", "closed", "dismissed"]
SHA256 = re.compile(r"[0-9a-f]{64}")


def _case(ctx: AppContext, me: Principal, case_id: int) -> Case:
    with ctx.database.session() as session:
        case = visible_case(session, case_id, scope=me.scope, user_id=me.user.id)
    if case is None:
        raise HTTPException(status_code=404)
    return case


def is_assignee(ctx: AppContext, me: Principal, case_id: int) -> bool:
    """Whether the case is assigned to this user (the central desk handles its cases as their focal point)."""
    with ctx.database.session() as session:
        return any(u.id == me.user.id for u in assignees(session, case_id))


def _allow(ctx: AppContext, me: Principal, case: Case, action: str) -> None:
    if not me.may(action) and not me.may(action, assigned=is_assignee(ctx, me, case.id)):
        raise HTTPException(
            status_code=403, detail=f"Vai trò của bạn không được thực hiện “{ACTION_VI[action].lower()}”."
        )


def cases_page(ctx: AppContext, me: Principal, *, page: int, state: StateFilter, priority: str) -> CasePage:
    """One page of the cases the user may see (the list page and the API): "mo" the open ones, "tat-ca" all."""
    states = OPEN_STATES if state == "mo" else None if state == "tat-ca" else (state,)
    with ctx.database.session() as session:
        return list_visible_cases(
            session,
            scope=me.scope,
            user_id=me.user.id,
            states=states,
            priority=priority or None,
            limit=PAGE_SIZE,
            offset=(page - 1) * PAGE_SIZE,
        )


@router.get("/ho-so")
def case_list(
    request: Request,
    ctx: Ctx,
    me: User,
    page: PageNo = 1,
    state: Annotated[StateFilter, Query(alias="trang_thai")] = "mo",
    priority: Annotated[Literal["", "P1", "P2", "P3"], Query(alias="uu_tien")] = "",
) -> Response:
    found = cases_page(ctx, me, page=page, state=state, priority=priority)
    return render(
        request,
        "cases.html",
        {
            "items": found.items,
            "total": found.total,
            "page": page,
            "pages": max(1, math.ceil(found.total / PAGE_SIZE)),
            "state": state,
            "priority": priority,
            "states": taxonomy().states,
        },
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Refused:
    """A form of the case page sent back: which, why, and what the user had typed (a browser cannot keep files)."""

    form: Literal["respond", "assign"]
    error: str
    kind: str = ""
    text: str = ""
    status: int = 400  # 413 for a file too large


def _focal_points(users: list[UserRecord], province: str) -> list[UserRecord]:
    """Every active focal point a case may be given to: the case's province first, then the central desk,
    then the other provinces."""
    rank = {province: 0, NATIONWIDE: 1}
    return sorted(users, key=lambda u: (rank.get(u.province or "", 2), u.province or "", u.name))


def _case_view(
    request: Request, ctx: AppContext, me: Principal, case_id: int, *, refused: Refused | None = None
) -> Response:
    with ctx.database.session() as session:
        case = visible_case(session, case_id, scope=me.scope, user_id=me.user.id)
        if case is None:
            raise HTTPException(status_code=404)
        copies = story_copies(session, case.story_id)
        story = get_story(session, case.story_id)
        why = get_explanation(session, story.first_article_id) if story is not None else None
        snapshots = (
            visible_snapshots(session, copies[0].article_id, scope=me.scope, user_id=me.user.id) if copies else []
        )
        handlers = assignees(session, case.id)
        watched = [c.article_id for c in copies]
        watches, changes = watches_of(session, watched), changes_of(session, watched)
        focal = _focal_points(list_users(session, role=Role.DAU_MOI), case.province)
        context = {
            "case": case,
            "copies": copies,
            "why": why,
            "snapshots": snapshots,
            "watches": watches,
            "changes": changes,
            "watch_names": {c.article_id: f"{c.outlet_name}: {c.title}" for c in copies},
            "deadlines": deadlines_of(session, case.id),
            "responses": responses_of(session, case.id),
            "reaction": story_reaction(session, case.story_id),
            "corrections": [
                (w, outlet.name if (outlet := outlet_by_id(session, w.outlet_id)) else "")
                for w in watches_of_case(session, case.id)
            ],
            "publications": publications_of_case(session, case.id),
            "may_publish": me.may("publish"),
            "statements": statements_for_stories(session, (case.story_id,)),
            "timeline": audit_trail(session, case.id),
            "assignees": handlers,
            "actions": me.case_actions(case, assigned=any(u.id == me.user.id for u in handlers)),
            "focal_points": focal,
            "max_upload_mb": ctx.web.max_upload_mb,
            "accepted_files": ACCEPTED_VI,
            "refused": refused,
            "ack_sla": sla(case, steps_of(session, case.id), ctx.escalation),
            "target_vi": TARGET_VI,
        }
    return render(request, "case.html", context, status=200 if refused is None else refused.status)


@router.get("/ho-so/{case_id}")
def case_page(request: Request, ctx: Ctx, me: User, case_id: Id) -> Response:
    return _case_view(request, ctx, me, case_id)


@router.post("/ho-so/{case_id}/xac-nhan")
def acknowledge(ctx: Ctx, me: Writer, case_id: Id) -> Response:
    case = _case(ctx, me, case_id)
    _allow(ctx, me, case, "acknowledge")
    with ctx.database.session() as session:
        workflow.acknowledge(session, case.id, actor=me.user.email, at=ctx.now())
    return redirect(f"/ho-so/{case.id}", "acknowledge")


@router.post("/ho-so/{case_id}/ket-luan")
def conclude(ctx: Ctx, me: Writer, case_id: Id) -> Response:
    case = _case(ctx, me, case_id)
    _allow(ctx, me, case, "conclude")
    with ctx.database.session() as session:
        workflow.conclude(
            session,
            case.id,
            policy=ctx.workflow.policy,
            calendar=ctx.workflow.calendar,
            actor=me.user.email,
            at=ctx.now(),
        )
    return redirect(f"/ho-so/{case.id}", "conclude")


@router.post("/ho-so/{case_id}/dong")
def close(ctx: Ctx, me: Writer, case_id: Id, note: Annotated[str, Form(max_length=2000)] = "") -> Response:
    case = _case(ctx, me, case_id)
    _allow(ctx, me, case, "close")
    with ctx.database.session() as session:
        workflow.close(session, case.id, actor=me.user.email, at=ctx.now(), note=note.strip() or None)
    return redirect(f"/ho-so/{case.id}", "close")


@router.post("/ho-so/{case_id}/loai")
def dismiss(ctx: Ctx, me: Writer, case_id: Id, reason: Annotated[str, Form(min_length=1, max_length=2000)]) -> Response:
    case = _case(ctx, me, case_id)
    _allow(ctx, me, case, "dismiss")
    with ctx.database.session() as session:
        workflow.dismiss(session, case.id, actor=me.user.email, at=ctx.now(), reason=reason)
    return redirect(f"/ho-so/{case.id}", "dismiss")


@router.post("/ho-so/{case_id}/giao")
def assign(
    request: Request,
    ctx: Ctx,
    me: Writer,
    case_id: Id,
    emails: Annotated[list[str] | None, Form(alias="assignees", max_length=20)] = None,
) -> Response:
    case = _case(ctx, me, case_id)
    _allow(ctx, me, case, "assign")
    if not emails:  # the same page, saying what is missing
        refused = Refused(form="assign", error="Hãy chọn ít nhất một đầu mối để giao hồ sơ.")
        return _case_view(request, ctx, me, case.id, refused=refused)
    with ctx.database.session() as session:
        users = []
        for email in emails:
            user = get_user(session, email[:254])
            if user is None or user.role != Role.DAU_MOI or not user.active:
                raise WorkflowError(f"không có đầu mối {email[:254]}")
            users.append(user)
        workflow.assign(session, case.id, users, actor=me.user.email, at=ctx.now())
    return redirect(f"/ho-so/{case.id}", "assign")


@router.post("/ho-so/{case_id}/phan-hoi")
def respond(
    request: Request,
    ctx: Ctx,
    me: Writer,
    case_id: Id,
    kind: Annotated[ResponseKind, Form()],
    text: Annotated[str, Form(min_length=1, max_length=20000)],
    files: Annotated[list[UploadFile] | None, File(alias="tep")] = None,
) -> Response:
    case = _case(ctx, me, case_id)
    _allow(ctx, me, case, "respond")
    if case.state not in workflow.TRANSITIONS["respond"][0]:  # refuse before any file is kept
        raise WorkflowError(
            f"Không thể {workflow.ACTION_VI['respond']} hồ sơ #{case.id} đang ở trạng thái “{state_vi(case.state)}”."
        )
    limit = ctx.web.max_upload_mb * 1024 * 1024
    uploads = []
    for upload in files or []:
        if not upload.filename:
            continue
        name = safe_filename(upload.filename)
        data = upload.file.read(limit + 1)
        too_large = len(data) > limit
        problem = (
            f"Tệp “{name}” quá lớn (tối đa {ctx.web.max_upload_mb} MB)."
            if too_large
            else attachment_problem(name, data)
        )
        if problem is not None:  # the same page, the form as it was typed: nothing is kept
            error = f"{problem} Phản hồi chưa được ghi nhận."
            refused = Refused(form="respond", error=error, kind=kind, text=text, status=413 if too_large else 400)
            return _case_view(request, ctx, me, case.id, refused=refused)
        uploads.append((name, data))
    stored = tuple(workflow.store_attachment_bytes(data, name, ctx.attachments_dir) for name, data in uploads)
    with ctx.database.session() as session:
        workflow.respond(session, case.id, kind=kind, text=text, actor=me.user.email, at=ctx.now(), attachments=stored)
    return redirect(f"/ho-so/{case.id}", "respond")


@router.get("/ho-so/{case_id}/tep/{sha256}")
def attachment(ctx: Ctx, me: User, case_id: Id, sha256: Annotated[str, Path(min_length=64, max_length=64)]) -> Response:
    case = _case(ctx, me, case_id)
    if not SHA256.fullmatch(sha256):
        raise HTTPException(status_code=404)
    with ctx.database.session() as session:
        found: Attachment | None = next(
            (a for r in responses_of(session, case.id) for a in r.attachments if a.sha256 == sha256), None
        )
    path = ctx.attachments_dir / sha256
    if found is None or not path.is_file():
        raise HTTPException(status_code=404)
    return FileResponse(
        path,
        media_type="application/octet-stream",
        headers={"content-disposition": content_disposition(found.name), "cache-control": "private, no-store"},
    )
