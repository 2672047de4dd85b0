"""Digest benchmark: the time to build one user's daily digest (queries, grouping, text and HTML) for 500 new
articles, with the open cases the workflow made of them. Target: under 1 s.

Prints the full build, and as a bare baseline measured in the same run, the two queries alone; each is the
median of several builds (the first, with cold caches, is shown apart).

    .venv/bin/python benchmarks/digest.py [--articles 500] [--db-url postgresql+psycopg://…]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import statistics
import tempfile
import time
from pathlib import Path

from alerts.calendar import default_calendar
from alerts.deadlines import default_policy
from alerts.digest import build_digest
from alerts.preferences import scope_of
from alerts.priority import default_rules
from alerts.settings import AlertSettings
from alerts.workflow import run_workflow
from domain.localtime import VN
from domain.records import Article, Enrichment, Outlet, OutletKind, User
from storage.articles import add_article
from storage.cases import count_cases, get_user, upsert_user
from storage.engine import Database
from storage.enrichments import save_enrichment, start_story
from storage.migrate import upgrade
from storage.outlets import upsert_outlet
from storage.preferences import get_preferences
from storage.settings import StorageSettings
from storage.views.digest import open_cases, relevant_articles

REPO = Path(__file__).resolve().parent.parent
NOW = dt.datetime(2026, 11, 17, 7, 30, tzinfo=VN).astimezone(dt.UTC)
CENTRAL = "vanphong@cucqlthads.vn"


def seed(db: Database, count: int) -> None:
    """`count` relevant articles from the project's written samples (cycled, each copy a story of its own),
    enriched with their hand labels over the 24 hours before the digest, from their own outlets."""
    rows = [json.loads(line) for line in (REPO / "nlp" / "data" / "written-samples.jsonl").open(encoding="utf-8")]
    relevant = [r for r in rows if r["relevant"]]
    with db.session() as session:
        upsert_user(
            session, User(email=CENTRAL, name="Văn phòng Cục Quản lý THADS", role="monitor", province="toan_quoc")
        )
        outlets = {}
        for row in relevant:
            domain = row["outlet"]
            if domain not in outlets:
                outlets[domain] = upsert_outlet(
                    session, Outlet(slug=domain.replace(".", "-"), name=domain, domain=domain, kind=OutletKind.NATIONAL)
                ).id
        for i in range(count):
            row = relevant[i % len(relevant)]
            at = NOW - dt.timedelta(hours=24) + dt.timedelta(seconds=(i + 1) * 86000 / count)
            title = row["title"] if i < len(relevant) else f"{row['title']} (bài {i // len(relevant) + 1})"
            article, _ = add_article(
                session,
                Article(
                    outlet_id=outlets[row["outlet"]],
                    url=f"https://{row['outlet']}/bai-{i}.html",
                    title=title,
                    sapo=row["summary"],
                    text=row["text"],
                    content_hash=hashlib.sha256(f"{i}{row['text']}".encode()).hexdigest(),
                    published_at=at - dt.timedelta(minutes=15),
                    fetched_at=at,
                ),
            )
            assert article.id is not None
            story = start_story(session, article)
            save_enrichment(
                session,
                Enrichment(
                    article_id=article.id,
                    relevant=True,
                    relevance_score=0.9,
                    topic=row["topic"],
                    sentiment=row["sentiment"],
                    province=row["province"],
                    model_version="benchmark",
                    enriched_at=at,
                    story_id=story.id,
                ),
            )
    run_workflow(
        db,
        rules=default_rules(),
        policy=default_policy(),
        calendar=default_calendar(),
        settings=AlertSettings(),
        now=lambda: NOW - dt.timedelta(hours=1),
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--db-url", default=None, help="an empty database (default: a temporary SQLite file)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="thads-digest-"))
    db = Database.from_settings(
        StorageSettings(database_url=args.db_url or f"sqlite:///{work / 'digest.db'}", data_dir=work)
    )
    upgrade(db.engine)
    seed(db, args.articles)

    builds, queries = [], []
    for _ in range(args.runs + 1):
        with db.session() as session:
            user, preferences = get_user(session, CENTRAL), get_preferences(session, CENTRAL)
            assert user is not None
            assert preferences is not None
            start = time.perf_counter()
            digest, message = build_digest(session, user, preferences, now=NOW, app_url="https://giamsat.thads.example")
            builds.append(time.perf_counter() - start)
        with db.session() as session:
            start = time.perf_counter()
            scope = scope_of(user, preferences)
            relevant_articles(session, since=NOW - dt.timedelta(hours=24), until=NOW, province=scope)
            open_cases(session, province=scope)
            queries.append(time.perf_counter() - start)
    with db.session() as session:
        cases = count_cases(session)
    cold, build = builds[0] * 1000, statistics.median(builds[1:]) * 1000
    query = statistics.median(queries[1:]) * 1000
    print(f"database                  {db.backend}")
    print(f"articles in the digest    {digest.articles} ({len(digest.groups)} priority groups)")
    print(f"open cases listed         {len(digest.cases)} of {cases} cases")
    print(f"text / HTML               {len(message.text) / 1000:.0f} kB / {len(message.html) / 1000:.0f} kB")
    print(f"build, first (cold)       {cold:.0f} ms")
    print(f"build, median of {args.runs}        {build:.0f} ms  (target < 1000 ms)")
    print(f"bare queries (baseline)   {query:.0f} ms  (grouping and rendering: {build - query:.0f} ms)")
    db.dispose()


if __name__ == "__main__":
    main()
