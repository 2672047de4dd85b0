"""Engine factory: SQLite pragmas, tz-aware timestamps on both backends, connection errors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, StatementError

from domain.records import Article, Outlet, OutletKind
from storage.articles import add_article, get_article
from storage.engine import Database, check_connection
from storage.errors import StorageError
from storage.outlets import upsert_outlet
from storage.settings import StorageSettings

ICT = timezone(timedelta(hours=7))


def test_sqlite_default_lives_in_the_data_dir_with_wal_and_foreign_keys(tmp_path: Path) -> None:
    settings = StorageSettings(data_dir=tmp_path / "nested" / "data")
    db = Database.from_settings(settings)
    try:
        with db.engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert (tmp_path / "nested" / "data" / "thads-monitor.db").exists()
    finally:
        db.dispose()


def _article(outlet_id: int, **changes: object) -> Article:
    fields: dict[str, object] = {
        "outlet_id": outlet_id,
        "url": "https://baophapluat.vn/cuong-che-thi-hanh-an.html",
        "title": "Cưỡng chế thi hành án tại huyện Hàm Thuận Bắc",
        "text": "Chấp hành viên Chi cục Thi hành án dân sự huyện đã tổ chức cưỡng chế kê biên tài sản.",
        "content_hash": "0" * 64,
        "fetched_at": datetime(2026, 11, 20, 8, 0, tzinfo=ICT),
    }
    fields.update(changes)
    return Article(**fields)  # type: ignore[arg-type]


def test_timestamps_come_back_as_utc_and_naive_ones_are_refused(database: Database) -> None:
    with database.session() as s:
        outlet = upsert_outlet(
            s,
            Outlet(
                slug="bplvn",
                name="Báo Pháp luật Việt Nam",
                domain="baophapluat.vn",
                kind=OutletKind.NATIONAL,
                reach_tier=1,
            ),
        )
        stored, _ = add_article(s, _article(outlet.id or 0, published_at=datetime(2026, 11, 20, 6, 30, tzinfo=ICT)))
    assert stored.fetched_at == datetime(2026, 11, 20, 1, 0, tzinfo=UTC)
    assert stored.fetched_at.tzinfo == UTC
    with database.session() as s:
        reloaded = get_article(s, stored.id or 0)
    assert reloaded is not None
    assert reloaded.published_at == datetime(2026, 11, 19, 23, 30, tzinfo=UTC)
    assert reloaded.published_at.tzinfo == UTC
    assert reloaded.fetched_at.tzinfo == UTC
    naive = datetime(2026, 11, 20, 8, 0)  # noqa: DTZ001 - the point of the test
    with pytest.raises(StatementError, match="naive datetime"), database.session() as s:
        add_article(s, _article(outlet.id or 0, url="https://x.vn/a", fetched_at=naive))


def test_foreign_keys_are_enforced(database: Database) -> None:
    with pytest.raises(IntegrityError), database.session() as s:
        add_article(s, _article(424242))


def test_unreachable_server_is_one_clear_error(tmp_path: Path) -> None:
    settings = StorageSettings(
        database_url="postgresql://postgres:hunter2@127.0.0.1:9/test", connect_timeout_s=2, data_dir=tmp_path
    )
    db = Database.from_settings(settings)
    with pytest.raises(StorageError) as info:
        check_connection(db.engine)
    message = str(info.value)
    assert "127.0.0.1:9" in message
    assert "hunter2" not in message
    assert "\n" not in message
