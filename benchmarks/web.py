"""Web app benchmark: pages under concurrent clients on PostgreSQL.

Loads a replay of the corpus (articles cycled from ../shared/corpus with their real text, spread over 90 days
and 30 outlets; a tenth of them relevant, grouped into stories of 1-3 copies; a quarter of the stories with a
case) into a PostgreSQL database, starts `thads-monitor serve`, signs a monitor in, and has N concurrent
clients fetch each page for a while. Prints p50/p95/p99 latency and throughput per page, with a bare baseline
measured in the same run (a static file through the same server: the floor of the stack).

    .venv/bin/python benchmarks/web.py --articles 200000 --clients 20 --seconds 30 --workers 2
    .venv/bin/python benchmarks/web.py --database-url postgresql+psycopg://... --paths "/tim-kiem?q=thi+hanh+an"

The database is made once (`thads_bench_web` on the test server, unless --database-url names one) and kept:
later runs reuse it. Without --database-url nothing else is touched.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import gzip
import itertools
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import psycopg
from sqlalchemy import func, insert, select
from sqlalchemy.engine import make_url

from dashboards.settings import WebSettings
from dashboards.web.security import Passwords
from domain.labels import taxonomy
from domain.provinces import PROVINCES
from domain.records import User
from storage.accounts import set_password_hash
from storage.cases import upsert_user
from storage.engine import Database
from storage.migrate import upgrade
from storage.settings import StorageSettings
from storage.tables import ArticleRow, CaseRow, DeadlineRow, EnrichmentRow, OutletRow, StoryRow

SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BENCH_DB = "thads_bench_web"
PASSWORD = "mat-khau-do-hieu-nang"
MONITOR = "giamsat@bench.vn"
TOPICS = list(taxonomy().topic_names)  # the labels' own lists, so that the benchmark follows them
SENTIMENTS = list(taxonomy().sentiments)
BATCH = 2000


def _corpus(folder: Path) -> list[dict[str, Any]]:
    rows = []
    for name in ("vietnews-thads-pool.jsonl.gz", "vietnews-sample.jsonl.gz"):
        with gzip.open(folder / name, "rt", encoding="utf-8") as f:
            rows.extend(json.loads(line) for line in f)
    return rows


def _bench_url() -> str:
    server = make_url(os.environ.get("THADS_TEST_POSTGRES_URL", SERVER))
    conninfo = server.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (BENCH_DB,)).fetchone() is None:
            conn.execute(f"CREATE DATABASE {BENCH_DB} ENCODING 'UTF8' TEMPLATE template0")
    return server.set(database=BENCH_DB).render_as_string(hide_password=False)


def load(db: Database, corpus: list[dict[str, Any]], articles: int, seed: int = 7) -> None:
    """Top the database up to `articles` articles (resumable: it counts what is there)."""
    rng = random.Random(seed)
    now = dt.datetime.now(dt.UTC)
    with db.session() as s:
        have = int(s.scalar(select(func.count()).select_from(ArticleRow)) or 0)
        outlets = list(s.scalars(select(OutletRow.id).order_by(OutletRow.id)))
        if not outlets:
            s.execute(
                insert(OutletRow),
                [
                    {
                        "slug": f"bao-{i:02d}",
                        "name": f"Báo thử nghiệm {i:02d}",
                        "domain": f"bao{i:02d}.vn",
                        "kind": "national",
                        "reach_tier": 1 + i % 3,
                    }
                    for i in range(30)
                ],
            )
            outlets = list(s.scalars(select(OutletRow.id).order_by(OutletRow.id)))
    started = time.perf_counter()
    for start in range(have, articles, BATCH):
        count = min(BATCH, articles - start)
        rows = []
        for i in range(start, start + count):
            item = corpus[i % len(corpus)]
            at = now - dt.timedelta(minutes=rng.randrange(90 * 24 * 60))
            rows.append(
                {
                    "outlet_id": outlets[i % len(outlets)],
                    "url": f"https://bao.vn/{i}",
                    "title": item["title"],
                    "sapo": item.get("summary", ""),
                    "text": item["text"],
                    "authors": [],
                    "published_at": at,
                    "fetched_at": at + dt.timedelta(minutes=5),
                    "content_hash": f"{i:064d}",
                }
            )
        with db.session() as s:
            ids = list(s.scalars(insert(ArticleRow).returning(ArticleRow.id, sort_by_parameter_order=True), rows))
            enrichments, story_rows, members = [], [], []
            k = 0
            while k < len(ids):
                if rng.random() < 0.1:  # a relevant story of 1-3 consecutive copies
                    size = min(rng.choice((1, 1, 2, 3)), len(ids) - k)
                    members.append((ids[k : k + size], rows[k : k + size]))
                    k += size
                else:
                    enrichments.append(
                        {
                            "article_id": ids[k],
                            "relevant": False,
                            "relevance_score": 0.05,
                            "model_version": "bench",
                            "enriched_at": now,
                            "entities": [],
                        }
                    )
                    k += 1
            for copies, copy_rows in members:
                times = [r["fetched_at"] for r in copy_rows]
                story_rows.append(
                    {
                        "title": copy_rows[0]["title"],
                        "first_article_id": copies[0],
                        "first_seen_at": min(times),
                        "last_seen_at": max(times),
                        "size": len(copies),
                        "triage_state": "pending" if rng.random() < 0.9 else "confirmed",
                    }
                )
            story_ids = (
                list(s.scalars(insert(StoryRow).returning(StoryRow.id, sort_by_parameter_order=True), story_rows))
                if story_rows
                else []
            )
            cases, deadlines_for = [], []
            for story_id, (copies, copy_rows) in zip(story_ids, members, strict=True):
                province = rng.choice(PROVINCES)
                topic, sentiment = rng.choice(TOPICS), rng.choice(SENTIMENTS)
                for article_id in copies:
                    enrichments.append(
                        {
                            "article_id": article_id,
                            "relevant": True,
                            "relevance_score": 0.9,
                            "topic": topic,
                            "sentiment": sentiment,
                            "province": province,
                            "model_version": "bench",
                            "enriched_at": now,
                            "entities": [],
                            "story_id": story_id,
                        }
                    )
                if rng.random() < 0.25:
                    received = copy_rows[0]["fetched_at"]
                    cases.append(
                        {
                            "story_id": story_id,
                            "title": copy_rows[0]["title"],
                            "priority": rng.choices(("P1", "P2", "P3"), (5, 35, 60))[0],
                            "state": rng.choice(("new", "assigned", "acknowledged", "responded", "closed")),
                            "province": province,
                            "received_at": received,
                            "updated_at": received,
                            "reason": "bench",
                            "policy_version": "bench",
                        }
                    )
            s.execute(insert(EnrichmentRow), enrichments)
            if cases:
                case_ids = list(s.scalars(insert(CaseRow).returning(CaseRow.id, sort_by_parameter_order=True), cases))
                for case_id, case in zip(case_ids, cases, strict=True):
                    deadlines_for.append(
                        {
                            "case_id": case_id,
                            "kind": "van_ban_tra_loi",
                            "basis": "bench",
                            "due_at": case["received_at"] + dt.timedelta(days=15),
                            "internal": False,
                            "status": "open",
                            "reminders": [],
                        }
                    )
                s.execute(insert(DeadlineRow), deadlines_for)
        done = start + count
        if done % 20000 < BATCH:
            rate = (done - have) / (time.perf_counter() - started)
            print(f"  loaded {done} articles ({rate:.0f}/s)", flush=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


async def _hammer(base: str, cookies: httpx.Cookies, path: str, clients: int, seconds: float) -> list[float]:
    latencies: list[float] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, cookies=cookies, limits=limits, timeout=60) as client:
        stop = time.perf_counter() + seconds

        async def one() -> None:
            while time.perf_counter() < stop:
                t0 = time.perf_counter()
                try:
                    response = await client.get(path)
                except httpx.TransportError:  # a kept-alive connection the server closed meanwhile: ask again
                    continue
                latencies.append(time.perf_counter() - t0)
                if response.status_code != 200:
                    raise RuntimeError(f"{path}: HTTP {response.status_code}")

        await asyncio.gather(*(one() for _ in range(clients)))
    return latencies


def _cpu_s(pids: list[int]) -> float:
    """User + system CPU seconds used so far by these processes (those that have ended count nothing)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (clock ticks)
    return total / os.sysconf("SC_CLK_TCK")


