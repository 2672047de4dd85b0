"""Jinja2 templates (autoescaped) and the filters the pages use: Viet Nam times, countdowns, Vietnamese names,
<mark> on search matches."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import Request
from jinja2 import BytecodeCache, Environment, PackageLoader
from jinja2.bccache import Bucket
from markupsafe import Markup, escape
from starlette.responses import HTMLResponse
from starlette.templating import Jinja2Templates

from alerts.messages import when
from dashboards import labels
from dashboards.web.charts import comment_timeline
from dashboards.web.context import ctx_of, session_of
from dashboards.web.permissions import Principal
from dashboards.web.routes.common import NOTICES
from dashboards.web.security import CSRF_FIELD
from domain import labels as names
from domain.enums import DeadlineStatus, Priority, TriageState
from domain.localtime import VN
from storage.views.social_reaction import StoryReaction


def vn_time(moment: dt.datetime | None) -> str:
    return "—" if moment is None else f"{moment.astimezone(VN):%d/%m/%Y %H:%M}"


def vn_date(moment: dt.datetime | dt.date | None) -> str:
    if moment is None:
        return "—"
    if isinstance(moment, dt.datetime):
        moment = moment.astimezone(VN).date()
    return f"{moment:%d/%m/%Y}"


def _span(delta: dt.timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{days} ngày {hours} giờ"
    if hours:
        return f"{hours} giờ {minutes} phút"
    return f"{minutes} phút"


def countdown(due: dt.datetime, now: dt.datetime) -> str:
    """'còn 2 ngày 3 giờ' before the deadline, 'quá hạn 5 giờ 10 phút' after it."""
    return f"còn {_span(due - now)}" if due > now else f"quá hạn {_span(now - due)}"


def marked(snippet: str, marks: tuple[tuple[int, int], ...] | list[tuple[int, int]]) -> Markup:
    """The snippet escaped, with <mark> around the matched spans (overlapping or bad spans are skipped)."""
    out: list[str] = []
    position = 0
    for start, end in sorted(marks):
        if start < position or end <= start or end > len(snippet):
            continue
        out.append(str(escape(snippet[position:start])))
        out.append(f"<mark>{escape(snippet[start:end])}</mark>")
        position = end
    out.append(str(escape(snippet[position:])))
    return Markup("".join(out))


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f} %".replace(".", ",")


def figure(value: float | None) -> str:
    """A measured figure (F1, accuracy) to three decimals, Vietnamese style: 0,812."""
    return "—" if value is None else f"{value:.3f}".replace(".", ",")


def number(value: float | int | None) -> str:
    """Vietnamese number format: 1.234 and 3,5."""
    if value is None:
        return "—"
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    return f"{value:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")


class _MemoryBytecodeCache(BytecodeCache):
    """The compiled templates, kept for the process: every app built in it (the tests build hundreds) loads a
    template's code instead of parsing and compiling its source again. Jinja checks each entry against the
    checksum of the source, so an edited template is compiled afresh."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if (code := self._code.get(bucket.key)) is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _MemoryBytecodeCache()


def make_templates() -> Jinja2Templates:
    env = Environment(
        loader=PackageLoader("dashboards.web", "templates"),
        bytecode_cache=_COMPILED,
        autoescape=True,
        auto_reload=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        vn_time=vn_time,
        vn_date=vn_date,
        deadline=when,
        marked=marked,
        percent=percent,
        number=number,
        figure=figure,
        topic_vi=names.topic_vi,
        sentiment_vi=names.sentiment_vi,
        province_vi=names.province_vi,
        state_vi=names.state_vi,
        priority_vi=labels.priority_vi,
        role_vi=names.role_vi,
        deadline_kind_vi=labels.deadline_kind_vi,
        entity_vi=names.entity_vi,
        incident_severity_vi=names.incident_severity_vi,
        incident_state_vi=names.incident_state_vi,
        incident_action_vi=names.incident_action_vi,
        statement_kind_vi=names.statement_kind_vi,
        watch_state_vi=names.watch_state_vi,
        takedown_reason_vi=names.takedown_reason_vi,
    )
    env.globals.update(
        reaction_timeline=reaction_timeline,
        countdown=countdown,
        labels=labels,
        priority_codes=tuple(Priority),
        TriageState=TriageState,
        DeadlineStatus=DeadlineStatus,
        csrf_field=CSRF_FIELD,
        notices=NOTICES,
    )
    return Jinja2Templates(env=env)


def reaction_timeline(reaction: StoryReaction) -> Markup:
    """A story's comments per hour or day as inline SVG columns."""
    buckets = [(b.start, b.comments, b.negative) for b in reaction.timeline]
    return comment_timeline(buckets, hourly=reaction.hourly)


def render(request: Request, name: str, context: dict[str, Any], *, status: int = 200) -> HTMLResponse:
    """A page, with what every page needs: the user, the session's CSRF token, the time now."""
    ctx = ctx_of(request)
    principal = getattr(request.state, "principal", None)
    session = session_of(request)
    page = {
        "request": request,
        "me": principal if isinstance(principal, Principal) else None,
        "csrf": session.csrf if session is not None else "",
        "now": ctx.now(),
        **context,
    }
    response = ctx.templates.TemplateResponse(request, name, page, status_code=status)
    assert isinstance(response, HTMLResponse)
    return response
