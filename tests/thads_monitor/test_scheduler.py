"""The main job and the stage workers, run as users run them: real processes, real signals, real databases."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import URL

from crawler.replay.corpus import load_corpus, schedule
from crawler.replay.site import ReplaySite
from domain.records import Article, Notification, Outlet, OutletKind
from storage.articles import add_article, count_articles
from storage.engine import Database
from storage.jobs import recent_runs
from storage.migrate import upgrade
from storage.outbox import enqueue, list_notifications
from storage.outlets import upsert_outlet
from storage.settings import StorageSettings
from storage.tables import EnrichmentRow, SchedulerJobRow, SnapshotRow, StoryRow
from tests import postgres
from tests.alerts.smtp_server import Recorder, smtp_server
from tests.conftest import shared_path
from tests.thads_monitor.test_cli import EXE

pytestmark = pytest.mark.slow


def _env(tmp_path: Path, url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("THADS_")}
    env.update(
        {
            "HOME": str(tmp_path),
            "XDG_CONFIG_HOME": str(tmp_path / "cfg"),
            "THADS_STORAGE__DATABASE_URL": url,
            "THADS_STORAGE__DATA_DIR": str(tmp_path / "data"),
            "THADS_LOG__LEVEL": "INFO",
            **extra,
        }
    )
    return env


def _wait_for(predicate: object, timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


@contextmanager
def _running(env: dict[str, str], job: str = "crawl") -> Iterator[subprocess.Popen[bytes]]:
    """`thads-monitor run --only JOB`, killed if the test fails before it stops."""
    process = subprocess.Popen([EXE, "run", "--only", job], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


@pytest.fixture
def slow_site() -> Iterator[ReplaySite]:
    """150 real articles served one at a time with a pause: a crawl cycle that takes long enough to interrupt."""
    rows = load_corpus(shared_path("corpus", "vietnews-sample.jsonl.gz"), limit=150)
    site = ReplaySite(schedule(rows, now=datetime.now(UTC), spread=timedelta(days=2))).start()
    yield site
    site.stop()


def test_sigterm_during_a_crawl_stops_cleanly_and_the_restart_neither_loses_nor_duplicates(
    slow_site: ReplaySite, tmp_path: Path
) -> None:
    sources = tmp_path / "nguon.yaml"
    yaml = slow_site.sources_yaml(kinds=("rss", "sitemap"), concurrency=1)
    sources.write_text(yaml.replace("download_delay_s: 0", "download_delay_s: 0.05"), encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'thads.db'}"
    env = _env(
        tmp_path,
        url,
        THADS_CRAWLER__SOURCES_FILE=str(sources),
        THADS_CRAWLER__ONLY_SOURCES_FILE="true",
        THADS_CRAWLER__EXTRACT_WORKERS="1",
        THADS_SCHEDULER__CRAWL_INTERVAL_S="5",  # the feeds are polled once a minute (the least the registry allows)
    )
    db = Database.from_settings(StorageSettings(database_url=url, data_dir=tmp_path))
    upgrade(db.engine)

    def stored() -> int:
        with db.session() as s:
            return count_articles(s)

    with _running(env) as first:
        _wait_for(lambda: stored() >= 15, 90, "the first articles")
        first.send_signal(signal.SIGTERM)
        out, _ = first.communicate(timeout=60)
    assert first.returncode == 0, out.decode()
    assert "Đã dừng" in out.decode()
    interrupted = stored()
    assert 15 <= interrupted < 150, "the crawl was not interrupted half-way"
    with db.session() as s:
        runs = recent_runs(s, job="crawl")
        assert runs[0].ok is True  # the interrupted run ended cleanly and is logged as such
        assert s.scalar(select(func.count()).select_from(SchedulerJobRow)) == 1  # the job store kept the job

    with _running(env) as again:
        _wait_for(lambda: stored() == 150, 150, "every article after the restart")
        time.sleep(1)
        again.send_signal(signal.SIGTERM)
        out, _ = again.communicate(timeout=60)
    assert again.returncode == 0, out.decode()
    with db.session() as s:
        assert count_articles(s) == 150
        assert s.scalar(select(func.count()).select_from(SnapshotRow)) == 150  # no page stored twice
    db.dispose()


@pytest.mark.postgres
def test_three_enrich_workers_on_postgresql_enrich_every_article_exactly_once(
    postgres_server: URL, tmp_path: Path
) -> None:
    rows = load_corpus(shared_path("corpus", "vietnews-thads-pool.jsonl.gz"), limit=450)
    with postgres.fresh_database(postgres_server) as server_url:
        url = server_url.render_as_string(hide_password=False)
        db = Database.from_settings(StorageSettings(database_url=url, data_dir=tmp_path))
        upgrade(db.engine)
        with db.session() as s:
            outlet = upsert_outlet(
                s, Outlet(slug="tuoitre", name="Tuổi Trẻ", domain="tuoitre.vn", kind=OutletKind.NATIONAL)
            )
            assert outlet.id is not None
            for i, (_, title, summary, text) in enumerate(rows):
                add_article(
                    s,
                    Article(
                        outlet_id=outlet.id,
                        url=f"https://tuoitre.vn/bai-{i}.htm",
                        title=title,
                        sapo=summary,
                        text=text,
                        content_hash=f"{i:064d}",
                        fetched_at=datetime.now(UTC) - timedelta(minutes=i),
                    ),
                )
        env = _env(tmp_path, url, THADS_NLP__BATCH_SIZE="15", THADS_NLP__USE_NER="false")
        workers = [
            subprocess.Popen(
                [EXE, "worker", "enrich", "--once"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
            )
            for _ in range(3)
        ]
        outputs = [w.communicate(timeout=300)[0].decode() for w in workers]
        assert [w.returncode for w in workers] == [0, 0, 0], outputs
        with db.session() as s:
            runs = recent_runs(s, job="enrich")
            assert len(runs) == 3
            assert all(r.ok for r in runs)
            done = [int((r.summary or "0").split()[0]) for r in runs]
            assert sum(done) == len(rows)  # each article enriched by exactly one worker …
            assert s.scalar(select(func.count()).select_from(EnrichmentRow)) == len(rows)  # … and none left
            relevant = s.scalar(select(func.count()).where(EnrichmentRow.relevant.is_(True)))
            assert s.scalar(select(func.sum(StoryRow.size))) == relevant  # no copy counted twice in a story
        assert sum(1 for n in done if n > 0) >= 2, f"the workers did not share the backlog: {done}"
        db.dispose()


def test_sigterm_during_an_outbox_run_delivers_every_message_exactly_once_after_the_restart(tmp_path: Path) -> None:
    recorder = Recorder()

    async def slow(_: object) -> None:
        await asyncio.sleep(0.3)  # a slow server: the run is still sending when SIGTERM comes

    recorder.after_data = slow
    url = f"sqlite:///{tmp_path / 'thads.db'}"
    db = Database.from_settings(StorageSettings(database_url=url, data_dir=tmp_path))
    upgrade(db.engine)
    provinces = ["Cần Thơ", "Hà Nội", "Thanh Hóa", "Đắk Lắk", "Quảng Ninh", "Khánh Hòa"]
    with db.session() as s:
        for i in range(30):
            enqueue(
                s,
                Notification(
                    kind="reminder",
                    recipient=f"daumoi{i}@thads.vn",
                    subject=f"Nhắc hạn: hồ sơ #{i} – {provinces[i % 6]} – văn bản thông báo biện pháp giải quyết",
                    text=f"Hồ sơ #{i} ({provinces[i % 6]}): còn hạn trả lời báo chí.",
                    created_at=datetime.now(UTC),
                    dedupe_key=f"test:{i}",
                ),
            )
    with smtp_server(recorder) as server:
        env = _env(
            tmp_path,
            url,
            THADS_MAIL__HOST="127.0.0.1",
            THADS_MAIL__PORT=str(server.port),
            THADS_MAIL__SECURITY="none",
            THADS_MAIL__OUTBOX_INTERVAL_S="2",
        )
        with _running(env, "outbox") as first:
            _wait_for(lambda: len(recorder.received) >= 5, 90, "the first messages")
            first.send_signal(signal.SIGTERM)
            out, _ = first.communicate(timeout=60)
        assert first.returncode == 0, out.decode()
        with db.session() as s:
            statuses = Counter(n.status for n in list_notifications(s))
        stopped_at = len(recorder.received)
        assert stopped_at < 30, "the run was not interrupted"
        assert statuses == {"sent": stopped_at, "pending": 30 - stopped_at}  # none left half-sent
        with _running(env, "outbox") as again:
            _wait_for(lambda: len(recorder.received) >= 30, 120, "every message after the restart")
            time.sleep(1)
            again.send_signal(signal.SIGTERM)
            out, _ = again.communicate(timeout=60)
        assert again.returncode == 0, out.decode()
    ids = Counter(r.message_id for r in recorder.received)
    assert len(ids) == 30
    assert set(ids.values()) == {1}  # nothing sent twice
    with db.session() as s:
        assert {n.status for n in list_notifications(s)} == {"sent"}
    db.dispose()