def _tree(root: int) -> list[int]:
    """The process and its descendants (the server's workers)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            children.setdefault(parent, []).append(int(entry.name))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def _backends(url: str) -> list[int]:
    """PostgreSQL server processes connected to the benchmark database (same machine)."""
    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo) as conn:
        name = make_url(url).database
        return [int(r[0]) for r in conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", (name,))]


def _pct(values: list[float], q: float) -> float:
    return sorted(values)[min(len(values) - 1, int(q * len(values)))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", help="an existing PostgreSQL database (default: thads_bench_web)")
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    parser.add_argument("--articles", type=int, default=200_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--paths", default="/phan-loai,/phan-loai?trang=40,/ho-so", help="comma-separated pages")
    parser.add_argument("--load-only", action="store_true", help="load the data, measure nothing")
    args = parser.parse_args()

    url = args.database_url or _bench_url()
    data_dir = Path(tempfile.mkdtemp(prefix="thads-bench-web-"))
    db = Database.from_settings(StorageSettings(database_url=url, data_dir=data_dir))
    upgrade(db.engine)
    print(f"loading up to {args.articles} articles …", flush=True)
    load(db, _corpus(args.corpus), args.articles)
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("ANALYZE")  # fresh statistics, as autovacuum would give a database in service
    with db.session() as s:
        upsert_user(s, User(email=MONITOR, name="Giám sát đo hiệu năng", role="monitor"))
        set_password_hash(s, MONITOR, Passwords(WebSettings()).hash(PASSWORD))
        counts = {
            name: int(s.scalar(select(func.count()).select_from(table)) or 0)
            for name, table in (("articles", ArticleRow), ("stories", StoryRow), ("cases", CaseRow))
        }
        pending = int(
            s.scalar(select(func.count()).select_from(StoryRow).where(StoryRow.triage_state == "pending")) or 0
        )
    db.dispose()
    print(
        f"database: {counts['articles']} articles, {counts['stories']} stories ({pending} pending), "
        f"{counts['cases']} cases"
    )

    port = _free_port()
    env = dict(
        os.environ, THADS_STORAGE__DATABASE_URL=url, THADS_STORAGE__DATA_DIR=str(data_dir), THADS_LOG__LEVEL="WARNING"
    )
    exe = str(Path(sys.executable).parent / "thads-monitor")
    server = subprocess.Popen(
        [exe, "serve", "--port", str(port), "--workers", str(args.workers)], env=env, stdout=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                page = httpx.get(f"{base}/dang-nhap", timeout=2)
                break
            except httpx.TransportError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("the server did not start") from None
                time.sleep(0.3)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert token is not None
        signed = httpx.post(
            f"{base}/dang-nhap",
            cookies=page.cookies,
            data={"email": MONITOR, "password": PASSWORD, "csrf_token": token.group(1)},
        )
        assert signed.status_code == 303, signed.text
        cookies = signed.cookies
        paths = ["/static/style.css", *[p for p in args.paths.split(",") if p]]
        print(f"{args.clients} concurrent clients, {args.seconds:.0f} s per page, {args.workers} server processes")
        header = f"{'page':30} {'requests':>8} {'req/s':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'max ms':>7}"
        print(header + f" {'CPU ms/req: app':>15} {'db':>5}")
        for path in paths:
            asyncio.run(_hammer(base, cookies, path, args.clients, 3))  # warm-up (and the pool's connections)
            app_pids, db_pids = _tree(server.pid), _backends(url)
            app0, db0 = _cpu_s(app_pids), _cpu_s(db_pids)
            lat = asyncio.run(_hammer(base, cookies, path, args.clients, args.seconds))
            app_ms = (_cpu_s(app_pids) - app0) / len(lat) * 1000
            db_ms = (_cpu_s(db_pids) - db0) / len(lat) * 1000
            label = path + ("  (baseline)" if path.startswith("/static") else "")
            print(
                f"{label:30} {len(lat):8d} {len(lat) / args.seconds:6.1f} {_pct(lat, 0.5):7.1f} "
                f"{_pct(lat, 0.95):7.1f} {_pct(lat, 0.99):7.1f} {max(lat) * 1000:7.1f} {app_ms:15.1f} {db_ms:5.1f}",
                flush=True,
            )
        load1, _, _ = os.getloadavg()
        print(f"machine: {os.cpu_count()} cores, load average {load1:.1f} at the end (other work competes)")
        single = [time.perf_counter()]
        for _ in itertools.repeat(None, 20):
            httpx.get(f"{base}/phan-loai", cookies=cookies)
            single.append(time.perf_counter())
        alone = statistics.median(b - a for a, b in itertools.pairwise(single)) * 1000
        print(f"/phan-loai one client alone: median {alone:.1f} ms")
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=60)


if __name__ == "__main__":
    main()
