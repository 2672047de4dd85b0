"""A story's social reaction (issue 19): the comments' tone read by nlp.comments and counted per story with a
timeline, shown in the digest and the report; a burst of negative comments on a story's Facebook post raises its
case to P1 by the rule in alerts/policy/priority.yaml, alerting once over a real SMTP server; and posts that share
no link joining a story by their text. Real Vietnamese comments and the project's written articles, through the
local Graph API stand-in; on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlalchemy import select, update

from alerts.digest import run_digest
from alerts.priority import PriorityRules, StoryFacts, matches
from alerts.sender import run_alerts, run_outbox
from alerts.settings import AlertSettings, MailSettings
from crawler.settings import CrawlerSettings
from crawler.social.settings import SocialSettings
from dashboards.reports.figures import collect_figures
from dashboards.reports.periods import parse_period
from domain.enums import Priority
from domain.social import Platform, SocialPost
from nlp.comments import read_comment
from nlp.settings import NlpSettings
from nlp.social_reading import join_posts_by_text
from nlp.stories import signature, to_bytes
from storage.cases import audit_trail, case_for_story
from storage.engine import Database
from storage.settings import StorageSettings
from storage.social import store_post
from storage.tables import ArticleRow, EnrichmentRow, SocialPostRow
from storage.views.social_reaction import story_reaction, story_reactions
from tests.alerts.seed import APP_URL, T0, every_alert_at_once, samples, seed, workflow
from tests.alerts.smtp_server import Recorder
from tests.crawler.graph_api import Graph, fb_comment, fb_post
from tests.crawler.social_servers import serving
from thads_monitor.jobs import JOBS, Runtime, run_logged
from thads_monitor.settings import Settings

PAGE = "104857600123456"
AUCTION = "written:w3:034"  # Hà Nội: a court annuls an auction, the buyer's 5,6 billion stuck (P2 case)
OTHER_AUCTION = "written:w3:038"  # Hậu Giang: another auction annulled (Cần Thơ)
CAN_THO_P1 = "written:w4:052"
USERS = [(f"Người dùng {i}", f"70012345678{i:05d}") for i in range(40)]
# Readers' comments on the Page's post about the annulled auction: most angry, some not.
ANGRY = [
    "Đấu giá kiểu này thì dân mất trắng tài sản, quá bất công!",
    "Bán rẻ như cho, ai chịu trách nhiệm đây?",
    "Thi hành án làm ăn tắc trách quá",
    "Đọc mà bức xúc thay cho gia đình người ta",
    "Lại là sân sau, đấu giá chỉ là hình thức thôi",
    "Chấp hành viên kiểu này cần phải kỷ luật ngay",
    "Tiêu cực rõ ràng mà không ai xử lý",
    "Thật không thể chấp nhận được, đề nghị thanh tra vào cuộc",
    "Giá khởi điểm thấp vô lý, có dấu hiệu thông đồng",
    "Người dân khổ quá, kêu cứu mãi không ai nghe",
    "Cơ quan thi hành án vô cảm với dân",
    "Làm việc chậm chạp, hồ sơ để mấy năm không giải quyết",
    "Quá tệ, mất niềm tin vào pháp luật",
    "Ép dân quá đáng, cưỡng chế cả nhà đang ở",
    "Sai phạm nghiêm trọng, phải truy cứu trách nhiệm hình sự",
    "Đấu giá chui, dân không được thông báo gì cả",
    "Nhũng nhiễu, hạch sách người dân đủ đường",
    "Thất vọng tràn trề về cách làm việc của cán bộ",
    "Vụ này có mùi lợi ích nhóm rõ ràng",
    "Bất bình quá, đề nghị Bộ Tư pháp vào cuộc ngay",
    "Tài sản tiền tỷ bán giá bèo, ai hưởng lợi?",
    "Cán bộ thi hành án thiếu trách nhiệm, gây thiệt hại cho dân",
    "Làm ăn kiểu gì mà để dân khổ thế này",
    "Phẫn nộ thật sự, không thể tin nổi",
    "Xấu hổ cho ngành thi hành án",
]
CALM = ["Mong cơ quan chức năng sớm giải quyết dứt điểm", "Cảm ơn báo đã thông tin kịp thời", "Theo dõi vụ này"]


def article_url(sample_id: str) -> str:
    return f"https://{samples()[sample_id]['outlet']}/{sample_id.replace(':', '-')}.html"


def at(minutes: int) -> str:
    """A Graph API time, `minutes` after 10:00 in Hà Nội on the seed's day (03:00 UTC)."""
    moment = T0 + dt.timedelta(hours=1, minutes=minutes)
    return f"{moment.astimezone(dt.UTC):%Y-%m-%dT%H:%M:%S+0000}"


def negatives(texts: list[str]) -> int:
    return sum(read_comment(t).tone == "tieu_cuc" for t in texts)


