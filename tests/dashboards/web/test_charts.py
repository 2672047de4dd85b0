"""Charts are inline SVG with escaped labels and a text alternative; no data says so."""

from __future__ import annotations

import datetime as dt

from dashboards.web.charts import ranked_bars, stacked_days


def test_ranked_bars_escape_labels_and_scale_to_the_largest() -> None:
    svg = str(ranked_bars([("Báo <Pháp luật>", 40, 10), ("Tuổi Trẻ", 20, 0)], title="Cơ quan báo chí"))
    assert svg.startswith('<svg class="chart"')
    assert 'aria-label="Cơ quan báo chí"' in svg
    assert "Báo &lt;Pháp luật&gt;" in svg
    assert "<Pháp" not in svg
    widths = [
        float(w)
        for w in __import__("re").findall(r'<rect x="190" y="\d+" width="([\d.]+)" height="16" fill="#7fa7d6"', svg)
    ]
    assert widths == [380.0, 190.0]


def test_stacked_days_and_empty_periods() -> None:
    days = [dt.date(2026, 11, 1) + dt.timedelta(days=i) for i in range(3)]
    svg = str(
        stacked_days(
            days,
            {"tieu_cuc": {days[0]: 2, days[2]: 1}, "trung_lap": {days[0]: 1}},
            {"tieu_cuc": "Tiêu cực", "trung_lap": "Trung lập"},
            title="Theo sắc thái",
            fixed={"tieu_cuc": "#b03a48"},
        )
    )
    assert svg.count("<rect") == 3 + 2  # three bars, two legend keys
    assert "01/11: Tiêu cực 2" in svg
    assert 'fill="#b03a48"' in svg
    assert "Chưa có số liệu" in str(stacked_days(days, {}, {}, title="x"))
    assert "Chưa có số liệu" in str(ranked_bars([], title="x"))
