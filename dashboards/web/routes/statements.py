"""The communications database (/thong-cao): the agency's own press releases, statements and documents, typed in
or uploaded (the attachments' kinds and limits are the case page's), linked to the stories they answer. Everyone
signed in reads them; the roles that act on cases (not leaders) add them, linking only stories they may see."""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, replace
from typing import Annotated

from fastapi import APIRouter, File, Form, HTTPException, Query, Request, UploadFile
from sqlalchemy.orm import Session
from starlette.responses import FileResponse, Response

from alerts.cases import store_attachment_bytes
from dashboards.web.context import AppContext, Ctx, User, Writer
from dashboards.web.filetypes import ACCEPTED_VI, attachment_problem
from dashboards.web.permissions import Principal
from dashboards.web.routes.common import Id, PageNo, redirect
from dashboards.web.templating import render
from dashboards.web.uploads import content_disposition, safe_filename
from domain.enums import StatementKind
from domain.labels import taxonomy
from domain.records import Statement
from storage.access import visible_case, visible_copies
from storage.cases import case_for_story
from storage.enrichments import get_story
from storage.statements import add_statement, get_statement, list_statements

router = APIRouter()
PAGE_SIZE = 30
MAX_STORIES = 20
_STORY_IDS = re.compile(r"[\s,;]+")


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryRef:
    """A linked story as a user may see it: its title and where to open it."""

    id: int
    title: str
    href: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Draft:
    """The form as the user typed it (sent back with the problem when it is refused)."""

    kind: str = StatementKind.THONG_CAO.value
    title: str = ""
    body: str = ""
    issued_on: str = ""
    issuing_unit: str = ""
    stories: str = ""
    error: str = ""


def story_refs(session: Session, me: Principal, story_ids: tuple[int, ...]) -> list[StoryRef]:
    """The linked stories the user may see (a focal point: those with a copy in their scope), with a link: the
    case when it has one, else the story (monitors) or its first visible copy."""
    refs = []
    for story_id in story_ids:
        story = get_story(session, story_id)
        copies = visible_copies(session, story_id, scope=me.scope, user_id=me.user.id)
        if story is None or not copies:
            continue
        case = case_for_story(session, story_id)
        if case is not None and visible_case(session, case.id, scope=me.scope, user_id=me.user.id) is not None:
            href = f"/ho-so/{case.id}"
        elif me.is_monitor:
            href = f"/phan-loai/{story_id}"
        else:
            href = f"/bai-viet/{copies[0].article_id}"
        refs.append(StoryRef(id=story_id, title=story.title, href=href))
    return refs


