"""Benchmark data: N articles (200,000 for the web app's load test) replayed from the real corpus, loaded fast.

Every article of ../shared/corpus (21,840, normalised as the crawler stores them) is replayed as often as needed:
in groups of 1–5 copies of one story (different outlets of crawler/sources.yaml, within a day and a half),
published over the year before `--end`. Enrichments: the hand labels of nlp/data/labels-vietnews-pool.jsonl for
the pool articles, realistic random labels elsewhere (relevant share `--relevant-share`, drawn preferably from
articles that talk about enforcement; topics and tones drawn from the hand-label distribution); stories for the
relevant groups; cases for the flagged stories (the real alerts functions for the newest `--real-cases`, bulk
rows consistent with them for the rest: benchmarks/load_cases.py); focal points, monitors and leaders.

Rows go in with COPY on PostgreSQL and executemany on SQLite, in one transaction; the search index is kept
by the database's own triggers, as in production. Prints the throughput.

    .venv/bin/python benchmarks/load_articles.py --database-url postgresql+psycopg://postgres@127.0.0.1/bench \\
        --articles 200000 --corpus ../shared/corpus
"""

from __future__ import annotations

import argparse
import json
import random
import re
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from load_cases import load_cases  # benchmarks/ is the script's folder, first on sys.path
from sqlalchemy import Connection, Table, func, select, text

from crawler.replay.corpus import load_corpus
from crawler.sources import load_registry, sync_registry
from crawler.store import content_hash
from domain.provinces import NATIONWIDE, PROVINCES
from domain.records import Outlet, User
from domain.text import fold_diacritics
from storage.cases import upsert_user
from storage.engine import Database
from storage.migrate import upgrade
from storage.settings import StorageSettings
from storage.tables import ArticleRow, EnrichmentRow, StoryRow

REPO = Path(__file__).resolve().parent.parent
MODEL_VERSION = "benchmark-replay"
COPIES = (1, 2, 3, 4, 5)
COPY_WEIGHTS = (40, 25, 15, 10, 10)
# Articles of the unlabelled sample that talk about enforcement matters: preferred for the random relevant labels.
ENFORCEMENT = re.compile(
    r"thi hanh an|cuong che|ke bien|dau gia|ban an|chap hanh vien|thu hoi tai san|khieu nai|no xau|toa an"
)


@dataclass(frozen=True, slots=True)
class Labels:
    relevant: bool
    topic: str | None = None
    sentiment: str | None = None
    province: str | None = None


@dataclass(slots=True)
class Group:
    """Copies of one corpus article: one story when relevant."""

    corpus_index: int
    article_ids: list[int]
    times: list[datetime]  # fetched_at of each copy
    outlet_ids: list[int]
    story_id: int | None = None


def read_corpus(folder: Path) -> list[tuple[str, str, str, str]]:
    rows: list[tuple[str, str, str, str]] = []
    for path in sorted(folder.glob("*.jsonl.gz")):
        rows.extend(load_corpus(path))
    if not rows:
        raise SystemExit(f"no corpus file (*.jsonl.gz) in {folder}")
    return rows


def corpus_labels(
    corpus: Sequence[tuple[str, str, str, str]], labels_file: Path, share: float, rng: random.Random
) -> list[Labels]:
    """Hand labels where they exist; random realistic ones elsewhere, `share` of all relevant."""
    hand = {item["id"]: item for item in map(json.loads, labels_file.read_text(encoding="utf-8").splitlines())}
    relevant_hand = [h for h in hand.values() if h["relevant"]]
    topics = [h["topic"] for h in relevant_hand]
    tones = [h["sentiment"] for h in relevant_hand]
    places = [h["province"] for h in relevant_hand] + list(PROVINCES) * 2  # every province gets some
    out: list[Labels | None] = [None] * len(corpus)
    unlabelled: list[int] = []
    for i, (source_id, *_) in enumerate(corpus):
        h = hand.get(source_id)
        if h is None:
            unlabelled.append(i)
        else:
            out[i] = Labels(h["relevant"], h["topic"], h["sentiment"], h["province"])
    wanted = max(0, round(share * len(corpus)) - sum(1 for x in out if x is not None and x.relevant))
    hinted = [i for i in unlabelled if ENFORCEMENT.search(fold_diacritics(f"{corpus[i][1]} {corpus[i][2]}"))]
    hinted_set = set(hinted)
    others = [i for i in unlabelled if i not in hinted_set]
    rng.shuffle(hinted)
    rng.shuffle(others)
    chosen = set((hinted + others)[:wanted])
    for i in unlabelled:
        if i in chosen:
            out[i] = Labels(True, rng.choice(topics), rng.choice(tones), rng.choice(places))
        else:
            out[i] = Labels(False)
    return [x for x in out if x is not None]


