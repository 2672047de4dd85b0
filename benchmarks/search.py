"""Search benchmark: storage.views.search.search_articles on a loaded database (benchmarks/load_articles.py), by one
client and by 20 at once, against bare baselines measured in the same run by the same harness.

Typical queries, with and without diacritics, alone or with a filter (province, topic, tone, priority, the last
30 or 90 days, an outlet), half of them scoped to a province as a focal point's are; a few quoted phrases and
searches of all articles (not only the relevant ones) as monitors make them. Baselines: a primary-key lookup
of one article, and `SELECT count(*) FROM article`. Prints p50, p95 and p99 in milliseconds; the web app's
target is p95 <= 200 ms for the whole page with 20 clients, so the storage part must stay well under it.

    .venv/bin/python benchmarks/search.py --database-url postgresql+psycopg://postgres@127.0.0.1/bench
"""

from __future__ import annotations

import argparse
import random
import statistics
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine, create_engine, event, func, select, text
from sqlalchemy.orm import Session, sessionmaker

from domain.provinces import PROVINCES
from storage.settings import StorageSettings
from storage.tables import ArticleRow, EnrichmentRow, OutletRow
from storage.views.search import SearchQuery, search_articles

WORDS = [
    "thi hành án",
    "thi hanh an",
    "cưỡng chế",
    "cuong che tai san",
    "đấu giá tài sản",
    "dau gia",
    "chấp hành viên",
    "chap hanh vien",
    "khiếu nại",
    "khieu nai to cao",
    "ngân hàng nợ xấu",
    "ngan hang",
    "kê biên",
    "bản án",
    "thu hồi tài sản",
    "Thanh Hóa",
    "thanh hoa",
    "Đồng Nai",
    "",
]
PHRASES = ['"thi hành án dân sự"', '"cưỡng chế"', '"đấu giá"']
TOPICS = ["cuong_che_tai_san", "khieu_nai_to_cao", "thu_hoi_tai_san", "dau_gia_tai_san"]


def make_engine(url: str, clients: int) -> Engine:
    """The project's engine settings, with a pool as large as the number of clients."""
    settings = StorageSettings(database_url=url)
    engine = create_engine(settings.effective_url(), pool_size=clients, max_overflow=0, pool_pre_ping=True)
    if engine.url.get_backend_name() == "sqlite":

        def pragmas(connection: Any, _record: Any) -> None:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA busy_timeout=10000")

        event.listen(engine, "connect", pragmas)
    return engine


def queries(session: Session, n: int, rng: random.Random) -> list[tuple[str, SearchQuery]]:
    """(kind, query) pairs: the mix the clients send."""
    newest = session.scalar(select(func.max(ArticleRow.fetched_at)))
    assert newest is not None, "the database holds no articles: run benchmarks/load_articles.py first"
    outlets = list(session.scalars(select(OutletRow.id)))
    mix: list[tuple[str, SearchQuery]] = []
    for _ in range(n):
        words = rng.choice(WORDS)
        query = SearchQuery(text=words)
        extra = rng.random()
        if extra < 0.1:
            query = replace(query, province=rng.choice(PROVINCES))
        elif extra < 0.2:
            query = replace(query, topic=rng.choice(TOPICS))
        elif extra < 0.3:
            query = replace(query, sentiment="tieu_cuc")
        elif extra < 0.35:
            query = replace(query, priority=rng.choice(["P1", "P2"]))
        elif extra < 0.45:
            query = replace(query, start=newest - timedelta(days=rng.choice([30, 90])))
        elif extra < 0.5:
            query = replace(query, outlet_ids=(rng.choice(outlets),))
        if rng.random() < 0.5:
            mix.append(("scoped", replace(query, scope=rng.choice(PROVINCES))))
            continue
        odd = rng.random()
        if odd < 0.05:
            mix.append(("phrase", replace(query, text=rng.choice(PHRASES))))
        elif odd < 0.1:
            mix.append(("all articles", replace(query, relevant_only=False)))
        else:
            mix.append(("unscoped", query))
    return mix


def clients(n: int, requests: Sequence[Callable[[], object]]) -> list[float]:
    """Run the requests with `n` threads pulling from one list; latency of each, in ms."""
    latencies = [0.0] * len(requests)
    lock, position = threading.Lock(), [0]
    barrier = threading.Barrier(n)

    def work() -> None:
        barrier.wait()
        while True:
            with lock:
                i = position[0]
                position[0] += 1
            if i >= len(requests):
                return
            start = time.perf_counter()
            requests[i]()
            latencies[i] = (time.perf_counter() - start) * 1000

    threads = [threading.Thread(target=work) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies


def report(label: str, latencies: Sequence[float], seconds: float | None = None) -> None:
    ordered = sorted(latencies)

    def q(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))]

    rate = f", {len(ordered) / seconds:.0f} req/s" if seconds else ""
    print(
        f"  {label:<40} p50 {q(0.5):7.1f}  p95 {q(0.95):7.1f}  p99 {q(0.99):7.1f} ms  ({len(ordered)} requests{rate})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=2000, help="search requests per concurrent run")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    engine = make_engine(args.database_url, args.clients)
    sessions = sessionmaker(engine)

    with sessions() as session:
        articles = session.scalar(select(func.count()).select_from(ArticleRow)) or 0
        relevant = session.scalar(select(func.count()).where(EnrichmentRow.relevant.is_(True))) or 0
        mix = queries(session, args.requests, rng)
        ids = [rng.randint(1, articles) for _ in range(args.requests)]
    print(f"database   {engine.url.get_backend_name()}, {articles} articles ({relevant} relevant)")

    def search(query: SearchQuery) -> Callable[[], object]:
        def run() -> object:
            with sessions() as session:
                return search_articles(session, query)

        return run

    def lookup(article_id: int) -> Callable[[], object]:
        def run() -> object:
            with sessions() as session:
                return session.execute(select(ArticleRow.title).where(ArticleRow.id == article_id)).first()

        return run

    def count() -> object:
        with sessions() as session:
            return session.execute(text("SELECT count(*) FROM article")).scalar()

    print("one client, each typical query (median of 3 runs, ms; matches):")
    for words in WORDS + PHRASES:
        for scope in (None, "Hồ Chí Minh"):
            query = SearchQuery(text=words, scope=scope)
            times = []
            for _ in range(3):
                start = time.perf_counter()
                total = search(query)()
                times.append((time.perf_counter() - start) * 1000)
            label = (words or "(no words)") + (f" [scope {scope}]" if scope else "")
            print(f"  {label:<42} {statistics.median(times):7.1f}  {total.total:>7}")  # type: ignore[attr-defined]

    print(f"{args.clients} concurrent clients:")
    start = time.perf_counter()
    report("baseline: primary-key lookup", clients(args.clients, [lookup(i) for i in ids]), time.perf_counter() - start)
    start = time.perf_counter()
    counted = clients(args.clients, [count for _ in range(max(args.clients * 5, args.requests // 10))])
    report("baseline: SELECT count(*) FROM article", counted, time.perf_counter() - start)
    start = time.perf_counter()
    latencies = clients(args.clients, [search(q) for _, q in mix])
    report("search, whole mix", latencies, time.perf_counter() - start)
    for kind in ("scoped", "unscoped", "phrase", "all articles"):
        report(f"  of which {kind}", [t for t, (k, _) in zip(latencies, mix, strict=True) if k == kind])
    engine.dispose()


if __name__ == "__main__":
    main()
