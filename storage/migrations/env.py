"""Alembic environment.

Programmatic runs pass the engine in `config.attributes["engine"]`. The `alembic` command (alembic.ini at
the repository root) takes the URL from `-x db_url=...`, else THADS_STORAGE__DATABASE_URL, else the
embedded SQLite default.
"""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import Engine

from storage.engine import make_engine
from storage.migrate import include_name
from storage.settings import StorageSettings
from storage.tables import Base

config = context.config
target_metadata = Base.metadata


def _engine() -> Engine:
    engine = config.attributes.get("engine")
    if isinstance(engine, Engine):
        return engine
    url = context.get_x_argument(as_dictionary=True).get("db_url") or os.environ.get("THADS_STORAGE__DATABASE_URL")
    return make_engine(StorageSettings(database_url=url))


def run_migrations_online() -> None:
    engine = _engine()
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copy
            compare_type=True,
            include_name=include_name,  # the search index is made by its migration, not by the models
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported: run them against a database")
run_migrations_online()
