"""Migrations: they build the schema on an empty database and agree with the models."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from storage.engine import Database
from storage.migrate import current_revision, downgrade, head_revision, include_name, upgrade
from storage.settings import StorageSettings
from storage.tables import Base
from tests.conftest import REPO

TABLES = {"outlet", "feed", "article", "snapshot"}


def test_upgrade_builds_every_table_and_matches_the_models(database: Database) -> None:
    assert current_revision(database.engine) == head_revision()
    assert set(inspect(database.engine).get_table_names()) >= TABLES
    with database.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "include_name": include_name})
        diff = compare_metadata(context, Base.metadata)
    assert diff == [], f"models and migrations disagree: {diff}"


def test_downgrade_to_base_and_upgrade_again(database: Database) -> None:
    downgrade(database.engine, "base")
    assert current_revision(database.engine) is None
    assert not TABLES & set(inspect(database.engine).get_table_names())
    upgrade(database.engine)
    assert current_revision(database.engine) == head_revision()


def test_upgrade_is_idempotent(database: Database) -> None:
    upgrade(database.engine)
    assert current_revision(database.engine) == head_revision()


@pytest.mark.subprocess
def test_alembic_command_upgrades_an_empty_database(db_url: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("THADS_")}
    done = subprocess.run(
        [sys.executable, "-m", "alembic", "-x", f"db_url={db_url}", "upgrade", "head"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    db = Database.from_settings(StorageSettings(database_url=db_url))
    try:
        assert current_revision(db.engine) == head_revision()
    finally:
        db.dispose()
