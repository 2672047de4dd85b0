"""Reporting periods: the four forms, Viet Nam local days, the previous period, Vietnamese names, clear refusals."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboards.reports.periods import Period, PeriodKind, ReportError, last_complete, parse_period
from domain.localtime import VN


@pytest.mark.parametrize(
    ("text", "first", "last", "name", "previous"),
    [
        ("2026-W47", dt.date(2026, 11, 16), dt.date(2026, 11, 22), "tuần 47 năm 2026", "2026-W46"),
        ("2026-w01", dt.date(2025, 12, 29), dt.date(2026, 1, 4), "tuần 1 năm 2026", "2025-W52"),
        ("2026-W53", dt.date(2026, 12, 28), dt.date(2027, 1, 3), "tuần 53 năm 2026", "2026-W52"),
        ("2026-11", dt.date(2026, 11, 1), dt.date(2026, 11, 30), "tháng 11 năm 2026", "2026-10"),
        ("2026-1", dt.date(2026, 1, 1), dt.date(2026, 1, 31), "tháng 1 năm 2026", "2025-12"),
        ("2028-02", dt.date(2028, 2, 1), dt.date(2028, 2, 29), "tháng 2 năm 2028", "2028-01"),
        ("2026-Q4", dt.date(2026, 10, 1), dt.date(2026, 12, 31), "quý IV năm 2026", "2026-Q3"),
        ("2026-q1", dt.date(2026, 1, 1), dt.date(2026, 3, 31), "quý I năm 2026", "2025-Q4"),
        (" 2026 ", dt.date(2026, 1, 1), dt.date(2026, 12, 31), "năm 2026", "2025"),
    ],
)
def test_the_four_forms(text: str, first: dt.date, last: dt.date, name: str, previous: str) -> None:
    period = parse_period(text)
    assert (period.first_day, period.last_day, period.name) == (first, last, name)
    assert period.previous().code == previous
    assert period.previous().end == period.start  # adjacent, no gap, no overlap
    assert parse_period(period.code) == period  # the code reads back


def test_bounds_are_viet_nam_midnights_half_open() -> None:
    week = parse_period("2026-W47")
    assert week.start == dt.datetime(2026, 11, 15, 17, 0, tzinfo=dt.UTC)  # 00:00 Monday 16/11 in Viet Nam
    assert week.end == dt.datetime(2026, 11, 22, 17, 0, tzinfo=dt.UTC)
    assert week.contains(dt.datetime(2026, 11, 22, 23, 59, tzinfo=VN))
    assert not week.contains(dt.datetime(2026, 11, 23, 0, 0, tzinfo=VN))
    assert week.contains(dt.datetime(2026, 11, 16, 0, 0, tzinfo=VN))
    assert week.span == "từ ngày 16/11/2026 đến ngày 22/11/2026"


def test_last_complete_period_in_viet_nam_time() -> None:
    # 23:30 UTC on Sunday 22/11 is already Monday 23/11 in Viet Nam: last week is W47.
    moment = dt.datetime(2026, 11, 22, 23, 30, tzinfo=dt.UTC)
    assert last_complete(PeriodKind.WEEK, moment).code == "2026-W47"
    assert last_complete(PeriodKind.MONTH, moment).code == "2026-10"
    assert last_complete(PeriodKind.QUARTER, moment).code == "2026-Q3"
    assert last_complete(PeriodKind.YEAR, moment).code == "2025"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("tuần 47", r"kỳ báo cáo 'tuần 47' không hợp lệ; dùng 2026-W47 \(tuần\), 2026-11 \(tháng\), 2026-Q4"),
        ("2026-W54", r"kỳ báo cáo '2026-W54': năm 2026 không có tuần 54"),
        ("2025-W53", r"năm 2025 không có tuần 53"),
        ("2026-W0", r"năm 2026 không có tuần 0"),
        ("2026-13", r"kỳ báo cáo '2026-13': tháng 13 không hợp lệ \(từ 1 đến 12\)"),
        ("2026-00", r"tháng 0 không hợp lệ"),
        ("2026-Q5", r"quý 5 không hợp lệ"),
        ("11/2026", r"kỳ báo cáo '11/2026' không hợp lệ"),
        ("", r"kỳ báo cáo '' không hợp lệ"),
        ("0099", r"năm 99 nằm ngoài khoảng 1900–9998"),
    ],
)
def test_bad_periods_are_refused_naming_the_value_and_the_forms(text: str, message: str) -> None:
    with pytest.raises(ReportError, match=message):
        parse_period(text)


def test_constructors_check_their_numbers() -> None:
    assert Period.whole_year(2026).previous() == Period.whole_year(2025)
    with pytest.raises(ReportError, match="quý 0"):
        Period.quarter(2026, 0)
