"""`thads-monitor profiles`: the watch profiles stored in the database (load the starters, list, backfill)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from domain.profiles import UNIT_MINISTRY, Profile, unit_label
from domain.query import ParseError, parse_query
from domain.watch_profiles import ProfileKind, parse_profiles, starter_profiles
from domain.yamlfile import FileError
from nlp.profile_match import backfill_profile, load_starter_profiles
from storage.engine import Database
from storage.profiles import count_matches, get_profile, list_profiles, save_profile
from thads_monitor.commands.common import input_file, open_database, output_file, settings_of
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


def _day(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        day, month, year = (int(part) for part in value.split("/"))
        return dt.date(year, month, day)
    except ValueError:
        raise ConfigError(f"{option}: ngày “{value}” không đúng dạng ngày/tháng/năm (ví dụ 15/01/2026)") from None


@profiles_app.command("draft")
def draft(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="Mã chủ đề (chữ thường, số, gạch dưới).")],
    name: Annotated[str, typer.Option("--name", help="Tên dự thảo, ví dụ “Dự thảo Luật Đặc xá (sửa đổi)”.")],
    query: Annotated[str, typer.Option("--query", help="Truy vấn tìm bài về dự thảo (cú pháp của chủ đề theo dõi).")],
    body: Annotated[str, typer.Option("--body", help="Cơ quan chủ trì soạn thảo.")] = "",
    start: Annotated[str | None, typer.Option("--from", help="Ngày bắt đầu lấy ý kiến (ngày/tháng/năm).")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Ngày kết thúc lấy ý kiến (ngày/tháng/năm).")] = None,
) -> None:
    """Thêm hoặc sửa chủ đề dự thảo văn bản (tên, cơ quan soạn thảo, thời gian lấy ý kiến), rồi đối chiếu bài đã lưu."""
    first, last = _day(start, "--from"), _day(end, "--to")
    if first and last and last < first:
        raise ConfigError("--to: ngày kết thúc lấy ý kiến trước ngày bắt đầu")
    try:
        parse_query(query)
    except ParseError as exc:
        raise ConfigError(f"--query: {exc}") from None
    if not name.strip():
        raise ConfigError("--name: cần tên dự thảo")
    now = dt.datetime.now(dt.UTC)
    with open_database(settings_of(ctx)) as db:
        with db.session() as session:
            old = get_profile(session, code)
            if old is not None and old.kind is not ProfileKind.DRAFT:
                raise ConfigError(f"chủ đề “{code}” đã có và không phải chủ đề dự thảo")
            profile = Profile(
                code=code,
                name=name.strip(),
                kind=ProfileKind.DRAFT,
                unit=old.unit if old else UNIT_MINISTRY,
                query=query,
                drafting_body=body.strip(),
                consultation_start=first,
                consultation_end=last,
            )
            save_profile(session, profile, by="thads-monitor profiles draft", at=now)
        summary = backfill_profile(db, code)
    typer.echo(f"Đã lưu chủ đề dự thảo {code}: {summary.matched} bài khớp.")


@profiles_app.command("report-draft")
def report_draft(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="Mã chủ đề dự thảo.")],
    out: Annotated[Path, typer.Option("--out", help="Tệp DOCX sẽ ghi.", dir_okay=False)],
) -> None:
    """Lập “Báo cáo tổng hợp ý kiến góp ý” của một chủ đề dự thảo: ý kiến theo điều khoản và loại ý kiến (DOCX)."""
    from dashboards.reports.draft_report import build_draft_report
    from dashboards.reports.periods import ReportError

    target = output_file(out, "--out")
    with open_database(settings_of(ctx)) as db, db.session() as session:
        profile = get_profile(session, code)
        if profile is None:
            raise ConfigError(f"không có chủ đề theo dõi mã “{code}” (xem `thads-monitor profiles list`)")
        try:
            data = build_draft_report(session, profile, dt.datetime.now(dt.UTC))
        except ReportError as exc:
            raise ConfigError(str(exc)) from exc
    target.write_bytes(data)
    typer.echo(f"Đã ghi {target} ({len(data):,} byte)".replace(",", "."))


def register(app: typer.Typer) -> None:
    app.add_typer(profiles_app, name="profiles")
