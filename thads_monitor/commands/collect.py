"""Collection commands: extract one page, run a crawl, list sources and their health, serve a replay site."""

from __future__ import annotations

import asyncio
import gzip
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated

import httpx
import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn
from rich.table import Table

from alerts.messages import FEED_STATE_VI
from crawler.health import judge
from crawler.outcomes import OUTCOME_VI
from crawler.sources import load_registry, sync_registry
from crawler.urls import domain_of
from domain.localtime import VN
from storage.feeds import feed_activity
from thads_monitor.commands.common import input_file, open_database, output_file, settings_of
from thads_monitor.settings import ConfigError

console = Console()
# Commands import Scrapy, trafilatura and the replay site when they run: the rest of the command line starts
# without them.
sources_app = typer.Typer(help="Nguồn tin (cơ quan báo chí, RSS, sitemap, trang danh sách).", no_args_is_help=True)


def _fetch(url: str, user_agent: str, timeout_s: int, max_bytes: int) -> tuple[bytes, str | None, str]:
    """One page over HTTP (httpx: a single request outside a crawl), abandoned after `timeout_s` in all: httpx's
    own timeouts count per read, so a server that sends a byte a second would otherwise hold it for ever."""
    try:
        return asyncio.run(asyncio.wait_for(_download(url, user_agent, timeout_s, max_bytes), timeout_s))
    except TimeoutError as exc:
        raise ConfigError(f"không tải được {url}: quá {timeout_s} giây (crawler.timeout_s)") from exc
    except httpx.HTTPError as exc:
        raise ConfigError(f"không tải được {url}: {exc}") from exc


async def _download(url: str, user_agent: str, timeout_s: int, max_bytes: int) -> tuple[bytes, str | None, str]:
    async with (
        httpx.AsyncClient(headers={"User-Agent": user_agent}, timeout=timeout_s, follow_redirects=True) as client,
        client.stream("GET", url) as response,
    ):
        response.raise_for_status()
        body = bytearray()
        async for chunk in response.aiter_bytes():
            body += chunk
            if len(body) > max_bytes:
                raise ConfigError(f"trang {url} vượt quá {max_bytes} byte (crawler.max_page_bytes)")
        return bytes(body), response.headers.get("content-type"), str(response.url)


def extract_command(
    ctx: typer.Context,
    target: Annotated[str, typer.Argument(help="Tệp HTML (có thể .gz) hoặc URL của bài viết.")],
    url: Annotated[str | None, typer.Option(help="URL gốc của tệp (để áp dụng quy tắc riêng của báo).")] = None,
    explain: Annotated[
        bool, typer.Option("--explain", help="Giải thích từng khối: phần nào được giữ, phần nào bị bỏ và vì sao.")
    ] = False,
) -> None:
    """Trích xuất một trang bài viết và in kết quả dạng JSON (tiêu đề, sapo, nội dung, tác giả, thời gian)."""
    from crawler.explain import explain as explain_page
    from crawler.explain import render
    from crawler.extract import NotAnArticle, extract
    from crawler.process import app_version
    from crawler.rules import Rules

    settings = settings_of(ctx)
    registry = load_registry(settings.crawler.sources_file, include_shipped=not settings.crawler.only_sources_file)
    content_type = None
    if target.startswith(("http://", "https://")):
        body, content_type, url = _fetch(
            target,
            settings.crawler.user_agent(app_version()),
            settings.crawler.timeout_s,
            settings.crawler.max_page_bytes,
        )
    else:
        path = Path(target)
        if not path.is_file():
            raise ConfigError(f"không tìm thấy tệp {path}")
        body = path.read_bytes()
        if body[:2] == b"\x1f\x8b":
            body = gzip.decompress(body)
    spec = registry.for_domain(domain_of(url)) if url else None
    rules = Rules(body=spec.extract.body, drop=spec.extract.drop) if spec else Rules()
    if explain:
        explanation = explain_page(body, url, content_type=content_type, rules=rules)
        typer.echo("\n".join(render(explanation)))
        raise typer.Exit(1 if explanation.result is None else 0)
    try:
        result = extract(body, url, content_type=content_type, rules=rules)
    except NotAnArticle as exc:
        typer.echo(f"Không phải trang bài viết: {exc}", err=True)
        raise typer.Exit(1) from exc
    data = result.as_json()
    data["canonical_url"] = data.pop("url")
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


