"""Downloads of the lists as they are filtered on their pages, whole (every row, not a page): the triage queue
(monitors), search results, cases and the trends tables (everyone, within their province scope). `dinh_dang`:
csv or xlsx. The filters are the pages' own parameters, read by the pages' own functions."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from dashboards import labels
from dashboards.reports.xlsx_writer import Cell, Column, Kind
from dashboards.web.context import Ctx, Monitor, User
from dashboards.web.exports import Table, check_format, file_response
from dashboards.web.routes.cases import StateFilter
from dashboards.web.routes.profiles import ProfileParam, chosen_profile
from dashboards.web.routes.queue import read_queue_query
from dashboards.web.routes.search import read_filters, run_search, within_profile
from dashboards.web.routes.trends import SPREAD_WINDOW, Days, period
from domain import labels as domain_labels
from domain.enums import OPEN_STATES
from storage.access import list_visible_cases
from storage.views.queue_filters import every_item
from storage.views.search import MAX_LIMIT
from storage.views.stats import per_day, spreading, top_outlets, totals

router = APIRouter()
Fmt = Annotated[str, Query(alias="dinh_dang", max_length=8)]
EVERYTHING = 10**9  # "no limit" for the statistics queries that take one
BATCH = 500


def _text(header: str, width: float = 16.0) -> Column:
    return Column(header, Kind.TEXT, width)


def _url(request: Request, path: str) -> str:
    return str(request.base_url).rstrip("/") + path


@router.get("/phan-loai/xuat")
def queue_export(request: Request, ctx: Ctx, me: Monitor, fmt: Fmt = "csv") -> Response:
    kind = check_format(fmt)
    q = read_queue_query(request.query_params)
    columns = [
        Column("Tin số", Kind.ID, 8),
        _text("Tiêu đề", 60),
        _text("Cơ quan báo chí (bản đầu)", 22),
        Column("Thời gian đăng", Kind.DATETIME, 16),
        Column("Mới nhất", Kind.DATETIME, 16),
        Column("Số bản", Kind.INT, 8),
        _text("Ưu tiên", 14),
        Column("Hồ sơ số", Kind.ID, 9),
        _text("Trạng thái hồ sơ", 14),
        _text("Phân loại", 14),
        _text("Chủ đề", 22),
        _text("Sắc thái", 12),
        _text("Tỉnh/thành", 16),
        Column("Độ liên quan", Kind.PERCENT, 12),
        _text("Quy tắc ưu tiên", 30),
        _text("Liên kết trong hệ thống", 30),
        _text("Bài gốc", 40),
    ]
    with ctx.database.session() as session:

        def rows() -> Iterator[Sequence[Cell]]:
            for item in every_item(session, q.filter, batch=BATCH):
                yield (
                    item.story.id,
                    item.lead.title,
                    item.lead.outlet_name,
                    item.lead.at,
                    item.story.last_seen_at,
                    item.copies,
                    labels.priority_vi(item.priority),
                    item.case_id,
                    domain_labels.state_vi(item.case_state) if item.case_id else None,
                    labels.triage_vi(item.story.triage_state),
                    domain_labels.topic_vi(item.lead.topic),
                    domain_labels.sentiment_vi(item.lead.sentiment),
                    domain_labels.province_vi(item.lead.province),
                    item.lead.relevance_score,
                    item.case_reason,
                    _url(request, f"/phan-loai/{item.story.id}"),
                    item.lead.url,
                )

        table = Table("Hàng chờ phân loại", columns, rows())
        return file_response([table], kind, filename="hang-cho-phan-loai", title="Hàng chờ phân loại", now=ctx.now())


@router.get("/tim-kiem/xuat")
def search_export(
    request: Request,
    ctx: Ctx,
    me: User,
    fmt: Fmt = "csv",
    q: Annotated[str, Query(max_length=200)] = "",
    start: Annotated[str, Query(alias="tu", max_length=20)] = "",
    end: Annotated[str, Query(alias="den", max_length=20)] = "",
    outlet: Annotated[str, Query(alias="bao", max_length=20)] = "",
    topic: Annotated[str, Query(alias="chu_de", max_length=64)] = "",
    sentiment: Annotated[str, Query(alias="sac_thai", max_length=64)] = "",
    province: Annotated[str, Query(alias="tinh", max_length=64)] = "",
    priority: Annotated[Literal["", "P1", "P2", "P3"], Query(alias="uu_tien")] = "",
    all_articles: Annotated[bool, Query(alias="ca_tin_khac")] = False,
    code: ProfileParam = "",
) -> Response:
    kind = check_format(fmt)
    filters = read_filters(q, start, end, outlet, topic, sentiment, province, priority, all_articles)
    filters = within_profile(filters, chosen_profile(ctx, me, code))
    columns = [
        Column("Bài số", Kind.ID, 8),
        _text("Tiêu đề", 60),
        _text("Cơ quan báo chí", 22),
        Column("Thời gian đăng", Kind.DATETIME, 16),
        _text("Chủ đề", 22),
        _text("Sắc thái", 12),
        _text("Tỉnh/thành", 16),
        Column("Hồ sơ số", Kind.ID, 9),
        _text("Ưu tiên", 14),
        _text("Đoạn khớp", 60),
        _text("Liên kết trong hệ thống", 30),
        _text("Bài gốc", 40),
    ]

    def rows() -> Iterator[Sequence[Cell]]:
        page = 1
        while True:
            found = run_search(ctx.database, me, filters, page=page, size=MAX_LIMIT)
            for h in found.hits:
                yield (
                    h.article_id,
                    h.title,
                    h.outlet_name,
                    h.at,
                    domain_labels.topic_vi(h.topic),
                    domain_labels.sentiment_vi(h.sentiment),
                    domain_labels.province_vi(h.province),
                    h.case_id,
                    labels.priority_vi(h.priority) if h.case_id else None,
                    h.snippet,
                    _url(request, f"/bai-viet/{h.article_id}"),
                    h.url,
                )
            if not found.hits or page * MAX_LIMIT >= found.total:
                return
            page += 1

    table = Table("Kết quả tìm kiếm", columns, rows() if not filters.empty else iter(()))
    return file_response([table], kind, filename="ket-qua-tim-kiem", title="Kết quả tìm kiếm", now=ctx.now())


@router.get("/ho-so/xuat")
def cases_export(
    request: Request,
    ctx: Ctx,
    me: User,
    fmt: Fmt = "csv",
    state: Annotated[StateFilter, Query(alias="trang_thai")] = "mo",
    priority: Annotated[Literal["", "P1", "P2", "P3"], Query(alias="uu_tien")] = "",
) -> Response:
    kind = check_format(fmt)
    states = OPEN_STATES if state == "mo" else None if state == "tat-ca" else (state,)
    columns = [
        Column("Hồ sơ số", Kind.ID, 9),
        _text("Tiêu đề", 60),
        _text("Ưu tiên", 14),
        _text("Trạng thái", 16),
        _text("Tỉnh/thành", 16),
        Column("Tiếp nhận", Kind.DATETIME, 16),
        Column("Hạn gần nhất", Kind.DATETIME, 16),
        _text("Đầu mối", 30),
        _text("Lý do", 30),
        _text("Liên kết trong hệ thống", 30),
    ]
    with ctx.database.session() as session:

        def rows() -> Iterator[Sequence[Cell]]:
            offset = 0
            while True:
                found = list_visible_cases(
                    session,
                    scope=me.scope,
                    user_id=me.user.id,
                    states=states,
                    priority=priority or None,
                    limit=BATCH,
                    offset=offset,
                )
                for s in found.items:
                    c = s.case
                    yield (
                        c.id,
                        c.title,
                        labels.priority_vi(c.priority),
                        domain_labels.state_vi(c.state),
                        domain_labels.province_vi(c.province),
                        c.received_at,
                        s.next_due_at,
                        ", ".join(s.assignees),
                        c.reason,
                        _url(request, f"/ho-so/{c.id}"),
                    )
                offset += BATCH
                if len(found.items) < BATCH:
                    return

        table = Table("Hồ sơ", columns, rows())
        return file_response([table], kind, filename="ho-so", title="Hồ sơ xử lý thông tin báo chí", now=ctx.now())


TrendTable = Literal["chu-de", "sac-thai", "tinh", "bao", "lan-rong"]


@router.get("/xu-huong/xuat")
def trends_export(
    ctx: Ctx,
    me: User,
    fmt: Fmt = "csv",
    days: Days = 30,
    table: Annotated[TrendTable, Query(alias="bang")] = "tinh",
    code: ProfileParam = "",
) -> Response:
    """XLSX: every table of the trends page, a sheet each; CSV: the table `bang`; `theo_doi`: within the matches
    of that watch profile."""
    kind = check_format(fmt)
    now = ctx.now()
    span = period(now, days)
    scope = me.scope
    profile = chosen_profile(ctx, me, code)
    pid = profile.id if profile else None
    tables: dict[str, Table] = {}
    with ctx.database.session() as session:
        for key, title, counts, name_of in (
            (
                "chu-de",
                "Theo chủ đề",
                per_day(session, start=span.start, end=span.end, by="topic", province=scope, profile_id=pid),
                domain_labels.topic_vi,
            ),
            (
                "sac-thai",
                "Theo sắc thái",
                per_day(session, start=span.start, end=span.end, by="sentiment", province=scope, profile_id=pid),
                domain_labels.sentiment_vi,
            ),
        ):
            keys = sorted({c.key for c in counts}, key=name_of)
            grid = {(c.day, c.key): c.count for c in counts}
            columns = [Column("Ngày", Kind.DATE, 12), *(Column(name_of(k), Kind.INT, 14) for k in keys)]
            rows: list[Sequence[Cell]] = [[d, *(grid.get((d, k), 0) for k in keys)] for d in span.dates]
            tables[key] = Table(title, columns, rows)
        provinces = totals(session, start=span.start, end=span.end, by="province", province=scope, profile_id=pid)
        tables["tinh"] = Table(
            "Theo tỉnh thành",
            [_text("Tỉnh/thành", 20), Column("Số tin", Kind.INT, 10), Column("Tiêu cực", Kind.INT, 10)],
            [(domain_labels.province_vi(p.key), p.count, p.negative) for p in provinces],
        )
        outlets = top_outlets(session, start=span.start, end=span.end, province=scope, profile_id=pid, limit=EVERYTHING)
        tables["bao"] = Table(
            "Theo cơ quan báo chí",
            [_text("Cơ quan báo chí", 28), Column("Số tin", Kind.INT, 10), Column("Tiêu cực", Kind.INT, 10)],
            [(o.name, o.count, o.negative) for o in outlets],
        )
        spread = spreading(session, since=now - SPREAD_WINDOW, province=scope, profile_id=pid, limit=EVERYTHING)
        tables["lan-rong"] = Table(
            "Tin đang lan rộng",
            [
                _text("Tin", 60),
                Column("Số báo", Kind.INT, 9),
                Column("Số bản", Kind.INT, 9),
                Column("Mới nhất", Kind.DATETIME, 16),
                Column("Hồ sơ số", Kind.ID, 9),
                _text("Ưu tiên", 14),
            ],
            [
                (s.story.title, s.outlets, s.copies, s.story.last_seen_at, s.case_id, labels.priority_vi(s.priority))
                for s in spread
            ],
        )
    chosen = [tables[table]] if kind == "csv" else list(tables.values())
    return file_response(chosen, kind, filename=f"xu-huong-{days}-ngay", title="Xu hướng thông tin báo chí", now=now)