@pytest.fixture
def graph() -> Iterator[tuple[Graph, str]]:
    api = Graph()
    api.readable = {"PAGE-TOKEN-1": {PAGE}}
    api.posts[PAGE] = [
        fb_post(
            PAGE,
            7,
            at(0),
            "Báo chí phản ánh vụ hủy kết quả đấu giá căn nhà ở Cầu Giấy: Cục sẽ thông tin kết quả xác minh.",
            link=article_url(AUCTION),
        )
    ]
    api.comments[f"{PAGE}_7"] = []
    with serving(api) as url:
        yield api, url


def runtime(database: Database, storage_settings: StorageSettings, url: str, tmp_path: Path) -> Runtime:
    registry = tmp_path / "nguon.yaml"
    registry.write_text(
        f"social:\n  - {{slug: fb-cuc-thads, name: Trang Cục, kind: facebook_page, page_id: '{PAGE}', own: true}}\n",
        encoding="utf-8",
    )
    social = SocialSettings.model_validate(
        {
            "graph_url": f"{url}/v19.0",
            "facebook_page_tokens": {"fb-cuc-thads": SecretStr("PAGE-TOKEN-1")},
            "pseudonym_key": SecretStr("khoa-bi-mat-thu-nghiem"),
        }
    )
    settings = Settings.model_validate(
        {
            "storage": storage_settings,
            "crawler": CrawlerSettings(sources_file=registry, only_sources_file=True),
            "social": social,
            "alerts": AlertSettings(app_url=APP_URL),
        }
    )
    return Runtime(settings=settings, database=database, now=lambda: T0)


def add_comments(api: Graph, texts: list[str], start: int, *, every: int = 5) -> None:
    post = f"{PAGE}_7"
    first = len(api.comments[post])
    for i, text in enumerate(texts):
        n = first + i + 1
        api.comments[post].append(fb_comment(post, n, at(start + i * every), text, USERS[n % len(USERS)]))