def bulk_insert(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]], *, chunk: int = 5000) -> None:
    """COPY on PostgreSQL, executemany elsewhere. Rows are dicts with the same keys."""
    if not rows:
        return
    if conn.dialect.name != "postgresql":
        for start in range(0, len(rows), chunk):
            conn.execute(table.insert(), list(rows[start : start + chunk]))
        return
    columns = list(rows[0])
    json_columns = {c.name for c in table.columns if c.type.__class__.__name__ == "JSON"}
    raw = conn.connection.driver_connection
    assert raw is not None
    with raw.cursor() as cursor, cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(
                [json.dumps(row[c]) if c in json_columns and row[c] is not None else row[c] for c in columns]
            )


def reset_sequences(conn: Connection, tables: Iterable[str]) -> None:
    if conn.dialect.name == "postgresql":
        for name in tables:  # our own table names, not input
            conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), (SELECT coalesce(max(id), 1) FROM {name}))"  # noqa: S608
                )
            )


def add_users(database: Database) -> None:
    """A head and two focal points per province, the central desk (monitors), two leaders, an admin."""
    people: list[User] = []
    for province in PROVINCES:
        slug = re.sub(r"[^a-z0-9]+", "-", fold_diacritics(province)).strip("-")
        people.append(
            User(
                email=f"truong.{slug}@thads.example.vn",
                name=f"Lãnh đạo {province}",
                role="dau_moi",
                province=province,
                is_head=True,
            )
        )
        people += [
            User(
                email=f"daumoi{n}.{slug}@thads.example.vn",
                name=f"Đầu mối {n} {province}",
                role="dau_moi",
                province=province,
            )
            for n in (1, 2)
        ]
    people += [
        User(email=f"theodoi{n}@thads.example.vn", name=f"Cán bộ theo dõi {n}", role="monitor", province=NATIONWIDE)
        for n in (1, 2, 3)
    ]
    people += [User(email=f"lanhdao{n}@thads.example.vn", name=f"Lãnh đạo Cục {n}", role="leader") for n in (1, 2)]
    people.append(User(email="quantri@thads.example.vn", name="Quản trị", role="admin"))
    with database.session() as session:
        for person in people:
            upsert_user(session, person)


def make_groups(
    n_articles: int, n_corpus: int, outlets: Sequence[Outlet], end: datetime, rng: random.Random
) -> list[Group]:
    order = list(range(n_corpus))
    rng.shuffle(order)
    groups: list[Group] = []
    next_id, made = 1, 0
    while made < n_articles:
        k = min(rng.choices(COPIES, COPY_WEIGHTS)[0], n_articles - made)
        first = end - timedelta(seconds=rng.uniform(2 * 86400, 365 * 86400))
        times = sorted(first + timedelta(seconds=rng.uniform(0, 36 * 3600)) if j else first for j in range(k))
        chosen = rng.sample(outlets, k)
        groups.append(
            Group(
                corpus_index=order[len(groups) % n_corpus],
                article_ids=list(range(next_id, next_id + k)),
                times=list(times),
                outlet_ids=[o.id or 0 for o in chosen],
            )
        )
        next_id += k
        made += k
    return groups


