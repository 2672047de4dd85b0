"""A PostgreSQL server for the tests: the one at $THADS_TEST_POSTGRES_URL (default 127.0.0.1:5432, user
postgres, database test) when it answers, else a throwaway cluster started from the PostgreSQL binaries on
this machine. Neither → the tests fail: PostgreSQL is never skipped silently."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from sqlalchemy.engine import URL, make_url

from tests.ports import free_port

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _conninfo(url: URL) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def answers(url: URL) -> bool:
    try:
        with psycopg.connect(_conninfo(url), connect_timeout=3):
            return True
    except psycopg.OperationalError:
        return False


def _bindir() -> Path | None:
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(candidate, "initdb").exists():
            return Path(candidate)
    found = shutil.which("initdb")
    return Path(found).parent if found else None


@contextmanager
def throwaway_cluster() -> Iterator[URL]:
    """initdb + pg_ctl start in a temporary folder on a free loopback port; stopped and removed on exit."""
    bindir = _bindir()
    if bindir is None:
        raise RuntimeError("no PostgreSQL binaries (initdb) found on this machine")
    # Not under pytest's tmp_path: that is private to the current user, and as root the cluster must be
    # owned by another user (initdb refuses to run as root).
    workdir = Path(tempfile.mkdtemp(prefix="thads-pg-"))
    data = workdir / "pgdata"
    prefix: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(workdir, user="postgres")
        prefix = ["runuser", "-u", "postgres", "--"]
    port = free_port()
    subprocess.run(
        [*prefix, str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8"],
        check=True,
        capture_output=True,
    )
    options = f"-h 127.0.0.1 -p {port} -k {workdir} -c fsync=off"
    subprocess.run(
        [
            *prefix,
            str(bindir / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            options,
            "-w",
            "-l",
            str(workdir / "log"),
            "start",
        ],
        check=True,
        capture_output=True,
    )
    try:
        yield make_url(f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres")
    finally:
        subprocess.run(
            [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True,
            check=False,
        )
        shutil.rmtree(workdir, ignore_errors=True)


@contextmanager
def fresh_database(server: URL) -> Iterator[URL]:
    """An empty database of its own for one test, dropped afterwards."""
    name = f"thads_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_conninfo(server), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
    try:
        yield server.set(database=name)
    finally:
        with psycopg.connect(_conninfo(server), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
