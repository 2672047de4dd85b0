"""YouTube Data API v3 against a local stand-in speaking its JSON (tests/crawler/social_servers.py): a channel's
uploads and a search by watch terms polled incrementally, comment threads and their replies, the quota counted per
call and kept under the daily budget, an exhausted quota told to the administrator and polling stopped until the
quota day ends (midnight Pacific time), rate limits; on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from pydantic import SecretStr
from sqlalchemy import text

from alerts.social_health import notify_social_health
from crawler.social.poll import poll_social
from crawler.social.quota import next_reset, quota_day
from crawler.social.settings import SocialSettings
from crawler.sources import SocialSpec
from domain.enums import Role
from domain.records import User
from domain.social import Platform, SocialProblem, SocialSourceKind
from storage.cases import upsert_user
from storage.engine import Database
from storage.outbox import list_notifications
from storage.social import comments_of, load_state, posts_of
from tests.crawler.social_servers import serving
from tests.crawler.youtube_api import YouTube, yt_comment, yt_error, yt_thread
from tests.json_api import Answer

NOW = dt.datetime(2026, 12, 3, 2, 0, tzinfo=dt.UTC)  # 18:00 on 2 December in California
CHANNEL = "UCa1b2c3d4e5f6g7h8i9j0kL"
UPLOADS = "UUa1b2c3d4e5f6g7h8i9j0kL"
KENH = SocialSpec(slug="yt-thads", name="Kênh THADS", kind=SocialSourceKind.YOUTUBE_CHANNEL, channel_id=CHANNEL)
TIM = SocialSpec(
    slug="yt-cuong-che", name="Tìm cưỡng chế", kind=SocialSourceKind.YOUTUBE_SEARCH, terms=("cưỡng chế thi hành án",)
)
ADMIN = User(email="quantri@cucqlthads.vn", name="Quản trị hệ thống", role=Role.ADMIN)
LAN = ("Lê Thị Lan", "UCuserLan0000000000000001")
MINH = ("Phạm Minh", "UCuserMinh000000000000002")


def settings(url: str, **more: object) -> SocialSettings:
    values: dict[str, object] = {
        "youtube_url": f"{url}/youtube/v3",
        "youtube_api_key": SecretStr("AIzaSy-test-key"),
        "pseudonym_key": SecretStr("khoa-bi-mat-thu-nghiem"),
        **more,
    }
    return SocialSettings.model_validate(values)


def video(api: YouTube, vid: str, published: str, title: str) -> None:
    api.videos[vid] = {"publishedAt": published, "title": title, "description": "Mô tả", "views": 1234}


@pytest.fixture
def youtube() -> Iterator[tuple[YouTube, str]]:
    api = YouTube("AIzaSy-test-key")
    api.channels[CHANNEL] = UPLOADS
    video(api, "vid00000003", "2026-12-02T08:00:00Z", "Cưỡng chế thi hành án tại Đồng Nai")
    video(api, "vid00000002", "2026-12-01T08:00:00Z", "Tập huấn nghiệp vụ")
    video(api, "vid00000001", "2026-11-20T08:00:00Z", "Tin cũ")
    api.uploads[UPLOADS] = ["vid00000003", "vid00000002", "vid00000001"]
    replies = [
        yt_comment(f"Ugx1.r{n}", "vid00000003", f"2026-12-02T10:0{n}:00Z", f"Trả lời {n}", MINH, "Ugx1")
        for n in range(1, 8)
    ]
    top = yt_comment("Ugx1", "vid00000003", "2026-12-02T09:00:00Z", "Cưỡng chế đúng luật", LAN)
    # A thread carries at most five replies; the other two come from comments.list.
    api.threads["vid00000003"] = [yt_thread("vid00000003", top, replies[-5:], total_replies=7)]
    api.replies["Ugx1"] = replies
    with serving(api) as url:
        yield api, url


def test_channel_uploads_and_comments_are_polled_incrementally_with_the_quota_counted(
    database: Database, youtube: tuple[YouTube, str]
) -> None:
    api, url = youtube
    s = settings(url, comment_window_days=7)
    (done,) = poll_social(database, [KENH], s, now=NOW)
    assert done.problem is None
    assert (done.posts_new, done.comments_new) == (3, 8)  # three videos; one comment and its seven replies
    # channels.list 1, playlistItems 2 pages, videos.list 1, commentThreads 1 per recent video (2), comments.list
    # 4 pages for the seven replies (the stand-in answers two items a page)
    assert done.units == 10
    assert api.spent == 10
    assert api.paths().count("/youtube/v3/channels") == 1
    with database.session() as session:
        videos = posts_of(session, KENH.slug)
        stored = comments_of(session, Platform.YOUTUBE, "vid00000003")
        state = load_state(session, KENH.slug, KENH.kind)
        dump = " ".join(str(r) for r in session.execute(text("SELECT * FROM social_comment")))
    assert [v.platform_id for v in videos] == ["vid00000003", "vid00000002", "vid00000001"]
    assert videos[0].views == 1234
    assert videos[0].url == "https://www.youtube.com/watch?v=vid00000003"
    assert len(stored) == 8
    assert len({c.platform_id for c in stored}) == 8
    assert {c.parent_platform_id for c in stored[1:]} == {"Ugx1"}
    for name, channel in (LAN, MINH):
        assert name not in dump
        assert channel not in dump
    assert state.uploads_playlist == UPLOADS
    assert (state.quota_day, state.quota_spent) == (quota_day(NOW), 10)

    # Second poll: a new upload and a new thread. Known videos are not asked about again, threads stop at the last.
    video(api, "vid00000004", "2026-12-03T01:00:00Z", "Phản hồi báo chí")
    api.uploads[UPLOADS].insert(0, "vid00000004")
    new_top = yt_comment("Ugx2", "vid00000003", "2026-12-03T01:30:00Z", "Ý kiến mới", MINH)
    api.threads["vid00000003"].insert(0, yt_thread("vid00000003", new_top, [], total_replies=0))
    api.asked.clear()
    (again,) = poll_social(database, [KENH], s, now=NOW + dt.timedelta(minutes=15))
    assert (again.posts_new, again.comments_new) == (1, 1)
    videos_asked = [a.query["id"] for a in api.asked if a.path.endswith("/videos")]
    assert videos_asked == ["vid00000004"]
    assert "/youtube/v3/channels" not in api.paths()  # the uploads playlist is remembered
    assert "/youtube/v3/comments" not in api.paths()  # replies already read are not read again
    with database.session() as session:
        counts = session.execute(text("SELECT count(*), count(DISTINCT platform_id) FROM social_comment")).one()
        assert len(posts_of(session, KENH.slug)) == 4
        assert load_state(session, KENH.slug, KENH.kind).quota_spent == 10 + again.units
    assert tuple(counts) == (9, 9)


def test_search_asks_only_for_videos_published_since_the_last_pass(
    database: Database, youtube: tuple[YouTube, str]
) -> None:
    api, url = youtube
    api.search_results = ["vid00000003", "vid00000002"]
    s = settings(url, pseudonym_key=SecretStr(""))  # no key: comments are not read
    (done,) = poll_social(database, [TIM], s, now=NOW)
    assert (done.posts_new, done.units) == (2, 101)  # search 100 units, videos.list 1
    search = next(a for a in api.asked if a.path.endswith("/search"))
    assert search.query["q"] == '"cưỡng chế thi hành án"'
    assert search.query["order"] == "date"
    assert "publishedAfter" not in search.query
    api.asked.clear()
    (again,) = poll_social(database, [TIM], s, now=NOW + dt.timedelta(hours=1))
    assert again.posts_new == 0
    (search,) = [a for a in api.asked if a.path.endswith("/search")]
    assert search.query["publishedAfter"] == "2026-12-02T08:00:00Z"
    assert not [a for a in api.asked if a.path.endswith("/videos")]


def test_an_exhausted_quota_is_told_and_stops_polling_until_the_next_quota_day(
    database: Database, youtube: tuple[YouTube, str]
) -> None:
    api, url = youtube
    with database.session() as session:
        upsert_user(session, ADMIN)
    api.quota = 3  # the project's quota runs out after three units
    s = settings(url)
    channel, search = poll_social(database, [KENH, TIM], s, now=NOW)
    assert channel.problem is SocialProblem.QUOTA
    assert "quotaExceeded" in channel.text
    assert search.problem is None
    assert search.posts_new == 0  # not even tried
    assert notify_social_health(database, now=NOW, app_url="http://127.0.0.1:8000") == 1
    with database.session() as session:
        (note,) = [n for n in list_notifications(session) if n.kind == "feed"]
        state = load_state(session, KENH.slug, KENH.kind)
    assert note.subject == "Nguồn mạng xã hội lỗi: yt-thads – đã hết hạn mức (quota) YouTube trong ngày"
    # Midnight in California on 3 December is 08:00 UTC, 15:00 in Viet Nam.
    assert state.resume_at == dt.datetime(2026, 12, 3, 8, 0, tzinfo=dt.UTC) == next_reset(NOW)
    assert "tự tiếp tục lúc 15:00 ngày 03/12/2026" in note.text

    asked = len(api.asked)
    later = NOW + dt.timedelta(hours=5)  # still 2 December in California
    assert [p.problem for p in poll_social(database, [KENH, TIM], s, now=later)] == [None, None]
    assert len(api.asked) == asked  # no call the rest of the quota day

    api.quota, api.spent = 10000, 0  # a new day at Google
    next_day = NOW + dt.timedelta(hours=6, minutes=5)
    channel, search = poll_social(database, [KENH, TIM], s, now=next_day)
    assert channel.problem is None
    assert channel.posts_new == 3
    assert search.problem is None
    with database.session() as session:
        state = load_state(session, KENH.slug, KENH.kind)
    assert state.problem is None
    assert state.quota_day == "2026-12-03"
    assert state.quota_spent == channel.units


def test_polling_stops_before_the_daily_budget_is_spent(database: Database, youtube: tuple[YouTube, str]) -> None:
    api, url = youtube
    s = settings(url, youtube_daily_budget=150, pseudonym_key=SecretStr(""))
    api.search_results = ["vid00000003"]
    search, channel = poll_social(database, [TIM, KENH], s, now=NOW)
    assert search.units == 101
    assert channel.units == 4  # channels, 2 playlist pages, videos
    api.asked.clear()
    (again,) = poll_social(database, [TIM], s, now=NOW + dt.timedelta(minutes=15))
    assert again.problem is SocialProblem.QUOTA  # a second search (100 units) would go over 150
    assert "social.youtube_daily_budget" in again.text
    assert api.asked == []  # stopped before the call, not after


def test_a_rate_limit_is_waited_out_as_the_answer_says(database: Database, youtube: tuple[YouTube, str]) -> None:
    api, url = youtube
    s = settings(url)
    api.script.append(
        Answer(429, yt_error(429, "rateLimitExceeded", "Too many requests", "youtube.api"), {"Retry-After": "120"})
    )
    (done,) = poll_social(database, [KENH], s, now=NOW)
    assert done.problem is SocialProblem.RATE_LIMITED
    asked = len(api.asked)
    (waiting,) = poll_social(database, [KENH], s, now=NOW + dt.timedelta(seconds=60))
    assert len(api.asked) == asked
    assert waiting.posts_new == 0
    (resumed,) = poll_social(database, [KENH], s, now=NOW + dt.timedelta(seconds=121))
    assert resumed.problem is None
    assert resumed.posts_new == 3
    assert notify_social_health(database, now=NOW, app_url="") == 0  # a rate limit passes by itself


def test_an_invalid_key_is_told_in_words(database: Database, youtube: tuple[YouTube, str]) -> None:
    _, url = youtube
    with database.session() as session:
        upsert_user(session, ADMIN)
    (done,) = poll_social(database, [KENH], settings(url, youtube_api_key=SecretStr("sai")), now=NOW)
    assert done.problem is SocialProblem.TOKEN_EXPIRED
    assert "Khóa API YouTube không dùng được" in done.text
    notify_social_health(database, now=NOW, app_url="")
    with database.session() as session:
        (note,) = [n for n in list_notifications(session) if n.kind == "feed"]
    assert "social.youtube_api_key" in note.text


def test_an_answer_not_in_the_documented_shape_is_a_problem_not_a_crash(
    database: Database, youtube: tuple[YouTube, str]
) -> None:
    api, url = youtube
    api.script.append(Answer(200, {"kind": "youtube#channelListResponse", "items": [{"id": CHANNEL}]}))
    (done,) = poll_social(database, [KENH], settings(url), now=NOW)
    assert done.problem is SocialProblem.FAILED
    assert done.text.startswith("API trả lời không đúng dạng mong đợi (KeyError")
    (again,) = poll_social(database, [KENH], settings(url), now=NOW + dt.timedelta(minutes=15))
    assert again.problem is None
    assert again.posts_new == 3


def test_a_video_with_comments_turned_off_is_skipped_and_the_others_are_read(
    database: Database, youtube: tuple[YouTube, str]
) -> None:
    api, url = youtube
    api.uploads[UPLOADS] = ["vid00000002", "vid00000003"]  # the video without comments is read first
    api.comments_disabled.add("vid00000002")
    (done,) = poll_social(database, [KENH], settings(url), now=NOW)
    assert done.problem is None
    assert done.posts_new == 2
    assert done.comments_new == 8
