"""`thads-monitor social …`: the social sources (Facebook Pages, YouTube) read through their official APIs."""

from __future__ import annotations

import typer

from thads_monitor.commands.common import open_database, settings_of

social_app = typer.Typer(
    help="Nguồn mạng xã hội qua API chính thức: Trang Facebook, kênh YouTube, tìm kiếm YouTube.",
    no_args_is_help=True,
)


@social_app.command("poll")
def poll_command(ctx: typer.Context) -> None:
    """Thu thập một lượt nguồn mạng xã hội, xóa dữ liệu quá hạn lưu, báo lỗi cho quản trị viên."""
    from thads_monitor.jobs import Runtime, social_poll

    settings = settings_of(ctx)
    with open_database(settings) as db:
        polled, outcome = social_poll(Runtime(settings=settings, database=db))
    if not polled:
        typer.echo("Chưa có nguồn mạng xã hội nào đang bật trong danh mục nguồn tin (mục social:).")
        return
    for done in polled:
        line = f"{done.slug}: {done.posts_new} bài mới, {done.comments_new} bình luận mới"
        if done.units:
            line += f", {done.units} đơn vị quota"
        if done.text:
            line += f" — {done.text}"
        typer.echo(line)
    typer.echo(outcome.summary[:1].upper() + outcome.summary[1:] + ".")


def register(app: typer.Typer) -> None:
    app.add_typer(social_app, name="social")
