"""Spike detection (pure logic, no I/O): a topic, province or story whose relevant articles in the last hours are
far above its usual volume, with the drivers that explain it (stories, outlets, distinctive terms, tone).

The window and its baseline. Windows are `window_hours` long and end on a grid of `step_minutes`, so that
every run within one step checks the same window and a second worker finds the alert already stored. The
baseline of a window is the same clock hours of each of the `baseline_days` days before: news volume follows
the time of day (little at night, most in office hours), so the same hours are the fair comparison. It pools
every weekday: with a few relevant articles a day, the two same-weekday windows of 14 days would give a mean
of two small counts, noisier than the weekday effect it corrects (weekend volume is lower, which only makes a
weekend spike easier to see, not a weekday one harder).

The statistic. Counts are small (a key usually has 0 or 1 article in three hours), where a z-score or a ratio
to the mean misbehaves: one article over a mean of 0.1 is "10×" or "z = 3". Counts of independent arrivals are
Poisson, so the surprise of `count` articles is the upper-tail probability P(X >= count | mean) of a Poisson
variable with the baseline mean. The mean is raised to `min_mean` (a key silent for two weeks would otherwise
make any article a spike), and a spike needs at least `min_count` articles from at least `min_outlets` outlets
(one outlet republishing itself is not a spike). All are policy data (policy/spike.yaml).

One burst, one alert. A burst about one story in one province raises the story, the province and the topic at
once, and keeps raising them as the window slides. Candidates are taken most surprising first, and a candidate
half of whose articles an alert already counted (an earlier one of this run, or one stored for a window that
overlaps this one) is not a new spike: it is named in that alert ("cùng đợt tin này") or dropped.

The drivers, from the spike's own articles: its stories (headline, articles), its outlets, its tone mix, and the
terms of its headlines and leads (words of two syllables or more, as underthesea segments them) most
over-represented against the baseline windows' articles.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from alerts.policy_files import load_policy
from storage.spikes import WindowArticle

T = TypeVar("T")
Dimension = Literal["topic", "province", "story"]
DIMENSIONS: tuple[Dimension, ...] = ("province", "topic", "story")  # the order of a tie: the widest name first


class SpikePolicy(BaseModel):
    """policy/spike.yaml: the window, the baseline and the thresholds of a spike."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    window_hours: int = Field(ge=1, le=48)
    step_minutes: int = Field(ge=1, le=60)
    baseline_days: int = Field(ge=1, le=60)
    min_mean: float = Field(gt=0, le=100)
    max_p: float = Field(gt=0, lt=1)
    min_count: int = Field(ge=1)
    min_outlets: int = Field(ge=1)
    dimensions: tuple[Dimension, ...] = Field(min_length=1)
    top_stories: int = Field(default=5, ge=1, le=50)
    top_outlets: int = Field(default=5, ge=1, le=50)
    top_terms: int = Field(default=8, ge=0, le=50)

    @model_validator(mode="after")
    def _grid(self) -> SpikePolicy:
        if 60 % self.step_minutes:
            raise ValueError(f"step_minutes {self.step_minutes} phải là ước của 60 (ví dụ 5, 10, 15, 30)")
        return self

    @classmethod
    def load(cls, path: Path | None = None) -> SpikePolicy:
        return load_policy("spike.yaml", cls, path)


@dataclass(frozen=True, slots=True)
class Window:
    start: dt.datetime
    end: dt.datetime

    def holds(self, moment: dt.datetime) -> bool:
        return self.start <= moment < self.end


@dataclass(frozen=True, slots=True, kw_only=True)
class Drivers:
    stories: tuple[tuple[int | None, str, int], ...]  # (story id, headline, articles), most first
    outlets: tuple[tuple[str, int], ...]  # (outlet, articles), most first
    terms: tuple[str, ...]  # the most distinctive words of the window's headlines and leads
    tones: tuple[tuple[str | None, int], ...]  # (sentiment code, articles), most first
    also: tuple[tuple[Dimension, str], ...] = ()  # other keys raised by the same articles


