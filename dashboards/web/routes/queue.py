"""The triage queue (/phan-loai): filters kept in the address (plain GET form), sorting, the count of stories for
every filter value, and bulk actions on the selected rows (confirm, dismiss with one reason, relabel)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Form, HTTPException, Request
from starlette.responses import Response

from alerts import triage
from alerts.cases import WorkflowError
from dashboards.labels import NO_CASE as NO_CASE_VI
from dashboards.labels import province_choices, triage_vi
from dashboards.web.context import Ctx, Monitor
from dashboards.web.routes.common import MAX_ID, PageNo, redirect, safe_next, with_local_script
from dashboards.web.routes.search import check_choice, local_midnight, parse_date, parse_outlet
from dashboards.web.templating import render
from domain.enums import TriageState
from domain.labels import taxonomy
from domain.provinces import NATIONWIDE
from domain.provinces import PROVINCES as ALL_PROVINCES
from storage.explanations import explanations_of
from storage.outlets import outlet_by_id
from storage.views.queue_filters import ALL_STATES, NO_CASE, AllStates, QueueFilter, Sort, facet_counts, filtered_queue
from storage.views.social_reaction import story_reactions

router = APIRouter()
PAGE_SIZE = 30
MAX_BULK = 200  # rows one bulk action may name
PROVINCES = frozenset({*ALL_PROVINCES, NATIONWIDE})
SORT_VI = {"uu-tien": "Ưu tiên", "thoi-gian": "Mới nhất", "lan-rong": "Nhiều bản đăng nhất"}
SORTS: dict[str, Sort] = {"uu-tien": "priority", "thoi-gian": "time", "lan-rong": "spread"}


def state_choices() -> dict[str, str]:
    """The triage state filter's choices: each state, then every state."""
    return {**{s: triage_vi(s) for s in TriageState}, ALL_STATES: "tất cả"}


def priority_choices() -> dict[str, str]:
    """The priority filter's values: the three priorities as the taxonomy names them, and stories without a case."""
    return {**taxonomy().priorities, NO_CASE: NO_CASE_VI}


BULK_NOTICES = {"xac-nhan": "xác nhận", "loai": "loại", "sua-nhan": "sửa nhãn"}


@dataclass(frozen=True, slots=True)
class QueueQuery:
    """The queue's filters as they stand in the address, and what they mean for the query."""

    filter: QueueFilter
    params: tuple[tuple[str, str], ...]  # the non-empty ones, in the form's order (for links and export)

    @property
    def query_string(self) -> str:
        return urlencode(self.params)


PARAMS = ("uu_tien", "tinh", "chu_de", "sac_thai", "bao", "tu", "den", "trang_thai", "sap_xep")


def _triage_state(value: str) -> TriageState | AllStates:
    return ALL_STATES if value == ALL_STATES else TriageState(value)


def read_queue_query(params: Mapping[str, str]) -> QueueQuery:
    """The filters of an address's parameters (unknown ones ignored); a bad value → 400 naming it."""
    given = {k: params.get(k, "").strip() for k in PARAMS}
    if any(len(v) > 64 for v in given.values()):
        raise HTTPException(status_code=400, detail="Giá trị bộ lọc quá dài.")
    sort = given["sap_xep"] or "uu-tien"
    if sort not in SORTS:
        raise HTTPException(status_code=400, detail=f"Cách sắp xếp “{sort[:20]}” không hợp lệ.")
    first, last = parse_date(given["tu"], "“từ ngày”"), parse_date(given["den"], "“đến ngày”")
    if first and last and last < first:
        raise HTTPException(status_code=400, detail="“Đến ngày” phải sau “từ ngày”.")
    state = given["trang_thai"] or TriageState.PENDING
    f = QueueFilter(
        priority=check_choice(given["uu_tien"], priority_choices(), "mức ưu tiên"),
        province=check_choice(given["tinh"], PROVINCES, "tỉnh/thành"),
        topic=check_choice(given["chu_de"], taxonomy().topic_names, "chủ đề"),
        sentiment=check_choice(given["sac_thai"], taxonomy().sentiments, "sắc thái"),
        outlet_id=parse_outlet(given["bao"]),
        start=local_midnight(first) if first else None,
        end=local_midnight(last + dt.timedelta(days=1)) if last else None,
        state=_triage_state(check_choice(state, state_choices(), "trạng thái phân loại")),
        sort=SORTS[sort],
    )
    given |= {
        "tu": first.isoformat() if first else "",
        "den": last.isoformat() if last else "",
        "trang_thai": "" if state == TriageState.PENDING else state,
        "sap_xep": "" if sort == "uu-tien" else sort,
    }
    return QueueQuery(filter=f, params=tuple((k, v) for k, v in given.items() if v))


