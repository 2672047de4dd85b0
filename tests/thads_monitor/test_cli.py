"""The installed `thads-monitor` command, run as a user runs it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.subprocess  # the installed command, one process per call

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


# Every command that opens the database (Issue 13 item 10), with what it needs besides.
DATABASE_COMMANDS = [
    ("init",),
    ("db", "upgrade"),
    ("jobs",),
    ("run",),
    ("worker", "outbox", "--once"),
    ("crawl",),
    ("social", "poll"),
    ("sources", "health"),
    ("enrich",),
    ("workflow",),
    ("cases", "list"),
    ("cases", "show", "1"),
    ("cases", "assign", "1", "--to", "a@thads.vn"),
    ("cases", "ack", "1"),
    ("cases", "close", "1"),
    ("cases", "dismiss", "1", "--reason", "trùng"),
    ("focal-points", "list"),
    ("preferences", "show", "a@thads.vn"),
    ("digest", "send"),
    ("outbox", "list"),
    ("outbox", "send"),
    ("search", "thi hành án"),
    ("report", "--period", "2026-11"),
    ("serve",),
    ("users", "create", "a@thads.vn", "--name", "Lê A", "--role", "monitor"),
]


def _one_line_error(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.startswith("Lỗi: "), done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    return done.stderr.strip()


@pytest.mark.slow
@pytest.mark.parametrize("args", DATABASE_COMMANDS, ids=" ".join)
def test_a_bad_sqlite_url_is_one_line_and_creates_nothing(tmp_path: Path, args: tuple[str, ...]) -> None:
    workdir = tmp_path / "cwd"
    workdir.mkdir()
    base = {k: v for k, v in os.environ.items() if not k.startswith("THADS_")}
    base.update({"HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path)})
    base["THADS_MAIL__HOST"] = "127.0.0.1"  # `outbox send` checks the mail settings before the database
    missing_folder = tmp_path / "khong-co" / "thu-muc"
    for url, expected in (
        (f"sqlite:///{missing_folder / 'x.db'}", str(missing_folder)),
        ("sqlite:///%00", "ký tự NUL"),
    ):
        done = subprocess.run(
            [EXE, *args],
            env={**base, "THADS_STORAGE__DATABASE_URL": url},
            cwd=workdir,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert expected in _one_line_error(done)
        assert not (tmp_path / "khong-co").exists()
        assert list(workdir.iterdir()) == []


@pytest.mark.parametrize(
    "args",
    [
        ("jobs",),
        ("cases", "show", "1"),
        ("focal-points", "list"),
        ("outbox", "list"),
        ("serve",),
        ("search", "án"),
        ("social", "poll"),
    ],
    ids=" ".join,
)
def test_a_command_on_a_database_not_yet_made_says_to_run_init_and_makes_nothing(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    """Only init, db upgrade and run make the database; the others (open_database, open_checked for the web app)
    refuse to start an empty one."""
    path = tmp_path / "thads.db"
    done = run(*args, env={"THADS_STORAGE__DATABASE_URL": f"sqlite:///{path}"}, home=tmp_path)
    assert "cơ sở dữ liệu chưa được tạo" in _one_line_error(done)
    assert "thads-monitor init" in done.stderr
    assert not path.exists()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("classify", "--input", "/khong-co/bai.jsonl", "--output", "{tmp}/ra.jsonl"), "/khong-co/bai.jsonl (--input)"),
        (("classify", "--input", "{tmp}", "--output", "{tmp}/ra.jsonl"), "(--input) không phải là tệp"),
        (
            ("classify", "--input", "{tmp}/vao.jsonl", "--output", "/khong-co/ra.jsonl"),
            "không có thư mục /khong-co để ghi",
        ),
        (("nlp", "train", "--corpus", "/khong-co", "--labels", "{tmp}/vao.jsonl"), "/khong-co (--corpus)"),
        (("nlp", "train", "--corpus", "{tmp}", "--labels", "/khong-co/nhan.jsonl"), "/khong-co/nhan.jsonl (--labels)"),
        (("replay-site", "--corpus", "/khong-co/kho.jsonl.gz"), "/khong-co/kho.jsonl.gz (--corpus)"),
        (("demo", "--corpus", "/khong-co/kho.jsonl", "--seconds", "1"), "/khong-co/kho.jsonl (--corpus)"),
        (("focal-points", "import", "/khong-co/dau-moi.csv"), "/khong-co/dau-moi.csv"),
        (
            ("cases", "respond", "1", "--kind", "bao_cao", "--text", "x", "--attach", "/khong-co/a.pdf"),
            "/khong-co/a.pdf",
        ),
        (("extract", "/khong-co/trang.html"), "/khong-co/trang.html"),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, tuple) else "",
)
def test_a_missing_input_file_is_one_line_naming_it(tmp_path: Path, args: tuple[str, ...], expected: str) -> None:
    (tmp_path / "vao.jsonl").write_text('{"id": 1, "title": "Thi hành án", "text": "Cục THADS"}\n', encoding="utf-8")
    done = run(*(a.replace("{tmp}", str(tmp_path)) for a in args), home=tmp_path)
    message = _one_line_error(done)
    assert expected.replace("{tmp}", str(tmp_path)) in message
    assert "Traceback" not in done.stderr