def _page(request: Request, ctx: AppContext, me: Principal, *, page: int, draft: Draft, status: int = 200) -> Response:
    with ctx.database.session() as session:
        items, total = list_statements(session, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
        links = {s.id: story_refs(session, me, s.story_ids) for s in items}
    return render(
        request,
        "statements.html",
        {
            "items": items,
            "links": links,
            "total": total,
            "page": page,
            "pages": max(1, math.ceil(total / PAGE_SIZE)),
            "draft": draft,
            "kinds": taxonomy().statements,
            "max_upload_mb": ctx.web.max_upload_mb,
            "accepted_files": ACCEPTED_VI,
            "may_add": not me.read_only,
        },
        status=status,
    )


@router.get("/thong-cao")
def statement_list(
    request: Request, ctx: Ctx, me: User, page: PageNo = 1, tin: Annotated[str, Query(max_length=200)] = ""
) -> Response:
    """The list, and the form to add one (`?tin=12` fills in the story it answers: the case page links so)."""
    return _page(request, ctx, me, page=page, draft=Draft(stories=tin))


def _story_ids(session: Session, me: Principal, typed: str) -> tuple[int, ...] | str:
    """The story numbers typed ("12, 15"), each one a story the user may see; else the problem, in Vietnamese."""
    parts = [p for p in _STORY_IDS.split(typed.strip()) if p]
    ids: list[int] = []
    for part in parts:
        number = part.removeprefix("#")
        if not number.isdigit() or not 1 <= int(number) <= 2**53:
            return f"“{part[:20]}” không phải số tin (ví dụ: 12, 15)."
        ids.append(int(number))
    if not ids:
        return "Hãy ghi số của ít nhất một tin mà văn bản này trả lời (ví dụ: 12, 15)."
    if len(ids) > MAX_STORIES:
        return f"Một văn bản gắn với tối đa {MAX_STORIES} tin."
    for story_id in ids:
        if get_story(session, story_id) is None or not visible_copies(
            session, story_id, scope=me.scope, user_id=me.user.id
        ):
            return f"Không có tin #{story_id} (hoặc bạn không có quyền xem tin này)."
    return tuple(dict.fromkeys(ids))


@router.post("/thong-cao")
def add(
    request: Request,
    ctx: Ctx,
    me: Writer,
    kind: Annotated[StatementKind, Form()],
    title: Annotated[str, Form(min_length=1, max_length=500)],
    issued_on: Annotated[str, Form(alias="ngay", max_length=20)],
    issuing_unit: Annotated[str, Form(alias="don_vi", min_length=1, max_length=300)],
    body: Annotated[str, Form(max_length=100000)] = "",  # an empty textarea: with a file, that is fine
    stories: Annotated[str, Form(alias="tin", max_length=500)] = "",
    file: Annotated[UploadFile | None, File(alias="tep")] = None,
) -> Response:
    draft = Draft(kind=kind, title=title, body=body, issued_on=issued_on, issuing_unit=issuing_unit, stories=stories)

    def refuse(problem: str, status: int = 400) -> Response:
        error = f"{problem} Văn bản chưa được lưu."
        return _page(request, ctx, me, page=1, draft=replace(draft, error=error), status=status)

    try:
        day = dt.date.fromisoformat(issued_on.strip())
    except ValueError:
        return refuse(f"“{issued_on[:20]}” không phải ngày hợp lệ cho ngày ban hành (yyyy-mm-dd).")
    if not body.strip() and (file is None or not file.filename):
        return refuse("Hãy nhập nội dung văn bản hoặc tải lên tệp văn bản.")
    with ctx.database.session() as session:
        found = _story_ids(session, me, stories)
    if isinstance(found, str):
        return refuse(found)
    attachment = None
    if file is not None and file.filename:
        limit = ctx.web.max_upload_mb * 1024 * 1024
        name, data = safe_filename(file.filename), file.file.read(limit + 1)
        if len(data) > limit:
            return refuse(f"Tệp “{name}” quá lớn (tối đa {ctx.web.max_upload_mb} MB).", 413)
        problem = attachment_problem(name, data)
        if problem is not None:
            return refuse(problem)
        attachment = store_attachment_bytes(data, name, ctx.attachments_dir)
    statement = Statement(
        kind=kind,
        title=title.strip(),
        body=body.strip(),
        issued_on=day,
        issuing_unit=issuing_unit.strip(),
        created_by=me.user.email,
        created_at=ctx.now(),
        story_ids=found,
        attachment=attachment,
    )
    with ctx.database.session() as session:
        stored = add_statement(session, statement)
    return redirect(f"/thong-cao/{stored.id}", "thong-cao")


@router.get("/thong-cao/{statement_id}")
def statement_page(request: Request, ctx: Ctx, me: User, statement_id: Id) -> Response:
    with ctx.database.session() as session:
        statement = get_statement(session, statement_id)
        if statement is None:
            raise HTTPException(status_code=404)
        refs = story_refs(session, me, statement.story_ids)
    return render(request, "statement.html", {"s": statement, "stories": refs})


@router.get("/thong-cao/{statement_id}/tep")
def statement_file(ctx: Ctx, me: User, statement_id: Id) -> Response:
    with ctx.database.session() as session:
        statement = get_statement(session, statement_id)
    found = statement.attachment if statement is not None else None
    path = ctx.attachments_dir / found.sha256 if found is not None else None
    if found is None or path is None or not path.is_file():
        raise HTTPException(status_code=404)
    return FileResponse(
        path,
        media_type="application/octet-stream",
        headers={"content-disposition": content_disposition(found.name), "cache-control": "private, no-store"},
    )