@router.get("/phan-loai")
def queue(request: Request, ctx: Ctx, me: Monitor, page: PageNo = 1) -> Response:
    q = read_queue_query(request.query_params)
    with ctx.database.session() as session:
        found = filtered_queue(session, q.filter, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
        pages = max(1, math.ceil(found.total / PAGE_SIZE))
        asked = None
        if not found.items and page > pages:  # past the end (the queue shrank, or a typed address): the last page
            asked, page = page, pages
            found = filtered_queue(session, q.filter, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
            pages = max(1, math.ceil(found.total / PAGE_SIZE))
        counts = facet_counts(session, q.filter)
        why = explanations_of(session, [item.lead.article_id for item in found.items])
        reactions = story_reactions(session, [item.story.id for item in found.items], top=0)
        outlet = q.filter.outlet_id
        if outlet is not None and str(outlet) not in counts.outlets:  # chosen, though no story is left there
            named = outlet_by_id(session, outlet)
            counts.outlets[str(outlet)] = named.name if named is not None else f"#{outlet}"
    base = "/phan-loai" + (f"?{q.query_string}" if q.params else "")
    here = base + ("&" if q.params else "?") + f"trang={page}" if page > 1 else base
    context = {
        "items": found.items,
        "total": found.total,
        "page": page,
        "pages": pages,
        "asked": asked,
        "q": q,
        "f": dict(q.params),
        "counts": counts,
        "why": why,
        "reactions": reactions,
        "base": base,
        "here": here,
        "topics": taxonomy().topic_names,
        "sentiments": taxonomy().sentiments,
        "provinces": province_choices(),
        "priorities": priority_choices(),
        "states": state_choices(),
        "sorts": SORT_VI,
        "filtered": q.filter != QueueFilter(sort=q.filter.sort),
    }
    return with_local_script(render(request, "triage.html", context))


@router.post("/phan-loai/hang-loat")
def bulk(
    ctx: Ctx,
    me: Monitor,
    action: Annotated[Literal["xac-nhan", "loai", "sua-nhan", "su-co"], Form()],
    stories: Annotated[list[int] | None, Form(alias="tin")] = None,
    reason: Annotated[str, Form(max_length=2000)] = "",
    priority: Annotated[Literal["", "P1", "P2", "P3"], Form()] = "",
    topic: Annotated[str, Form(max_length=64)] = "",
    sentiment: Annotated[str, Form(max_length=64)] = "",
    province: Annotated[str, Form(max_length=64)] = "",
    next_path: Annotated[str, Form(alias="next", max_length=500)] = "/phan-loai",
) -> Response:
    """One action on every selected story, in one transaction: all are done, or none (the page names the story
    that refused)."""
    ids = sorted(set(stories or []))  # in id order: two monitors' bulk actions cannot deadlock
    if not ids:
        raise HTTPException(status_code=400, detail="Chưa chọn tin nào: đánh dấu các tin cần xử lý rồi thử lại.")
    if len(ids) > MAX_BULK or any(not 1 <= i <= MAX_ID for i in ids):
        raise HTTPException(status_code=400, detail=f"Mỗi lần xử lý tối đa {MAX_BULK} tin.")
    if action == "su-co":  # the declaration form, prefilled with the chosen stories (nothing changes yet)
        return redirect("/su-co/moi?" + urlencode([("tin", i) for i in ids]))
    if action == "loai" and not reason.strip():
        raise HTTPException(status_code=400, detail="Cần nêu một lý do loại cho các tin đã chọn.")
    changes: dict[str, str | bool | None] = {
        k: v for k, v in (("topic", topic), ("sentiment", sentiment), ("province", province)) if v
    }
    if action == "sua-nhan" and not changes:
        raise HTTPException(status_code=400, detail="Chọn ít nhất một nhãn (chủ đề, sắc thái, tỉnh/thành) để sửa.")
    now, actor = ctx.now(), me.user.email
    with ctx.database.session() as session:
        for story_id in ids:
            try:
                if action == "xac-nhan":
                    triage.confirm(
                        session, story_id, config=ctx.workflow, actor=actor, now=now, priority=priority or None
                    )
                elif action == "loai":
                    triage.dismiss_story(session, story_id, reason=reason, actor=actor, at=now)
                else:
                    triage.correct_labels(session, story_id, changes, actor=actor, at=now)
            except WorkflowError as exc:
                raise type(exc)(f"{exc}; chưa tin nào trong {len(ids)} tin đã chọn thay đổi") from exc
    return redirect(safe_next(next_path, "/phan-loai"), f"hang-loat-{action}")
