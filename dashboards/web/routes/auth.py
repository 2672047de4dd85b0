"""Sign-in and sign-out. Wrong passwords are throttled per account and per address; every attempt costs one
argon2 verification whether the account exists, has a password or is locked."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from starlette.responses import Response

from alerts.messages import when
from dashboards.web.context import Ctx, session_of
from dashboards.web.routes.common import redirect, safe_next
from dashboards.web.security import MAX_PASSWORD, new_session
from dashboards.web.templating import render
from storage.accounts import credentials, prune_logins, record_login, set_password_hash
from storage.sessions import end_session, open_session, prune_sessions

router = APIRouter()
WRONG = "Sai thư điện tử hoặc mật khẩu."
KEEP_ATTEMPTS = dt.timedelta(days=30)  # the attempt log is kept this long (for review), then forgotten


def _form(
    request: Request, ctx: Ctx, *, next_path: str, email: str = "", error: str | None = None, status: int = 200
) -> Response:
    """The sign-in form; a visitor without a session gets one (for its CSRF token)."""
    fresh = None
    if session_of(request) is None:
        fresh = new_session()
        request.state.session = fresh
    response = render(request, "login.html", {"next": next_path, "email": email, "error": error}, status=status)
    if fresh is not None:
        ctx.sessions.issue(response, fresh)
    return response


@router.get("/dang-nhap")
def login_form(
    request: Request, ctx: Ctx, next_path: Annotated[str, Query(alias="next", max_length=500)] = "/"
) -> Response:
    return _form(request, ctx, next_path=safe_next(next_path))


@router.post("/dang-nhap")
def login(
    request: Request,
    ctx: Ctx,
    email: Annotated[str, Form(max_length=254)],
    password: Annotated[str, Form(max_length=MAX_PASSWORD)],
    next_path: Annotated[str, Form(alias="next", max_length=500)] = "/",
) -> Response:
    now = ctx.now()
    ip = request.client.host if request.client else "không rõ"
    email = email.strip().lower()
    with ctx.database.session() as session:
        until = ctx.throttle.locked_until(session, email=email, ip=ip, now=now)
        found = credentials(session, email) if until is None else None
    if until is not None:
        ctx.passwords.verify(None, password)  # as long as a real attempt, and not recorded: the lock does not grow
        message = f"Đăng nhập tạm bị khóa vì nhập sai mật khẩu nhiều lần. Vui lòng thử lại sau {when(until)}."
        return _form(request, ctx, next_path=safe_next(next_path), email=email, error=message, status=429)
    stored = found.password_hash if found is not None else None
    ok = ctx.passwords.verify(stored, password)
    fresh = None
    with ctx.database.session() as session:
        record_login(session, email=email, ip=ip, at=now, ok=ok)
        if ok and found is not None and found.user.id is not None:
            if stored is not None and ctx.passwords.needs_rehash(stored):
                stored = ctx.passwords.hash(password)
                set_password_hash(session, email, stored)
            prune_logins(session, before=now - KEEP_ATTEMPTS)
            prune_sessions(session, before=now)
            fresh = new_session(found.user.id, stored)  # new tokens: no session fixation
            lifetime = dt.timedelta(seconds=ctx.sessions.lifetime_s)
            open_session(session, token=fresh.token, user_id=found.user.id, at=now, expires_at=now + lifetime)
    if fresh is None:
        return _form(request, ctx, next_path=safe_next(next_path), email=email, error=WRONG, status=401)
    response = redirect(safe_next(next_path))
    ctx.sessions.issue(response, fresh)
    return response


@router.post("/dang-xuat")
def logout(request: Request, ctx: Ctx) -> Response:
    """Ends the session on the server too: a copy of the cookie kept elsewhere no longer signs anyone in."""
    data = session_of(request)
    if data is not None and data.token:
        with ctx.database.session() as session:
            end_session(session, data.token, at=ctx.now())
    response = redirect("/dang-nhap", "dang-xuat")
    ctx.sessions.clear(response)
    return response
