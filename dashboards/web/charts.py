"""Charts as inline SVG, drawn on the server: ranked bars and stacked columns per day. No script, no styles
(presentation attributes only, which the pages' content security policy allows); every label is escaped and
each chart has a text alternative (the tables beside it carry the same figures)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from markupsafe import Markup, escape

from domain.enums import Sentiment

PALETTE = (
    "#1f5fa8",
    "#d9822b",
    "#2e8b57",
    "#b03a48",
    "#7a5195",
    "#8c6d31",
    "#3a9ca6",
    "#c45c9a",
    "#5b6770",
    "#a3a537",
    "#e07b67",
    "#4b4b8f",
)
SENTIMENT_COLOURS: dict[str, str] = {
    Sentiment.TIEU_CUC: "#b03a48",
    Sentiment.TRUNG_LAP: "#8a94a0",
    Sentiment.TICH_CUC: "#2e8b57",
}
NEGATIVE = "#b03a48"


def colours(keys: Sequence[str | None], fixed: Mapping[str, str] | None = None) -> dict[str | None, str]:
    out: dict[str | None, str] = {}
    for i, key in enumerate(keys):
        out[key] = (fixed or {}).get(key or "", PALETTE[i % len(PALETTE)])
    return out


CHART_WIDTH = 1200  # the page's content width (main: 1280 px less its padding): drawn 1:1, text at its size
CHAR_W = 7.0  # an average character at 12 px, Vietnamese diacritics included


def wrap(label: str, chars: int) -> list[str]:
    """`label` in lines of at most `chars` characters, cut between words (a word longer than a line alone)."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= chars:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def ranked_bars(rows: Sequence[tuple[str, int, int]], *, title: str, width: int = CHART_WIDTH) -> Markup:
    """One bar per (label, count, negative) row, longest first as given; the negative part darker. The label
    column is as wide as the longest label (up to 40 % of the chart); a longer label wraps, never cut."""
    if not rows:
        return Markup("<p class='empty'>Chưa có số liệu trong kỳ.</p>")
    longest = max(len(label) for label, _, _ in rows)
    label_w = round(min(max(longest * CHAR_W + 16, 120), width * 0.4))
    chars = int((label_w - 16) / CHAR_W)
    line_h, count_w = 15, 70
    bar_w = width - label_w - count_w
    top = max(count for _, count, _ in rows) or 1
    lines = [wrap(label, chars) for label, _, _ in rows]
    heights = [max(24, line_h * len(ls) + 9) for ls in lines]
    height = sum(heights) + 24
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>"
    ]
    y = 4
    for (label, count, negative), label_lines, row_h in zip(rows, lines, heights, strict=True):
        full = round(bar_w * count / top, 1)
        neg = round(bar_w * negative / top, 1)
        bar_y = y + (row_h - 24) / 2
        spans = "".join(
            f'<tspan x="{label_w - 8}" dy="{0 if i == 0 else line_h}">{escape(text)}</tspan>'
            for i, text in enumerate(label_lines)
        )
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 14}" text-anchor="end" font-size="12" fill="#222">'
            f"{spans}<title>{escape(label)}</title></text>"
            f'<rect x="{label_w}" y="{bar_y:g}" width="{full}" height="16" fill="#7fa7d6"/>'
            f'<rect x="{label_w}" y="{bar_y:g}" width="{neg}" height="16" fill="{NEGATIVE}"/>'
            f'<text x="{label_w + full + 6}" y="{bar_y + 14:g}" font-size="12" fill="#222">{count}</text>'
        )
        y += row_h
    legend_y = height - 6
    parts.append(
        f'<rect x="{label_w}" y="{legend_y - 10}" width="10" height="10" fill="{NEGATIVE}"/>'
        f'<text x="{label_w + 14}" y="{legend_y}" font-size="11" fill="#222">trong đó tiêu cực</text>'
        "</svg>"
    )
    return Markup("".join(parts))


