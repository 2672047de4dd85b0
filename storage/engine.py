"""Engine factory and sessions: SQLite (WAL, foreign keys on) by default, PostgreSQL through psycopg 3."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from storage.errors import StorageError, os_reason
from storage.settings import StorageSettings


def _sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=10000")
    finally:
        cursor.close()


def make_engine(settings: StorageSettings, *, pool_size: int | None = None, create: bool = True) -> Engine:
    """Build the engine for the configured database; no connection is opened yet.

    `pool_size`: connections kept open to a server (many concurrent requests: the web app), with as many again
    allowed in bursts; default SQLAlchemy's 5 + 10.
    `create`: a SQLite file that does not exist yet may be made (commands that create the schema); otherwise its
    absence is a StorageError and nothing is written. Either way a missing folder other than the data folder is
    an error: a mistyped path must not leave folders behind.
    """
    url = settings.effective_url()
    connect_args: dict[str, Any] = {}
    pool: dict[str, Any] = {}
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            _check_sqlite_file(url, settings.data_dir, create=create)
        connect_args["timeout"] = settings.connect_timeout_s
    else:
        connect_args["connect_timeout"] = settings.connect_timeout_s
        if pool_size is not None:
            pool = {"pool_size": pool_size, "max_overflow": pool_size}
    engine = create_engine(url, echo=settings.echo_sql, connect_args=connect_args, pool_pre_ping=True, **pool)
    if url.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _check_sqlite_file(url: URL, data_dir: Path, *, create: bool) -> None:
    """The SQLite file is usable as asked (see `make_engine`), or StorageError naming the URL and what is wrong."""
    assert url.database is not None
    where = describe(url)
    if "\x00" in url.database:
        raise StorageError(f"đường dẫn tệp SQLite trong {where} chứa ký tự NUL (%00)")
    path = Path(url.database).expanduser()
    try:
        exists = path.exists()
        if exists and not path.is_file():
            raise StorageError(f"{path} (trong {where}) không phải là tệp cơ sở dữ liệu")
        if exists:
            return
        if not create:
            raise StorageError(
                f"cơ sở dữ liệu chưa được tạo (không có tệp {path}): hãy chạy `thads-monitor init` trước"
            )
        if path.parent.resolve() == data_dir.expanduser().resolve():
            data_dir.expanduser().mkdir(parents=True, exist_ok=True)  # the default place: made on first use
        elif not path.parent.is_dir():
            raise StorageError(f"thư mục {path.parent} của cơ sở dữ liệu {where} không tồn tại")
    except OSError as exc:
        raise StorageError(f"không dùng được tệp cơ sở dữ liệu {where}: {os_reason(exc)}") from exc


def describe(url: URL) -> str:
    """The URL as shown to users: password hidden."""
    return url.render_as_string(hide_password=True)


def check_connection(engine: Engine) -> None:
    """Connect once, or raise StorageError with a one-line reason naming the URL."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise StorageError(f"không kết nối được cơ sở dữ liệu {describe(engine.url)}: {reason}") from exc


class Database:
    """The engine plus a session factory; the one handle the stages get."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def from_settings(cls, settings: StorageSettings, *, pool_size: int | None = None, create: bool = True) -> Database:
        return cls(make_engine(settings, pool_size=pool_size, create=create))

    @property
    def backend(self) -> str:
        return self.engine.url.get_backend_name()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed when the block ends, rolled back on any exception."""
        with self._sessions() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
