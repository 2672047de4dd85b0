"""Counting time on the 2026 Vietnamese calendar (Bộ luật Dân sự Điều 147–148)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from alerts.calendar import WorkCalendar, add_days, add_hours, add_working_days, default_calendar
from alerts.deadlines import default_policy
from domain.localtime import VN

CAL = default_calendar()


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=VN)


def test_p2_flagged_friday_before_tet_gets_its_15th_working_day_after_the_tet_block() -> None:
    due = add_working_days(CAL, local(2026, 2, 13, 10), 15)
    assert due == local(2026, 3, 14, 0)  # 24:00 on Friday 13/03/2026


def test_saturday_22_august_2026_is_worked() -> None:
    assert CAL.is_working_day(dt.date(2026, 8, 22))
    assert not CAL.is_working_day(dt.date(2026, 8, 31))
    assert add_working_days(CAL, local(2026, 8, 14, 9), 15) == local(2026, 9, 9, 0)  # 24:00 on 08/09


def test_the_2026_schedule() -> None:
    off = [dt.date(2026, 1, 2), dt.date(2026, 2, 16), dt.date(2026, 2, 20), dt.date(2026, 4, 27), dt.date(2026, 9, 2)]
    assert not any(CAL.is_working_day(d) for d in off)
    assert CAL.is_working_day(dt.date(2026, 1, 10))  # Saturday worked
    assert not CAL.is_working_day(dt.date(2026, 1, 17))  # an ordinary Saturday
    assert CAL.is_working_day(dt.date(2026, 11, 24))  # 24/11 is a setting, off by default
    assert not WorkCalendar.load(culture_day_off=True).is_working_day(dt.date(2026, 11, 24))


def test_a_30_day_period_ending_on_a_sunday_rolls_to_monday_24h() -> None:
    assert dt.date(2026, 5, 31).weekday() == 6
    assert add_days(CAL, local(2026, 5, 1, 15), 30) == local(2026, 6, 2, 0)  # 24:00 on Monday 01/06


def test_hours_run_continuously_over_holidays() -> None:
    assert add_hours(local(2026, 2, 13, 10), 24) == local(2026, 2, 14, 10)


def test_rules_follow_the_reception_time() -> None:
    policy = default_policy()
    old = policy.version_at(local(2026, 6, 30, 23))
    new = policy.version_at(local(2026, 7, 1, 0, 30))
    assert old.name.startswith("NĐ 09/2017")
    assert new.name.startswith("NĐ 244/2026")
    old_reply = next(r for r in old.rules if r.kind == "van_ban_tra_loi")
    new_reply = next(r for r in new.rules if r.kind == "van_ban_tra_loi")
    assert old_reply.period.days == 30
    assert "Luật Báo chí 2016" in old_reply.basis
    assert new_reply.period.working_days == 15
    assert "237/2026" in new_reply.basis


def test_a_year_without_an_official_schedule_uses_the_lunar_calendar() -> None:
    assert not CAL.is_working_day(dt.date(2027, 2, 8))  # Tết 2027 (computed)
    assert not CAL.is_working_day(dt.date(2027, 5, 3))  # 1/5 on a Saturday, compensated on Monday


# hypothesis takes naive bounds and attaches the zone itself
moments = st.datetimes(
    min_value=dt.datetime(2025, 1, 1),  # noqa: DTZ001
    max_value=dt.datetime(2027, 12, 1),  # noqa: DTZ001
    timezones=st.just(VN),
)


@settings(max_examples=200, deadline=None)
@given(start=moments, n=st.integers(min_value=1, max_value=40))
def test_working_day_deadlines_are_after_the_start_and_end_on_a_working_day(start: dt.datetime, n: int) -> None:
    due = add_working_days(CAL, start, n)
    assert due > start
    assert CAL.is_working_day((due.astimezone(VN) - dt.timedelta(microseconds=1)).date())


@settings(max_examples=200, deadline=None)
@given(start=moments, n=st.integers(min_value=1, max_value=60))
def test_day_deadlines_never_end_on_a_day_off(start: dt.datetime, n: int) -> None:
    due = add_days(CAL, start, n)
    assert due > start
    assert CAL.is_working_day((due.astimezone(VN) - dt.timedelta(microseconds=1)).date())


@settings(max_examples=200, deadline=None)
@given(start=moments, n=st.integers(min_value=1, max_value=40))
def test_adding_working_days_is_monotonic(start: dt.datetime, n: int) -> None:
    assert add_working_days(CAL, start, n) < add_working_days(CAL, start, n + 1)
    assert add_days(CAL, start, n) <= add_days(CAL, start, n + 1)
