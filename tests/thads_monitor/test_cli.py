"""The installed `thads-monitor` command, run as a user runs it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

EXE = shutil.which("thads-monitor", path=str(Path(sys.executable).parent)) or "thads-monitor"


def run(*args: str, env: dict[str, str] | None = None, home: Path) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("THADS_")}
    base.update({"HOME": str(home), "XDG_DATA_HOME": str(home / "data"), "XDG_CONFIG_HOME": str(home / "cfg")})
    base.update(env or {})
    return subprocess.run([EXE, *args], env=base, capture_output=True, text=True, timeout=120, check=False)


def test_init_creates_the_sqlite_database_in_the_user_data_folder(tmp_path: Path) -> None:
    first = run("init", home=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "Đã tạo cơ sở dữ liệu" in first.stdout
    assert (tmp_path / "data" / "thads-monitor" / "thads-monitor.db").exists()
    again = run("db", "upgrade", home=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "đã ở phiên bản mới nhất" in again.stdout


def test_init_on_postgresql(db_url: str, tmp_path: Path) -> None:
    done = run("init", env={"THADS_STORAGE__DATABASE_URL": db_url}, home=tmp_path)
    assert done.returncode == 0, done.stderr


def test_config_show_prints_effective_settings_with_secrets_masked(tmp_path: Path) -> None:
    url = "postgresql://thads:bi-mat@db.local/thads"
    done = run("config", "show", env={"THADS_STORAGE__DATABASE_URL": url}, home=tmp_path)
    assert done.returncode == 0, done.stderr
    assert 'database_url = "postgresql+psycopg://thads:***@db.local/thads"' in done.stdout
    assert "bi-mat" not in done.stdout
    assert "[log]" in done.stdout


@pytest.mark.parametrize(
    ("env", "config", "expected"),
    [
        (
            {"THADS_STORAGE__DATABASE_URL": "mysql://root@localhost/thads"},
            None,
            "THADS_STORAGE__DATABASE_URL",
        ),
        (
            {"THADS_STORAGE__DATABASE_URL": "postgresql://postgres@127.0.0.1:9/test"},
            None,
            "không kết nối được cơ sở dữ liệu postgresql+psycopg://postgres@127.0.0.1:9/test",
        ),
        ({}, "[storage]\ndatabase_url = 'sqlite:///x.db\n", "không phải TOML hợp lệ"),
    ],
    ids=["unknown-scheme", "unreachable-server", "malformed-toml"],
)
def test_bad_settings_give_one_line_and_status_2(
    tmp_path: Path, env: dict[str, str], config: str | None, expected: str
) -> None:
    args = ["init"]
    if config is not None:
        path = tmp_path / "thads.toml"
        path.write_text(config, encoding="utf-8")
        args = ["--config", str(path), "init"]
    done = run(*args, env=env, home=tmp_path)
    assert done.returncode == 2
    assert expected in done.stderr
    assert done.stderr.startswith("Lỗi: ")
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "Traceback" not in done.stderr


def test_help_is_vietnamese(tmp_path: Path) -> None:
    done = run("--help", home=tmp_path)
    assert done.returncode == 0
    assert "Khởi tạo hệ thống" in done.stdout
