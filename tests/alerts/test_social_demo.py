"""Issue 19's acceptance end to end on the replay site: the demo's recorded news and its social APIs (the agency's
Facebook Page and a YouTube channel, crawler/replay/social_demo.py, served in the published JSON shapes). The real
crawl and enrichment read the articles; the social job reads the Page post sharing an article (joined to its story
by the link) and the video quoting its lead without a link (joined by its text); the story page shows the reaction;
the burst of negative comments released a few minutes after the start raises the story's case to P1 and alerts
each recipient once, over a real SMTP server. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from alerts.settings import AlertSettings, MailSettings
from crawler.replay.corpus import schedule
from crawler.replay.site import ReplaySite
from crawler.replay.social_demo import ANGRY, BURST_AFTER, BURST_EVERY, SocialReplay
from crawler.run import crawl_once
from crawler.settings import CrawlerSettings
from crawler.social.settings import SocialSettings
from dashboards.web.app import create_app
from domain.enums import Priority
from nlp.comments import read_comment
from storage.cases import case_for_story
from storage.engine import Database
from storage.settings import StorageSettings
from storage.tables import ArticleRow, EnrichmentRow, SocialPostRow
from storage.views.social_reaction import story_reaction
from tests.alerts.smtp_server import Recorder
from tests.conftest import web_settings
from tests.dashboards.web.site import sign_in, workflow_config
from thads_monitor.demo import create_users, written_samples
from thads_monitor.jobs import JOBS, Runtime, run_logged
from thads_monitor.settings import Settings

pytestmark = pytest.mark.subprocess  # the crawl runs extraction workers in processes of their own

APP_URL = "https://giamsat.thads.example"
START = dt.datetime.now(dt.UTC).replace(microsecond=0)


class Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def replay() -> Iterator[tuple[ReplaySite, SocialReplay, Clock]]:
    articles = schedule(
        written_samples()[:10], now=START, spread=dt.timedelta(days=1), released=10, every=dt.timedelta(hours=1)
    )
    site = ReplaySite(articles).start()
    clock = Clock(START)
    social = SocialReplay(articles, site_base=site.base, start=START).start_serving(clock)
    yield site, social, clock
    social.stop()
    site.stop()


def test_the_replayed_post_and_video_join_the_story_and_the_burst_raises_it_to_p1_once(
    replay: tuple[ReplaySite, SocialReplay, Clock],
    database: Database,
    storage_settings: StorageSettings,
    smtp: MailSettings,
    recorder: Recorder,
    tmp_path: Path,
) -> None:
    site, social, clock = replay
    sources = tmp_path / "nguon-tin.yaml"
    sources.write_text(site.sources_yaml(concurrency=4) + social.sources_yaml(), encoding="utf-8")
    crawler = CrawlerSettings(sources_file=sources, only_sources_file=True, timeout_s=10, extract_workers=1)
    web = web_settings(secret_key="khoa-bi-mat-cho-thu-nghiem")
    settings = Settings(
        storage=storage_settings,
        crawler=crawler,
        social=SocialSettings.model_validate(social.settings()),
        alerts=AlertSettings(app_url=APP_URL),
        mail=smtp,
        web=web,
    )
    users = {u.email: password for u, password in create_users(database, web)}
    rt = Runtime(settings=settings, database=database, now=clock)

    crawled = crawl_once(storage_settings, crawler)
    assert crawled.outcomes["new"] == 10
    for job in ("enrich", "workflow", "alerts", "outbox"):
        assert run_logged(rt, JOBS[job]) is not None
    recorder.received.clear()  # the P1 alerts of the articles themselves

    burst = next(s for s in social.shared if s.burst)
    assert burst.article.source_id == "written:w3:059"
    with database.session() as session:
        story_id = session.scalar(
            select(EnrichmentRow.story_id)
            .join(ArticleRow, ArticleRow.id == EnrichmentRow.article_id)
            .where(ArticleRow.title == burst.article.title)
        )
        assert story_id is not None
        url = session.scalar(select(ArticleRow.url).where(ArticleRow.title == burst.article.title))
        before = case_for_story(session, story_id)
    assert before is None or before.priority != Priority.P1

    # A minute after the start: the posts, the videos and the calm comments, no burst yet.
    clock.now = START + dt.timedelta(minutes=1)
    first = run_logged(rt, JOBS["social"])
    assert first is not None
    assert first.summary.startswith("2 nguồn mạng xã hội (0 lỗi), 6 bài mới, 18 bình luận mới")
    assert "0 nâng mức ưu tiên theo bình luận" in first.summary
    with database.session() as session:
        rows = {r.platform_id: r for r in session.scalars(select(SocialPostRow))}
        reaction = story_reaction(session, story_id)
    assert rows[burst.post_id].shared_url == url == f"{site.base}{burst.article.path}"  # joined by the link
    assert rows[burst.video_id].story_id == story_id  # by its text (quoting the lead, no link)
    score = rows[burst.video_id].story_score
    assert score is not None
    assert score >= 0.5
    assert reaction is not None
    assert sorted((p.platform, p.by_text) for p in reaction.posts) == [("facebook", False), ("youtube", True)]
    assert reaction.tones is not None
    assert reaction.tones["tieu_cuc"] < 15

    # The burst: twenty angry comments, one every 10 seconds from two minutes after the start.
    clock.now = START + BURST_AFTER + len(ANGRY) * BURST_EVERY
    raised = run_logged(rt, JOBS["social"])
    assert raised is not None
    assert f"{len(ANGRY)} bình luận mới" in raised.summary
    assert sum(read_comment(t).tone == "tieu_cuc" for t in ANGRY) >= 15
    with database.session() as session:
        case = case_for_story(session, story_id)
        reaction = story_reaction(session, story_id)
    assert case is not None
    assert case.priority == Priority.P1
    assert case.reason == "Bình luận tiêu cực tăng nhanh trên mạng xã hội"
    assert reaction is not None
    assert reaction.tones is not None
    assert reaction.tones["tieu_cuc"] >= 15
    assert run_logged(rt, JOBS["alerts"]) is not None
    counts = recorder.per_recipient("[P1]")
    assert counts
    assert set(counts.values()) == {1}
    assert "daumoi.hcm@demo.thads.vn" in counts  # the story is Hồ Chí Minh's
    alert = next(r for r in recorder.received if "daumoi.hcm@demo.thads.vn" in r.rcpt_tos)
    assert str(alert.message["Subject"]).startswith(f"[P1] Hồ sơ #{case.id}")
    assert "Lý do: Bình luận tiêu cực tăng nhanh trên mạng xã hội" in alert.part("text/plain")

    # Later polls: nothing new, nobody alerted again.
    clock.now = START + dt.timedelta(minutes=30)
    again = run_logged(rt, JOBS["social"])
    assert again is not None
    assert "0 bình luận mới" in again.summary
    for job in ("workflow", "alerts", "outbox"):
        assert run_logged(rt, JOBS[job]) is not None
    assert recorder.per_recipient("[P1]") == counts

    # The story page shows the reaction.
    app = create_app(web=web, workflow=workflow_config(), database=database, data_dir=tmp_path, now=clock)
    client = TestClient(app, base_url="http://127.0.0.1", follow_redirects=False)
    sign_in(client, "giamsat@demo.thads.vn", users["giamsat@demo.thads.vn"])
    page = client.get(f"/phan-loai/{story_id}")
    assert page.status_code == 200
    html = page.text
    assert "Phản ứng trên mạng xã hội" in html
    assert "2 bài đăng, video chia sẻ tin này" in html
    assert "ghép theo nội dung, không dẫn link bài báo" in html
    assert f"https://www.facebook.com/{burst.post_id.split('_')[0]}/posts/{burst.post_id.split('_')[1]}" in html
