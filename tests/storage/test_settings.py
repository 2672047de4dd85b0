from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from storage.settings import StorageSettings


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("postgresql://u:p@db:5432/thads", "postgresql+psycopg://u:p@db:5432/thads"),
        ("postgres://u@db/thads", "postgresql+psycopg://u@db/thads"),
        ("postgresql+psycopg://u@db/thads", "postgresql+psycopg://u@db/thads"),
        ("sqlite:////var/lib/thads/t.db", "sqlite:////var/lib/thads/t.db"),
        ("  ", None),
    ],
)
def test_urls_are_normalised_to_our_drivers(raw: str, expected: str | None) -> None:
    assert StorageSettings(database_url=raw).database_url == expected


@pytest.mark.parametrize("raw", ["mysql://root@localhost/thads", "oracle://x", "không phải url"])
def test_unsupported_urls_are_refused(raw: str) -> None:
    with pytest.raises(ValidationError, match="database_url"):
        StorageSettings(database_url=raw)


def test_default_is_sqlite_in_the_data_dir(tmp_path: Path) -> None:
    url = StorageSettings(data_dir=tmp_path).effective_url()
    assert url.get_backend_name() == "sqlite"
    assert url.database == str(tmp_path / "thads-monitor.db")
