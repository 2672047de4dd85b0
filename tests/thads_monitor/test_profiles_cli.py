"""`thads-monitor profiles load|list|backfill` on a SQLite file: the starters stored once, listed with their
unit, a profile backfilled; an unknown code or file is a one-line Vietnamese error."""

from __future__ import annotations

import os
from pathlib import Path

from typer.testing import CliRunner

from domain.watch_profiles import starter_profiles
from storage.engine import Database
from storage.profiles import list_profiles
from storage.settings import StorageSettings
from thads_monitor.cli import app
from thads_monitor.settings import ConfigError


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("THADS_")}
    env.update(
        HOME=str(tmp_path),
        THADS_STORAGE__DATA_DIR=str(tmp_path / "data"),
        THADS_STORAGE__DATABASE_URL=f"sqlite:///{tmp_path / 'thads.db'}",
    )
    return env


def test_load_list_and_backfill(tmp_path: Path) -> None:
    env, runner = _env(tmp_path), CliRunner()
    assert runner.invoke(app, ["init"], env=env).exit_code == 0
    done = runner.invoke(app, ["profiles", "load"], env=env)
    assert done.exit_code == 0, done.output
    assert f"Đã thêm {len(starter_profiles())}, cập nhật 0, giữ nguyên 0 chủ đề theo dõi." in done.output
    again = runner.invoke(app, ["profiles", "load"], env=env)
    assert f"Đã thêm 0, cập nhật 0, giữ nguyên {len(starter_profiles())} chủ đề theo dõi." in again.output
    listed = runner.invoke(app, ["profiles", "list"], env=env).output.splitlines()
    assert listed[0].split("\t")[0] == "thads"
    assert "Bộ phận báo chí thi hành án dân sự" in listed[0]
    assert len(listed) == len(starter_profiles())
    done = runner.invoke(app, ["profiles", "backfill", "thads"], env=env)
    assert done.exit_code == 0, done.output
    assert "Chủ đề thads: đã đọc 0 bài, 0 bài khớp (trước đó 0)." in done.output
    database = Database.from_settings(StorageSettings(database_url=env["THADS_STORAGE__DATABASE_URL"]))
    with database.session() as session:
        assert list_profiles(session)[0].opens_cases
    database.dispose()


def test_unknown_code_and_missing_file_are_errors(tmp_path: Path) -> None:
    env, runner = _env(tmp_path), CliRunner()
    runner.invoke(app, ["init"], env=env)
    done = runner.invoke(app, ["profiles", "backfill", "khong_co"], env=env)
    assert isinstance(done.exception, ConfigError)
    assert "không có chủ đề theo dõi mã “khong_co”" in str(done.exception)
    done = runner.invoke(app, ["profiles", "load", "--file", str(tmp_path / "khong-co.yaml")], env=env)
    assert isinstance(done.exception, ConfigError)
    assert "không tìm thấy tệp" in str(done.exception)
    bad = tmp_path / "bad.yaml"
    bad.write_text("profiles:\n  - code: a\n    name: A\n    query: '\"thi hành án'\n", encoding="utf-8")
    done = runner.invoke(app, ["profiles", "load", "--file", str(bad)], env=env)
    assert isinstance(done.exception, ConfigError)
    assert "vị trí 1" in str(done.exception)
