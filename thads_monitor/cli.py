"""The `thads-monitor` command. User-facing text is Vietnamese; errors are one line and exit with status 2."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from crawler.sources import SourceError
from storage.engine import Database, check_connection, describe
from storage.errors import StorageError, file_problem
from storage.migrate import current_revision, head_revision, upgrade
from thads_monitor import cli_text
from thads_monitor.commands import (
    collect,
    dossier_cli,
    mail_cli,
    nlp_cli,
    portal_cli,
    profiles_cli,
    report_cli,
    run_cli,
    search_cli,
    social_cli,
    web_cli,
    workflow_cli,
)
from thads_monitor.commands.common import settings_of
from thads_monitor.settings import (
    ConfigError,
    Settings,
    configure_logging,
    load_settings,
    masked_values,
)
from thads_monitor.toml_out import dumps_toml

app = typer.Typer(
    name="thads-monitor",
    help="THADS Press Monitor: theo dõi báo chí và phản hồi thông tin báo chí về thi hành án dân sự.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
db_app = typer.Typer(help="Quản trị cơ sở dữ liệu.", no_args_is_help=True)
config_app = typer.Typer(help="Xem cấu hình.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(config_app, name="config")
collect.register(app)
dossier_cli.register(app)
nlp_cli.register(app)
workflow_cli.register(app)
run_cli.register(app)
mail_cli.register(app)
report_cli.register(app)
search_cli.register(app)
web_cli.register(app)
portal_cli.register(app)
social_cli.register(app)
profiles_cli.register(app)


@app.callback()
def _root(
    ctx: typer.Context,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            "-c",
            help=(
                "Tệp cấu hình TOML (mặc định: $THADS_CONFIG, hoặc config.toml trong thư mục cấu hình của người dùng)."
            ),
            dir_okay=False,
        ),
    ] = None,
) -> None:
    settings = load_settings(config)
    configure_logging(settings.log)
    ctx.obj = settings


def _upgrade_database(settings: Settings) -> None:
    db = Database.from_settings(settings.storage)
    try:
        check_connection(db.engine)
        before = current_revision(db.engine)
        upgrade(db.engine)
        after = head_revision()
    finally:
        db.dispose()
    where = describe(db.engine.url)
    if before == after:
        typer.echo(f"Cơ sở dữ liệu {where} đã ở phiên bản mới nhất ({after}).")
    elif before is None:
        typer.echo(f"Đã tạo cơ sở dữ liệu {where} (phiên bản {after}).")
    else:
        typer.echo(f"Đã nâng cấp cơ sở dữ liệu {where} từ {before} lên {after}.")


@app.command()
def init(ctx: typer.Context) -> None:
    """Khởi tạo hệ thống: tạo hoặc nâng cấp cơ sở dữ liệu."""
    _upgrade_database(settings_of(ctx))


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """Nâng cấp lược đồ cơ sở dữ liệu lên phiên bản mới nhất (Alembic)."""
    _upgrade_database(settings_of(ctx))


@config_app.command("show")
def config_show(ctx: typer.Context) -> None:
    """In cấu hình đang có hiệu lực (mật khẩu và khóa bí mật được che)."""
    typer.echo(dumps_toml(masked_values(settings_of(ctx))), nl=False)


def main() -> None:
    """Console-script entry point: user errors become one line on stderr and exit status 2."""
    try:
        status = cli_text.run(app)
    except (ConfigError, StorageError, SourceError) as exc:
        typer.echo(f"Lỗi: {exc}", err=True)
        sys.exit(2)
    except OSError as exc:  # a file a command reads or writes that it did not check first: still one line
        typer.echo(f"Lỗi: {file_problem(exc)}", err=True)
        sys.exit(2)
    sys.exit(status)
