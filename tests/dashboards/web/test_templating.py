"""Template filters: Viet Nam times, countdowns, <mark> on matches with everything else escaped."""

from __future__ import annotations

import datetime as dt

from dashboards.web.templating import countdown, marked, number, percent, vn_time

T = dt.datetime(2026, 11, 16, 2, 0, tzinfo=dt.UTC)  # 09:00 in Viet Nam


def test_times_and_countdowns() -> None:
    assert vn_time(T) == "16/11/2026 09:00"
    assert countdown(T + dt.timedelta(days=2, hours=3, minutes=5), T) == "còn 2 ngày 3 giờ"
    assert countdown(T, T + dt.timedelta(hours=5, minutes=10)) == "quá hạn 5 giờ 10 phút"
    assert countdown(T + dt.timedelta(minutes=7), T) == "còn 7 phút"


def test_marked_escapes_and_skips_bad_spans() -> None:
    text = "Thi hành án <b>dân sự</b> & cưỡng chế"
    assert str(marked(text, [(0, 3), (4, 8), (2, 6), (50, 60)])) == (
        "<mark>Thi</mark> <mark>hành</mark> án &lt;b&gt;dân sự&lt;/b&gt; &amp; cưỡng chế"
    )


def test_numbers_in_vietnamese_format() -> None:
    assert number(1234567) == "1.234.567"
    assert number(3.5) == "3,5"
    assert percent(0.875) == "88 %"
    assert percent(None) == "—"
