"""Charts are inline SVG with escaped labels and a text alternative; no data says so."""

from __future__ import annotations

import datetime as dt
import re

from dashboards.web.charts import CHART_WIDTH, ranked_bars, stacked_days


def test_ranked_bars_escape_labels_and_scale_to_the_largest() -> None:
    svg = str(ranked_bars([("Báo <Pháp luật>", 40, 10), ("Tuổi Trẻ", 20, 0)], title="Cơ quan báo chí"))
    assert svg.startswith('<svg class="chart"')
    assert 'aria-label="Cơ quan báo chí"' in svg
    assert "Báo &lt;Pháp luật&gt;" in svg
    assert "<Pháp" not in svg
    label_w = float(re.findall(r'<rect x="([\d.]+)"', svg)[0])
    widths = [float(w) for w in re.findall(r'width="([\d.]+)" height="16" fill="#7fa7d6"', svg)]
    assert widths[0] == 2 * widths[1] == CHART_WIDTH - label_w - 70


def test_ranked_bars_show_long_outlet_names_whole() -> None:
    names = [
        "Báo Pháp luật Thành phố Hồ Chí Minh",
        "Tạp chí điện tử Pháp lý – Hội Luật gia Việt Nam",
        "Cổng thông tin điện tử Tổng cục Thi hành án dân sự – Bộ Tư pháp Việt Nam, chuyên trang thi hành án",
        "VnExpress",
    ]
    svg = str(ranked_bars([(name, 10 - i, 1) for i, name in enumerate(names)], title="Cơ quan báo chí"))
    assert "…" not in svg
    shown = [" ".join(re.findall(r"<tspan[^>]*>([^<]*)</tspan>", text)) for text in re.findall(r"<text.*?</text>", svg)]
    assert [label for label in shown if label] == names  # every name whole, the longest on two lines
    assert svg.count("<tspan") == 4 + 1
    assert 'viewBox="0 0 1200 ' in svg  # drawn at the page's width


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