def test_a_burst_of_negative_comments_raises_the_case_to_p1_and_alerts_once(
    database: Database,
    storage_settings: StorageSettings,
    graph: tuple[Graph, str],
    smtp: MailSettings,
    recorder: Recorder,
    tmp_path: Path,
) -> None:
    api, url = graph
    seed(database)
    every_alert_at_once(database)
    workflow(database, T0 + dt.timedelta(minutes=10))
    run_outbox(database, smtp, now=lambda: T0 + dt.timedelta(minutes=10), app_url=APP_URL)
    with database.session() as session:
        story_id = session.scalar(
            select(EnrichmentRow.story_id)
            .join(ArticleRow, ArticleRow.id == EnrichmentRow.article_id)
            .where(ArticleRow.url == article_url(AUCTION))
        )
        assert story_id is not None
        case = case_for_story(session, story_id)
    assert case is not None
    assert case.priority == Priority.P2
    assert recorder.per_recipient("[P1]") == {"daumoi.cantho@thads.vn": 1, "vanphong@cucqlthads.vn": 1}  # Cần Thơ's P1
    recorder.received.clear()
    rt = runtime(database, storage_settings, url, tmp_path)

    # A first handful of comments, over 35 minutes: some angry, not yet a burst.
    first = ANGRY[:8]
    add_comments(api, first, 10)
    rt.now = lambda: T0 + dt.timedelta(hours=2)
    done = run_logged(rt, JOBS["social"])
    assert done is not None
    assert "8 bình luận mới" in done.summary
    assert "0 hồ sơ mới và 0 nâng mức ưu tiên theo bình luận" in done.summary
    with database.session() as session:
        assert case_for_story(session, story_id).priority == Priority.P2  # type: ignore[union-attr]
        reaction = story_reaction(session, story_id)
    assert reaction is not None
    assert reaction.tones == {
        "tieu_cuc": negatives(first),
        "trung_lap": sum(read_comment(t).tone == "trung_lap" for t in first),
        "tich_cuc": sum(read_comment(t).tone == "tich_cuc" for t in first),
    }
    assert negatives(first) < 15  # the rule's threshold (alerts/policy/priority.yaml)

    # The burst: the rest within the next hour and a half, and a few calm ones.
    rest = ANGRY[8:] + CALM
    add_comments(api, rest, 50)
    rt.now = lambda: T0 + dt.timedelta(hours=4)
    burst = run_logged(rt, JOBS["social"])
    assert burst is not None
    assert f"{len(rest)} bình luận mới" in burst.summary
    assert "0 hồ sơ mới và 1 nâng mức ưu tiên theo bình luận" in burst.summary
    assert burst.wake
    assert negatives(ANGRY) >= 15
    with database.session() as session:
        raised = case_for_story(session, story_id)
        assert raised is not None
        assert raised.priority == Priority.P1
        assert raised.reason == "Bình luận tiêu cực tăng nhanh trên mạng xã hội"
        audit = [e for e in audit_trail(session, raised.id) if e.action == "raise_priority"]
        assert [e.note for e in audit] == ["P2 → P1: Bình luận tiêu cực tăng nhanh trên mạng xã hội"]
    run_alerts(database, smtp, now=lambda: T0 + dt.timedelta(hours=4), app_url=APP_URL)
    assert recorder.per_recipient("[P1]") == {"daumoi.hanoi@thads.vn": 1, "vanphong@cucqlthads.vn": 1}
    alert = next(r for r in recorder.received if "daumoi.hanoi@thads.vn" in r.rcpt_tos)
    assert str(alert.message["Subject"]).startswith(f"[P1] Hồ sơ #{raised.id} – Hà Nội")
    assert "Lý do: Bình luận tiêu cực tăng nhanh trên mạng xã hội" in alert.part("text/plain")

    # More angry comments later: the case is P1 already, nobody is alerted again.
    add_comments(api, ["Vẫn chưa thấy ai trả lời, quá bức xúc", "Thật đáng xấu hổ"], 200)
    rt.now = lambda: T0 + dt.timedelta(hours=5)
    later = run_logged(rt, JOBS["social"])
    assert later is not None
    assert "0 nâng mức ưu tiên theo bình luận" in later.summary
    run_alerts(database, smtp, now=lambda: T0 + dt.timedelta(hours=5), app_url=APP_URL)
    run_outbox(database, smtp, now=lambda: T0 + dt.timedelta(hours=5), app_url=APP_URL)
    assert recorder.per_recipient("[P1]") == {"daumoi.hanoi@thads.vn": 1, "vanphong@cucqlthads.vn": 1}

    # The reaction as the digest and the report tell it.
    with database.session() as session:
        reaction = story_reaction(session, story_id)
    assert reaction is not None
    assert reaction.stored_comments == len(ANGRY) + len(CALM) + 2
    assert reaction.summary.startswith(f"{reaction.comments} bình luận, ")
    assert reaction.summary.endswith("% tiêu cực")
    assert reaction.hourly
    assert sum(b.comments for b in reaction.timeline) == reaction.stored_comments
    assert [f"{b.start:%H:%M}" for b in reaction.timeline] == ["10:00", "11:00", "12:00", "13:00"]
    morning = dt.datetime(2026, 11, 17, 0, 31, tzinfo=dt.UTC)  # 07:31 in Hà Nội
    previews = run_digest(
        database, AlertSettings(app_url=APP_URL), now=lambda: morning, email="daumoi.hanoi@thads.vn", dry_run=True
    ).previews
    text = previews[0][1].text
    assert "== Phản ứng trên mạng xã hội ==" in text
    assert f"MXH: {reaction.summary} · 1 bài đăng, video" in text
    assert f"{APP_URL}/phan-loai/{story_id}" in text
    with database.session() as session:
        figures = collect_figures(session, parse_period("2026-11"), province=None, now=morning)
    assert [r.story_id for r in figures.social] == [story_id]
    assert figures.social[0].tones == reaction.tones


def test_the_rule_counts_negative_comments_within_its_window() -> None:
    rules = PriorityRules.load()
    rule = next(r for r in rules.rules if r.when.min_negative_comments is not None)
    assert (rule.priority, rule.when.min_negative_comments, rule.when.comments_within_hours) == (Priority.P1, 15, 6)
    start = dt.datetime(2026, 11, 16, 3, 0, tzinfo=dt.UTC)

    def facts(times: list[dt.datetime]) -> StoryFacts:
        return StoryFacts(
            topic="dau_gia_tai_san",
            sentiment="trung_lap",
            relevance=0.9,
            text="",
            reach_tiers=(2,),
            copies=(),
            negative_comments=tuple(times),
        )

    burst = [start + dt.timedelta(minutes=20 * i) for i in range(15)]  # 15 within 4 h 40 min
    spread = [start + dt.timedelta(minutes=30 * i) for i in range(15)]  # 15 over 7 hours: 13 in any 6 h
    assert matches(rule.when, facts(burst))
    assert not matches(rule.when, facts(spread))
    assert rules.judge(facts(burst)) == rule
    assert rules.judge(facts(spread)) is None or rules.judge(facts(spread)) != rule


def store_signatures(database: Database) -> None:
    """The seeded articles' MinHash signatures, as the enrich stage stores them."""
    with database.session() as session:
        for article in session.scalars(select(ArticleRow)):
            data = to_bytes(signature(article.title, article.text))
            session.execute(update(EnrichmentRow).where(EnrichmentRow.article_id == article.id).values(signature=data))


