"""The report's charts as PNG images, drawn with matplotlib.

Each chart is its own `Figure` on an Agg canvas: no pyplot, no backend switch, no rcParams change, so importing
this module or drawing from a web worker touches no global state. Every text is drawn in DejaVu Sans, taken
from matplotlib's own font folder by file (it covers Vietnamese), so that the result does not depend on the
fonts of the machine or on a user's matplotlibrc.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import matplotlib
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.ticker import FuncFormatter, MaxNLocator

from dashboards.reports.figures import ReportFigures, Series
from dashboards.reports.numbers import integer
from domain.enums import Sentiment
from domain.labels import taxonomy
from domain.provinces import NATIONWIDE
from storage.views.stats import KeyCount

WIDTH_IN, HEIGHT_IN, DPI = 6.5, 3.6, 150
TONE_COLOURS: dict[str | None, str] = {
    Sentiment.TIEU_CUC: "#c0392b",
    Sentiment.TRUNG_LAP: "#7f8c8d",
    Sentiment.TICH_CUC: "#27ae60",
    None: "#d5d8dc",
}
NEGATIVE, OTHER = "#c0392b", "#2e86c1"
MAX_BARS = 15


@dataclass(frozen=True, slots=True, kw_only=True)
class Chart:
    key: str  # file-name friendly: dien-bien, chu-de, dia-ban, co-quan-bao-chi
    title: str
    png: bytes


@functools.cache
def _font_file(bold: bool) -> str:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / name)


def font(size: float = 8, *, bold: bool = False) -> FontProperties:
    return FontProperties(fname=_font_file(bold), size=size)


def _figure() -> tuple[Figure, Axes]:
    figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    return figure, figure.add_subplot()


def _png(figure: Figure) -> bytes:
    buffer = BytesIO()
    # No timestamps or software names in the file: the same figures give the same bytes.
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def _count_axis(axis: Axes, which: str) -> None:
    target = axis.xaxis if which == "x" else axis.yaxis
    target.set_major_locator(MaxNLocator(integer=True))
    target.set_major_formatter(FuncFormatter(lambda value, _pos: integer(round(value))))
    for label in axis.get_xticklabels() if which == "x" else axis.get_yticklabels():
        label.set_fontproperties(font())


def _legend(axis: Axes) -> None:
    """Under the chart, where it hides no bar (the constrained layout makes room for it)."""
    assert axis.figure is not None
    axis.figure.legend(prop=font(7), frameon=False, loc="outside lower center", ncols=4)


def timeline(series: Series, title: str) -> bytes:
    """Stacked bars: articles per bucket, by tone."""
    figure, axis = _figure()
    positions = list(range(len(series.labels)))
    bottom = [0] * len(positions)
    for tone, values in series.counts.items():
        if tone is None and not any(values):
            continue
        name = taxonomy().sentiments.get(tone, "Chưa gán nhãn") if tone else "Chưa gán nhãn"
        axis.bar(positions, values, bottom=bottom, color=TONE_COLOURS[tone], label=name, width=0.8)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    width = len(positions) * max((len(label) for label in series.labels), default=0)  # in characters
    rotation = 0 if width <= 70 else 45 if width <= 120 else 90
    axis.set_xticks(
        positions,
        list(series.labels),
        rotation=rotation,
        ha="right" if rotation == 45 else "center",
        fontproperties=font(7),
    )
    _count_axis(axis, "y")
    axis.set_xlabel(series.unit, fontproperties=font())
    axis.set_ylabel("Số bài viết", fontproperties=font())
    axis.set_title(title, fontproperties=font(10, bold=True))
    _legend(axis)
    axis.set_ylim(top=max(max(bottom, default=0), 1) * 1.05)
    axis.spines[["top", "right"]].set_visible(False)
    return _png(figure)


def bars(labels: list[str], counts: list[int], negatives: list[int], title: str) -> bytes:
    """Horizontal bars, largest on top: each bar's negative part in red."""
    figure, axis = _figure()
    positions = list(range(len(labels)))[::-1]
    others = [c - n for c, n in zip(counts, negatives, strict=True)]
    axis.barh(positions, negatives, color=NEGATIVE, label="Tiêu cực", height=0.7)
    axis.barh(positions, others, left=negatives, color=OTHER, label="Không tiêu cực", height=0.7)
    axis.set_yticks(positions, labels, fontproperties=font(7))
    for y, count in zip(positions, counts, strict=True):
        axis.annotate(
            integer(count), (count, y), xytext=(3, 0), textcoords="offset points", va="center", fontproperties=font(7)
        )
    _count_axis(axis, "x")
    axis.set_xlim(right=max(max(counts, default=0), 1) * 1.15)
    axis.set_xlabel("Số bài viết", fontproperties=font())
    axis.set_title(title, fontproperties=font(10, bold=True))
    _legend(axis)
    axis.spines[["top", "right"]].set_visible(False)
    return _png(figure)


def _short(text: str, limit: int = 38) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _keyed(rows: tuple[KeyCount, ...], name: Mapping[str, str]) -> tuple[list[str], list[int], list[int]]:
    top = rows[:MAX_BARS]
    labels = [_short(name.get(r.key, r.key) if r.key else "Chưa xác định") for r in top]
    return labels, [r.count for r in top], [r.negative for r in top]


def render_charts(figures: ReportFigures) -> tuple[Chart, ...]:
    """The four charts of the report; none for a period without relevant articles."""
    if not figures.counts.articles:
        return ()
    charts = []
    title = f"Số bài viết theo {figures.series.unit.lower()} và sắc thái"
    charts.append(Chart(key="dien-bien", title=title, png=timeline(figures.series, title)))
    title = "Số bài viết theo chủ đề"
    charts.append(Chart(key="chu-de", title=title, png=bars(*_keyed(figures.topics, taxonomy().topic_names), title)))
    title = f"Số bài viết theo tỉnh, thành phố ({MAX_BARS} địa bàn nhiều nhất)"
    places = _keyed(figures.provinces, {NATIONWIDE: "Toàn quốc (cả hệ thống)"})
    charts.append(Chart(key="dia-ban", title=title, png=bars(*places, title)))
    title = "Cơ quan báo chí đăng nhiều bài nhất"
    outlets = figures.outlets
    labels = [_short(o.name) for o in outlets]
    charts.append(
        Chart(
            key="co-quan-bao-chi",
            title=title,
            png=bars(labels, [o.count for o in outlets], [o.negative for o in outlets], title),
        )
    )
    return tuple(charts)
