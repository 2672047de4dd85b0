"""`thads-monitor users create|set-password` and `serve`, run as a user runs them."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.ports import free_port

EXE = str(Path(sys.executable).parent / "thads-monitor")


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("THADS_")}
    env.update(
        THADS_STORAGE__DATABASE_URL=f"sqlite:///{tmp_path / 'web.db'}",
        THADS_STORAGE__DATA_DIR=str(tmp_path / "data"),
        HOME=str(tmp_path),
    )
    return env


def _run(tmp_path: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [EXE, *args], env=_env(tmp_path), input=stdin, capture_output=True, text=True, check=False, timeout=120
    )


def _in_process(tmp_path: Path, *args: str) -> str:
    """Run a command in this process (starting the CLI costs seconds); returns its user-facing error."""
    from typer.testing import CliRunner

    from thads_monitor.cli import app
    from thads_monitor.settings import ConfigError

    done = CliRunner().invoke(app, list(args), env=_env(tmp_path))
    assert isinstance(done.exception, ConfigError), done.output
    return f"Lỗi: {done.exception}"


def test_users_create_refuses_bad_input_in_vietnamese(tmp_path: Path) -> None:
    from storage.engine import Database
    from storage.migrate import upgrade
    from storage.settings import StorageSettings

    db = Database.from_settings(StorageSettings(database_url=f"sqlite:///{tmp_path / 'web.db'}", data_dir=tmp_path))
    upgrade(db.engine)
    db.dispose()
    for args, message in [
        (("users", "create", "b@thads.vn", "--name", "Lê B", "--role", "dau_moi"), "Lỗi: đầu mối cần tỉnh/thành"),
        (("users", "create", "c@thads.vn", "--name", "Lê C", "--role", "bảo vệ"), "Lỗi: vai trò không hợp lệ"),
        (
            ("users", "create", "d@thads.vn", "--name", "Lê D", "--role", "leader", "--province", "Bình Dương"),
            "Lỗi: tỉnh/thành không hợp lệ: 'Bình Dương' không phải một trong 34",
        ),
        (
            ("users", "create", "khong-phai-email", "--name", "Lê E", "--role", "monitor"),
            "Lỗi: thư điện tử không hợp lệ",
        ),
        (("users", "set-password", "ai@thads.vn", "--password-stdin"), "Lỗi: mật khẩu cần ít nhất 10 ký tự"),
    ]:
        assert _in_process(tmp_path, *args).startswith(message), args


@pytest.mark.subprocess
def test_users_create_set_password_and_serve(tmp_path: Path) -> None:
    refused = _run(tmp_path, "serve", "--port", str(free_port()))
    assert refused.returncode == 2
    assert "Lỗi: cơ sở dữ liệu chưa được tạo" in refused.stderr
    assert _run(tmp_path, "init").returncode == 0
    made = _run(
        tmp_path,
        "users",
        "create",
        "An@THADS.vn",
        "--name",
        "Nguyễn Văn An",
        "--role",
        "đầu mối",
        "--province",
        "Cần Thơ",
    )
    assert made.returncode == 0, made.stderr
    assert "Đã tạo tài khoản an@thads.vn (dau_moi)" in made.stdout
    assert _in_process(tmp_path, "users", "create", "an@thads.vn", "--name", "An", "--role", "monitor") == (
        "Lỗi: đã có người dùng an@thads.vn"
    )
    done = _run(tmp_path, "users", "set-password", "an@thads.vn", "--password-stdin", stdin="Mật khẩu Cần Thơ 2026\n")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "Đã đặt mật khẩu cho an@thads.vn; 0 phiên đăng nhập đã kết thúc."

    port = free_port()
    with subprocess.Popen(
        [EXE, "serve", "--port", str(port)], env=_env(tmp_path), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    ) as server:
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 120
            while True:
                try:
                    page = httpx.get(f"{base}/dang-nhap", timeout=2)
                    break
                except httpx.TransportError:
                    assert server.poll() is None, server.stderr.read() if server.stderr else b""
                    assert time.monotonic() < deadline, "the server did not answer"
                    time.sleep(0.2)
            assert page.status_code == 200
            token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
            assert token is not None
            signed = httpx.post(
                f"{base}/dang-nhap",
                data={"email": "an@thads.vn", "password": "Mật khẩu Cần Thơ 2026", "csrf_token": token.group(1)},
                cookies=page.cookies,
            )
            assert (signed.status_code, signed.headers["location"]) == (303, "/")
            assert (tmp_path / "data" / "web-secret-key").stat().st_mode & 0o077 == 0  # the generated key is private
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(timeout=30)


def test_users_sign_out_ends_every_session_of_the_user(tmp_path: Path) -> None:
    import datetime as dt

    from typer.testing import CliRunner

    from domain.records import User
    from storage.cases import upsert_user
    from storage.engine import Database
    from storage.migrate import upgrade
    from storage.sessions import open_session, session_credentials
    from storage.settings import StorageSettings
    from thads_monitor.cli import app

    db = Database.from_settings(StorageSettings(database_url=f"sqlite:///{tmp_path / 'web.db'}", data_dir=tmp_path))
    upgrade(db.engine)
    now = dt.datetime.now(dt.UTC)
    with db.session() as session:
        user = upsert_user(session, User(email="an@thads.vn", name="Nguyễn Văn An", role="monitor", province=None))
        for token in ("may-tinh", "dien-thoai"):
            open_session(session, token=token, user_id=user.id or 0, at=now, expires_at=now + dt.timedelta(hours=12))
    done = CliRunner().invoke(app, ["users", "sign-out", "An@thads.vn"], env=_env(tmp_path))
    assert done.exit_code == 0, done.output
    assert done.output.strip() == "Đã đăng xuất an@thads.vn khỏi mọi nơi: 2 phiên đăng nhập đã kết thúc."
    with db.session() as session:
        assert session_credentials(session, "may-tinh", now=now) is None
        assert session_credentials(session, "dien-thoai", now=now) is None
    db.dispose()
    assert _in_process(tmp_path, "users", "sign-out", "ai@thads.vn") == "Lỗi: không có người dùng ai@thads.vn"
