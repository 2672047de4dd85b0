"""Settings: sources and their order, clear errors, and a README that lists every setting."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import pytest

from tests.conftest import REPO
from thads_monitor.settings import (
    ConfigError,
    Settings,
    iter_fields,
    load_settings,
    masked_values,
    settings_table_markdown,
)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in [n for n in os.environ if n.startswith("THADS_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-config"))


def _write(path: Path, content: str) -> Path:
    path.write_text(content, encoding="utf-8")
    return path


def test_environment_overrides_the_file_field_by_field(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = _write(
        tmp_path / "config.toml",
        f'[storage]\ndata_dir = "{tmp_path / "du-lieu"}"\ndatabase_url = "sqlite:///{tmp_path}/a.db"\n'
        '[log]\nlevel = "DEBUG"\n',
    )
    monkeypatch.setenv("THADS_STORAGE__DATABASE_URL", "postgresql://postgres@127.0.0.1/test")
    settings = load_settings(config)
    assert settings.storage.database_url == "postgresql+psycopg://postgres@127.0.0.1/test"
    assert settings.storage.data_dir == tmp_path / "du-lieu"
    assert settings.log.level == "DEBUG"


def test_config_file_from_environment_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THADS_CONFIG", str(_write(tmp_path / "c.toml", '[log]\nlevel = "ERROR"\n')))
    assert load_settings().log.level == "ERROR"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("[storage\nx = 1\n", r"c\.toml không phải TOML hợp lệ: .*line 1"),
        (
            '[storage]\ndatabase_url = "mysql://root@h/db"\n',
            r"storage\.database_url \(THADS_STORAGE__DATABASE_URL",
        ),
        ("[storage]\nconnect_timeout_s = 0\n", r"storage\.connect_timeout_s .* không hợp lệ"),
        (
            "[storage]\ndatabse_url = 'sqlite://'\n",
            r"thiết lập không tồn tại: storage\.databse_url trong tệp",
        ),
        ('[log]\nlevel = "LOUD"\n', r"log\.level \(THADS_LOG__LEVEL"),
        (
            "[web]\nargon2_parallelism = 4\nargon2_memory_kib = 16\n",
            r"web\.argon2_memory_kib \(THADS_WEB__ARGON2_MEMORY_KIB .* 8 KiB cho mỗi luồng: 32 KiB với 4 luồng",
        ),
    ],
)
def test_bad_settings_name_the_setting(tmp_path: Path, content: str, expected: str) -> None:
    with pytest.raises(ConfigError, match=expected) as info:
        load_settings(_write(tmp_path / "c.toml", content))
    assert "\n" not in str(info.value)


def test_bad_environment_value_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THADS_STORAGE__CONNECT_TIMEOUT_S", "năm giây")
    with pytest.raises(ConfigError, match="THADS_STORAGE__CONNECT_TIMEOUT_S"):
        load_settings()


def test_missing_and_non_utf8_files_are_reported(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="không tìm thấy tệp cấu hình"):
        load_settings(tmp_path / "khong-co.toml")
    bad = tmp_path / "latin1.toml"
    # A Windows-1258 file, as Vietnamese Windows editors save it.
    bad.write_bytes(unicodedata.normalize("NFD", '[log]\nlevel = "Hòa"\n').encode("cp1258"))
    with pytest.raises(ConfigError, match="không phải UTF-8"):
        load_settings(bad)


def test_masked_values_hide_the_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THADS_STORAGE__DATABASE_URL", "postgresql://thads:mat-khau@db.local:5432/thads")
    shown = masked_values(load_settings())
    assert shown["storage"]["database_url"] == "postgresql+psycopg://thads:***@db.local:5432/thads"
    assert "mat-khau" not in repr(shown)


def test_every_setting_has_a_description() -> None:
    missing = [".".join(path) for path, info in iter_fields(Settings) if not info.description]
    assert missing == []


def test_readme_lists_every_setting() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    table = settings_table_markdown()
    assert table in readme, "README's settings table is out of date; replace it with:\n" + table
