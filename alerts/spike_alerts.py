"""Spike alerts: the scheduled check (alerts/spikes.py decides), each new spike stored once per dimension, key
and window (table spike_alert) and told to the central desk and the monitors in the same transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy.orm import Session

from alerts.messages import BAND, Content, preferences_link
from alerts.notify import notify_users
from alerts.recipients import spike_recipients
from alerts.render import render
from alerts.spikes import Dimension, Spike, SpikePolicy, baseline_windows, current_window, detect
from domain.enums import NotificationKind
from domain.labels import province_vi, sentiment_vi, topic_vi
from domain.localtime import VN
from storage.engine import Database
from storage.spikes import SpikeRecord, add_spike_alert, spike_alerts_since, window_articles

DIMENSION_VI: dict[str, str] = {"topic": "chủ đề", "province": "tỉnh/thành", "story": "câu chuyện"}


@dataclass(frozen=True, slots=True)
class SpikeSummary:
    checked: int  # (dimension, key) pairs of the window's articles
    raised: int  # new spike alerts stored
    written: int  # outbox rows


def run_spikes(
    database: Database,
    policy: SpikePolicy,
    *,
    now: dt.datetime,
    app_url: str,
    channels: Sequence[str] = ("mail",),
) -> SpikeSummary:
    """Check the current window; store and tell each new spike. A re-run, or a second worker, of the same window
    finds the alert stored and writes nothing."""
    window = current_window(now, policy)
    with database.session() as session:
        spans = [(w.start, w.end) for w in (window, *baseline_windows(window, policy))]
        articles = window_articles(session, spans)
        alerted = {i for r in spike_alerts_since(session, window.start) for i in r.article_ids}
        spikes, checked = detect(articles, now, policy, alerted=alerted)
        raised = written = 0
        for spike in spikes:
            if not add_spike_alert(session, record_of(spike, now)):
                continue
            raised += 1
            content = spike_message(spike, app_url, policy.baseline_days)
            written += _tell(session, spike, content, now, channels)
    return SpikeSummary(checked, raised, written)


def _tell(session: Session, spike: Spike, content: Content, now: dt.datetime, channels: Sequence[str]) -> int:
    return notify_users(
        session,
        spike_recipients(session),
        content,
        kind=NotificationKind.SPIKE,
        key=f"spike:{spike.dimension}:{spike.key}:{spike.window.end.isoformat()}",
        now=now,
        channels=channels,
    )


def record_of(spike: Spike, now: dt.datetime) -> SpikeRecord:
    drivers: dict[str, Any] = asdict(spike.drivers) if spike.drivers else {}
    return SpikeRecord(
        dimension=spike.dimension,
        key=spike.key,
        window_start=spike.window.start,
        window_end=spike.window.end,
        count=spike.count,
        baseline_mean=spike.baseline_mean,
        p_value=spike.p_value,
        article_ids=tuple(a.id for a in spike.articles),
        drivers=drivers,
        created_at=now,
    )


# --- the message ---------------------------------------------------------------------------------------------


def key_name(dimension: Dimension | str, key: str, spike: Spike | None = None) -> str:
    """What users read for a key: the topic's or province's name, or the story's headline."""
    if dimension == "topic":
        return topic_vi(key)
    if dimension == "province":
        return province_vi(key)
    if spike is not None:
        title = next((a.story_title or a.title for a in spike.articles if str(a.story_id) == key), None)
        if title:
            return title
    return f"câu chuyện #{key}"


def number_vi(value: float) -> str:
    """0.25 → "0,25"; 2.0 → "2" (Vietnamese decimal comma)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def odds_vi(p: float) -> str:
    """A probability as readers say it: 1.4e-05 → "1/71.000" (two significant figures, dots between thousands)."""
    odds = 1 / p
    rounded = round(odds, -max(0, len(str(int(odds))) - 2))
    return "1/" + f"{int(rounded):,}".replace(",", ".")


def spike_message(spike: Spike, app_url: str, baseline_days: int) -> Content:
    """Subject, text and HTML of a spike alert (templates spike.txt / spike.html)."""
    assert spike.drivers is not None, "a spike is told with its drivers"
    base = app_url.rstrip("/")
    d = spike.drivers
    name = key_name(spike.dimension, spike.key, spike)
    hours = round((spike.window.end - spike.window.start).total_seconds() / 3600)
    subject = f"Tin tăng đột biến: {name} – {spike.count} bài trong {hours} giờ"
    trend_link = f"{base}/xu-huong?days=30"
    link = f"{base}/phan-loai/{spike.key}" if spike.dimension == "story" else trend_link
    local = spike.window.start.astimezone(VN), spike.window.end.astimezone(VN)
    total = sum(n for _, n in d.tones)
    context: dict[str, Any] = {
        "title": subject,
        "band": BAND + " · TIN TĂNG ĐỘT BIẾN",
        "urgent": False,
        "preferences_link": preferences_link(app_url),
        "link": link,
        "trend_link": trend_link,
        "dimension": DIMENSION_VI[spike.dimension],
        "name": name,
        "count": spike.count,
        "outlet_count": spike.outlets,
        "hours": hours,
        "since": f"{local[0]:%H:%M}",
        "until": f"{local[1]:%H:%M ngày %d/%m/%Y}",
        "usual": number_vi(spike.baseline_mean),
        "baseline_days": baseline_days,
        "odds": odds_vi(spike.p_value),
        "stories": [
            {"title": t, "count": n, "link": f"{base}/phan-loai/{sid}" if sid is not None else ""}
            for sid, t, n in d.stories
        ],
        "outlets": [{"name": o, "count": n} for o, n in d.outlets],
        "terms": list(d.terms),
        "tones": [{"name": sentiment_vi(code), "count": n, "share": round(100 * n / total)} for code, n in d.tones],
        "also": [f"{DIMENSION_VI[dim]} {key_name(dim, key, spike)}" for dim, key in d.also],
    }
    return Content(subject, render("spike.txt", **context), render("spike.html", **context), (link,))
