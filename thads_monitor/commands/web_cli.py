"""Web commands: `serve` (the web app with uvicorn) and `users create|set-password|sign-out` (sign-in accounts)."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from alerts.focal_points import UserRowIn
from dashboards.web.security import Passwords, password_problem
from domain.records import User
from domain.text import normalize_vietnamese
from storage.accounts import set_password_hash
from storage.cases import get_user, upsert_user
from storage.sessions import end_user_sessions
from thads_monitor.commands.common import open_database, settings_of
from thads_monitor.commands.profiles_cli import ensure_profiles
from thads_monitor.settings import CONFIG_ENV, ConfigError

users_app = typer.Typer(help="Tài khoản đăng nhập giao diện web.", no_args_is_help=True)
FIELD_VI = {"email": "thư điện tử", "name": "họ tên", "role": "vai trò", "province": "tỉnh/thành"}


def serve(
    ctx: typer.Context,
    host: Annotated[str | None, typer.Option(help="Địa chỉ lắng nghe (mặc định: web.host).")] = None,
    port: Annotated[int | None, typer.Option(help="Cổng (mặc định: web.port).", min=1, max=65535)] = None,
    workers: Annotated[int | None, typer.Option(help="Số tiến trình (mặc định: web.workers).", min=1, max=64)] = None,
) -> None:
    """Chạy giao diện web (phân loại tin, hồ sơ, tìm kiếm, xu hướng)."""
    import uvicorn  # the server and the app (FastAPI, every page): loaded for this command only

    from thads_monitor.webapp import ProxyOptions, build_app, open_checked

    settings = settings_of(ctx)
    web = settings.web
    host, port, workers = host or web.host, port or web.port, workers or web.workers
    proxy = ProxyOptions.of(web)
    database = open_checked(settings)
    ensure_profiles(database, now=dt.datetime.now(dt.UTC))
    typer.echo(f"Giao diện web: http://{host}:{port}/ (Ctrl+C để dừng)")
    if workers == 1:
        try:
            uvicorn.run(
                build_app(settings, database),
                host=host,
                port=port,
                log_level="warning",
                proxy_headers=proxy.proxy_headers,
                forwarded_allow_ips=proxy.forwarded_allow_ips,
            )
        finally:
            database.dispose()
        return
    database.dispose()
    config = ctx.find_root().params.get("config")
    if config is not None:  # the workers build their settings themselves, from the same file
        os.environ[CONFIG_ENV] = str(Path(config).resolve())
    uvicorn.run(
        "thads_monitor.webapp:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        timeout_worker_healthcheck=180,  # a worker imports the whole CLI before it answers: slow on a busy machine
        log_level="warning",
        proxy_headers=proxy.proxy_headers,
        forwarded_allow_ips=proxy.forwarded_allow_ips,
    )


@users_app.command("create")
def users_create(
    ctx: typer.Context,
    email: Annotated[str, typer.Argument(help="Thư điện tử (tên đăng nhập).")],
    name: Annotated[str, typer.Option("--name", help="Họ tên.")],
    role: Annotated[
        str, typer.Option("--role", help="admin | monitor | dau_moi | leader (hoặc: quản trị, giám sát, …).")
    ],
    province: Annotated[
        str | None, typer.Option("--province", help="Tỉnh/thành (bắt buộc với đầu mối) hoặc toan_quoc.")
    ] = None,
    head: Annotated[bool, typer.Option("--head", help="Thủ trưởng cơ quan tỉnh (nhận báo cáo vượt cấp).")] = False,
) -> None:
    """Tạo tài khoản; đặt mật khẩu bằng `users set-password`."""
    try:
        row = UserRowIn.model_validate({"email": email, "name": name, "role": role, "province": province, "head": head})
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else ""
        message = str(first["msg"]).removeprefix("Value error, ")
        if not field:  # a rule across fields: a focal point needs --province
            raise ConfigError(f"{message} (--province)") from exc
        raise ConfigError(f"{FIELD_VI.get(field, field)} không hợp lệ: {message}") from exc
    with open_database(settings_of(ctx)) as db, db.session() as session:
        if get_user(session, str(row.email)) is not None:
            raise ConfigError(f"đã có người dùng {str(row.email).lower()}")
        user = upsert_user(
            session,
            User(
                email=str(row.email).lower(),
                name=normalize_vietnamese(row.name),
                role=row.role,
                province=row.province,
                is_head=row.head,
            ),
        )
    typer.echo(
        f"Đã tạo tài khoản {user.email} ({user.role}). Đặt mật khẩu: thads-monitor users set-password {user.email}"
    )


@users_app.command("set-password")
def users_set_password(
    ctx: typer.Context,
    email: Annotated[str, typer.Argument(help="Thư điện tử của tài khoản.")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Đọc mật khẩu từ dòng đầu của stdin.")
    ] = False,
) -> None:
    """Đặt mật khẩu (hỏi hai lần, không hiện trên màn hình); mọi phiên đăng nhập cũ hết hiệu lực."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Mật khẩu mới", hide_input=True)
        again = typer.prompt("Nhập lại mật khẩu", hide_input=True)
        if again != password:
            raise ConfigError("hai lần nhập mật khẩu không khớp")
    problem = password_problem(password)
    if problem is not None:
        raise ConfigError(problem)
    settings = settings_of(ctx)
    hashed = Passwords(settings.web).hash(password)
    with open_database(settings) as db, db.session() as session:
        if not set_password_hash(session, email, hashed):
            raise ConfigError(f"không có người dùng {email.strip().lower()}")
        ended = end_user_sessions(session, email, at=dt.datetime.now(dt.UTC))
    typer.echo(f"Đã đặt mật khẩu cho {email.strip().lower()}; {ended or 0} phiên đăng nhập đã kết thúc.")


@users_app.command("sign-out")
def users_sign_out(
    ctx: typer.Context, email: Annotated[str, typer.Argument(help="Thư điện tử của tài khoản.")]
) -> None:
    """Đăng xuất tài khoản khỏi mọi nơi: mọi phiên đăng nhập đang mở hết hiệu lực ngay."""
    with open_database(settings_of(ctx)) as db, db.session() as session:
        ended = end_user_sessions(session, email, at=dt.datetime.now(dt.UTC))
    if ended is None:
        raise ConfigError(f"không có người dùng {email.strip().lower()}")
    typer.echo(f"Đã đăng xuất {email.strip().lower()} khỏi mọi nơi: {ended} phiên đăng nhập đã kết thúc.")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.add_typer(users_app, name="users")
