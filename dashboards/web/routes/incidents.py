"""Communication incidents (/su-co, sự cố truyền thông): the list, the declaration form (prefilled with the stories
chosen in the triage queue, on a story or case page, or a spike alert's), the incident page with its timeline,
and the actions and closing. The rules are `alerts.incidents`; an incident outside the reader's province is not
found."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import APIRouter, Form, HTTPException, Query, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from alerts import incidents as workflow
from alerts.incidents import may_manage
from dashboards.web.context import Ctx, User
from dashboards.web.permissions import Principal
from dashboards.web.routes.common import MAX_ID, Id, redirect
from dashboards.web.templating import render
from domain.enums import IncidentActionKind, IncidentSeverity, IncidentState
from domain.labels import taxonomy
from domain.records import Case, Story
from storage.cases import case_for_story, list_users
from storage.enrichments import get_story
from storage.incidents import get_incident, incident_provinces, list_incidents, spike_choices
from storage.views.incident_timeline import incident_timeline

router = APIRouter()
SPIKES_SHOWN = dt.timedelta(days=7)  # the spike alerts the list offers to declare an incident from
MAX_CHOSEN = workflow.MAX_STORIES
Text = Annotated[str, Form(max_length=20000)]
StateFilter = Literal["", "open", "closed"]


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryLine:
    story: Story
    case: Case | None


def _manager(me: Principal) -> None:
    if not me.manages_incidents:
        raise HTTPException(
            status_code=403,
            detail="Chỉ cán bộ giám sát, văn phòng Cục và quản trị được lập và xử lý sự cố truyền thông.",
        )


def _story_lines(session: Session, story_ids: tuple[int, ...]) -> list[StoryLine]:
    lines = []
    for story_id in story_ids:
        story = get_story(session, story_id)
        if story is not None:
            lines.append(StoryLine(story=story, case=case_for_story(session, story_id)))
    return lines


def _ids(values: list[int] | None, extra: str = "") -> tuple[int, ...]:
    """Chosen story ids (checkboxes) and any typed in ("12, 15 18"), in the order given, once each."""
    typed = []
    for part in extra.replace(",", " ").split():
        if not part.isdigit() or not 1 <= int(part) <= MAX_ID:
            raise HTTPException(status_code=400, detail=f"“{part}” không phải số tin hợp lệ.")
        typed.append(int(part))
    if any(not 1 <= i <= MAX_ID for i in values or []):
        raise HTTPException(status_code=400, detail="Số tin không hợp lệ.")
    chosen = tuple(dict.fromkeys([*(values or []), *typed]))
    if len(chosen) > MAX_CHOSEN:
        raise HTTPException(status_code=400, detail=f"Một sự cố gộp tối đa {MAX_CHOSEN} tin.")
    return chosen


@router.get("/su-co")
def incident_list(
    request: Request, ctx: Ctx, me: User, state: Annotated[StateFilter, Query(alias="trang_thai")] = ""
) -> Response:
    with ctx.database.session() as session:
        items = list_incidents(session, scope=me.scope, state=IncidentState(state) if state else None)
        spikes = spike_choices(session, since=ctx.now() - SPIKES_SHOWN) if me.manages_incidents else []
    return render(
        request,
        "incidents.html",
        {"items": items, "state": state, "states": taxonomy().incident_states, "spikes": spikes},
    )


@router.get("/su-co/moi")
def declare_form(
    request: Request,
    ctx: Ctx,
    me: User,
    stories: Annotated[list[int] | None, Query(alias="tin")] = None,
    spike: Annotated[int | None, Query(alias="dot-bien", ge=1, le=MAX_ID)] = None,
) -> Response:
    _manager(me)
    chosen = _ids(stories)
    title = ""
    with ctx.database.session() as session:
        if spike is not None:
            found = spike_choices(session, since=ctx.now(), spike_id=spike)
            if not found:
                raise HTTPException(status_code=404, detail="Không tìm thấy cảnh báo tin tăng đột biến này.")
            chosen = tuple(dict.fromkeys([*chosen, *found[0].story_ids]))
            title = f"Tin tăng đột biến: {found[0].key}"
        lines = _story_lines(session, chosen)
        owners = [u for u in list_users(session) if may_manage(u)]
    return render(
        request,
        "incident_new.html",
        {
            "lines": lines,
            "title": title,
            "spike": spike,
            "owners": owners,
            "severities": taxonomy().incident_severities,
            "default_severity": IncidentSeverity.MEDIUM,
        },
    )


@router.post("/su-co")
def declare(
    ctx: Ctx,
    me: User,
    title: Annotated[str, Form(max_length=500)],
    severity: Annotated[str, Form(max_length=16)],
    owner: Annotated[str, Form(max_length=254)],
    summary: Text = "",
    stories: Annotated[list[int] | None, Form(alias="tin")] = None,
    more: Annotated[str, Form(alias="them", max_length=2000)] = "",
    spike: Annotated[int | None, Form(alias="dot_bien", ge=1, le=MAX_ID)] = None,
) -> Response:
    _manager(me)
    chosen = _ids(stories, more)
    with ctx.database.session() as session:
        incident = workflow.declare(
            session,
            title=title,
            summary=summary,
            severity=severity,
            owner_email=owner,
            story_ids=chosen,
            actor=me.user.email,
            at=ctx.now(),
            spike_alert_id=spike,
        )
    return redirect(f"/su-co/{incident.id}", "su-co-moi")


@router.get("/su-co/{incident_id}")
def incident_page(request: Request, ctx: Ctx, me: User, incident_id: Id) -> Response:
    with ctx.database.session() as session:
        incident = get_incident(session, incident_id, scope=me.scope)
        if incident is None:
            raise HTTPException(status_code=404)
        context = {
            "incident": incident,
            "lines": _story_lines(session, incident.story_ids),
            "provinces": incident_provinces(session, incident.id),
            "timeline": incident_timeline(session, incident.id, scope=me.scope, user_id=me.user.id),
            "acts": me.manages_incidents and incident.state == IncidentState.OPEN,
            "action_kinds": taxonomy().incident_actions,
        }
    return render(request, "incident.html", context)


@router.post("/su-co/{incident_id}/hoat-dong")
def record_action(
    ctx: Ctx,
    me: User,
    incident_id: Id,
    kind: Annotated[str, Form(max_length=32)],
    text: Annotated[str, Form(min_length=1, max_length=20000)],
) -> Response:
    _manager(me)
    if kind not in set(IncidentActionKind):
        raise HTTPException(status_code=400, detail="Loại hoạt động không hợp lệ.")
    with ctx.database.session() as session:
        workflow.record_action(session, incident_id, kind=kind, text=text, actor=me.user.email, at=ctx.now())
    return redirect(f"/su-co/{incident_id}", "su-co-hoat-dong")


@router.post("/su-co/{incident_id}/ket-thuc")
def close(
    ctx: Ctx, me: User, incident_id: Id, summary: Annotated[str, Form(min_length=1, max_length=20000)]
) -> Response:
    _manager(me)
    with ctx.database.session() as session:
        workflow.close(session, incident_id, summary=summary, actor=me.user.email, at=ctx.now())
    return redirect(f"/su-co/{incident_id}", "su-co-ket-thuc")
