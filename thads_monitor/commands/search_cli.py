"""`thads-monitor search`: the web app's article search, in the terminal (for operators, and to try the index)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

from alerts.messages import when
from domain.enums import Sentiment
from domain.labels import priority_vi, province_vi, sentiment_vi, taxonomy, topic_vi
from domain.localtime import VN
from domain.provinces import NATIONWIDE, PROVINCES
from domain.text import fold_diacritics
from storage.views.search import MAX_LIMIT, SearchHit, SearchQuery, search_articles
from thads_monitor.commands.common import open_database, settings_of
from thads_monitor.settings import ConfigError

console = Console(highlight=False)


def _province(value: str | None) -> str | None:
    """One of the 34 names, however it was typed (diacritics or not), or `toan_quoc`."""
    if value is None:
        return None
    key = fold_diacritics(value).replace("_", " ")
    if key in ("toan quoc", "ca nuoc"):
        return NATIONWIDE
    for name in PROVINCES:
        if fold_diacritics(name) == key:
            return name
    raise ConfigError(f"--province: “{value}” không phải một trong 34 tỉnh/thành (hoặc “toàn quốc”)")


def _choice(option: str, value: str | None, names: Mapping[str, str]) -> str | None:
    if value is None or value in names:
        return value
    listed = ", ".join(names)
    raise ConfigError(f"{option}: “{value}” không hợp lệ (dùng một trong: {listed})")


def _day(option: str, value: str | None, *, next_day: bool = False) -> dt.datetime | None:
    """A local (Viet Nam) date as the UTC instant its day starts (or the next day starts: an inclusive end)."""
    if value is None:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ConfigError(f"{option}: “{value}” không phải ngày dạng YYYY-MM-DD") from exc
    if next_day:
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(0), tzinfo=VN).astimezone(dt.UTC)


def _print(number: int, hit: SearchHit) -> None:
    case = f" [hồ sơ #{hit.case_id}, {priority_vi(hit.priority)}]" if hit.case_id else ""
    console.print(Text(f"{number}. {hit.title}{case}", style="bold"), soft_wrap=True)
    facts = [hit.outlet_name, when(hit.at), province_vi(hit.province), topic_vi(hit.topic), sentiment_vi(hit.sentiment)]
    console.print(Text("   " + " · ".join(facts), style="dim"), soft_wrap=True)
    snippet = Text("   " + hit.snippet)
    for start, end in hit.marks:
        snippet.stylize("bold yellow", start + 3, end + 3)
    console.print(snippet, soft_wrap=True)
    console.print(Text(f"   {hit.url}", style="dim"), soft_wrap=True)


def search_command(
    ctx: typer.Context,
    words: Annotated[str, typer.Argument(help="Từ cần tìm, có dấu hay không dấu; cụm từ đặt trong ngoặc kép.")] = "",
    province: Annotated[str | None, typer.Option(help="Chỉ bài về tỉnh/thành này (có dấu hay không dấu).")] = None,
    topic: Annotated[
        str | None, typer.Option(help="Mã chủ đề, ví dụ cuong_che_tai_san (mã sai: báo các mã dùng được).")
    ] = None,
    sentiment: Annotated[str | None, typer.Option(help=f"Sắc thái: {', '.join(Sentiment)}.")] = None,
    priority: Annotated[str | None, typer.Option(help="Mức ưu tiên của hồ sơ: P1, P2, P3.")] = None,
    since: Annotated[str | None, typer.Option(help="Từ ngày (YYYY-MM-DD, giờ Việt Nam).")] = None,
    until: Annotated[str | None, typer.Option(help="Đến hết ngày (YYYY-MM-DD, giờ Việt Nam).")] = None,
    all_articles: Annotated[
        bool, typer.Option("--all", help="Cả những bài không liên quan đến thi hành án dân sự.")
    ] = False,
    limit: Annotated[int, typer.Option(min=1, max=MAX_LIMIT, help="Số kết quả mỗi trang.")] = 20,
    page: Annotated[int, typer.Option(min=1, help="Trang kết quả.")] = 1,
) -> None:
    """Tìm bài viết (không phân biệt dấu, hoa thường, cách bỏ dấu thanh), mới nhất trước khi không có từ."""
    query = SearchQuery(
        text=words,
        province=_province(province),
        topic=_choice("--topic", topic, taxonomy().topic_names),
        sentiment=_choice("--sentiment", sentiment, taxonomy().sentiments),
        priority=_choice("--priority", priority, taxonomy().priorities),
        start=_day("--since", since),
        end=_day("--until", until, next_day=True),
        relevant_only=not all_articles,
        limit=limit,
        offset=(page - 1) * limit,
    )
    with open_database(settings_of(ctx)) as db, db.session() as session:
        result = search_articles(session, query)
    if not result.total:
        typer.echo("Không tìm thấy bài viết nào.")
        return
    first = query.offset + 1
    shown = f"{first}–{query.offset + len(result.hits)}" if result.hits else "không có ở trang này"
    typer.echo(f"Tìm thấy {result.total} bài viết (hiển thị {shown}).")
    for number, hit in enumerate(result.hits, first):
        _print(number, hit)


def register(app: typer.Typer) -> None:
    app.command("search")(search_command)
