"""Publishing a case's response on the portal feed, and withdrawing it (/ho-so/{case}/phan-hoi/{response}/dang,
/go): the central desk's (admins and monitors), on the cases they see; each is in the case's audit trail."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException
from starlette.responses import Response

from alerts import publication
from dashboards.web.context import Ctx, Writer
from dashboards.web.routes.common import Id, redirect
from storage.access import visible_case

router = APIRouter()
REFUSED = "Chỉ bộ phận theo dõi báo chí (giám sát) và quản trị viên được đăng phản hồi lên Cổng thông tin."


def _check(ctx: Ctx, me: Writer, case_id: int) -> None:
    with ctx.database.session() as session:
        case = visible_case(session, case_id, scope=me.scope, user_id=me.user.id)
    if case is None:
        raise HTTPException(status_code=404)
    if not me.may("publish"):
        raise HTTPException(status_code=403, detail=REFUSED)


@router.post("/ho-so/{case_id}/phan-hoi/{response_id}/dang")
def publish(
    ctx: Ctx,
    me: Writer,
    case_id: Id,
    response_id: Id,
    title: Annotated[str, Form(min_length=1, max_length=publication.MAX_TITLE)],
    text: Annotated[str, Form(max_length=publication.MAX_TEXT)] = "",
) -> Response:
    _check(ctx, me, case_id)
    with ctx.database.session() as session:
        publication.publish(session, case_id, response_id, title=title, text=text, actor=me.user.email, at=ctx.now())
    return redirect(f"/ho-so/{case_id}", "dang-cong")


@router.post("/ho-so/{case_id}/phan-hoi/{response_id}/go")
def withdraw(
    ctx: Ctx, me: Writer, case_id: Id, response_id: Id, reason: Annotated[str, Form(max_length=2000)] = ""
) -> Response:
    _check(ctx, me, case_id)
    with ctx.database.session() as session:
        publication.withdraw(session, case_id, response_id, actor=me.user.email, at=ctx.now(), reason=reason)
    return redirect(f"/ho-so/{case_id}", "go-cong")
