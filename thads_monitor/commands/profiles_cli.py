"""`thads-monitor profiles`: the watch profiles stored in the database (load the starters, list, backfill)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from domain.profiles import unit_label
from domain.watch_profiles import parse_profiles, starter_profiles
from domain.yamlfile import FileError
from nlp.profile_match import backfill_profile, load_starter_profiles
from storage.engine import Database
from storage.profiles import count_matches, list_profiles
from thads_monitor.commands.common import input_file, open_database, settings_of
from thads_monitor.settings import ConfigError

profiles_app = typer.Typer(help="Chủ đề theo dõi (hồ sơ truy vấn) lưu trong cơ sở dữ liệu.", no_args_is_help=True)


def ensure_profiles(database: Database, *, now: dt.datetime) -> None:
    """Start-up: an empty profile table takes the starter profiles (and their matches over stored articles)."""
    added, _ = load_starter_profiles(database, starter_profiles(), at=now, only_if_empty=True)
    if added:
        typer.echo(f"Đã nạp {len(added)} chủ đề theo dõi mẫu (domain/watch_profiles.yaml).")


@profiles_app.command("load")
def load(
    ctx: typer.Context,
    file: Annotated[
        Path | None,
        typer.Option("--file", help="Tệp YAML chủ đề theo dõi (mặc định: bộ mẫu domain/watch_profiles.yaml)."),
    ] = None,
) -> None:
    """Nạp chủ đề theo dõi từ tệp: thêm chủ đề chưa có, cập nhật chủ đề chưa ai sửa, rồi đối chiếu lại bài đã lưu."""
    settings = settings_of(ctx)
    if file is None:
        starters = starter_profiles()
    else:
        path = input_file(file, "--file")
        try:
            starters = parse_profiles(path.read_text("utf-8"), str(path))
        except FileError as exc:
            raise ConfigError(str(exc)) from exc
    with open_database(settings) as db:
        added, updated = load_starter_profiles(db, starters, at=dt.datetime.now(dt.UTC))
    kept = len(starters) - len(added) - len(updated)
    typer.echo(f"Đã thêm {len(added)}, cập nhật {len(updated)}, giữ nguyên {kept} chủ đề theo dõi.")


@profiles_app.command("list")
def list_command(ctx: typer.Context) -> None:
    """Liệt kê chủ đề theo dõi: mã, tên, đơn vị, số bài khớp."""
    with open_database(settings_of(ctx)) as db, db.session() as session:
        profiles = list_profiles(session)
        counts = {p.code: count_matches(session, p.id) for p in profiles if p.id is not None}
    if not profiles:
        typer.echo("Chưa có chủ đề theo dõi nào: chạy `thads-monitor profiles load`.")
    for p in profiles:
        state = "" if p.active else " (tạm dừng)"
        typer.echo(f"{p.code}\t{p.name}\t{unit_label(p.unit)}\t{counts.get(p.code, 0)} bài{state}")


@profiles_app.command("backfill")
def backfill(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="Mã chủ đề theo dõi.")],
    days: Annotated[
        int | None, typer.Option("--days", help="Chỉ các bài thu thập trong chừng ấy ngày gần nhất.", min=1)
    ] = None,
) -> None:
    """Đối chiếu lại một chủ đề theo dõi với các bài đã lưu (xóa kết quả cũ trước)."""
    since = dt.datetime.now(dt.UTC) - dt.timedelta(days=days) if days else None
    with open_database(settings_of(ctx)) as db:
        try:
            summary = backfill_profile(db, code, since=since)
        except LookupError:
            raise ConfigError(f"không có chủ đề theo dõi mã “{code}” (xem `thads-monitor profiles list`)") from None
    typer.echo(f"Chủ đề {code}: đã đọc {summary.read} bài, {summary.matched} bài khớp (trước đó {summary.removed}).")


def register(app: typer.Typer) -> None:
    app.add_typer(profiles_app, name="profiles")
