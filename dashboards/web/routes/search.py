"""Search (/tim-kiem): words with or without diacritics, filters, results with the matched words marked.
The user's province scope is passed to the search, which enforces it in its query."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection
from dataclasses import dataclass, replace
from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Query, Request
from starlette.responses import Response

from dashboards.labels import province_choices
from dashboards.web.context import Ctx, User
from dashboards.web.permissions import Principal
from dashboards.web.routes.common import MAX_ID, PageNo
from dashboards.web.routes.profiles import ProfileParam, chosen_profile
from dashboards.web.templating import render
from domain.labels import taxonomy
from domain.localtime import VN
from domain.profiles import Profile
from domain.provinces import NATIONWIDE, PROVINCES
from storage.engine import Database
from storage.outlets import list_outlets
from storage.statements import StatementHit, search_statements
from storage.views.search import SearchQuery, SearchResult, search_articles

router = APIRouter()
PAGE_SIZE = 20
MAX_QUERY = 200  # characters of the search box
PROVINCE_VALUES = frozenset({*PROVINCES, NATIONWIDE})


@dataclass(frozen=True, slots=True, kw_only=True)
class Filters:
    """The search form as the user filled it (strings as typed, checked)."""

    q: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    outlet: int | None = None
    topic: str = ""
    sentiment: str = ""
    province: str = ""
    priority: str = ""
    all_articles: bool = False
    profile: str = ""  # a watch profile's code: only its matches (checked against the unit rule)
    profile_name: str = ""
    profile_id: int | None = None

    @property
    def about_articles_only(self) -> bool:
        """Filters only articles have (the agency's own documents have no outlet, topic, tone, province, case)."""
        return bool(self.outlet or self.topic or self.sentiment or self.province or self.priority or self.profile)

    @property
    def empty(self) -> bool:
        return not (
            self.q.strip()
            or self.start
            or self.end
            or self.outlet
            or self.topic
            or self.sentiment
            or self.province
            or self.priority
            or self.profile
        )


def check_choice(value: str, allowed: Collection[str], name: str) -> str:
    if value and value not in allowed:
        raise HTTPException(status_code=400, detail=f"Giá trị “{value[:64]}” không hợp lệ cho {name}.")
    return value


def local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=VN).astimezone(dt.UTC)


def run_search(database: Database, me: Principal, filters: Filters, *, page: int, size: int) -> SearchResult:
    """The search, with the user's province scope enforced by the query."""
    scope = me.scope
    query = SearchQuery(
        text=filters.q,
        start=local_midnight(filters.start) if filters.start else None,
        end=local_midnight(filters.end + dt.timedelta(days=1)) if filters.end else None,
        outlet_ids=(filters.outlet,) if filters.outlet else (),
        topic=filters.topic or None,
        sentiment=filters.sentiment or None,
        province=filters.province or None,
        priority=filters.priority or None,
        # A profile's matches need not be about enforcement; a scoped user still sees only relevant articles.
        relevant_only=not (filters.all_articles and me.is_monitor) and filters.profile_id is None,
        scope=scope,
        profile_id=filters.profile_id,
        limit=size,
        offset=(page - 1) * size,
    )
    with database.session() as session:
        return search_articles(session, query)


def parse_date(value: str, name: str) -> dt.date | None:
    """A date from a form (yyyy-mm-dd, what date inputs send, or dd/mm/yyyy); empty → None."""
    value = value.strip()
    if not value:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value, pattern).date()  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
    raise HTTPException(status_code=400, detail=f"“{value[:20]}” không phải một ngày hợp lệ cho {name} (dd/mm/yyyy).")


def parse_outlet(value: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not value.isdigit() or not 1 <= int(value) <= MAX_ID:
        raise HTTPException(status_code=400, detail="Cơ quan báo chí không hợp lệ.")
    return int(value)


def read_filters(
    q: str,
    start: str,
    end: str,
    outlet: str,
    topic: str,
    sentiment: str,
    province: str,
    priority: str,
    all_articles: bool,
) -> Filters:
    """The form's fields checked (empty fields are no filter); a bad one → 400 naming it."""
    first, last = parse_date(start, "“từ ngày”"), parse_date(end, "“đến ngày”")
    if first and last and last < first:
        raise HTTPException(status_code=400, detail="“Đến ngày” phải sau “từ ngày”.")
    return Filters(
        q=q,
        start=first,
        end=last,
        outlet=parse_outlet(outlet),
        topic=check_choice(topic, taxonomy().topic_names, "chủ đề"),
        sentiment=check_choice(sentiment, taxonomy().sentiments, "sắc thái"),
        province=check_choice(province, PROVINCE_VALUES, "tỉnh/thành"),
        priority=priority,
        all_articles=all_articles,
    )


def within_profile(filters: Filters, profile: Profile | None) -> Filters:
    if profile is None:
        return filters
    return replace(filters, profile=profile.code, profile_name=profile.name, profile_id=profile.id)


@router.get("/tim-kiem")
def search_page(
    request: Request,
    ctx: Ctx,
    me: User,
    q: Annotated[str, Query(description=f"từ khóa, tối đa {MAX_QUERY} ký tự")] = "",
    start: Annotated[str, Query(alias="tu", max_length=20)] = "",
    end: Annotated[str, Query(alias="den", max_length=20)] = "",
    outlet: Annotated[str, Query(alias="bao", max_length=20)] = "",
    topic: Annotated[str, Query(alias="chu_de", max_length=64)] = "",
    sentiment: Annotated[str, Query(alias="sac_thai", max_length=64)] = "",
    province: Annotated[str, Query(alias="tinh", max_length=64)] = "",
    priority: Annotated[Literal["", "P1", "P2", "P3"], Query(alias="uu_tien")] = "",
    all_articles: Annotated[bool, Query(alias="ca_tin_khac")] = False,
    code: ProfileParam = "",
    page: PageNo = 1,
) -> Response:
    filters = read_filters(q, start, end, outlet, topic, sentiment, province, priority, all_articles)
    filters = within_profile(filters, chosen_profile(ctx, me, code))
    problem = None
    if len(q) > MAX_QUERY:  # said on the page, the form kept as typed: the user shortens it
        length = f"{len(q):,}".replace(",", ".")
        problem = f"Từ khóa dài {length} ký tự, quá giới hạn {MAX_QUERY} ký tự: xin rút gọn rồi tìm lại."
    result = None if filters.empty or problem else run_search(ctx.database, me, filters, page=page, size=PAGE_SIZE)
    statements: tuple[list[StatementHit], int] = ([], 0)
    with ctx.database.session() as session:
        outlets = list_outlets(session)
        if result is not None and page == 1 and not filters.about_articles_only:
            statements = search_statements(session, filters.q, first_day=filters.start, last_day=filters.end)
    return render(
        request,
        "search.html",
        {
            "f": filters,
            "problem": problem,
            "max_query": MAX_QUERY,
            "result": result,
            "statements": statements[0],
            "statements_total": statements[1],
            "page": page,
            "pages": max(1, math.ceil((result.total if result else 0) / PAGE_SIZE)),
            "outlets": outlets,
            "topics": taxonomy().topic_names,
            "sentiments": taxonomy().sentiments,
            "provinces": province_choices(),
            "base": "/tim-kiem?" + urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "trang"]),
        },
        status=400 if problem else 200,
    )
