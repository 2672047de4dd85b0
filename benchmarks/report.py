"""Report benchmark: the yearly report (DOCX and XLSX) of a year of data, against the 30 s target.

Seeds a temporary database with bulk inserts: 100,000 relevant articles over 2026 (titles, leads and labels of the
project's written samples, in 40 outlets and 34 provinces), 35,000 stories (a third with several copies), 2,000
cases with their deadlines and responses (all states, deadlines met, missed and overdue). Then builds the report of
2026 and prints the time of each phase (the figures from the database, the charts, the DOCX, the XLSX), the whole
`build_report` call for both formats, and as a bare baseline the time to read the year's article rows with a plain
cursor (the least any annex listing them costs). Article bodies are the samples' leads: the report never reads
the body, and full texts would only make seeding slow.

    .venv/bin/python benchmarks/report.py                                  # SQLite in a temporary folder
    .venv/bin/python benchmarks/report.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test
      (creates a temporary database on that server and drops it afterwards)
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import random
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import URL, make_url

from dashboards.reports.build import build_report
from dashboards.reports.charts import render_charts
from dashboards.reports.docx_report import render_docx
from dashboards.reports.figures import collect_figures
from dashboards.reports.periods import parse_period
from dashboards.reports.settings import ReportSettings
from dashboards.reports.xlsx_annex import render_xlsx
from domain.localtime import VN
from domain.provinces import NATIONWIDE, PROVINCES
from storage.engine import Database
from storage.migrate import upgrade
from storage.settings import StorageSettings
from storage.tables import ArticleRow, CaseRow, DeadlineRow, EnrichmentRow, OutletRow, ResponseRow, StoryRow

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "nlp" / "data" / "written-samples.jsonl"
YEAR = 2026
NOW = dt.datetime(2027, 1, 5, 8, 0, tzinfo=VN)
KINDS = {
    "P1": ("thong_tin_ban_dau", "van_ban_tra_loi", "xac_nhan_noi_bo"),
    "P2": ("van_ban_tra_loi", "xac_nhan_noi_bo"),
}
PERIOD_H = {"thong_tin_ban_dau": 24, "van_ban_tra_loi": 21 * 24, "xac_nhan_noi_bo": 30}


def _samples() -> list[dict[str, object]]:
    rows = [json.loads(line) for line in SAMPLES.read_text(encoding="utf-8").splitlines()]
    return [r for r in rows if r["relevant"]]


def seed(db: Database, *, articles: int, stories: int, cases: int) -> dict[str, int]:
    rng = random.Random(2026)
    samples = _samples()
    start = dt.datetime(YEAR, 1, 1, tzinfo=VN).astimezone(dt.UTC)
    span_s = int((dt.datetime(YEAR + 1, 1, 1, tzinfo=VN).astimezone(dt.UTC) - start).total_seconds())
    times = sorted(start + dt.timedelta(seconds=rng.randrange(span_s)) for _ in range(articles))
    places = [*PROVINCES, NATIONWIDE]
    with db.session() as s:
        s.execute(
            insert(OutletRow),
            [
                {
                    "id": i,
                    "slug": f"bao-{i}",
                    "name": f"Báo số {i}",
                    "domain": f"bao{i}.vn",
                    "kind": "national",
                    "home_province": None,
                    "reach_tier": 1 + i % 3,
                }
                for i in range(1, 41)
            ],
        )
        article_rows, story_rows, enrichment_rows = [], [], []
        story_of: list[int] = []
        first_of: dict[int, tuple[int, dt.datetime]] = {}
        for i, at in enumerate(times, start=1):
            sample = samples[i % len(samples)]
            # the first `stories` articles open a story each; the rest join a recent one (copies of it)
            story = i if i <= stories else story_of[max(0, i - 1 - rng.randrange(1, 400))]
            story_of.append(story)
            if i <= stories:
                first_of[i] = (i, at)
            article_rows.append(
                {
                    "id": i,
                    "outlet_id": 1 + rng.randrange(40),
                    "feed_id": None,
                    "url": f"https://bao.vn/{i}",
                    "title": f"{sample['title']} ({i})",
                    "sapo": str(sample["summary"]),
                    "text": str(sample["summary"]),
                    "authors": [],
                    "published_at": at if i % 10 else None,
                    "fetched_at": at,
                    "content_hash": f"{i:064x}",
                }
            )
            enrichment_rows.append(
                {
                    "article_id": i,
                    "relevant": True,
                    "relevance_score": 0.9,
                    "topic": sample["topic"],
                    "topic_scores": None,
                    "sentiment": sample["sentiment"],
                    "sentiment_score": 0.9,
                    "province": rng.choice(places),
                    "entities": [],
                    "model_version": "benchmark",
                    "enriched_at": at,
                    "story_id": story,
                    "signature": None,
                }
            )
        for story, (first, at) in first_of.items():
            story_rows.append(
                {
                    "id": story,
                    "title": article_rows[first - 1]["title"],
                    "first_article_id": first,
                    "first_seen_at": at,
                    "last_seen_at": at,
                    "size": 1,
                    "triage_state": "confirmed",
                }
            )
        s.execute(insert(ArticleRow), article_rows)
        s.execute(insert(StoryRow), story_rows)
        s.execute(insert(EnrichmentRow), enrichment_rows)
        case_rows, deadline_rows, response_rows = [], [], []
        for n, story in enumerate(sorted(rng.sample(sorted(first_of), cases)), start=1):
            received = first_of[story][1] + dt.timedelta(hours=1)
            priority = rng.choices(("P1", "P2", "P3"), weights=(1, 6, 3))[0]
            state = rng.choices(("closed", "responded", "acknowledged", "assigned", "dismissed"), (5, 2, 1, 1, 1))[0]
            case_rows.append(
                {
                    "id": n,
                    "story_id": story,
                    "title": story_rows[story - 1]["title"],
                    "priority": priority,
                    "state": state,
                    "province": rng.choice(places),
                    "received_at": received,
                    "updated_at": received,
                    "reason": "benchmark",
                    "policy_version": "NĐ 244/2026/NĐ-CP",
                }
            )
            answered = received + dt.timedelta(hours=rng.uniform(2, 30 * 24))
            for kind in KINDS.get(priority, ("xac_nhan_noi_bo",)):
                due = received + dt.timedelta(hours=PERIOD_H[kind])
                if state == "dismissed":
                    status, met = "void", None
                elif state in ("closed", "responded") or (kind == "xac_nhan_noi_bo" and state == "acknowledged"):
                    met = answered if kind != "xac_nhan_noi_bo" else received + dt.timedelta(hours=rng.uniform(1, 40))
                    status = "met" if met <= due else "missed"
                else:
                    status, met = "open", None
                deadline_rows.append(
                    {
                        "case_id": n,
                        "kind": kind,
                        "due_at": due,
                        "basis": "Nghị định 244/2026/NĐ-CP",
                        "internal": kind == "xac_nhan_noi_bo",
                        "status": status,
                        "met_at": met,
                        "escalated_at": None,
                        "reminders": [],
                    }
                )
            if state in ("closed", "responded"):
                kinds = ["thong_tin_ban_dau"] if priority == "P1" else []
                kinds.append(rng.choice(("van_ban_tra_loi", "yeu_cau_cai_chinh", "bao_cao")))
                for k, kind in enumerate(kinds):
                    response_rows.append(
                        {
                            "case_id": n,
                            "kind": kind,
                            "text": "Đã trả lời cơ quan báo chí.",
                            "by": "daumoi@thads.vn",
                            "at": answered + dt.timedelta(hours=k),
                            "attachments": [],
                        }
                    )
        s.execute(insert(CaseRow), case_rows)
        s.execute(insert(DeadlineRow), deadline_rows)
        s.execute(insert(ResponseRow), response_rows)
    return {
        "articles": len(article_rows),
        "stories": len(story_rows),
        "cases": len(case_rows),
        "deadlines": len(deadline_rows),
        "responses": len(response_rows),
    }


@contextlib.contextmanager
def temporary_database(url: str | None) -> Iterator[str]:
    if url is None:
        with tempfile.TemporaryDirectory(prefix="thads-report-bench-") as folder:
            yield f"sqlite:///{Path(folder) / 'bench.db'}"
        return
    server: URL = make_url(url)
    name = f"thads_report_bench_{os.getpid()}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _timed(label: str, started: tuple[float, float]) -> tuple[float, float]:
    """Print the wall and CPU time since `started` (the machine may be shared: CPU time tells the work done)."""
    now = (time.perf_counter(), time.process_time())
    print(f"  {label:<34} {now[0] - started[0]:6.2f} s  (CPU {now[1] - started[1]:5.2f} s)")
    return now


def _clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="a PostgreSQL server (a temporary database is made on it)")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--stories", type=int, default=35_000)
    parser.add_argument("--cases", type=int, default=2_000)
    parser.add_argument("--out", type=Path, help="also write the two files into this folder")
    args = parser.parse_args()
    with temporary_database(args.database_url) as url:
        db = Database.from_settings(StorageSettings(database_url=url, data_dir=Path(tempfile.gettempdir())))
        upgrade(db.engine)
        print(f"database: {db.backend}")
        started = time.perf_counter()
        counts = seed(db, articles=args.articles, stories=args.stories, cases=args.cases)
        print(f"seeded {', '.join(f'{v:,} {k}' for k, v in counts.items())} in {time.perf_counter() - started:.1f} s")
        period = parse_period(str(YEAR))
        with db.engine.connect() as conn:  # baseline: the year's article rows through a plain cursor
            started = time.perf_counter()
            rows = conn.exec_driver_sql("SELECT id, title, url, published_at, fetched_at FROM article").fetchall()
            baseline = time.perf_counter() - started
        print(f"baseline: {len(rows):,} article rows read with a plain cursor in {baseline:.2f} s")
        print(f"phases of the yearly report (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores):")
        settings = ReportSettings()
        with db.session() as session:
            started = first = _clock()
            figures = collect_figures(session, period, province=None, now=NOW)
            started = _timed("figures from the database", started)
        charts = render_charts(figures)
        started = _timed(f"{len(charts)} charts (matplotlib)", started)
        docx = render_docx(figures, charts, settings=settings, app_url="http://127.0.0.1:8000")
        started = _timed("DOCX", started)
        xlsx = render_xlsx(figures, app_url="http://127.0.0.1:8000")
        _timed("XLSX", started)
        _timed("sum of the phases", first)
        started = _clock()
        files = build_report(db, period, None, "docx,xlsx", NOW, settings=settings, app_url="http://127.0.0.1:8000")
        total, cpu = time.perf_counter() - started[0], time.process_time() - started[1]
        overall = next(t for t in figures.timeliness if t.province == "tất cả")
        print(
            f"figures: {figures.counts.articles:,} relevant articles ({figures.counts.negative:,} negative) in "
            f"{figures.counts.outlets} outlets, {len(figures.stories):,} stories, {len(figures.cases):,} cases; "
            f"statutory deadlines answered in time {figures.annex.statutory_met:,}/{figures.annex.statutory_total:,}; "
            f"written replies {figures.annex.written_replies:,}/{figures.annex.matters:,}; "
            f"overdue deadlines {overall.overdue:,}"
        )
        print(f"files: DOCX {len(docx) / 1e6:.2f} MB, XLSX {len(xlsx) / 1e6:.2f} MB")
        verdict = "within" if total < 30 else "OVER"
        print(
            f"build_report(2026, docx+xlsx): {total:.2f} s, CPU {cpu:.2f} s ({verdict} the 30 s target; load average "
            f"{os.getloadavg()[0]:.1f})"
        )
        if args.out:
            args.out.mkdir(parents=True, exist_ok=True)
            for fmt, data in files.items():
                (args.out / f"bao-cao-{YEAR}-benchmark.{fmt}").write_bytes(data)
        db.dispose()


if __name__ == "__main__":
    main()
