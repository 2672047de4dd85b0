"""Spike replay: real articles replayed hour by hour through the spike check (alerts.spike_alerts.run_spikes on a
real database, messages written to the outbox), to count its false alarms and to show that a real burst is
caught once. For each replay it prints the windows checked, the (dimension, key) pairs judged, the spike
alerts with their key and drivers, and, as a bare baseline measured in the same run over the same windows,
the alerts of a naive rule ("count >= 2 × the baseline mean", no floor, no minimum count).

The corpus has no dense month of enforcement news: the only dated file (news-2026-sample, real times, 29/01 –
08/02/2026 dense, 21/01 – 08/02 in all) holds one relevant article in 1,378 (hand labels of nlp/data). So:

1. `news-2026`: that file at its real publication times, with its hand labels as enrichments (what exists,
   replayed at the real rate: 19 days);
2. `steady month`: the relevant articles of the VietNews THADS pool (hand labels; 2016–2019, undated, the Chi
   Lăng burst left out) given times by a Poisson process over 30 days (seeded), weighted to office hours
   (`DAY_PROFILE`), from the pool's three outlets: real text and labels at the volume THADS news runs
   (about 6 relevant articles a day), the timing synthetic;
3. `steady month + burst`: the first of them, with the six real Chi Lăng articles of one story injected within
   two hours on day 20: it must raise exactly one alert more, naming that story.

The steady months are replayed with several seeds (`--months`), and the closing line sums their false alarms.

    .venv/bin/python benchmarks/spike_replay.py [--days 30] [--seed 17] [--months 5] [--every 60]
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import gzip
import hashlib
import json
import random
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from alerts.spike_alerts import key_name, run_spikes
from alerts.spikes import DIMENSIONS, SpikePolicy, baseline_windows, current_window, in_baseline, key_of
from domain.enums import Role, Sentiment
from domain.labels import sentiment_vi
from domain.localtime import VN
from domain.records import Article, Enrichment, Outlet, OutletKind, User
from domain.text import normalize_vietnamese
from storage.articles import add_article
from storage.cases import upsert_user
from storage.engine import Database
from storage.enrichments import save_enrichment, start_story
from storage.migrate import upgrade
from storage.outlets import upsert_outlet
from storage.settings import StorageSettings
from storage.spikes import SpikeRecord, WindowArticle, spike_alerts_since, window_articles

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from tests.alerts.spike_data import (  # noqa: E402
    BURST,
    add_pool_article,
    burst_articles,
    relevant_pool,
)

SHARED = REPO.parent / "shared"
APP_URL = "http://127.0.0.1:8000"
# Relative weight of each local hour 0–23 for the synthetic arrival times: office hours, a lunch dip, a quiet night.
DAY_PROFILE = (1, 1, 1, 1, 1, 2, 4, 7, 9, 10, 10, 8, 5, 7, 9, 9, 8, 6, 4, 4, 3, 2, 2, 1)


@dataclass(frozen=True, slots=True)
class Outcome:
    windows: int
    judged: int
    alerts: list[SpikeRecord]
    naive_firings: int  # (window, dimension, key) where the naive rule fires
    naive_alerts: int  # the same after the one-burst-one-alert merging the detector applies


def fresh_database(work: Path, name: str) -> Database:
    db = Database.from_settings(StorageSettings(database_url=f"sqlite:///{work / name}.db", data_dir=work))
    upgrade(db.engine)
    with db.session() as session:
        upsert_user(
            session,
            User(email="vanphong@cucqlthads.vn", name="Văn phòng Cục", role=Role.DAU_MOI, province="toan_quoc"),
        )
    return db


# --- the replays' articles ----------------------------------------------------------------------------------


def load_news_2026(db: Database) -> tuple[dt.datetime, dt.datetime, int]:
    """Every article of news-2026-sample at its real time, its hand label as its enrichment."""
    labels = {}
    for line in (REPO / "nlp" / "data" / "labels-news-2026.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        labels[row["id"]] = row
    times, relevant = [], 0
    with gzip.open(SHARED / "corpus" / "news-2026-sample.jsonl.gz", "rt", encoding="utf-8") as lines, db.session() as s:
        for line in lines:
            item = json.loads(line)
            label = labels[item["id"]]
            at = dt.datetime.fromisoformat(item["date"]).astimezone(dt.UTC)
            times.append(at)
            outlet = upsert_outlet(
                s,
                Outlet(
                    slug=item["outlet"].replace(".", "-"),
                    name=item["outlet"],
                    domain=item["outlet"],
                    kind=OutletKind.NATIONAL,
                ),
            )
            assert outlet.id is not None
            article, new = add_article(
                s,
                Article(
                    outlet_id=outlet.id,
                    url=item["url"],
                    title=normalize_vietnamese(item["title"]),
                    sapo=normalize_vietnamese(item["summary"]),
                    text=normalize_vietnamese(item["text"]),
                    content_hash=hashlib.sha256(item["id"].encode()).hexdigest(),
                    published_at=at,
                    fetched_at=at,
                ),
            )
            if not new:
                continue
            assert article.id is not None
            story = start_story(s, article) if label["relevant"] else None
            relevant += bool(label["relevant"])
            save_enrichment(
                s,
                Enrichment(
                    article_id=article.id,
                    relevant=bool(label["relevant"]),
                    relevance_score=0.95 if label["relevant"] else 0.05,
                    topic=label["topic"],
                    sentiment=Sentiment(label["sentiment"]) if label["sentiment"] else None,
                    province=label["province"],
                    model_version="nhan-thu-cong",
                    enriched_at=at,
                    story_id=story.id if story else None,
                ),
            )
    return min(times), max(times), relevant


def arrival_times(count: int, start: dt.datetime, days: int, rng: random.Random) -> list[dt.datetime]:
    """`count` times over `days` days from `start`: a uniform day, an hour by DAY_PROFILE, a uniform minute
    (a Poisson process of that daily profile, conditioned on its count)."""
    local = start.astimezone(VN)
    times = []
    for _ in range(count):
        day = rng.randrange(days)
        hour = rng.choices(range(24), weights=DAY_PROFILE)[0]
        moment = local.replace(hour=0, minute=0, second=0, microsecond=0) + dt.timedelta(days=day, hours=hour)
        times.append((moment + dt.timedelta(seconds=rng.randrange(3600))).astimezone(dt.UTC))
    return sorted(times)


def load_steady(db: Database, start: dt.datetime, days: int, seed: int) -> int:
    """The relevant pool articles (one copy of each headline, the burst's articles left out) at random times."""
    seen: set[str] = set()
    articles = []
    for article in relevant_pool().values():
        if article.id in BURST or article.title in seen:
            continue
        seen.add(article.title)
        articles.append(article)
    rng = random.Random(seed)
    rng.shuffle(articles)
    times = arrival_times(len(articles), start, days, rng)
    with db.session() as session:
        for article, at in zip(articles, times, strict=True):
            add_pool_article(session, article, outlet=rng.randrange(3), at=at)
    return len(articles)


def load_burst(db: Database, at: dt.datetime) -> None:
    with db.session() as session:
        story = None
        for i, article in enumerate(burst_articles()):
            _, story = add_pool_article(
                session, article, outlet=i, at=at + dt.timedelta(minutes=20 * i), story_id=story
            )


# --- the replay -----------------------------------------------------------------------------------------------


def naive(articles: Sequence[WindowArticle], now: dt.datetime, policy: SpikePolicy) -> list[set[int]]:
    """The naive rule's firings at `now`: every (dimension, key) with count >= 2 × its baseline mean; each as the
    set of its article ids."""
    window = current_window(now, policy)
    inside = [a for a in articles if window.holds(a.at)]
    base = in_baseline(articles, window, policy)
    firings = []
    for dimension in DIMENSIONS:
        baseline = Counter(key_of(a, dimension) for a in base)
        groups: dict[str, set[int]] = {}
        for a in inside:
            key = key_of(a, dimension)
            if key is not None:
                groups.setdefault(key, set()).add(a.id)
        for key, ids in groups.items():
            if len(ids) >= 2 * baseline[key] / policy.baseline_days:
                firings.append(ids)
    return firings


def replay(db: Database, policy: SpikePolicy, start: dt.datetime, end: dt.datetime, every: dt.timedelta) -> Outcome:
    """Run the spike check every `every` from `start` to `end`, and the naive rule over the same windows."""
    windows = judged = naive_firings = 0
    naive_told: list[tuple[dt.datetime, set[int]]] = []
    moment = start
    while moment <= end:
        done = run_spikes(db, policy, now=moment, app_url=APP_URL)
        windows += 1
        judged += done.checked
        window = current_window(moment, policy)
        spans = [(w.start, w.end) for w in (window, *baseline_windows(window, policy))]
        with db.session() as session:
            articles = window_articles(session, spans)
        for ids in naive(articles, moment, policy):
            naive_firings += 1
            recent = set().union(*(told for at, told in naive_told if at > window.start))
            if 2 * len(ids & recent) < len(ids):
                naive_told.append((window.end, ids))
        moment += every
    with db.session() as session:
        alerts = spike_alerts_since(session, start - dt.timedelta(days=1))
    return Outcome(windows, judged, alerts, naive_firings, len(naive_told))


def show(name: str, outcome: Outcome, note: str) -> None:
    print(f"\n== {name} ==")
    print(note)
    print(f"windows checked                 {outcome.windows}")
    print(f"(dimension, key) pairs judged   {outcome.judged}")
    print(f"spike alerts                    {len(outcome.alerts)}")
    for alert in outcome.alerts:
        d = alert.drivers
        local = alert.window_end.astimezone(VN)
        print(
            f"  * {local:%d/%m %H:%M} {alert.dimension} {key_name(alert.dimension, alert.key)}: {alert.count} bài,"
            f" thường {alert.baseline_mean:.2f}, P = {alert.p_value:.1e}"
        )
        print(f"    câu chuyện: {'; '.join(f'{t} ({n})' for _, t, n in d['stories'])}")
        print(f"    báo: {', '.join(f'{o} ({n})' for o, n in d['outlets'])}")
        print(f"    từ ngữ: {', '.join(d['terms'])}")
        print(f"    sắc thái: {', '.join(f'{sentiment_vi(c)} {n}' for c, n in d['tones'])}")
        if d["also"]:
            print(f"    cùng đợt: {', '.join(f'{dim} {key_name(dim, key)}' for dim, key in d['also'])}")
    print(f"baseline, naive rule (count >= 2 × mean): {outcome.naive_firings} firings, {outcome.naive_alerts} alerts")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=30, help="length of the steady month")
    parser.add_argument("--seed", type=int, default=17, help="seed of the first steady month")
    parser.add_argument("--months", type=int, default=5, help="steady months replayed (seeds seed, seed + 1, …)")
    parser.add_argument(
        "--every", type=int, default=60, help="minutes between two checks (the job runs every 15; 60: hour by hour)"
    )
    parser.add_argument("--policy", type=Path, default=None, help="a spike policy file (default: the shipped one)")
    args = parser.parse_args()
    policy = SpikePolicy.load(args.policy)
    work = Path(tempfile.mkdtemp(prefix="thads-spikes-"))
    print(
        f"policy: window {policy.window_hours} h on a {policy.step_minutes}-minute grid, baseline the same hours of "
        f"{policy.baseline_days} days, mean floor {policy.min_mean}, P <= {policy.max_p}, "
        f">= {policy.min_count} articles from >= {policy.min_outlets} outlets"
    )

    def news(db: Database) -> tuple[dt.datetime, dt.datetime, str]:
        first, last, relevant = load_news_2026(db)
        return first, last + dt.timedelta(hours=1), f"news-2026-sample at its real times: {relevant} relevant article"

    start = dt.datetime(2026, 11, 1, tzinfo=VN).astimezone(dt.UTC)
    end = start + dt.timedelta(days=args.days)
    burst_at = dt.datetime(2026, 11, 20, 9, 10, tzinfo=VN).astimezone(dt.UTC)

    def steady(db: Database, seed: int = args.seed) -> tuple[dt.datetime, dt.datetime, str]:
        n = load_steady(db, start, args.days, seed)
        return start, end, f"{n} relevant pool articles over {args.days} days ({n / args.days:.1f} a day), seed {seed}"

    def with_burst(db: Database) -> tuple[dt.datetime, dt.datetime, str]:
        first, last, note = steady(db)
        load_burst(db, burst_at)
        return first, last, f"{note}, plus 6 Chi Lăng articles of one story from {burst_at.astimezone(VN):%d/%m %H:%M}"

    runs: list[tuple[str, Callable[[Database], tuple[dt.datetime, dt.datetime, str]]]] = [
        ("news-2026 (real times)", news),
        ("steady month + burst", with_burst),
    ]
    runs += [(f"steady month {i + 1}", functools.partial(steady, seed=args.seed + i)) for i in range(args.months)]
    steady_alerts = steady_naive = 0
    for i, (name, load) in enumerate(runs):
        db = fresh_database(work, f"replay{i}")
        first, last, note = load(db)
        first = first.replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)
        outcome = replay(db, policy, first, last, dt.timedelta(minutes=args.every))
        show(name, outcome, note)
        if name.startswith("steady month ") and "+" not in name:
            steady_alerts += len(outcome.alerts)
            steady_naive += outcome.naive_alerts
        db.dispose()
    print(
        f"\nfalse alarms over {args.months} steady months ({args.months * args.days} days, "
        f"{args.months * args.days * 24 * 60 // args.every} checks): spike check {steady_alerts}, "
        f"naive rule {steady_naive}"
    )


if __name__ == "__main__":
    main()