def article_rows(
    groups: Sequence[Group],
    corpus: Sequence[tuple[str, str, str, str]],
    outlets: Mapping[int, Outlet],
    labels: Sequence[Labels],
    rng: random.Random,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Rows of article, enrichment and story. Story ids are assigned here (`group.story_id`)."""
    articles: list[dict[str, Any]] = []
    enrichments: list[dict[str, Any]] = []
    stories: list[dict[str, Any]] = []
    hashes = [content_hash(title, body) for _, title, _, body in corpus]
    slugs = [re.sub(r"[^a-z0-9]+", "-", fold_diacritics(title)).strip("-")[:60] for _, title, _, _ in corpus]
    for group in groups:
        _, title, sapo, body = corpus[group.corpus_index]
        label = labels[group.corpus_index]
        if label.relevant:
            group.story_id = len(stories) + 1
            stories.append(
                {
                    "id": group.story_id,
                    "title": title,
                    "first_article_id": group.article_ids[0],
                    "first_seen_at": group.times[0],
                    "last_seen_at": group.times[-1],
                    "size": len(group.article_ids),
                    "triage_state": "pending",
                }
            )
        for article_id, fetched_at, outlet_id in zip(group.article_ids, group.times, group.outlet_ids, strict=True):
            published = None if rng.random() < 0.05 else fetched_at - timedelta(minutes=rng.uniform(2, 90))
            articles.append(
                {
                    "id": article_id,
                    "outlet_id": outlet_id,
                    "feed_id": None,
                    "url": f"https://{outlets[outlet_id].domain}/{slugs[group.corpus_index]}-{article_id}.html",
                    "title": title,
                    "sapo": sapo,
                    "text": body,
                    "authors": [],
                    "published_at": published,
                    "fetched_at": fetched_at,
                    "content_hash": hashes[group.corpus_index],
                }
            )
            enrichments.append(
                {
                    "article_id": article_id,
                    "relevant": label.relevant,
                    "relevance_score": rng.uniform(0.6, 0.99) if label.relevant else rng.uniform(0.01, 0.45),
                    "topic": label.topic,
                    "topic_scores": None,
                    "sentiment": label.sentiment,
                    "sentiment_score": rng.uniform(0.5, 0.95) if label.sentiment else None,
                    "province": label.province,
                    "entities": [],
                    "model_version": MODEL_VERSION,
                    "enriched_at": fetched_at + timedelta(minutes=rng.uniform(1, 10)),
                    "story_id": group.story_id,
                }
            )
    return articles, enrichments, stories


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--articles", type=int, default=200_000)
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--labels", type=Path, default=REPO / "nlp" / "data" / "labels-vietnews-pool.jsonl")
    parser.add_argument("--relevant-share", type=float, default=0.07)
    parser.add_argument("--end", type=datetime.fromisoformat, default=datetime(2026, 12, 1, tzinfo=UTC))
    parser.add_argument("--real-cases", type=int, default=200, help="newest flagged stories handled by alerts")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    end: datetime = args.end if args.end.tzinfo else args.end.replace(tzinfo=UTC)
    rng = random.Random(args.seed)

    database = Database.from_settings(StorageSettings(database_url=args.database_url))
    upgrade(database.engine)
    with database.session() as session:
        if session.scalar(select(func.count()).select_from(ArticleRow)):
            raise SystemExit("the database already holds articles: load into an empty database")
        outlets = sync_registry(session, load_registry())
    add_users(database)

    started = time.perf_counter()
    corpus = read_corpus(args.corpus)
    labels = corpus_labels(corpus, args.labels, args.relevant_share, rng)
    by_id = {o.id or 0: o for o in outlets.values()}
    groups = make_groups(args.articles, len(corpus), list(outlets.values()), end, rng)
    articles, enrichments, stories = article_rows(groups, corpus, by_id, labels, rng)
    prepared = time.perf_counter()
    print(f"corpus                  {len(corpus)} articles, {sum(x.relevant for x in labels)} relevant")
    print(f"prepared                {len(articles)} articles, {len(stories)} stories in {prepared - started:.1f} s")

    with database.engine.begin() as conn:
        bulk_insert(conn, ArticleRow.__table__, articles)  # type: ignore[arg-type]
        loaded_articles = time.perf_counter()
        bulk_insert(conn, StoryRow.__table__, stories)  # type: ignore[arg-type]
        bulk_insert(conn, EnrichmentRow.__table__, enrichments)  # type: ignore[arg-type]
        reset_sequences(conn, ("article", "story"))
    loaded = time.perf_counter()
    seconds = loaded_articles - prepared
    print(f"articles (with index)   {seconds:.1f} s, {len(articles) / seconds:.0f} articles/s")
    print(f"enrichments, stories    {loaded - loaded_articles:.1f} s")

    cases = load_cases(database, groups, labels, corpus, by_id, end=end, real=args.real_cases, rng=rng)
    done = time.perf_counter()
    print(f"cases                   {cases.bulk} bulk + {cases.real} through alerts in {done - loaded:.1f} s")
    if database.backend == "postgresql":
        with database.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    print(
        f"total                   {time.perf_counter() - started:.1f} s, "
        f"{len(articles) / (time.perf_counter() - started):.0f} articles/s end to end"
    )
    database.dispose()


if __name__ == "__main__":
    main()
