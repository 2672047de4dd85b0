"""Crawling spread over several processes (standing in for machines): one Redis (scrapy-redis queue, URL claims), one
PostgreSQL. Real processes, real Redis on 127.0.0.1:6379, the replay site."""

from __future__ import annotations

import os
import re
import subprocess
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from redis import Redis
from sqlalchemy import func, select
from sqlalchemy.engine import URL

from crawler.distributed import Claims
from crawler.replay.corpus import load_corpus, schedule
from crawler.replay.site import ReplaySite
from storage.articles import count_articles
from storage.engine import Database
from storage.migrate import upgrade
from storage.settings import StorageSettings
from storage.tables import SnapshotRow
from tests import postgres
from tests.conftest import shared_path
from tests.thads_monitor.test_cli import EXE

REDIS_URL = os.environ.get("THADS_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
N = 120


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    client = Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except Exception as exc:
        pytest.fail(f"Redis at {REDIS_URL} does not answer ({exc}): the distributed crawl needs it", pytrace=False)
    prefix = f"thads-test-{uuid.uuid4().hex[:10]}"
    yield prefix
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)
    client.close()


def test_claims_let_one_process_take_a_url(redis_prefix: str) -> None:
    first = Claims(Redis.from_url(REDIS_URL), prefix=redis_prefix, ttl_s=60)
    second = Claims(Redis.from_url(REDIS_URL), prefix=redis_prefix, ttl_s=60)
    urls = [f"https://baophapluat.vn/bai-{i}.html" for i in range(5)]
    assert first.take(urls[:3]) == set(urls[:3])
    assert second.take(urls) == set(urls[3:])  # the other process gets only what was free
    assert first.take(urls) == set()
    assert Claims().take(urls[:2]) == set(urls[:2])  # without Redis: claims in memory


@pytest.mark.postgres
@pytest.mark.slow
def test_two_crawl_processes_share_the_work_and_store_each_article_once(
    redis_prefix: str, postgres_server: URL, tmp_path: Path
) -> None:
    rows = load_corpus(shared_path("corpus", "vietnews-sample.jsonl.gz"), limit=N)
    site = ReplaySite(schedule(rows, now=datetime.now(UTC), spread=timedelta(days=1))).start()
    sources = tmp_path / "nguon.yaml"
    yaml = site.sources_yaml(kinds=("rss", "sitemap"), concurrency=2)
    sources.write_text(yaml.replace("download_delay_s: 0", "download_delay_s: 0.05"), encoding="utf-8")
    try:
        with postgres.fresh_database(postgres_server) as server_url:
            url = server_url.render_as_string(hide_password=False)
            db = Database.from_settings(StorageSettings(database_url=url, data_dir=tmp_path))
            upgrade(db.engine)
            env = {k: v for k, v in os.environ.items() if not k.startswith("THADS_")}
            env.update(
                HOME=str(tmp_path),
                THADS_STORAGE__DATABASE_URL=url,
                THADS_CRAWLER__SOURCES_FILE=str(sources),
                THADS_CRAWLER__ONLY_SOURCES_FILE="true",
                THADS_CRAWLER__REDIS_URL=REDIS_URL,
                THADS_CRAWLER__REDIS_PREFIX=redis_prefix,
                THADS_CRAWLER__REDIS_LINGER_S="3",
                THADS_CRAWLER__EXTRACT_WORKERS="1",
            )
            machines = [
                subprocess.Popen([EXE, "crawl"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for _ in range(2)
            ]
            outputs = [m.communicate(timeout=300) for m in machines]
            assert [m.returncode for m in machines] == [0, 0], outputs
            new = [int(re.search(r"bài mới: (\d+)", out).group(1)) if "bài mới" in out else 0 for out, _ in outputs]  # type: ignore[union-attr]
            assert sum(new) == N, outputs  # every article stored, none twice …
            assert min(new) > 0, f"one process did all the work: {new}"  # … and both did some
            with db.session() as s:
                assert count_articles(s) == N
                assert s.scalar(select(func.count()).select_from(SnapshotRow)) == N
            again = subprocess.run([EXE, "crawl"], env=env, capture_output=True, text=True, timeout=300, check=False)
            assert again.returncode == 0, again.stderr
            assert "Không có bài mới" in again.stdout
            db.dispose()
    finally:
        site.stop()
