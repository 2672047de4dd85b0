"""The web app: `create_app(...)` builds it (nothing happens at import). Server-rendered pages in Vietnamese,
a small JSON API under /api/, every asset served from the package (no CDN, no external fonts; one small script,
the triage pages' keyboard shortcuts, and no other)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from pydantic import SecretStr
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import HTMLResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from alerts.ack_policy import EscalationPolicy, default_escalation
from alerts.cases import NotFoundError, WorkflowError
from alerts.triage import WorkflowConfig
from dashboards.dossier.printing import PdfPrinter
from dashboards.dossier.settings import DossierSettings
from dashboards.reports.settings import ReportSettings
from dashboards.settings import PortalSettings, WebSettings
from dashboards.web.context import AppContext, NotSignedIn, verify_csrf
from dashboards.web.errors import describe_validation
from dashboards.web.routes import (
    ack,
    api,
    articles,
    auth,
    cases,
    exports,
    incidents,
    labelling,
    pages,
    profiles,
    publication,
    queue,
    search,
    statements,
    trends,
    triage,
)
from dashboards.web.routes import dossier as dossier_route
from dashboards.web.routes import portal as portal_feed
from dashboards.web.routes import reports as reports_page
from dashboards.web.routes.common import PAGE_POLICY
from dashboards.web.security import SAFE_METHODS, Passwords, SessionCodec, Throttle, secret_key
from dashboards.web.templating import make_templates, render
from storage.engine import Database

log = logging.getLogger(__name__)

HEADERS = {
    "content-security-policy": PAGE_POLICY,
    "x-content-type-options": "nosniff",
    "x-frame-options": "SAMEORIGIN",
    "referrer-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
}
STATUS_VI = {
    400: "Yêu cầu không hợp lệ.",
    401: "Chưa đăng nhập.",
    403: "Bạn không có quyền thực hiện thao tác này.",
    404: "Không tìm thấy trang hoặc mục này (hoặc bạn không có quyền xem).",
    405: "Thao tác không được hỗ trợ ở địa chỉ này.",
    409: "Thao tác không thực hiện được ở trạng thái hiện tại.",
    413: "Dữ liệu gửi lên quá lớn.",
}


class Guard:
    """Security headers on every response (unless the route set its own policy), and a bound on request
    bodies: larger than `max_body` bytes → 413, no declared length → 411, before the app reads anything."""

    def __init__(self, app: ASGIApp, *, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["method"] not in SAFE_METHODS:
            headers = Headers(scope=scope)
            length = headers.get("content-length")
            refused: tuple[int, str] | None = None
            if length is None and headers.get("transfer-encoding"):
                refused = (411, "Yêu cầu cần ghi rõ độ dài dữ liệu.")
            elif length is not None and (not length.isdigit() or int(length) > self.max_body):
                refused = (413, f"Dữ liệu gửi lên quá lớn (tối đa {self.max_body // (1024 * 1024)} MB).")
            if refused is not None:
                page = f"<!doctype html><html lang='vi'><meta charset='utf-8'><title>Lỗi</title><p>{refused[1]}</p>"
                response = HTMLResponse(page, status_code=refused[0], headers={"connection": "close"})
                await response(scope, receive, self._with_headers(send))
                return
        await self.app(scope, receive, self._with_headers(send))

    @staticmethod
    def _with_headers(send: Send) -> Send:
        async def sender(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    if name not in headers:
                        headers[name] = value
                if "cache-control" not in headers:
                    headers["cache-control"] = "no-store"
            await send(message)

        return sender


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error(request: Request, status: int, message: str) -> Response:
    if _is_api(request):
        return JSONResponse({"detail": message}, status_code=status)
    return render(request, "error.html", {"status": status, "message": message}, status=status)


def _install_handlers(app: FastAPI) -> None:
    @app.exception_handler(NotSignedIn)
    async def _signed_out(request: Request, exc: NotSignedIn) -> Response:
        if _is_api(request):
            return JSONResponse({"detail": STATUS_VI[401]}, status_code=401)
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        query = f"?next={quote(target, safe='/')}" if request.method == "GET" and target != "/" else ""
        return RedirectResponse(f"/dang-nhap{query}", status_code=303)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        detail = exc.detail if isinstance(exc.detail, str) and not exc.detail.isascii() else None
        return _error(request, exc.status_code, detail or STATUS_VI.get(exc.status_code, "Đã có lỗi."))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        return _error(request, 422 if _is_api(request) else 400, describe_validation(exc))

    @app.exception_handler(Exception)
    async def _failed(request: Request, exc: Exception) -> Response:
        # Starlette logs the exception and its traceback after this answer; the user gets no technical detail.
        return _error(request, 500, "Đã có lỗi trong hệ thống; thao tác chưa được thực hiện. Vui lòng thử lại sau.")

    @app.exception_handler(WorkflowError)
    async def _refused(request: Request, exc: WorkflowError) -> Response:
        message = str(exc)
        return _error(request, 404 if isinstance(exc, NotFoundError) else 409, message[0].upper() + message[1:])


def create_app(
    *,
    web: WebSettings,
    workflow: WorkflowConfig,
    database: Database,
    data_dir: Path,
    now: Callable[[], dt.datetime],
    reports: ReportSettings | None = None,
    app_url: str | None = None,
    escalation: EscalationPolicy | None = None,
    portal: PortalSettings | None = None,
    dossier: DossierSettings | None = None,
) -> FastAPI:
    """The app on this database; `now` is the clock (tests pass their own). The acknowledgement links of the
    alerts are signed with the app's secret key unless `alerts.ack_link_key` is set. `portal`: the portal feed's
    keys (none: the feed answers 401 and says it is off)."""
    app = FastAPI(
        title="THADS Press Monitor – API",
        description="Dữ liệu hồ sơ xử lý thông tin báo chí, bài viết và xu hướng (đăng nhập như trên giao diện web).",
        version="1",
        openapi_url="/api/openapi.json",
        docs_url=None,
        redoc_url=None,
        dependencies=[Depends(verify_csrf)],
    )
    key = secret_key(web, data_dir)
    if not workflow.settings.ack_link_key.get_secret_value():
        signing = workflow.settings.model_copy(update={"ack_link_key": SecretStr(key.decode())})
        workflow = replace(workflow, settings=signing)
    app.state.ctx = AppContext(
        database=database,
        web=web,
        workflow=workflow,
        now=now,
        sessions=SessionCodec(key, lifetime_s=web.session_lifetime_h * 3600, secure=web.cookie_secure),
        passwords=Passwords(web),
        throttle=Throttle.from_settings(web),
        attachments_dir=data_dir / "tep-dinh-kem",
        templates=make_templates(),
        reports=reports or ReportSettings(),
        app_url=app_url,
        escalation=escalation or default_escalation(),
        portal=portal or PortalSettings(),
        printer=PdfPrinter(dossier or DossierSettings(), cache=data_dir / "ban-in-pdf"),
    )
    if not (app.state.ctx.portal.api_key.get_secret_value() or app.state.ctx.portal.url_key.get_secret_value()):
        log.info("portal feed off: neither portal.api_key nor portal.url_key is set (the feed answers 401)")
    for module in (
        ack,
        auth,
        pages,
        exports,
        queue,
        triage,
        labelling,
        cases,
        incidents,
        publication,
        statements,
        profiles,
        dossier_route,
        articles,
        search,
        trends,
        reports_page,
        portal_feed,
    ):
        app.include_router(module.router, include_in_schema=False)
    app.include_router(api.router)
    app.mount("/static", StaticFiles(packages=[("dashboards.web", "static")]), name="static")
    _install_handlers(app)
    app.add_middleware(Guard, max_body=(web.max_upload_mb + 1) * 1024 * 1024)
    return app
