"""What every request handler needs: the app's context, the session, the signed-in user, CSRF checking."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from starlette.templating import Jinja2Templates

from alerts.ack_policy import EscalationPolicy
from alerts.triage import WorkflowConfig
from dashboards.dossier.printing import PdfPrinter
from dashboards.reports.settings import ReportSettings
from dashboards.settings import PortalSettings, WebSettings
from dashboards.web.permissions import Principal
from dashboards.web.security import (
    CSRF_FIELD,
    CSRF_HEADER,
    SAFE_METHODS,
    Passwords,
    SessionCodec,
    SessionData,
    Throttle,
    fingerprint,
    tokens_match,
)
from storage.engine import Database
from storage.sessions import session_credentials

CSRF_REFUSED = "Yêu cầu bị từ chối: thiếu hoặc sai mã xác thực biểu mẫu (CSRF). Hãy tải lại trang rồi thử lại."
FORM_LIMITS = {"max_files": 10, "max_fields": 200, "max_part_size": 1024 * 1024}


@dataclass(frozen=True, slots=True, kw_only=True)
class AppContext:
    database: Database
    web: WebSettings
    workflow: WorkflowConfig
    now: Callable[[], dt.datetime]
    sessions: SessionCodec
    passwords: Passwords
    throttle: Throttle
    attachments_dir: Path
    templates: Jinja2Templates
    reports: ReportSettings
    app_url: str | None  # where links in reports point (the address users reach the app at)
    escalation: EscalationPolicy  # the acknowledgement chain of urgent cases (shown on the case page)
    portal: PortalSettings  # the portal feed and its keys
    printer: PdfPrinter  # the PDF renderings of evidence dossiers


class NotSignedIn(Exception):
    """No valid session: pages redirect to the sign-in form, the API answers 401."""


def ctx_of(request: Request) -> AppContext:
    ctx = request.app.state.ctx
    assert isinstance(ctx, AppContext)
    return ctx


def session_of(request: Request) -> SessionData | None:
    """The request's session (read once per request)."""
    if not hasattr(request.state, "session"):
        request.state.session = ctx_of(request).sessions.load(request)
    data = request.state.session
    return data if isinstance(data, SessionData) else None


async def verify_csrf(request: Request) -> None:
    """Every state-changing request carries the session's token: header X-CSRF-Token (API) or form field."""
    if request.method in SAFE_METHODS:
        return
    data = session_of(request)
    given = request.headers.get(CSRF_HEADER)
    if given is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        try:
            form = await request.form(**FORM_LIMITS)  # parsed once: the handler reads the same form
        except HTTPException as exc:  # Starlette's message is English and technical
            raise HTTPException(
                status_code=400, detail="Biểu mẫu không đọc được (quá nhiều trường hoặc quá lớn)."
            ) from exc
        value = form.get(CSRF_FIELD)
        given = value if isinstance(value, str) else None
    if data is None or not tokens_match(data.csrf, given):
        raise HTTPException(status_code=403, detail=CSRF_REFUSED)


def current_principal(request: Request) -> Principal:
    """The signed-in user, checked against the server-side session on every request: a session that was ended
    (sign-out, "sign out everywhere") or expired, or whose user is gone, inactive or changed password, is no
    sign-in."""
    if hasattr(request.state, "principal"):
        principal = request.state.principal
        assert isinstance(principal, Principal)
        return principal
    data = session_of(request)
    if data is None or data.user_id is None or not data.token:
        raise NotSignedIn
    ctx = ctx_of(request)
    with ctx.database.session() as session:
        found = session_credentials(session, data.token, now=ctx.now())
    if (
        found is None
        or found.user.id != data.user_id
        or not found.password_hash
        or fingerprint(found.password_hash) != data.fingerprint
    ):
        raise NotSignedIn
    principal = Principal(user=found.user, csrf=data.csrf)
    request.state.principal = principal
    return principal


def monitor_principal(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
    if not principal.is_monitor:
        raise HTTPException(status_code=403, detail="Chỉ cán bộ giám sát và quản trị được dùng chức năng này.")
    return principal


def writer_principal(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
    if principal.read_only:
        raise HTTPException(status_code=403, detail="Tài khoản lãnh đạo chỉ được xem, không thao tác.")
    return principal


Ctx = Annotated[AppContext, Depends(ctx_of)]
User = Annotated[Principal, Depends(current_principal)]
Monitor = Annotated[Principal, Depends(monitor_principal)]
Writer = Annotated[Principal, Depends(writer_principal)]