def crawl_command(
    ctx: typer.Context,
    source: Annotated[str | None, typer.Option(help="Chỉ thu thập một cơ quan báo chí (mã slug).")] = None,
) -> None:
    """Thu thập một vòng: đọc các nguồn tin, tải bài mới, lưu bài và bản lưu bằng chứng."""
    from crawler.events import ArticleHandled, ArticlesCounted, CrawlEvent, CrawlStarted
    from crawler.run import CrawlError, crawl_once

    settings = settings_of(ctx)
    registry = load_registry(settings.crawler.sources_file, include_shipped=not settings.crawler.only_sources_file)
    if source is not None and registry.get(source) is None:
        raise ConfigError(f"không có nguồn tin mã {source!r} (xem: thads-monitor sources list)")
    with open_database(settings):  # fail early, in the user's words, when the database does not answer
        pass
    counts: dict[str, int] = {}
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), console=console) as progress:
        task = progress.add_task("Đang đọc nguồn tin…", total=None)

        def on_event(event: CrawlEvent) -> None:
            if isinstance(event, CrawlStarted):
                progress.update(task, description=f"{event.feeds} nguồn tin")
            elif isinstance(event, ArticleHandled | ArticlesCounted):
                found = event.counts if isinstance(event, ArticlesCounted) else ((event.outcome, 1),)
                for outcome, n in found:
                    counts[outcome] = counts.get(outcome, 0) + n
                text = ", ".join(f"{OUTCOME_VI.get(k, k)}: {v}" for k, v in sorted(counts.items()))
                progress.update(task, description=text)

        try:
            level = "WARNING" if settings.log.level == "INFO" else settings.log.level  # keep the display clean
            summary = crawl_once(settings.storage, settings.crawler, source=source, on_event=on_event, log_level=level)
        except CrawlError as exc:
            raise ConfigError(str(exc)) from exc
    typer.echo(
        f"Đã đọc {summary.feeds} nguồn tin ({summary.feeds_failed} lỗi). "
        + (
            ", ".join(f"{OUTCOME_VI.get(k, k)}: {v}" for k, v in sorted(summary.outcomes.items()))
            or "Không có bài mới."
        )
    )
    for problem in summary.problems[:20]:
        typer.echo(f"  – {problem}")


def recheck_command(ctx: typer.Context) -> None:
    """Kiểm tra lại một lượt các bài viết của hồ sơ đang mở (và hồ sơ mới đóng): bài bị sửa, bị gỡ; báo đầu mối."""
    from thads_monitor.jobs import Runtime, recheck

    settings = settings_of(ctx)
    with open_database(settings) as db:
        outcome = recheck(Runtime(settings=settings, database=db))
    typer.echo(outcome.summary[:1].upper() + outcome.summary[1:] + ".")


@sources_app.command("list")
def sources_list(ctx: typer.Context) -> None:
    """Liệt kê các cơ quan báo chí và nguồn tin đang theo dõi."""
    settings = settings_of(ctx)
    registry = load_registry(settings.crawler.sources_file, include_shipped=not settings.crawler.only_sources_file)
    table = Table("mã", "tên", "loại", "tỉnh/thành", "nguồn tin")
    for outlet in registry.outlets:
        feeds = "\n".join(f"{f.kind}: {f.url}" for f in outlet.feeds) or "—"
        name = outlet.name if outlet.enabled else f"{outlet.name} (tắt)"
        table.add_row(outlet.slug, name, outlet.kind, outlet.home_province or "—", feeds)
    console.print(table)


