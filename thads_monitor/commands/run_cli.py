"""The main job and the stage workers: `thads-monitor run`, `thads-monitor worker STAGE`, `thads-monitor jobs`."""

from __future__ import annotations

import datetime as dt
import socket
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from domain.localtime import VN
from storage.engine import Database, check_connection, describe
from storage.jobs import last_runs
from storage.migrate import upgrade
from thads_monitor.commands.common import input_file, open_database, settings_of
from thads_monitor.commands.profiles_cli import ensure_profiles
from thads_monitor.jobs import JOBS, Runtime
from thads_monitor.settings import ConfigError

console = Console()


class Stage(StrEnum):
    """Stages that can run as separate worker processes (they claim their rows: FOR UPDATE SKIP LOCKED)."""

    enrich = "enrich"
    workflow = "workflow"
    outbox = "outbox"


def run_command(
    ctx: typer.Context,
    only: Annotated[
        list[str] | None, typer.Option("--only", help=f"Chỉ chạy các việc này ({', '.join(JOBS)}); nhắc lại được.")
    ] = None,
) -> None:
    """Chạy hệ thống: thu thập, đọc bài, lập hồ sơ, nhắc hạn, gửi thư, báo cáo theo lịch (Ctrl+C để dừng)."""
    settings = settings_of(ctx)
    unknown = [name for name in only or [] if name not in JOBS]
    if unknown:
        raise ConfigError(f"không có việc {', '.join(unknown)} (các việc: {', '.join(JOBS)})")
    from thads_monitor.scheduler import run_scheduler  # APScheduler and every stage: loaded for this command only

    db = Database.from_settings(settings.storage)
    try:
        check_connection(db.engine)
        upgrade(db.engine)
        typer.echo(f"Cơ sở dữ liệu: {describe(db.engine.url)}")
        ensure_profiles(db, now=dt.datetime.now(dt.UTC))
        typer.echo("Đang chạy các việc theo lịch: " + ", ".join(only or JOBS) + ". Nhấn Ctrl+C để dừng.")
        # On PostgreSQL, stage workers may share the work (`thads-monitor worker`): claim rows as they do.
        runtime = Runtime(settings=settings, database=db, claim=db.backend == "postgresql")
        run_scheduler(runtime, jobs=tuple(only) if only else None)
    finally:
        db.dispose()
    typer.echo("Đã dừng: các việc đang chạy đã hoàn tất.")


def worker_command(
    ctx: typer.Context,
    stage: Annotated[
        Stage, typer.Argument(help="Công đoạn: enrich (đọc bài), workflow (lập hồ sơ, nhắc hạn) hoặc outbox (gửi thư).")
    ],
    once: Annotated[bool, typer.Option(help="Chạy một lượt rồi dừng.")] = False,
) -> None:
    """Chạy một công đoạn trong tiến trình riêng; nhiều tiến trình (trên nhiều máy) cùng chia việc qua PostgreSQL."""
    from thads_monitor.scheduler import run_worker

    settings = settings_of(ctx)
    with open_database(settings) as db:
        if db.backend != "postgresql":
            typer.echo(
                "Lưu ý: SQLite không chia việc giữa nhiều tiến trình; hãy dùng PostgreSQL khi chạy nhiều worker."
            )
        runtime = Runtime(settings=settings, database=db, claim=True)
        runs = run_worker(runtime, stage.value, idle_s=settings.scheduler.worker_idle_s, once=once)
    typer.echo(f"Worker {stage.value} đã dừng sau {runs} lượt.")


def demo_command(
    ctx: typer.Context,
    corpus: Annotated[
        Path | None,
        typer.Option(
            help="Kho bài JSONL (có thể .gz), ví dụ ../shared/corpus/vietnews-sample.jsonl.gz; mặc định: bài mẫu."
        ),
    ] = None,
    folder: Annotated[
        Path | None, typer.Option("--dir", help="Thư mục dữ liệu chạy thử (mặc định: demo trong thư mục dữ liệu).")
    ] = None,
    port: Annotated[int, typer.Option(help="Cổng của giao diện web.", min=1, max=65535)] = 8000,
    limit: Annotated[int, typer.Option(help="Số bài tối đa lấy từ kho.", min=1)] = 440,
    every_s: Annotated[int, typer.Option(help="Cứ bao nhiêu giây trang tin đăng một bài mới.", min=1)] = 20,
    digest_after_min: Annotated[
        int, typer.Option(help="Bản điểm tin hằng ngày được gửi sau khi khởi động bấy nhiêu phút.", min=1, max=600)
    ] = 3,
    seconds: Annotated[
        float | None, typer.Option(help="Tự dừng sau bấy nhiêu giây (mặc định: chạy đến khi Ctrl+C).")
    ] = None,
) -> None:
    """Chạy thử toàn bộ hệ thống trên máy này, không cần Internet: trang tin phát lại, thư lưu thành tệp .eml, web."""
    settings = settings_of(ctx)
    if corpus is not None:
        input_file(corpus, "--corpus")
    if not _port_free(port):
        raise ConfigError(f"cổng {port} đang bận: chọn cổng khác bằng --port")
    from thads_monitor.demo import run_demo  # the web app, the replay site, the mailbox: for this command only

    run_demo(
        settings,
        folder=folder or settings.storage.data_dir / "demo",
        port=port,
        corpus=corpus,
        limit=limit,
        every_s=every_s,
        seconds=seconds,
        digest_after_min=digest_after_min,
        say=typer.echo,
    )


def _port_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def jobs_command(ctx: typer.Context) -> None:
    """Lần chạy gần nhất của từng việc theo lịch: lúc nào, trên máy nào, kết quả."""
    with open_database(settings_of(ctx)) as db, db.session() as session:
        runs = last_runs(session)
    table = Table("việc", "bắt đầu", "máy", "kết quả", "tóm tắt")
    for run in runs:
        result = "đang chạy" if run.ok is None else ("xong" if run.ok else "lỗi")
        summary = run.summary if run.ok is not False else ((run.error or "").strip().splitlines() or [""])[-1]
        table.add_row(
            run.job, f"{run.started_at.astimezone(VN):%d/%m %H:%M:%S}", run.host, result, (summary or "")[:90]
        )
    console.print(table)


def register(app: typer.Typer) -> None:
    app.command("run")(run_command)
    app.command("worker")(worker_command)
    app.command("jobs")(jobs_command)
    app.command("demo")(demo_command)
