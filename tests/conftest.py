"""Shared fixtures. Storage tests take `db_url` / `database`, which run once on SQLite and once on
PostgreSQL; the summary at the end says how many ran on each."""

from __future__ import annotations

import os
import shutil
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from _pytest.terminal import TerminalReporter
from sqlalchemy.engine import URL, make_url

from dashboards.settings import WebSettings
from nlp.linear import LinearModel
from storage.engine import Database
from storage.migrate import upgrade
from storage.settings import StorageSettings
from tests import postgres

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("THADS_SHARED_DIR", REPO.parent / "shared"))

# The suite hashes passwords with cheap argon2 parameters, as Django's test settings use a fast hasher: a sign-in
# still verifies the password for real, in a fraction of a millisecond instead of a fifth of a second and 64 MiB.
# tests/dashboards/web/test_security.py checks that the production defaults are the strong ones.
FAST_ARGON2: dict[str, Any] = {"argon2_time_cost": 1, "argon2_memory_kib": 64, "argon2_parallelism": 1}


def web_settings(**fields: Any) -> WebSettings:
    """Web settings for a test: cheap password hashing, then the given fields."""
    return WebSettings(**{**FAST_ARGON2, **fields})


@pytest.fixture(scope="session", autouse=True)
def loaded_models_kept() -> Iterator[None]:
    """Each model file is read once per session (per xdist worker): the tests load the shipped classifier hundreds
    of times (every enrichment, every web app), a quarter of a second each. The key is the files' path, size and
    modification time, so a model a test writes, rewrites or damages is read again; the arrays are frozen, so a
    test that would change a shared model fails instead of leaking into the next."""
    read = LinearModel.load  # the real one, bound to LinearModel (it has no subclasses)
    kept: dict[tuple[object, ...], LinearModel] = {}

    def load(cls: type[LinearModel], path: Path) -> LinearModel:
        files = (path.with_suffix(".vocab.json.gz"), path.with_suffix(".npz"))
        try:
            key: tuple[object, ...] = tuple((str(f.resolve()), f.stat().st_size, f.stat().st_mtime_ns) for f in files)
        except OSError:
            return read(path)  # missing: the real load says so
        if key not in kept:
            model = read(path)
            for array in (model.idf, model.coef, model.intercept, model.char_idf):
                array.flags.writeable = False
            kept[key] = model
        return kept[key]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(LinearModel, "load", classmethod(load))
        yield


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def shared_path(*parts: str) -> Path:
    """A file of ../shared (recorded pages, corpus); missing is a failure, not a skip."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.fail(f"{path} is missing: the tests read ../shared beside the repository (or $THADS_SHARED_DIR)")
    return path


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[URL]:
    url = make_url(os.environ.get("THADS_TEST_POSTGRES_URL", postgres.DEFAULT_URL))
    if postgres.answers(url):
        yield url
        return
    try:
        with postgres.throwaway_cluster() as started:
            yield started
    except Exception as exc:
        pytest.fail(
            f"PostgreSQL: {url.render_as_string(hide_password=True)} does not answer and no throwaway "
            f"cluster could be started ({exc}). Storage tests must run on PostgreSQL too.",
            pytrace=False,
        )


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database URL, once per backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'thads.db'}"
        return
    server: URL = request.getfixturevalue("postgres_server")
    with postgres.fresh_database(server) as url:
        yield url.render_as_string(hide_password=False)


@pytest.fixture
def storage_settings(db_url: str, tmp_path: Path) -> StorageSettings:
    return StorageSettings(database_url=db_url, data_dir=tmp_path / "data")


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to the newest schema once per session (per xdist worker). Running every migration
    costs a quarter to half a second; copying the file, under a millisecond. tests/storage/test_migrate.py still
    runs the migrations themselves, up and down, on both backends."""
    folder = tmp_path_factory.mktemp("migrated")
    path = folder / "thads.db"
    db = Database.from_settings(StorageSettings(database_url=f"sqlite:///{path}", data_dir=folder / "data"))
    upgrade(db.engine)
    db.dispose()  # the last connection closed: WAL checkpointed into the file, no -wal or -shm left
    assert not path.with_name("thads.db-wal").exists()
    return path


@contextmanager
def migrated_database(request: pytest.FixtureRequest, folder: Path) -> Iterator[Database]:
    """A migrated database on the backend of `request.param` (one of BACKENDS), for a fixture wider than one test
    (a module's read-only data seeded once per backend)."""
    settings = StorageSettings(database_url=f"sqlite:///{folder / 'thads.db'}", data_dir=folder / "data")
    if request.param == "sqlite":
        shutil.copyfile(request.getfixturevalue("migrated_sqlite"), folder / "thads.db")
        db = Database.from_settings(settings)
        try:
            yield db
        finally:
            db.dispose()
        return
    with postgres.fresh_database(request.getfixturevalue("postgres_server")) as url:
        db = Database.from_settings(
            settings.model_copy(update={"database_url": url.render_as_string(hide_password=False)})
        )
        upgrade(db.engine)
        try:
            yield db
        finally:
            db.dispose()


@pytest.fixture
def database(storage_settings: StorageSettings, request: pytest.FixtureRequest) -> Iterator[Database]:
    """A migrated database, once per backend: on SQLite a copy of the session's migrated file, on PostgreSQL a
    fresh database migrated by Alembic."""
    assert storage_settings.database_url is not None
    url = make_url(storage_settings.database_url)
    if url.get_backend_name() == "sqlite":
        assert url.database is not None
        shutil.copyfile(request.getfixturevalue("migrated_sqlite"), url.database)
        db = Database.from_settings(storage_settings)
    else:
        db = Database.from_settings(storage_settings)
        upgrade(db.engine)
    yield db
    db.dispose()


_backend_counts: Counter[str] = Counter()


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call" and report.passed:
        for backend in ("sqlite", "postgresql"):
            if f"[{backend}" in report.nodeid:
                _backend_counts[backend] += 1


def pytest_terminal_summary(terminalreporter: TerminalReporter) -> None:
    if _backend_counts:
        parts = ", ".join(f"{name}: {n} passed" for name, n in sorted(_backend_counts.items()))
        terminalreporter.write_line(f"storage backends exercised: {parts}")
