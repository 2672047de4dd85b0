"""One-click acknowledgement of an urgent case from its alert: /xac-nhan/<token>.

GET shows what the link acknowledges and a button (a mail client's link preview must not acknowledge anything);
POST acknowledges. Signed out: the sign-in form, then back here (`next=`). The link must be genuine, unexpired,
unused, sent to the signed-in user, and that user must be allowed to acknowledge the case; otherwise a page says
which of these failed."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Request
from starlette.responses import Response

from alerts import ack_links
from alerts import cases as workflow
from alerts.ack_links import AckClaim, TokenError
from alerts.messages import when_short
from dashboards.web.context import AppContext, Ctx, User, Writer
from dashboards.web.permissions import Principal
from dashboards.web.routes.cases import is_assignee
from dashboards.web.routes.common import redirect
from dashboards.web.templating import render
from domain.enums import CaseState
from domain.labels import state_vi
from domain.records import Case
from storage.access import visible_case
from storage.ack import token_used, use_token

router = APIRouter()
VIA_LINK = "qua liên kết xác nhận trong thư cảnh báo khẩn"
Token = Annotated[str, Path(min_length=10, max_length=ack_links.MAX_TOKEN)]


class LinkRefused(Exception):
    """The link cannot be used by this user now; `status` and the Vietnamese reason."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _claim(ctx: AppContext, token: str) -> AckClaim:
    key = ctx.workflow.settings.ack_link_key.get_secret_value().encode()
    try:
        return ack_links.read(key, token, now=ctx.now(), valid=ctx.escalation.link_valid)
    except TokenError as exc:
        raise LinkRefused(400, str(exc)) from exc


def _check(ctx: AppContext, me: Principal, token: str) -> tuple[AckClaim, Case]:
    """The claim and its case, if this user may use the link now."""
    claim = _claim(ctx, token)
    if claim.user_id != me.user.id:
        raise LinkRefused(
            403,
            "Liên kết xác nhận này được gửi cho một người dùng khác. Hãy đăng nhập bằng tài khoản đã nhận thư, "
            "hoặc mở hồ sơ để xác nhận.",
        )
    with ctx.database.session() as session:
        used = token_used(session, claim.nonce)
        case = visible_case(session, claim.case_id, scope=me.scope, user_id=me.user.id)
    if used is not None:
        raise LinkRefused(
            410, f"Liên kết xác nhận này đã được dùng lúc {when_short(used)}; mỗi liên kết chỉ dùng một lần."
        )
    if case is None:
        raise HTTPException(status_code=404)
    if not me.may("acknowledge", assigned=is_assignee(ctx, me, case.id)):
        raise LinkRefused(403, "Vai trò của bạn không được xác nhận hồ sơ này.")
    if case.state != CaseState.ASSIGNED:
        raise LinkRefused(
            409,
            f"Hồ sơ #{case.id} đang ở trạng thái “{state_vi(case.state)}”, không cần hoặc không thể xác nhận nữa.",
        )
    return claim, case


def _refused(request: Request, refused: LinkRefused) -> Response:
    return render(request, "ack.html", {"case": None, "token": "", "error": refused.message}, status=refused.status)


@router.get("/xac-nhan/{token}")
def confirm_page(request: Request, ctx: Ctx, me: User, token: Token) -> Response:
    try:
        _, case = _check(ctx, me, token)
    except LinkRefused as refused:
        return _refused(request, refused)
    return render(request, "ack.html", {"case": case, "token": token, "error": None})


@router.post("/xac-nhan/{token}")
def acknowledge(request: Request, ctx: Ctx, me: Writer, token: Token) -> Response:
    try:
        claim, case = _check(ctx, me, token)
        assert me.user.id is not None
        with ctx.database.session() as session:
            now = ctx.now()
            # The case row is locked first (as every action on it), so that two uses of the link run one after the
            # other; the second finds the link used (the nonce is the key of ack_token_use).
            workflow.acknowledge(session, case.id, actor=me.user.email, at=now, note=VIA_LINK)
            if not use_token(session, nonce=claim.nonce, case_id=case.id, user_id=me.user.id, at=now):
                raise LinkRefused(410, "Liên kết xác nhận này đã được dùng; mỗi liên kết chỉ dùng một lần.")
    except LinkRefused as refused:
        return _refused(request, refused)
    return redirect(f"/ho-so/{case.id}", "acknowledge")
