"""Trends (/xu-huong), timeliness (/dung-han), sources health (/nguon-tin). A scoped user's figures are their
province's: the province is passed to every query."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from starlette.responses import Response

from alerts.timeliness import timeliness
from crawler.health import judge
from dashboards.web import charts
from dashboards.web.context import Ctx, User
from dashboards.web.routes.labelling import model_shown
from dashboards.web.routes.profiles import ProfileParam, chosen_profile
from dashboards.web.templating import render
from domain.enums import Role
from domain.labels import province_vi, sentiment_vi, topic_vi
from domain.localtime import VN
from storage.feeds import feed_activity
from storage.outlets import list_outlets
from storage.views.stats import DayCount, per_day, spreading, top_outlets, totals

router = APIRouter()
PERIODS = (7, 30, 90, 365)
Days = Annotated[int, Query(alias="ky", description="số ngày: 7, 30, 90 hoặc 365")]
SPREAD_WINDOW = dt.timedelta(hours=48)


@dataclass(frozen=True, slots=True, kw_only=True)
class Period:
    days: int
    start: dt.datetime  # local midnight, as UTC
    end: dt.datetime  # the end of today (local), as UTC: today counts

    @property
    def last(self) -> dt.date:
        return (self.end - dt.timedelta(days=1)).astimezone(VN).date()

    @property
    def dates(self) -> list[dt.date]:
        first = self.start.astimezone(VN).date()
        return [first + dt.timedelta(days=i) for i in range(self.days)]


def period(now: dt.datetime, days: int) -> Period:
    """The last `days` local days, today included; a period not offered → 400."""
    if days not in PERIODS:
        raise HTTPException(status_code=400, detail=f"Kỳ {days} ngày không có (chọn 7, 30, 90 hoặc 365 ngày).")
    today = now.astimezone(VN).date()
    end = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(0), tzinfo=VN).astimezone(dt.UTC)
    return Period(days=days, start=end - dt.timedelta(days=days), end=end)


def _series(counts: list[DayCount]) -> dict[str | None, dict[dt.date, int]]:
    out: dict[str | None, dict[dt.date, int]] = defaultdict(dict)
    for c in counts:
        out[c.key][c.day] = c.count
    return dict(sorted(out.items(), key=lambda kv: -sum(kv[1].values())))


@router.get("/xu-huong")
def trends_page(request: Request, ctx: Ctx, me: User, days: Days = 30, code: ProfileParam = "") -> Response:
    """The relevant articles' figures, or with `theo_doi` those of the articles that watch profile matched."""
    now = ctx.now()
    span = period(now, days)
    scope = me.scope
    profile = chosen_profile(ctx, me, code)
    pid = profile.id if profile else None
    with ctx.database.session() as session:
        by_topic = _series(per_day(session, start=span.start, end=span.end, by="topic", province=scope, profile_id=pid))
        by_tone = _series(
            per_day(session, start=span.start, end=span.end, by="sentiment", province=scope, profile_id=pid)
        )
        provinces = totals(session, start=span.start, end=span.end, by="province", province=scope, profile_id=pid)
        outlets = top_outlets(session, start=span.start, end=span.end, province=scope, profile_id=pid)
        spread = spreading(session, since=now - SPREAD_WINDOW, province=scope, profile_id=pid)
    topic_names = {k: topic_vi(k) for k in by_topic}
    tone_names = {k: sentiment_vi(k) for k in by_tone}
    total = sum(p.count for p in provinces)
    negative = sum(p.negative for p in provinces)
    context = {
        "span": span,
        "days": days,
        "profile": profile,
        "extra": f"&theo_doi={profile.code}" if profile else "",
        "total": total,
        "negative": negative,
        "by_topic": by_topic,
        "by_tone": by_tone,
        "topic_names": topic_names,
        "tone_names": tone_names,
        "provinces": provinces,
        "outlets": outlets,
        "spread": spread,
        "topic_chart": charts.stacked_days(
            span.dates, by_topic, topic_names, title="Số tin liên quan mỗi ngày theo chủ đề"
        ),
        "tone_chart": charts.stacked_days(
            span.dates,
            by_tone,
            tone_names,
            title="Số tin liên quan mỗi ngày theo sắc thái",
            fixed=charts.SENTIMENT_COLOURS,
        ),
        "province_chart": charts.ranked_bars(
            [(province_vi(p.key), p.count, p.negative) for p in provinces[:20]],
            title="Tỉnh/thành có nhiều tin nhất",
        ),
        "outlet_chart": charts.ranked_bars(
            [(o.name, o.count, o.negative) for o in outlets], title="Cơ quan báo chí đăng nhiều tin nhất"
        ),
    }
    return render(request, "trends.html", context)


@router.get("/dung-han")
def timeliness_page(request: Request, ctx: Ctx, me: User, days: Days = 90) -> Response:
    now = ctx.now()
    span = period(now, days)
    with ctx.database.session() as session:
        rows = timeliness(session, start=span.start, end=span.end, now=now)
    if me.scope is not None:  # their province only (the all-provinces row would count others' cases)
        rows = [r for r in rows if r.province == me.scope]
    return render(request, "timeliness.html", {"rows": rows, "span": span, "days": days})


@router.get("/nguon-tin")
def sources_page(request: Request, ctx: Ctx, me: User) -> Response:
    if me.user.role == Role.DAU_MOI:
        raise HTTPException(status_code=403, detail="Trang tình trạng nguồn tin dành cho giám sát, quản trị, lãnh đạo.")
    now = ctx.now()
    with ctx.database.session() as session:
        health = [judge(a, now) for a in feed_activity(session, now)]
        names = {o.slug: o.name for o in list_outlets(session)}
        model = model_shown(session)
    order = {"failing": 0, "silent": 1, "new": 2, "ok": 3, "disabled": 4}
    health.sort(key=lambda h: (order[h.state], h.outlet_slug))
    return render(request, "sources.html", {"health": health, "names": names, "model": model})