@dataclass(frozen=True, slots=True, kw_only=True)
class Spike:
    dimension: Dimension
    key: str
    window: Window
    count: int
    outlets: int
    baseline_mean: float  # the mean of the baseline windows, before the floor
    p_value: float
    articles: tuple[WindowArticle, ...]
    drivers: Drivers | None = None


# --- windows and the statistic ------------------------------------------------------------------------------


def current_window(now: dt.datetime, policy: SpikePolicy) -> Window:
    """The window checked at `now`: `window_hours` ending on the last `step_minutes` mark."""
    step = policy.step_minutes * 60
    end = dt.datetime.fromtimestamp(int(now.timestamp()) // step * step, tz=dt.UTC)
    return Window(end - dt.timedelta(hours=policy.window_hours), end)


def baseline_windows(window: Window, policy: SpikePolicy) -> tuple[Window, ...]:
    """The same clock hours on each of the baseline days before."""
    return tuple(
        Window(window.start - dt.timedelta(days=d), window.end - dt.timedelta(days=d))
        for d in range(1, policy.baseline_days + 1)
    )


def poisson_tail(count: int, mean: float) -> float:
    """P(X >= count) for X ~ Poisson(mean), summed from `count` up (accurate where it matters: the small tail)."""
    if count <= 0:
        return 1.0
    total, k = 0.0, count
    term = math.exp(-mean + count * math.log(mean) - math.lgamma(count + 1))
    while term > 0 and (term > total * 1e-17 or k < count + 1):
        total += term
        k += 1
        term *= mean / k
    return min(1.0, total)


def key_of(article: WindowArticle, dimension: Dimension) -> str | None:
    if dimension == "story":
        return str(article.story_id) if article.story_id is not None else None
    value: str | None = getattr(article, dimension)
    return value


def _by_key(articles: Iterable[WindowArticle], dimension: Dimension) -> dict[str, list[WindowArticle]]:
    groups: dict[str, list[WindowArticle]] = {}
    for article in articles:
        key = key_of(article, dimension)
        if key is not None:
            groups.setdefault(key, []).append(article)
    return groups


def candidates(articles: Sequence[WindowArticle], window: Window, policy: SpikePolicy) -> tuple[list[Spike], int]:
    """Every (dimension, key) of the window's articles that passes the thresholds, most surprising first; and how
    many (dimension, key) pairs were checked."""
    inside = [a for a in articles if window.holds(a.at)]
    base = in_baseline(articles, window, policy)
    found, checked = [], 0
    for dimension in policy.dimensions:
        baseline = {k: len(v) for k, v in _by_key(base, dimension).items()}
        for key, group in _by_key(inside, dimension).items():
            checked += 1
            mean = baseline.get(key, 0) / policy.baseline_days
            p = poisson_tail(len(group), max(mean, policy.min_mean))
            outlets = len({a.outlet for a in group})
            if len(group) >= policy.min_count and outlets >= policy.min_outlets and p <= policy.max_p:
                spike = Spike(
                    dimension=dimension,
                    key=key,
                    window=window,
                    count=len(group),
                    outlets=outlets,
                    baseline_mean=mean,
                    p_value=p,
                    articles=tuple(group),
                )
                found.append(spike)
    found.sort(key=lambda s: (s.p_value, -s.count, DIMENSIONS.index(s.dimension), s.key))
    return found, checked


def in_baseline(articles: Iterable[WindowArticle], window: Window, policy: SpikePolicy) -> list[WindowArticle]:
    """The articles of the window's baseline windows."""
    windows = baseline_windows(window, policy)
    return [a for a in articles if any(w.holds(a.at) for w in windows)]


def _covered(spike: Spike, ids: set[int]) -> bool:
    """At least half of the spike's articles were counted already."""
    return 2 * sum(a.id in ids for a in spike.articles) >= len(spike.articles)


def detect(
    articles: Sequence[WindowArticle],
    now: dt.datetime,
    policy: SpikePolicy,
    *,
    alerted: Iterable[int] = (),
) -> tuple[list[Spike], int]:
    """The new spikes at `now`, each with its drivers, and the number of (dimension, key) pairs checked.

    `articles`: the relevant articles of the current window and of its baseline windows; `alerted`: the ids of
    the articles counted by alerts already stored for windows overlapping this one."""
    window = current_window(now, policy)
    found, checked = candidates(articles, window, policy)
    seen = set(alerted)
    chosen: list[Spike] = []
    also: dict[int, list[tuple[Dimension, str]]] = {}
    for spike in found:
        if _covered(spike, seen):
            owner = next((i for i, c in enumerate(chosen) if _covered(spike, {a.id for a in c.articles})), None)
            if owner is not None:
                also.setdefault(owner, []).append((spike.dimension, spike.key))
            continue
        chosen.append(spike)
        seen.update(a.id for a in spike.articles)
    base = in_baseline(articles, window, policy)
    return [_with_drivers(s, base, policy, tuple(also.get(i, ()))) for i, s in enumerate(chosen)], checked


# --- drivers ------------------------------------------------------------------------------------------------


def _with_drivers(
    spike: Spike, baseline: Sequence[WindowArticle], policy: SpikePolicy, also: tuple[tuple[Dimension, str], ...]
) -> Spike:
    stories: Counter[tuple[int | None, str]] = Counter((a.story_id, a.story_title or a.title) for a in spike.articles)
    drivers = Drivers(
        stories=tuple((sid, title, n) for (sid, title), n in _most(stories, policy.top_stories)),
        outlets=tuple(_most(Counter(a.outlet for a in spike.articles), policy.top_outlets)),
        terms=top_terms(spike.articles, baseline, policy.top_terms),
        tones=tuple(_most(Counter(a.sentiment for a in spike.articles), 3)),
        also=also,
    )
    return Spike(
        dimension=spike.dimension,
        key=spike.key,
        window=spike.window,
        count=spike.count,
        outlets=spike.outlets,
        baseline_mean=spike.baseline_mean,
        p_value=spike.p_value,
        articles=spike.articles,
        drivers=drivers,
    )


def _most(counts: Counter[T], n: int) -> list[tuple[T, int]]:
    """The n most common, ties in order of first appearance (Counter keeps it)."""
    return counts.most_common(n)


def _segment(text: str) -> list[str]:
    from underthesea import word_tokenize  # loaded on first use: the CRF model is read from disk

    words: list[str] = word_tokenize(text)
    return words


@functools.lru_cache(maxsize=4096)
def terms_of(text: str) -> dict[str, str]:
    """The terms of a text: its words of two syllables or more as underthesea segments them ("sân vận động",
    "Chi Lăng", "Phạm Công Danh"; one-syllable words are mostly grammar), by their lower-cased form, each with
    the form it was written in."""
    found: dict[str, str] = {}
    for word in _segment(unicodedata.normalize("NFC", text)):
        syllables = word.split()
        if len(syllables) >= 2 and all(_WORD.fullmatch(s) for s in syllables):
            found.setdefault(word.lower(), word)
    return found


_WORD = re.compile(r"[^\W\d_]+")


def _text(article: WindowArticle) -> str:
    return f"{article.title}. {article.lead}"


def top_terms(window: Sequence[WindowArticle], baseline: Sequence[WindowArticle], n: int) -> tuple[str, ...]:
    """The terms of the window's headlines and leads most over-represented against the baseline's: in at least
    two of the window's articles, ranked by (articles with it) × log of the smoothed ratio of the shares of
    articles that have it; each named in the form most of the window's articles wrote it."""
    if n == 0:
        return ()
    inside = Counter(t for a in window for t in terms_of(_text(a)))
    outside = Counter(t for a in baseline for t in terms_of(_text(a)))
    forms = Counter(terms_of(_text(a))[t] for a in window for t in terms_of(_text(a)))
    nw, nb = len(window), len(baseline)

    def score(term: str) -> float:
        share_w = (inside[term] + 0.5) / (nw + 1)
        share_b = (outside[term] + 0.5) / (nb + 1)
        return inside[term] * math.log(share_w / share_b)

    ranked = sorted((t for t, c in inside.items() if c >= 2 and score(t) > 0), key=lambda t: (-score(t), t))
    return tuple(max((f for f in forms if f.lower() == t), key=lambda f: (forms[f], f)) for t in ranked[:n])
