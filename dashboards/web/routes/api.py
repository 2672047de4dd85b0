"""The JSON API (/api/...): cases, article search, trends, and case actions. Same sign-in (the session cookie),
same province scope, CSRF token in the X-CSRF-Token header on every unsafe method. Schema: /api/openapi.json,
documentation: /api/docs."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query
from pydantic import BaseModel, Field

from alerts import cases as workflow
from dashboards import labels
from dashboards.web.context import Ctx, User, Writer
from dashboards.web.routes.cases import StateFilter, cases_page, is_assignee
from dashboards.web.routes.common import Id, PageNo
from dashboards.web.routes.search import read_filters, run_search
from dashboards.web.routes.trends import Days, period
from domain.labels import province_vi, state_vi
from domain.records import Case
from storage.access import CaseSummary, visible_case
from storage.cases import audit_trail, deadlines_of, responses_of
from storage.views.queue import story_copies
from storage.views.stats import per_day, top_outlets, totals

router = APIRouter(prefix="/api", tags=["API"])
PAGE_SIZE = 50


class CaseOut(BaseModel):
    id: int
    title: str
    priority: str
    state: str
    state_vi: str
    province: str
    received_at: dt.datetime
    updated_at: dt.datetime
    next_due_at: dt.datetime | None = None
    assignees: list[str] = []
    url: str


class CasesOut(BaseModel):
    total: int
    items: list[CaseOut]


class DeadlineOut(BaseModel):
    kind: str
    kind_vi: str
    due_at: dt.datetime
    basis: str
    internal: bool
    status: str


class AttachmentOut(BaseModel):
    name: str
    sha256: str
    size: int
    url: str


class ResponseOut(BaseModel):
    kind: str
    text: str
    by: str
    at: dt.datetime
    attachments: list[AttachmentOut]


class EventOut(BaseModel):
    at: dt.datetime
    actor: str
    action: str
    from_state: str | None
    to_state: str | None
    note: str | None


class CopyOut(BaseModel):
    article_id: int
    title: str
    url: str
    outlet: str
    at: dt.datetime


class CaseDetailOut(CaseOut):
    reason: str | None
    policy_version: str
    deadlines: list[DeadlineOut]
    responses: list[ResponseOut]
    timeline: list[EventOut]
    articles: list[CopyOut]


class ActionIn(BaseModel):
    action: Literal["acknowledge", "close", "dismiss"] = Field(description="acknowledge | close | dismiss")
    note: str = Field(default="", max_length=2000, description="Ghi chú; lý do (bắt buộc khi loại hồ sơ).")


class HitOut(BaseModel):
    article_id: int
    title: str
    url: str
    outlet: str
    at: dt.datetime
    topic: str | None
    sentiment: str | None
    province: str | None
    case_id: int | None
    priority: str | None
    snippet: str
    marks: list[tuple[int, int]]


class SearchOut(BaseModel):
    total: int
    hits: list[HitOut]


class DayCountOut(BaseModel):
    day: dt.date
    key: str | None
    count: int


class KeyCountOut(BaseModel):
    key: str | None
    name: str
    count: int
    negative: int


class TrendsOut(BaseModel):
    start: dt.datetime
    end: dt.datetime
    per_day_topic: list[DayCountOut]
    per_day_sentiment: list[DayCountOut]
    provinces: list[KeyCountOut]
    outlets: list[KeyCountOut]


def _case_out(case: Case, summary: CaseSummary | None = None) -> CaseOut:
    return CaseOut(
        id=case.id,
        title=case.title,
        priority=case.priority,
        state=case.state,
        state_vi=state_vi(case.state),
        province=case.province,
        received_at=case.received_at,
        updated_at=case.updated_at,
        next_due_at=summary.next_due_at if summary else None,
        assignees=list(summary.assignees) if summary else [],
        url=f"/ho-so/{case.id}",
    )


@router.get("/ho-so", summary="Danh sách hồ sơ (trong phạm vi của người dùng)")
def cases(
    ctx: Ctx,
    me: User,
    page: PageNo = 1,
    state: Annotated[StateFilter, Query(alias="trang_thai")] = "mo",
    priority: Annotated[Literal["", "P1", "P2", "P3"], Query(alias="uu_tien")] = "",
) -> CasesOut:
    found = cases_page(ctx, me, page=page, state=state, priority=priority)
    return CasesOut(total=found.total, items=[_case_out(s.case, s) for s in found.items])


@router.get("/ho-so/{case_id}", summary="Chi tiết hồ sơ: thời hạn, phản hồi, lịch sử, bài viết")
def case_detail(ctx: Ctx, me: User, case_id: Id) -> CaseDetailOut:
    with ctx.database.session() as session:
        case = visible_case(session, case_id, scope=me.scope, user_id=me.user.id)
        if case is None:
            raise HTTPException(status_code=404)
        deadlines, responses = deadlines_of(session, case.id), responses_of(session, case.id)
        timeline, copies = audit_trail(session, case.id), story_copies(session, case.story_id)
    return CaseDetailOut(
        **_case_out(case).model_dump(),
        reason=case.reason,
        policy_version=case.policy_version,
        deadlines=[
            DeadlineOut(
                kind=d.kind,
                kind_vi=labels.deadline_kind_vi(d.kind),
                due_at=d.due_at,
                basis=d.basis,
                internal=d.internal,
                status=d.status,
            )
            for d in deadlines
        ],
        responses=[
            ResponseOut(
                kind=r.kind,
                text=r.text,
                by=r.by,
                at=r.at,
                attachments=[
                    AttachmentOut(name=a.name, sha256=a.sha256, size=a.size, url=f"/ho-so/{case.id}/tep/{a.sha256}")
                    for a in r.attachments
                ],
            )
            for r in responses
        ],
        timeline=[
            EventOut(at=e.at, actor=e.actor, action=e.action, from_state=e.from_state, to_state=e.to_state, note=e.note)
            for e in timeline
        ],
        articles=[
            CopyOut(article_id=c.article_id, title=c.title, url=c.url, outlet=c.outlet_name, at=c.at) for c in copies
        ],
    )


@router.post("/ho-so/{case_id}/hanh-dong", summary="Xác nhận đã nhận, đóng hoặc loại hồ sơ")
def case_action(ctx: Ctx, me: Writer, case_id: Id, body: ActionIn) -> CaseOut:
    with ctx.database.session() as session:
        case = visible_case(session, case_id, scope=me.scope, user_id=me.user.id)
    if case is None:
        raise HTTPException(status_code=404)
    if not me.may(body.action) and not me.may(body.action, assigned=is_assignee(ctx, me, case.id)):
        raise HTTPException(status_code=403, detail="Vai trò của bạn không được thực hiện thao tác này.")
    at = ctx.now()
    with ctx.database.session() as session:
        if body.action == "acknowledge":
            changed = workflow.acknowledge(session, case.id, actor=me.user.email, at=at)
        elif body.action == "close":
            changed = workflow.close(session, case.id, actor=me.user.email, at=at, note=body.note.strip() or None)
        else:
            changed = workflow.dismiss(session, case.id, actor=me.user.email, at=at, reason=body.note)
    return _case_out(changed)


@router.get("/bai-viet", summary="Tìm bài viết (không phân biệt dấu) với bộ lọc")
def articles(
    ctx: Ctx,
    me: User,
    q: Annotated[str, Query(max_length=200)] = "",
    start: Annotated[str, Query(alias="tu", max_length=20, description="yyyy-mm-dd")] = "",
    end: Annotated[str, Query(alias="den", max_length=20, description="yyyy-mm-dd")] = "",
    outlet: Annotated[str, Query(alias="bao", max_length=20, description="số của cơ quan báo chí")] = "",
    topic: Annotated[str, Query(alias="chu_de", max_length=64)] = "",
    sentiment: Annotated[str, Query(alias="sac_thai", max_length=64)] = "",
    province: Annotated[str, Query(alias="tinh", max_length=64)] = "",
    priority: Annotated[Literal["", "P1", "P2", "P3"], Query(alias="uu_tien")] = "",
    page: PageNo = 1,
) -> SearchOut:
    filters = read_filters(q, start, end, outlet, topic, sentiment, province, priority, False)
    result = run_search(ctx.database, me, filters, page=page, size=PAGE_SIZE)
    return SearchOut(
        total=result.total,
        hits=[
            HitOut(
                article_id=h.article_id,
                title=h.title,
                url=h.url,
                outlet=h.outlet_name,
                at=h.at,
                topic=h.topic,
                sentiment=h.sentiment,
                province=h.province,
                case_id=h.case_id,
                priority=h.priority,
                snippet=h.snippet,
                marks=list(h.marks),
            )
            for h in result.hits
        ],
    )


@router.get("/xu-huong", summary="Số tin liên quan theo ngày, chủ đề, sắc thái, tỉnh/thành, cơ quan báo chí")
def trends(ctx: Ctx, me: User, days: Days = 30) -> TrendsOut:
    span = period(ctx.now(), days)
    scope = me.scope
    with ctx.database.session() as session:
        topic = per_day(session, start=span.start, end=span.end, by="topic", province=scope)
        tone = per_day(session, start=span.start, end=span.end, by="sentiment", province=scope)
        provinces = totals(session, start=span.start, end=span.end, by="province", province=scope)
        outlets = top_outlets(session, start=span.start, end=span.end, province=scope)
    return TrendsOut(
        start=span.start,
        end=span.end,
        per_day_topic=[DayCountOut(day=c.day, key=c.key, count=c.count) for c in topic],
        per_day_sentiment=[DayCountOut(day=c.day, key=c.key, count=c.count) for c in tone],
        provinces=[
            KeyCountOut(key=p.key, name=province_vi(p.key), count=p.count, negative=p.negative) for p in provinces
        ],
        outlets=[KeyCountOut(key=o.slug, name=o.name, count=o.count, negative=o.negative) for o in outlets],
    )
