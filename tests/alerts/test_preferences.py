"""Reading e-mail preferences as people type them, and what quiet hours and scopes mean."""

from __future__ import annotations

import datetime as dt

import pytest

from alerts.preferences import PreferenceError, parse_quiet_hours, parse_scope, quiet_until, scope_of
from domain.localtime import VN
from domain.records import Preferences, User


@pytest.mark.parametrize(
    ("text", "expected"),
    [("22:00-06:30", ("22:00", "06:30")), (" 7:05 – 8:00 ", ("07:05", "08:00")), ("12:00-13:30", ("12:00", "13:30"))],
)
def test_quiet_hours_are_read_in_their_usual_forms(text: str, expected: tuple[str, str]) -> None:
    assert parse_quiet_hours(text) == expected


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("22h-6h", "phải có dạng HH:MM-HH:MM"),
        ("25:00-06:00", "25:00 không phải giờ hợp lệ"),
        ("22:00-22:00", "giờ bắt đầu và giờ kết thúc trùng nhau"),
    ],
)
def test_bad_quiet_hours_are_refused_in_vietnamese(text: str, error: str) -> None:
    with pytest.raises(PreferenceError, match=error):
        parse_quiet_hours(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thanh Hoá", "Thanh Hóa"),  # new-style tone mark
        ("can tho", "Cần Thơ"),
        ("HỒ CHÍ MINH", "Hồ Chí Minh"),
        ("toàn quốc", "toan_quoc"),
        ("toan_quoc", "toan_quoc"),
    ],
)
def test_scopes_match_the_34_provinces_whatever_the_diacritics(text: str, expected: str) -> None:
    assert parse_scope(text) == expected


def test_a_former_province_is_not_a_scope() -> None:
    with pytest.raises(PreferenceError, match="'Bình Dương' không phải một trong 34 tỉnh"):
        parse_scope("Bình Dương")


def _local(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=VN).astimezone(dt.UTC)


def test_quiet_hours_across_midnight_and_within_a_day() -> None:
    assert quiet_until(_local(16, 23, 15), "22:00", "06:30") == _local(17, 6, 30)
    assert quiet_until(_local(17, 2, 0), "22:00", "06:30") == _local(17, 6, 30)
    assert quiet_until(_local(17, 6, 30), "22:00", "06:30") is None
    assert quiet_until(_local(17, 21, 59), "22:00", "06:30") is None
    assert quiet_until(_local(17, 12, 10), "12:00", "13:30") == _local(17, 13, 30)
    assert quiet_until(_local(17, 13, 30), "12:00", "13:30") is None


def test_the_digest_scope_defaults_to_the_users_province() -> None:
    provincial = User(email="an@thads.vn", name="An", role="dau_moi", province="Cần Thơ")
    central = User(email="cuc@thads.vn", name="Cục", role="monitor", province="toan_quoc")
    leader = User(email="ld@thads.vn", name="Lãnh đạo", role="leader")
    assert scope_of(provincial, Preferences(email=provincial.email)) == "Cần Thơ"
    assert scope_of(provincial, Preferences(email=provincial.email, digest_scope="toan_quoc")) is None
    assert scope_of(provincial, Preferences(email=provincial.email, digest_scope="Hà Nội")) == "Hà Nội"
    assert scope_of(central, Preferences(email=central.email)) is None
    assert scope_of(leader, Preferences(email=leader.email)) is None
