"""A seeded database per test module and backend (seeding runs the real workflow: worth doing once)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from storage.engine import Database
from storage.migrate import upgrade
from storage.settings import StorageSettings
from tests import postgres
from tests.conftest import BACKENDS
from tests.dashboards.reports.seed import Seeded, seed


@dataclass
class SeededDatabase:
    db: Database
    seeded: Seeded
    backend: str


@pytest.fixture(scope="module", params=BACKENDS)
def seeded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeededDatabase]:
    folder = tmp_path_factory.mktemp("reports")

    def make(url: str, *, migrated: bool) -> Iterator[SeededDatabase]:
        db = Database.from_settings(StorageSettings(database_url=url, data_dir=folder))
        if not migrated:
            upgrade(db.engine)
        try:
            yield SeededDatabase(db=db, seeded=seed(db), backend=request.param)
        finally:
            db.dispose()

    if request.param == "sqlite":  # a copy of the session's migrated file (tests/conftest.py: migrated_sqlite)
        shutil.copyfile(request.getfixturevalue("migrated_sqlite"), folder / "thads.db")
        yield from make(f"sqlite:///{folder / 'thads.db'}", migrated=True)
        return
    with postgres.fresh_database(request.getfixturevalue("postgres_server")) as url:
        yield from make(url.render_as_string(hide_password=False), migrated=False)