def stacked_days(
    days: Sequence[dt.date],
    series: Mapping[str | None, Mapping[dt.date, int]],
    names: Mapping[str | None, str],
    *,
    title: str,
    fixed: Mapping[str, str] | None = None,
    width: int = CHART_WIDTH,
) -> Markup:
    """A column per day, stacked by key (topic or tone), with a legend."""
    if not days or not any(any(v for v in s.values()) for s in series.values()):
        return Markup("<p class='empty'>Chưa có số liệu trong kỳ.</p>")
    keys = list(series)
    palette = colours(keys, fixed)
    plot_h, left, bottom = 180, 34, 22
    per_row = max(2, (width - left) // 360)  # the longest topic name takes about 330 px at 11 px
    legend_rows = (len(keys) + per_row - 1) // per_row
    height = plot_h + bottom + 18 * legend_rows + 12
    step = (width - left - 8) / len(days)
    column = max(2.0, step * 0.75)
    totals = [sum(series[k].get(d, 0) for k in keys) for d in days]
    top = max(totals) or 1
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>",
        f'<line x1="{left}" y1="{plot_h}" x2="{width - 8}" y2="{plot_h}" stroke="#999"/>',
        f'<text x="{left - 4}" y="12" text-anchor="end" font-size="11" fill="#444">{top}</text>',
        f'<text x="{left - 4}" y="{plot_h}" text-anchor="end" font-size="11" fill="#444">0</text>',
    ]
    every = max(1, len(days) // 10)
    for i, day in enumerate(days):
        x = left + i * step + (step - column) / 2
        y = float(plot_h)
        for key in keys:
            value = series[key].get(day, 0)
            if not value:
                continue
            h = (plot_h - 16) * value / top
            y -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{column:.1f}" height="{h:.1f}" fill="{palette[key]}">'
                f"<title>{day:%d/%m}: {escape(names.get(key, '—'))} {value}</title></rect>"
            )
        if i % every == 0:
            parts.append(
                f'<text x="{x + column / 2:.1f}" y="{plot_h + 14}" text-anchor="middle" font-size="10" '
                f'fill="#444">{day:%d/%m}</text>'
            )
    for i, key in enumerate(keys):
        lx, ly = left + (i % per_row) * (width - left) // per_row, plot_h + bottom + 18 * (i // per_row) + 8
        parts.append(
            f'<rect x="{lx}" y="{ly - 9}" width="10" height="10" fill="{palette[key]}"/>'
            f'<text x="{lx + 14}" y="{ly}" font-size="11" fill="#222">{escape(names.get(key, "—"))}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def comment_timeline(buckets: Sequence[tuple[dt.datetime, int, int]], *, hourly: bool, width: int = 720) -> Markup:
    """A column per hour or day of a story's comments (start in Vietnam time, comments, negative), the negative
    part darker, each column with its figures as a tooltip."""
    if not buckets or not any(total for _, total, _ in buckets):
        return Markup("")
    plot_h, left, bottom = 120, 34, 20
    height = plot_h + bottom + 20
    step = (width - left - 8) / len(buckets)
    column = max(2.0, step * 0.75)
    top = max(total for _, total, _ in buckets) or 1
    unit = "giờ" if hourly else "ngày"
    title = f"Bình luận theo {unit}"
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>",
        f'<line x1="{left}" y1="{plot_h}" x2="{width - 8}" y2="{plot_h}" stroke="#999"/>',
        f'<text x="{left - 4}" y="12" text-anchor="end" font-size="11" fill="#444">{top}</text>',
        f'<text x="{left - 4}" y="{plot_h}" text-anchor="end" font-size="11" fill="#444">0</text>',
    ]
    every = max(1, len(buckets) // 8)
    for i, (start, total, negative) in enumerate(buckets):
        x = left + i * step + (step - column) / 2
        label = f"{start:%H:%M %d/%m}" if hourly else f"{start:%d/%m}"
        h, nh = (plot_h - 16) * total / top, (plot_h - 16) * negative / top
        tip = f"{label}: {total} bình luận, {negative} tiêu cực"
        if total:
            parts.append(
                f'<rect x="{x:.1f}" y="{plot_h - h:.1f}" width="{column:.1f}" height="{h:.1f}" fill="#7fa7d6">'
                f"<title>{tip}</title></rect>"
            )
        if negative:
            parts.append(
                f'<rect x="{x:.1f}" y="{plot_h - nh:.1f}" width="{column:.1f}" height="{nh:.1f}" fill="{NEGATIVE}">'
                f"<title>{tip}</title></rect>"
            )
        if i % every == 0:
            short = f"{start:%Hh %d/%m}" if hourly else f"{start:%d/%m}"
            parts.append(
                f'<text x="{x + column / 2:.1f}" y="{plot_h + 14}" text-anchor="middle" font-size="10" '
                f'fill="#444">{short}</text>'
            )
    legend_y = height - 4
    parts.append(
        f'<rect x="{left}" y="{legend_y - 10}" width="10" height="10" fill="#7fa7d6"/>'
        f'<text x="{left + 14}" y="{legend_y}" font-size="11" fill="#222">bình luận</text>'
        f'<rect x="{left + 90}" y="{legend_y - 10}" width="10" height="10" fill="{NEGATIVE}"/>'
        f'<text x="{left + 104}" y="{legend_y}" font-size="11" fill="#222">trong đó tiêu cực</text>'
        "</svg>"
    )
    return Markup("".join(parts))
