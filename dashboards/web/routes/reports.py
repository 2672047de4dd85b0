"""Periodic reports (/bao-cao): choose a week, month, quarter or year and a province, download the DOCX report
or the XLSX annex, built by `dashboards.reports.build.build_report` as the command line and the scheduled e-mail
build them. A scoped user (focal point, provincial leader) gets their province's report only."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Query, Request
from starlette.responses import Response

from dashboards.labels import province_choices
from dashboards.reports.inputs import FORMATS, report_filename, resolve_province
from dashboards.reports.periods import Period, PeriodKind, ReportError, containing, parse_period
from dashboards.web.context import Ctx, User
from dashboards.web.permissions import NOWHERE
from dashboards.web.routes.profiles import ProfileParam, chosen_profile
from dashboards.web.templating import render
from domain.localtime import VN
from domain.provinces import NATIONWIDE

router = APIRouter()
Code = Annotated[str, Query(alias="ky", max_length=16, description="kỳ: 2026-W47, 2026-11, 2026-Q4 hoặc 2026")]
Place = Annotated[str, Query(alias="tinh", max_length=64, description="tỉnh/thành; trống: toàn quốc")]
Format = Annotated[Literal["docx", "xlsx"], Query(alias="dinh_dang")]
GROUPS = (  # (kind, heading, how many periods back, the current one included)
    (PeriodKind.WEEK, "Tuần", 8),
    (PeriodKind.MONTH, "Tháng", 12),
    (PeriodKind.QUARTER, "Quý", 4),
    (PeriodKind.YEAR, "Năm", 3),
)


@dataclass(frozen=True, slots=True)
class Choice:
    code: str
    label: str


def choices(now: dt.datetime) -> list[tuple[str, list[Choice]]]:
    """The periods offered, newest first in each group; the current period is marked as running."""
    today = now.astimezone(VN).date()
    groups = []
    for kind, heading, count in GROUPS:
        period, items = containing(kind, today), []
        for i in range(count):
            running = " (đang diễn ra)" if i == 0 else ""
            items.append(Choice(period.code, f"{period.name[0].upper()}{period.name[1:]}: {_span(period)}{running}"))
            period = period.previous()
        groups.append((heading, items))
    return groups


def _span(period: Period) -> str:
    return f"{period.first_day:%d/%m/%Y}–{period.last_day:%d/%m/%Y}"


def default_code(now: dt.datetime) -> str:
    """Last complete week: what a leader reads on Monday."""
    return containing(PeriodKind.WEEK, now.astimezone(VN).date()).previous().code


def _place(scope: str | None, asked: str) -> str | None:
    """The province of the report: a scoped user's own (whatever was asked), else what was asked (None: all)."""
    if scope == NOWHERE:
        raise HTTPException(
            status_code=403, detail="Tài khoản đầu mối chưa được gán tỉnh/thành: chưa xem được báo cáo."
        )
    if scope is not None:
        return scope
    try:
        return resolve_province(asked if asked != NATIONWIDE else None)
    except ReportError as exc:
        raise HTTPException(status_code=400, detail=_sentence(str(exc))) from exc


def _sentence(message: str) -> str:
    return message[0].upper() + message[1:] + "."


@router.get("/bao-cao")
def reports_page(request: Request, ctx: Ctx, me: User) -> Response:
    now = ctx.now()
    if me.scope == NOWHERE:
        _place(me.scope, "")
    context = {
        "groups": choices(now),
        "chosen": default_code(now),
        "provinces": [(v, n) for v, n in province_choices() if v != NATIONWIDE],
    }
    return render(request, "reports.html", context)


@router.get("/bao-cao/tai-ve")
def download(
    request: Request,
    ctx: Ctx,
    me: User,
    code: Code,
    fmt: Format = "docx",
    place: Place = "",
    profile_code: ProfileParam = "",
) -> Response:
    """The report of the period; with `theo_doi`, the report of that watch profile's matches (the THADS watch's is
    the THADS report itself)."""
    province = _place(me.scope, place.strip())
    profile = chosen_profile(ctx, me, profile_code)
    try:
        period = parse_period(code)
    except ReportError as exc:
        raise HTTPException(status_code=400, detail=_sentence(str(exc))) from exc
    # Loaded on first use: matplotlib and python-docx take a second, and most requests never need them.
    logging.getLogger("matplotlib").setLevel(max(logging.WARNING, logging.getLogger().level))
    from dashboards.reports.build import build_report
    from dashboards.reports.profile_report import build_profile_report, profile_report_filename

    with ctx.database.session() as session:
        if profile is not None and not profile.opens_cases:
            files = build_profile_report(session, profile, period, province, (fmt,), ctx.now(), app_url=ctx.app_url)
            name = profile_report_filename(profile, period, fmt)
        else:
            files = build_report(
                session, period, province, (fmt,), ctx.now(), settings=ctx.reports, app_url=ctx.app_url
            )
            name = report_filename(period, province, fmt)
    return Response(
        files[fmt],
        media_type=FORMATS[fmt],
        headers={"Content-Disposition": f"attachment; filename=\"{name}\"; filename*=UTF-8''{quote(name)}"},
    )
