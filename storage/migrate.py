"""Alembic migrations, run programmatically (`thads-monitor db upgrade`) or with the `alembic` command."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.environment import NameFilterParentNames, NameFilterType
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from storage.errors import StorageError

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
# Made by migrations, not by the ORM models: the search index (migration 0006; SQLite's FTS5 table comes with
# shadow tables article_fts_data, _idx, _docsize, _config; PostgreSQL's table with its partitions).
UNMODELLED_TABLES = ("article_fts", "article_search")


def include_name(name: str | None, type_: NameFilterType, parent_names: NameFilterParentNames) -> bool:
    """Autogenerate's filter: leave out the tables that the models do not describe (UNMODELLED_TABLES)."""
    return not (type_ == "table" and name is not None and name.startswith(UNMODELLED_TABLES))


def alembic_config(engine: Engine) -> Config:
    """An Alembic config that runs on `engine`'s connection (see migrations/env.py)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Create or upgrade the schema to `revision`."""
    command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str) -> None:
    command.downgrade(alembic_config(engine), revision)


def head_revision() -> str:
    script = ScriptDirectory(str(MIGRATIONS_DIR))
    head = script.get_current_head()
    assert head is not None, "no migrations found"
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for an empty database."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def require_current(engine: Engine) -> None:
    """StorageError unless the database is at the newest schema (commands other than `init` do not migrate)."""
    if current_revision(engine) != head_revision():
        where = engine.url.render_as_string(hide_password=True)
        raise StorageError(
            f"cơ sở dữ liệu chưa được tạo hoặc chưa nâng cấp ({where}): hãy chạy `thads-monitor init` trước"
        )
