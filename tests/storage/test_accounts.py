"""Sign-in data on both backends: credentials of active users only, password hashes, the attempt log that
throttling reads (per account since its last success, per address)."""

from __future__ import annotations

import datetime as dt

from domain.records import User
from storage.accounts import (
    credentials,
    credentials_by_id,
    prune_logins,
    recent_failures,
    record_login,
    set_password_hash,
)
from storage.cases import upsert_user
from storage.engine import Database
from tests.seeding import T0, USERS


def test_credentials_and_password_hash(database: Database) -> None:
    with database.session() as session:
        user = upsert_user(session, USERS["cantho"])
        upsert_user(session, User(email="nghi@thads.vn", name="Đã nghỉ", role="dau_moi", province="Huế", active=False))
        assert set_password_hash(session, "  DauMoi.CanTho@thads.vn ", "$argon2id$v=19$fake")
        assert not set_password_hash(session, "khong-co@thads.vn", "x")
    with database.session() as session:
        found = credentials(session, "daumoi.cantho@THADS.vn")
        assert found is not None
        assert found.user.name == "Nguyễn Văn An"
        assert found.password_hash == "$argon2id$v=19$fake"
        by_id = credentials_by_id(session, user.id or 0)
        assert by_id is not None
        assert by_id.user.email == "daumoi.cantho@thads.vn"
        assert credentials(session, "nghi@thads.vn") is None  # inactive users cannot sign in


def test_failures_count_per_account_since_its_last_success_and_per_address(database: Database) -> None:
    minute = dt.timedelta(minutes=1)
    with database.session() as session:
        for i, (email, ip, ok) in enumerate(
            [
                ("an@thads.vn", "10.0.0.1", False),
                ("an@thads.vn", "10.0.0.1", False),
                ("an@thads.vn", "10.0.0.1", True),
                ("an@thads.vn", "10.0.0.2", False),
                ("binh@thads.vn", "10.0.0.1", False),
                ("AN@thads.vn", "10.0.0.1", False),
            ]
        ):
            record_login(session, email=email, ip=ip, at=T0 + i * minute, ok=ok)
    with database.session() as session:
        assert recent_failures(session, since=T0, email="an@thads.vn") == [T0 + 3 * minute, T0 + 5 * minute]
        assert recent_failures(session, since=T0 + 4 * minute, email="an@thads.vn") == [T0 + 5 * minute]
        assert len(recent_failures(session, since=T0, ip="10.0.0.1")) == 4  # an address is not reset by a success
        assert prune_logins(session, before=T0 + 2 * minute) == 2
        assert len(recent_failures(session, since=T0, ip="10.0.0.1")) == 2
