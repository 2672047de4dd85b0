"""Settings of the storage package; composed into the application Settings by `thads_monitor`."""

from __future__ import annotations

from pathlib import Path

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

# Schemes we support, each mapped to the driver we ship. "postgresql" alone would pick psycopg2.
_DRIVERS = {
    "sqlite": "sqlite",
    "sqlite+pysqlite": "sqlite",
    "postgresql": "postgresql+psycopg",
    "postgres": "postgresql+psycopg",
    "postgresql+psycopg": "postgresql+psycopg",
}


def default_data_dir() -> Path:
    """The per-user data folder (e.g. ~/.local/share/thads-monitor on Linux)."""
    return Path(platformdirs.user_data_dir("thads-monitor", appauthor=False))


def normalise_database_url(raw: str) -> str:
    """Return the URL with our driver, or raise ValueError naming the unsupported scheme."""
    try:
        url = make_url(raw)
    except ArgumentError as exc:
        raise ValueError(f"không đọc được URL cơ sở dữ liệu {raw!r}") from exc
    driver = _DRIVERS.get(url.drivername)
    if driver is None:
        supported = ", ".join(sorted({"sqlite", "postgresql", "postgresql+psycopg"}))
        raise ValueError(f"lược đồ {url.drivername!r} không được hỗ trợ (dùng: {supported})")
    return url.set(drivername=driver).render_as_string(hide_password=False)


class StorageSettings(BaseModel):
    """Where and how the data is stored."""

    model_config = ConfigDict(extra="forbid")

    database_url: str | None = Field(
        default=None,
        description=(
            "Database URL: `sqlite:///PATH` or `postgresql+psycopg://USER:PASSWORD@HOST:PORT/DB`. "
            "Empty: SQLite file `thads-monitor.db` in the data folder."
        ),
    )
    data_dir: Path = Field(
        default_factory=default_data_dir,
        description="Per-user data folder; holds the default SQLite database.",
    )
    connect_timeout_s: int = Field(
        default=5, ge=1, le=300, description="Seconds to wait for the database server before giving up."
    )
    echo_sql: bool = Field(default=False, description="Log every SQL statement (for debugging).")

    @field_validator("database_url")
    @classmethod
    def _check_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        return normalise_database_url(value.strip())

    def effective_url(self) -> URL:
        """The URL to connect to, with the SQLite default filled in."""
        if self.database_url is None:
            return URL.create("sqlite", database=str(self.data_dir / "thads-monitor.db"))
        return make_url(self.database_url)
