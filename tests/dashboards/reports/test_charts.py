"""Charts: four PNG images whose Vietnamese text renders in DejaVu Sans whatever the default font, drawn without
touching matplotlib's global state."""

from __future__ import annotations

import datetime as dt
import io
import warnings

import matplotlib
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from dashboards.reports.charts import render_charts
from dashboards.reports.figures import Annex244, ReportFigures, Series
from dashboards.reports.periods import parse_period
from storage.views.stats import KeyCount, OutletCount, PeriodCounts

NO_VIETNAMESE = {"font.family": "cmr10", "axes.formatter.use_mathtext": True}  # Computer Modern: no ố, ự, Đ
VIETNAMESE = "Thi hành án dân sự: cưỡng chế, kê biên tài sản ở Đắk Lắk, Thừa Thiên Huế, Quảng Ngãi"


def _figures(articles: int = 30) -> ReportFigures:
    period = parse_period("2026-11")
    days = [period.first_day + dt.timedelta(days=i) for i in range(30)]
    counts = PeriodCounts(
        articles=articles,
        negative=articles // 3,
        neutral=articles // 3,
        positive=articles // 3,
        outlets=3,
        stories=articles,
    )
    return ReportFigures(
        period=period,
        previous=period.previous(),
        province=None,
        generated_at=dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.UTC),
        counts=counts,
        previous_counts=counts,
        summary=(),
        series=Series(
            unit="Ngày",
            starts=tuple(days),
            labels=tuple(f"{d:%d/%m}" for d in days),
            counts={"tieu_cuc": (1,) * 30, "trung_lap": (0, 2) * 15, "tich_cuc": (1, 0) * 15, None: (0,) * 30},
        ),
        topics=(KeyCount(key="cuong_che_tai_san", count=20, negative=8), KeyCount(key=None, count=1, negative=0)),
        provinces=(KeyCount(key="Đắk Lắk", count=12, negative=5), KeyCount(key="toan_quoc", count=9, negative=1)),
        outlets=(OutletCount(outlet_id=1, slug="plvn", name="Báo Pháp luật Việt Nam", count=17, negative=6),),
        stories=(),
        articles=(),
        cases=(),
        timeliness=(),
        annex=Annex244(statutory_met=0, statutory_total=0, written_replies=0, matters=0),
    )


def test_the_default_font_of_this_check_lacks_vietnamese() -> None:
    """The control: with cmr10 as the default font, text drawn the ordinary way does warn of missing glyphs."""
    with matplotlib.rc_context(NO_VIETNAMESE):
        figure = Figure()
        FigureCanvasAgg(figure)
        figure.add_subplot().set_title(VIETNAMESE)  # the text takes the default font when it is made
        with pytest.warns(UserWarning, match="missing from font"):
            figure.savefig(io.BytesIO(), format="png")


def test_four_charts_render_vietnamese_whatever_the_default_font() -> None:
    before = dict(matplotlib.rcParams)
    backend = matplotlib.get_backend()
    with matplotlib.rc_context(NO_VIETNAMESE), warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph would be a UserWarning
        charts = render_charts(_figures())
    assert [c.key for c in charts] == ["dien-bien", "chu-de", "dia-ban", "co-quan-bao-chi"]
    assert charts[0].title == "Số bài viết theo ngày và sắc thái"
    for chart in charts:
        image = Image.open(io.BytesIO(chart.png))
        assert image.format == "PNG"
        assert image.size >= (900, 500)
    assert dict(matplotlib.rcParams) == before  # nothing global changed
    assert matplotlib.get_backend() == backend


def test_same_figures_same_bytes_and_no_charts_without_articles() -> None:
    assert [c.png for c in render_charts(_figures())] == [c.png for c in render_charts(_figures())]
    assert render_charts(_figures(articles=0)) == ()