@sources_app.command("health")
def sources_health(ctx: typer.Context) -> None:
    """Tình trạng từng nguồn tin: lần thành công cuối, số bài/ngày, số lần lỗi liên tiếp, im lặng bất thường."""
    settings = settings_of(ctx)
    registry = load_registry(settings.crawler.sources_file, include_shipped=not settings.crawler.only_sources_file)
    now = datetime.now(UTC)
    with open_database(settings) as db, db.session() as session:
        sync_registry(session, registry)
        health = [judge(a, now) for a in feed_activity(session, now)]
    table = Table("báo", "nguồn tin", "trạng thái", "thành công cuối", "bài/ngày", "lỗi liên tiếp", "vấn đề")
    for h in health:
        last = h.last_success_at.astimezone(VN).strftime("%d/%m %H:%M") if h.last_success_at else "—"
        table.add_row(
            h.outlet_slug,
            h.url,
            FEED_STATE_VI[h.state],
            last,
            str(h.items_per_day),
            str(h.consecutive_failures),
            (h.problem or "")[:80],
        )
    console.print(table)


def replay_site_command(
    corpus: Annotated[
        Path, typer.Option(help="Kho bài JSONL (có thể .gz), ví dụ ../shared/corpus/vietnews-sample.jsonl.gz.")
    ],
    port: Annotated[int, typer.Option(help="Cổng trên 127.0.0.1.")] = 8765,
    limit: Annotated[int, typer.Option(help="Số bài tối đa lấy từ kho.")] = 2000,
    released: Annotated[int | None, typer.Option(help="Số bài đã đăng lúc khởi động (mặc định: tất cả).")] = None,
    every_s: Annotated[int, typer.Option(help="Sau đó cứ bao nhiêu giây đăng thêm một bài.")] = 60,
    days: Annotated[int, typer.Option(help="Các bài đã đăng trải đều trong bao nhiêu ngày gần đây.")] = 3,
    hostile: Annotated[bool, typer.Option(help="Thêm các nguồn tin lỗi (để thử độ bền).")] = False,
    sources_out: Annotated[Path | None, typer.Option(help="Ghi tệp nguồn tin trỏ vào trang này.")] = None,
) -> None:
    """Chạy trang tin phát lại trên máy này (không cần Internet) từ một kho bài JSONL."""
    from crawler.replay.corpus import CorpusError, load_corpus, schedule
    from crawler.replay.site import ReplaySite

    input_file(corpus, "--corpus")
    if sources_out is not None:
        output_file(sources_out, "--sources-out")
    try:
        rows = load_corpus(corpus, limit=limit)
    except CorpusError as exc:
        raise ConfigError(str(exc)) from exc
    now = datetime.now(UTC)
    articles = schedule(rows, now=now, spread=timedelta(days=days), released=released, every=timedelta(seconds=every_s))
    site = ReplaySite(articles, port=port, hostile=hostile)
    if sources_out is not None:
        sources_out.write_text(site.sources_yaml(), encoding="utf-8")
    typer.echo(f"Trang phát lại: {site.base}/ ({len(articles)} bài; RSS {site.base}/rss/tin-moi.rss)")
    if sources_out is not None:
        typer.echo(
            f"Tệp nguồn tin: {sources_out} (THADS_CRAWLER__SOURCES_FILE={sources_out} "
            "THADS_CRAWLER__ONLY_SOURCES_FILE=true)"
        )
    typer.echo("Nhấn Ctrl+C để dừng.")
    try:
        site.serve_forever()
    except KeyboardInterrupt:
        typer.echo("Đã dừng.")


def register(app: typer.Typer) -> None:
    app.command("extract")(extract_command)
    app.command("crawl")(crawl_command)
    app.command("recheck")(recheck_command)
    app.command("replay-site")(replay_site_command)
    app.add_typer(sources_app, name="sources")
