"""End to end against the replay site on 127.0.0.1: Scrapy in its own process, real HTTP, real storage."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from crawler.health import judge
from crawler.replay.corpus import load_corpus, schedule
from crawler.replay.site import HOSTILE_FEEDS, ReplaySite
from crawler.run import crawl_once
from crawler.settings import CrawlerSettings
from storage.articles import count_articles, find_article_by_url, list_snapshots
from storage.engine import Database
from storage.feeds import feed_activity, list_events
from storage.migrate import upgrade
from storage.settings import StorageSettings
from storage.tables import SnapshotRow
from tests.conftest import shared_path

N = 60


@pytest.fixture(scope="module")
def corpus_rows() -> list[tuple[str, str, str, str]]:
    return load_corpus(shared_path("corpus", "vietnews-sample.jsonl.gz"), limit=N)


def _site(rows: list[tuple[str, str, str, str]], *, hostile: bool = False) -> ReplaySite:
    articles = schedule(rows, now=datetime.now(UTC), spread=timedelta(days=2))
    return ReplaySite(articles, hostile=hostile, slow_s=8).start()


@pytest.fixture
def site(corpus_rows: list[tuple[str, str, str, str]]) -> Iterator[ReplaySite]:
    replay = _site(corpus_rows)
    yield replay
    replay.stop()


def _settings(site: ReplaySite, tmp_path: Path) -> tuple[StorageSettings, CrawlerSettings, Database]:
    sources = tmp_path / "nguon.yaml"
    sources.write_text(site.sources_yaml(), encoding="utf-8")
    storage = StorageSettings(database_url=f"sqlite:///{tmp_path / 'thads.db'}", data_dir=tmp_path)
    crawler = CrawlerSettings(
        sources_file=sources, only_sources_file=True, timeout_s=4, retries=1, retry_backoff_s=0.2, extract_workers=2
    )
    db = Database.from_settings(storage)
    upgrade(db.engine)
    return storage, crawler, db


@pytest.mark.subprocess  # the crawl runs in a process of its own, with extraction workers
def test_crawl_stores_every_article_once_and_a_recrawl_adds_nothing(site: ReplaySite, tmp_path: Path) -> None:
    storage, crawler, db = _settings(site, tmp_path)
    first = crawl_once(storage, crawler)
    assert first.feeds == 2
    assert first.feeds_failed == 0
    assert first.outcomes["new"] == N
    with db.session() as s:
        assert count_articles(s) == N
        assert s.scalar(select(func.count()).select_from(SnapshotRow)) == N
        stored = find_article_by_url(s, f"{site.base}{site.published()[0].path}")
        assert stored is not None
        assert stored.title == site.published()[0].title
        assert stored.published_at is not None
    second = crawl_once(storage, crawler)
    assert second.outcomes["new"] == 0
    with db.session() as s:
        assert count_articles(s) == N
        health = [judge(a, datetime.now(UTC)) for a in feed_activity(s, datetime.now(UTC))]
    assert {h.state for h in health} <= {"ok", "new"}
    assert all(h.consecutive_failures == 0 and h.last_success_at is not None for h in health)
    db.dispose()


@pytest.mark.subprocess  # the crawl runs in a process of its own, with extraction workers
def test_an_edited_article_becomes_a_new_snapshot_of_the_same_article(site: ReplaySite, tmp_path: Path) -> None:
    storage, crawler, db = _settings(site, tmp_path)
    crawl_once(storage, crawler)
    target = site.published()[5]
    addition = "Cập nhật: Thi hành án dân sự thành phố đã có văn bản phản hồi thông tin báo chí nêu."
    site.edit(target.n, addition)
    summary = crawl_once(storage, crawler)
    assert summary.outcomes["edited"] == 1
    assert summary.outcomes["new"] == 0
    with db.session() as s:
        article = find_article_by_url(s, f"{site.base}{target.path}")
        assert article is not None
        assert article.id is not None
        assert addition in article.text
        first, second = list_snapshots(s, article.id)
    assert addition.encode() not in first.html  # the evidence as first seen is kept
    assert addition.encode() in second.html
    assert first.content_hash != second.content_hash
    assert count_articles_now(db) == N
    db.dispose()


def count_articles_now(db: Database) -> int:
    with db.session() as s:
        return count_articles(s)


@pytest.mark.subprocess  # the crawl runs in a process of its own, with extraction workers
def test_hostile_sources_are_logged_and_the_good_articles_kept(
    corpus_rows: list[tuple[str, str, str, str]], tmp_path: Path
) -> None:
    site = _site(corpus_rows, hostile=True)
    try:
        storage, crawler, db = _settings(site, tmp_path)
        summary = crawl_once(storage, crawler)
        assert summary.outcomes["new"] == N  # nothing good is lost
        reasons = {name: [e.reason or "" for e in _events_of(db, f"{site.base}/loi/{name}")] for name in HOSTILE_FEEDS}
    finally:
        site.stop()
    assert any("XML lỗi" in r for r in reasons["xml-hong.rss"])
    assert reasons["html.rss"] == ["không phải RSS/Atom: máy chủ trả về trang HTML"]
    assert reasons["trong.rss"] == ["nguồn tin trống (không có nội dung)"]
    assert reasons["404.rss"] == ["lỗi HTTP 404"]
    assert reasons["500.rss"] == ["lỗi HTTP 500"]
    assert reasons["cham.rss"] == ["hết thời gian chờ phản hồi"]
    article_problems = " | ".join(reasons["tong-hop.rss"])
    assert "trang vượt quá dung lượng cho phép" in article_problems  # the 50 MB page
    assert "lỗi HTTP 404" in article_problems
    assert "không phải bài viết" in article_problems
    with db.session() as s:
        failing = {a.feed.url: a.feed.consecutive_failures for a in feed_activity(s, datetime.now(UTC))}
    assert failing[f"{site.base}/loi/404.rss"] == 1
    assert failing[f"{site.base}/rss/tin-moi.rss"] == 0
    db.dispose()


def _events_of(db: Database, feed_url: str) -> list:  # type: ignore[type-arg]
    with db.session() as s:
        feed_id = next(a.feed.id for a in feed_activity(s, datetime.now(UTC)) if a.feed.url == feed_url)
        assert feed_id is not None
        return [e for e in list_events(s, feed_id) if not e.ok or e.reason]


@pytest.mark.subprocess
def test_crawl_command_reports_in_vietnamese(site: ReplaySite, tmp_path: Path) -> None:
    sources = tmp_path / "nguon.yaml"
    sources.write_text(site.sources_yaml(), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("THADS_")}
    env.update(
        THADS_STORAGE__DATABASE_URL=f"sqlite:///{tmp_path / 'cli.db'}",
        THADS_CRAWLER__SOURCES_FILE=str(sources),
        THADS_CRAWLER__ONLY_SOURCES_FILE="true",
        HOME=str(tmp_path),
    )
    exe = str(Path(sys.executable).parent / "thads-monitor")
    assert subprocess.run([exe, "init"], env=env, capture_output=True, check=False).returncode == 0
    done = subprocess.run([exe, "crawl"], env=env, capture_output=True, text=True, check=False, timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"bài mới: {N}" in done.stdout
    bad = subprocess.run([exe, "crawl", "--source", "khong-co"], env=env, capture_output=True, text=True, check=False)
    assert bad.returncode == 2
    assert "không có nguồn tin mã 'khong-co'" in bad.stderr


def test_the_replay_site_listens_on_any_loopback_address_and_nowhere_else(
    corpus_rows: list[tuple[str, str, str, str]],
) -> None:
    articles = schedule(corpus_rows[:3], now=datetime.now(UTC), spread=timedelta(hours=1))
    for host in ("0.0.0.0", "192.168.1.10", "example.vn"):
        with pytest.raises(ValueError, match="loopback"):
            ReplaySite(articles, host=host)
    second = ReplaySite(articles, host="127.0.0.2", outlet=("tuoi-tre", "Tuổi Trẻ")).start()
    try:
        assert second.base.startswith("http://127.0.0.2:")
        entry = second.outlet_yaml(kinds=("rss",))
        assert entry.startswith("  - slug: tuoi-tre\n    name: Tuổi Trẻ (trang phát lại)\n    domain: 127.0.0.2\n")
        with urllib.request.urlopen(second.base + "/rss/tin-moi.rss", timeout=10) as answer:
            assert "<title>Tuổi Trẻ" in answer.read().decode()
    finally:
        second.stop()
