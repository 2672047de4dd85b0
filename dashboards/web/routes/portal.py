"""The portal feed (/cong-thong-tin/phan-hoi.atom and .json): the published responses for the THADS portal's
press section, read by its importer with the API key or a signed URL (`dashboards.web.portal_access`), never with
a session. Refused: 401 with a Vietnamese sentence (JSON `{"detail": …}` for .json, plain text for .atom)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from dashboards.web.context import AppContext, Ctx
from dashboards.web.portal_access import KEY_HEADER, refusal
from dashboards.web.portal_feed import ATOM_TYPE, build_atom, build_json, decode_cursor
from storage.views.portal import portal_entries, withdrawn_since

router = APIRouter()
ATOM_PATH = "/cong-thong-tin/phan-hoi.atom"
JSON_PATH = "/cong-thong-tin/phan-hoi.json"
BAD_CURSOR = "Tham số cursor không hợp lệ: hãy dùng đúng giá trị next_cursor của trang trước."
BAD_SINCE = "Tham số since phải là thời điểm ISO 8601 có múi giờ, ví dụ 2026-12-01T00:00:00Z."
HEADERS = {"cache-control": "no-store", "vary": "X-API-Key"}


def _refused(ctx: AppContext, request: Request, path: str) -> str | None:
    return refusal(
        ctx.portal,
        path=path,
        header_key=request.headers.get(KEY_HEADER),
        query=dict(request.query_params),
        now=ctx.now(),
    )


def _self_url(ctx: AppContext, request: Request, path: str) -> str:
    """The feed's address without credentials (the app's address if configured, else the one asked)."""
    base = (ctx.app_url or str(request.base_url)).rstrip("/")
    return base + path


@router.get(ATOM_PATH)
def atom_feed(request: Request, ctx: Ctx) -> Response:
    problem = _refused(ctx, request, ATOM_PATH)
    if problem is not None:
        return PlainTextResponse(problem, status_code=401, headers={"www-authenticate": "X-API-Key", **HEADERS})
    with ctx.database.session() as session:
        entries = portal_entries(session, limit=ctx.portal.feed_entries)
    body = build_atom(ctx.portal, entries, self_url=_self_url(ctx, request, ATOM_PATH), now=ctx.now())
    return Response(body, media_type=ATOM_TYPE, headers=HEADERS)


@router.get(JSON_PATH)
def json_feed(
    request: Request,
    ctx: Ctx,
    since: Annotated[str, Query(max_length=40)] = "",
    cursor: Annotated[str, Query(max_length=200)] = "",
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> Response:
    problem = _refused(ctx, request, JSON_PATH)
    if problem is not None:
        return JSONResponse({"detail": problem}, status_code=401, headers={"www-authenticate": "X-API-Key", **HEADERS})
    after = decode_cursor(cursor) if cursor else None
    if cursor and after is None:
        return JSONResponse({"detail": BAD_CURSOR}, status_code=400, headers=HEADERS)
    start = None
    if since:
        try:
            start = dt.datetime.fromisoformat(since)
        except ValueError:
            start = None
        if start is None or start.tzinfo is None:
            return JSONResponse({"detail": BAD_SINCE}, status_code=400, headers=HEADERS)
    size = min(limit, ctx.portal.page_size)
    with ctx.database.session() as session:
        entries = portal_entries(session, limit=size + 1, since=start, after=after)
        gone = withdrawn_since(session, start) if start is not None and after is None else []
    document = build_json(
        ctx.portal,
        entries[:size],
        self_url=_self_url(ctx, request, JSON_PATH),
        more=len(entries) > size,
        now=ctx.now(),
        withdrawn=gone,
    )
    return JSONResponse(document, headers=HEADERS)
