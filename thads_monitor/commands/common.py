"""Helpers shared by the CLI commands."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer

from storage.engine import Database, check_connection
from thads_monitor.settings import Settings


def settings_of(ctx: typer.Context) -> Settings:
    settings = ctx.find_root().obj
    assert isinstance(settings, Settings)
    return settings


@contextmanager
def open_database(settings: Settings) -> Iterator[Database]:
    """The configured database, checked to answer; disposed afterwards."""
    db = Database.from_settings(settings.storage)
    try:
        check_connection(db.engine)
        yield db
    finally:
        db.dispose()