# Posts without a link, written as Pages write them.
QUOTES_AUCTION = (
    "VnExpress đưa tin: TAND khu vực vừa tuyên hủy kết quả đấu giá căn nhà tại phường Cầu Giấy (Hà Nội) do vi "
    "phạm trong thẩm định giá và thông báo cho đương sự; người trúng đấu giá chưa được hoàn trả tiền. Cục Quản lý "
    "THADS đã yêu cầu báo cáo vụ việc."
)
QUOTES_CAN_THO = (
    "Theo kiến nghị, qua kiểm sát 180 hồ sơ, VKS phát hiện 12 hồ sơ ra quyết định thi hành án chậm so với thời hạn "
    "luật định, có trường hợp chậm hơn 2 tháng. Mời mọi người đọc và chia sẻ."
)
OWN_NEWS = (
    "Sáng nay, Cục Quản lý thi hành án dân sự tổ chức hội nghị tập huấn nghiệp vụ cho chấp hành viên các tỉnh phía "
    "Nam về kỹ năng xác minh điều kiện thi hành án và ứng dụng công nghệ thông tin trong quản lý hồ sơ."
)
SAME_TOPIC_OTHER_WORDS = (
    "Lại thêm một vụ bán đấu giá nhà bị tòa tuyên hủy vì định giá quá thấp, người mua tiền mất tật mang, cơ quan "
    "thi hành án phải rút kinh nghiệm sâu sắc."
)


def test_posts_without_a_link_join_the_story_their_text_quotes(database: Database) -> None:
    seed(database)
    store_signatures(database)
    posts = {
        "1": QUOTES_AUCTION,
        "2": QUOTES_CAN_THO,
        "3": OWN_NEWS,
        "4": SAME_TOPIC_OTHER_WORDS,
        "5": "Thi hành án dân sự",  # too short to say which story
    }
    published = T0 + dt.timedelta(hours=2)
    with database.session() as session:
        for n, text in posts.items():
            store_post(
                session,
                SocialPost(
                    platform=Platform.FACEBOOK,
                    platform_id=f"{PAGE}_{n}",
                    source_slug="fb-cuc-thads",
                    url=f"https://www.facebook.com/{PAGE}/posts/{n}",
                    text=text,
                    published_at=published,
                    reactions=5,
                    comments=0,
                    shares=1,
                ),
                now=published,
            )
        store_post(  # shares a link: joined by it, not compared
            session,
            SocialPost(
                platform=Platform.FACEBOOK,
                platform_id=f"{PAGE}_6",
                source_slug="fb-cuc-thads",
                url=f"https://www.facebook.com/{PAGE}/posts/6",
                text=QUOTES_AUCTION,
                published_at=published,
                shared_url=article_url(OTHER_AUCTION),
            ),
            now=published,
        )
    settings = NlpSettings()
    assert settings.social_join_threshold == 0.5
    assert join_posts_by_text(database, settings, now=published) == (5, 2)
    assert join_posts_by_text(database, settings, now=published) == (0, 0)  # each post compared once

    def story_of(sample_id: str) -> int:
        with database.session() as session:
            found = session.scalar(
                select(EnrichmentRow.story_id)
                .join(ArticleRow, ArticleRow.id == EnrichmentRow.article_id)
                .where(ArticleRow.url == article_url(sample_id))
            )
        assert found is not None
        return found

    with database.session() as session:
        rows = {r.platform_id.split("_")[1]: r for r in session.scalars(select(SocialPostRow))}
        joined = {n: (r.story_id, r.story_score) for n, r in rows.items()}
    assert joined["1"][0] == story_of(AUCTION)
    assert joined["2"][0] == story_of(CAN_THO_P1)
    assert joined["3"][0] is None
    assert joined["4"][0] is None  # the same kind of news in its own words is not a copy of the article
    assert joined["5"] == (None, 0.0)
    assert joined["6"] == (None, None)
    scores = {n: score for n, (_, score) in joined.items() if score is not None}
    assert min(scores["1"], scores["2"]) >= 0.5  # quoting the lead (1) or a paragraph (2): measured 0.76 and 0.96
    assert max(scores["3"], scores["4"]) < 0.5  # the agency's own news, the same news in own words: about 0.2, 0.1
    with database.session() as session:
        reaction = story_reaction(session, story_of(AUCTION))
        other = story_reaction(session, story_of(OTHER_AUCTION))
        everything = story_reactions(session, since=published, until=published + dt.timedelta(hours=1))
    assert reaction is not None
    assert [(p.url, p.by_text) for p in reaction.posts] == [(f"https://www.facebook.com/{PAGE}/posts/1", True)]
    assert other is not None
    assert [(p.url, p.by_text) for p in other.posts] == [(f"https://www.facebook.com/{PAGE}/posts/6", False)]
    assert set(everything) == {story_of(AUCTION), story_of(CAN_THO_P1), story_of(OTHER_AUCTION)}
