"""Vietnamese number, date and change formatting as the reports write them."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboards.reports import numbers


def test_numbers_use_dots_for_thousands_and_commas_for_decimals() -> None:
    assert numbers.integer(1234567) == "1.234.567"
    assert numbers.integer(999) == "999"
    assert numbers.decimal(1234.56) == "1.234,6"
    assert numbers.percent(0.125) == "12,5 %"
    assert numbers.percent(1) == "100,0 %"
    assert numbers.percent(None) == "—"
    assert numbers.ratio(3, 4) == "3/4 (75,0 %)"
    assert numbers.ratio(0, 0) == "0/0"
    assert numbers.hours(81.5) == "81,5 giờ"


def test_dates_times_and_the_administrative_date_line() -> None:
    moment = dt.datetime(2026, 11, 15, 17, 5, tzinfo=dt.UTC)  # 00:05 on 16/11 in Viet Nam
    assert numbers.moment(moment) == "00:05 16/11/2026"
    assert numbers.date(dt.date(2026, 1, 5)) == "05/01/2026"
    # Nghị định 30/2020/NĐ-CP: a leading zero for days below 10 and for the months 1 and 2 only.
    assert numbers.place_and_date("Hà Nội", dt.date(2027, 1, 5)) == "Hà Nội, ngày 05 tháng 01 năm 2027"
    assert numbers.place_and_date("Cần Thơ", dt.date(2026, 11, 23)) == "Cần Thơ, ngày 23 tháng 11 năm 2026"
    assert numbers.place_and_date("Huế", dt.date(2026, 3, 9)) == "Huế, ngày 09 tháng 3 năm 2026"


@pytest.mark.parametrize(
    ("current", "previous", "told"),
    [
        (27, 24, "tăng 3 (+12,5 %)"),
        (6, 12, "giảm 6 (-50,0 %)"),
        (5, 5, "không đổi"),
        (1200, 0, "tăng 1.200 (kỳ trước không có)"),
        (0, 3, "giảm 3 (-100,0 %)"),
        (None, 3, "—"),
    ],
)
def test_change_from_the_previous_period(current: int | None, previous: int, told: str) -> None:
    assert numbers.change(current, previous) == told


def test_change_of_a_share_in_points() -> None:
    assert numbers.share_change(0.481, 0.25) == "tăng 23,1 điểm %"
    assert numbers.share_change(0.75, 1.0) == "giảm 25,0 điểm %"
    assert numbers.share_change(0.5, 0.5) == "không đổi"
    assert numbers.share_change(0.5, None) == "—"
