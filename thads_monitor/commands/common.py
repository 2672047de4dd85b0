"""Helpers shared by the CLI commands."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer

from storage.engine import Database, check_connection
from storage.migrate import require_current
from thads_monitor.settings import ConfigError, Settings


def settings_of(ctx: typer.Context) -> Settings:
    settings = ctx.find_root().obj
    assert isinstance(settings, Settings)
    return settings


@contextmanager
def open_database(settings: Settings) -> Iterator[Database]:
    """The configured database, checked to answer and to be at the newest schema (a SQLite file that does not
    exist is not made: only `init`, `db upgrade` and `run` create it); disposed afterwards."""
    db = Database.from_settings(settings.storage, create=False)
    try:
        check_connection(db.engine)
        require_current(db.engine)
        yield db
    finally:
        db.dispose()


def input_file(path: Path, option: str) -> Path:
    """A file the command reads, or ConfigError naming it and the option it came from."""
    if not path.exists():
        raise ConfigError(f"không tìm thấy tệp {path} ({option})")
    if not path.is_file():
        raise ConfigError(f"{path} ({option}) không phải là tệp")
    return path


def input_folder(path: Path, option: str) -> Path:
    """A folder the command reads, or ConfigError naming it and the option it came from."""
    if not path.is_dir():
        raise ConfigError(f"không tìm thấy thư mục {path} ({option})")
    return path


def output_file(path: Path, option: str) -> Path:
    """A file the command writes: its folder must exist (nothing is made for a mistyped path)."""
    if path.is_dir():
        raise ConfigError(f"{path} ({option}) là một thư mục, không phải tệp")
    if not path.parent.is_dir():
        raise ConfigError(f"không có thư mục {path.parent} để ghi {path} ({option})")
    return path
