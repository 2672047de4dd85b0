"""Watch-profile backfill at scale: one profile re-matched over every stored article, against the bare cost of
reading those articles, in the same run (SQLite or PostgreSQL).

Fill the database first (benchmarks/load_articles.py --articles 200000). The script loads the starter profiles
if none is stored (without their backfill), then for each profile given (default: the THADS watch and the
enforcement area): reads every stored article in the backfill's batches without matching (the bare cost), then
runs `nlp.profile_match.backfill_profile` (delete the old matches, read, match, write). Prints articles/s of
both and the backfill's cost over the bare read. Asserts nothing.

    .venv/bin/python benchmarks/profile_backfill.py \\
        --database-url postgresql+psycopg://postgres@127.0.0.1/bench [--profile thads] [--batch-size 1000]
"""

from __future__ import annotations

import argparse
import time
from datetime import UTC, datetime

from domain.watch_profiles import starter_profiles
from nlp.profile_match import article_doc, backfill_profile
from storage.engine import Database
from storage.migrate import upgrade
from storage.profiles import count_profiles, load_starters, next_inputs
from storage.settings import StorageSettings


def bare_read(database: Database, batch_size: int, *, fold: bool) -> tuple[int, float]:
    """Every stored article read in batches (and, `fold`, made into the matcher's ArticleDoc): → (count, s)."""
    started, read, after = time.perf_counter(), 0, 0
    while True:
        with database.session() as session:
            batch = next_inputs(session, after_id=after, limit=batch_size)
        if not batch:
            break
        if fold:
            for item in batch:
                article_doc(item)
        read += len(batch)
        after = batch[-1].article_id
    return read, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--profile", action="append", help="profile code (repeatable)")
    parser.add_argument("--batch-size", type=int, default=1000)
    args = parser.parse_args()
    database = Database.from_settings(StorageSettings(database_url=args.database_url))
    upgrade(database.engine)
    with database.session() as session:
        if not count_profiles(session):
            load_starters(session, starter_profiles(), at=datetime.now(UTC))
    print(f"database: {database.backend}, batch size {args.batch_size}")
    read, seconds = bare_read(database, args.batch_size, fold=False)
    if not read:
        raise SystemExit("no stored article: fill the database first (benchmarks/load_articles.py)")
    print(f"bare read:            {read:>8} articles in {seconds:7.1f} s = {read / seconds:8.0f} articles/s")
    read, folded = bare_read(database, args.batch_size, fold=True)
    print(f"read + ArticleDoc:    {read:>8} articles in {folded:7.1f} s = {read / folded:8.0f} articles/s")
    for code in args.profile or ["thads", "thi_hanh_an_dan_su"]:
        started = time.perf_counter()
        summary = backfill_profile(database, code, batch_size=args.batch_size)
        spent = time.perf_counter() - started
        print(
            f"backfill {code:<22} {summary.read:>8} articles in {spent:7.1f} s = {summary.read / spent:8.0f} "
            f"articles/s, {summary.matched} matches ({summary.removed} before); {spent / seconds:.2f}× the bare read"
        )
    database.dispose()


if __name__ == "__main__":
    main()
