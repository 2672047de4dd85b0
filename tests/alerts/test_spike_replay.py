"""Issue 17's acceptance for spikes, end to end: three outlets of the replay site (127.0.0.1, .2, .3) carry a
steady background of real enforcement news over 15 days; the six real articles of the Chi Lăng stadium burst are
published on them within the last three hours. The real crawl and enrichment (the main job's crawl and enrich)
read them; the spikes job then raises one alert naming the burst's stories, its outlets and its top terms, and a
second run adds nothing."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from alerts.settings import AlertSettings
from alerts.spikes import SpikePolicy, current_window
from crawler.replay.corpus import AUTHORS, ReplayArticle
from crawler.replay.site import ReplaySite
from crawler.run import crawl_once
from crawler.settings import CrawlerSettings
from domain.enums import Role
from domain.records import User
from storage.cases import upsert_user
from storage.engine import Database
from storage.migrate import upgrade
from storage.settings import StorageSettings
from storage.spikes import spike_alerts_since
from storage.tables import ArticleRow, NotificationRow, SpikeAlertRow
from tests.alerts.spike_data import OUTLETS, PoolArticle, burst_articles, steady_articles
from thads_monitor.jobs import JOBS, Runtime, run_logged
from thads_monitor.settings import Settings

pytestmark = pytest.mark.subprocess  # the crawl runs extraction workers in processes of their own

APP_URL = "https://giamsat.thads.example"
NOW = dt.datetime.now(dt.UTC)
WINDOW = current_window(NOW, SpikePolicy.load())


def _article(n: int, article: PoolArticle, at: dt.datetime) -> ReplayArticle:
    return ReplayArticle(
        n=n,
        source_id=article.id,
        title=article.title,
        summary=article.summary,
        paragraphs=tuple(p for p in article.text.split("\n") if p.strip()),
        published_at=at,
        updated_at=at,
        author=AUTHORS[n % len(AUTHORS)],
    )


def _schedules() -> list[list[ReplayArticle]]:
    """Per outlet: the steady articles one every 15 days / count before the window's start, in turn, and the
    burst 20 minutes apart from half an hour into the window, two per outlet."""
    per_outlet: list[list[ReplayArticle]] = [[] for _ in OUTLETS]
    steady = steady_articles()
    random.Random(17).shuffle(steady)
    gap = dt.timedelta(days=15) / len(steady)
    for i, article in enumerate(steady):
        at = WINDOW.start - dt.timedelta(days=15) + i * gap
        per_outlet[i % len(OUTLETS)].append(_article(i + 1, article, at))
    for i, article in enumerate(burst_articles()):
        at = WINDOW.start + dt.timedelta(minutes=30 + 20 * i)
        per_outlet[i % len(OUTLETS)].append(_article(1000 + i, article, at))
    return per_outlet


@pytest.fixture
def sites() -> Iterator[list[ReplaySite]]:
    started = [
        ReplaySite(articles, host=f"127.0.0.{i + 1}", outlet=(domain.replace(".", "-"), name)).start()
        for i, ((domain, name), articles) in enumerate(zip(OUTLETS, _schedules(), strict=True))
    ]
    yield started
    for site in started:
        site.stop()


def test_a_burst_published_on_the_replay_site_raises_one_spike_naming_its_drivers(
    sites: list[ReplaySite], tmp_path: Path
) -> None:
    sources = tmp_path / "nguon-tin.yaml"
    sources.write_text("outlets:\n" + "".join(site.outlet_yaml(concurrency=4) for site in sites), encoding="utf-8")
    storage = StorageSettings(database_url=f"sqlite:///{tmp_path / 'thads.db'}", data_dir=tmp_path)
    crawler = CrawlerSettings(sources_file=sources, only_sources_file=True, timeout_s=10, extract_workers=1)
    database = Database.from_settings(storage)
    upgrade(database.engine)
    with database.session() as session:
        for person in (
            User(email="vanphong@cucqlthads.vn", name="Văn phòng Cục", role=Role.DAU_MOI, province="toan_quoc"),
            User(email="theodoi@cucqlthads.vn", name="Phạm Thu Hà", role=Role.MONITOR, province="toan_quoc"),
        ):
            upsert_user(session, person)

    crawled = crawl_once(storage, crawler)
    published = len(steady_articles()) + len(burst_articles())
    assert (crawled.feeds, crawled.feeds_failed, crawled.outcomes["new"]) == (6, 0, published)

    settings = Settings(storage=storage, crawler=crawler, alerts=AlertSettings(app_url=APP_URL))
    runtime = Runtime(settings=settings, database=database, now=lambda: NOW)
    enriched = run_logged(runtime, JOBS["enrich"])
    assert enriched is not None
    assert enriched.done == published
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(ArticleRow)) == published

    first, again = run_logged(runtime, JOBS["spikes"]), run_logged(runtime, JOBS["spikes"])
    assert first is not None
    assert again is not None
    assert (first.done, again.done) == (1, 0)
    with database.session() as session:
        [alert] = spike_alerts_since(session, NOW - dt.timedelta(days=1))
        assert session.scalar(select(func.count()).select_from(SpikeAlertRow)) == 1
        mails = session.scalars(select(NotificationRow).order_by(NotificationRow.recipient)).all()
    assert (alert.dimension, alert.key, alert.count) == ("province", "Đà Nẵng", 6)
    assert (alert.window_start, alert.window_end) == (WINDOW.start, WINDOW.end)
    # The real clustering keeps the burst in five stories (the two copies of one headline joined, the four other
    # angles apart): every story named is the Chi Lăng coverage, and together they hold the six articles.
    stories = alert.drivers["stories"]
    assert len(stories) == 5
    assert all("Chi Lăng" in title for _, title, _ in stories)
    assert sum(count for _, _, count in stories) == 6
    assert stories[0][1:] == ["Đà Nẵng đề nghị trả 1.251 tỉ giữ sân Chi Lăng, ngân hàng chê ít", 2]
    assert sorted(alert.drivers["outlets"]) == sorted([f"{name} (trang phát lại)", 2] for _, name in OUTLETS)
    assert alert.drivers["terms"][:3] == ["Chi Lăng", "sân vận động", "Đà Nẵng"]
    assert [m.recipient for m in mails] == ["theodoi@cucqlthads.vn", "vanphong@cucqlthads.vn"]
    assert mails[0].subject == "Tin tăng đột biến: Đà Nẵng – 6 bài trong 3 giờ"
    assert f"{APP_URL}/phan-loai/{stories[0][0]}" in mails[0].text
    assert "Tuổi Trẻ (trang phát lại): 2 bài" in mails[0].text
    database.dispose()
