"""Facebook Pages through the Graph API, against a local stand-in speaking its JSON (tests/crawler/social_servers.py):
incremental polling (since, paging cursors, comment cursors), nothing stored twice, pseudonymised commenters, an
expired token told to the administrator in words and polling resumed once the token is replaced, permissions,
rate limits; on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlalchemy import text
from sqlalchemy.orm import Session

from alerts.social_health import notify_social_health
from crawler.settings import CrawlerSettings
from crawler.social import facebook
from crawler.social.poll import poll_social, purge_expired
from crawler.social.settings import SocialSettings
from crawler.sources import SocialSpec
from domain.enums import CaseState, Priority, Role
from domain.records import Case, User
from domain.social import Platform, SocialProblem, SocialSourceKind
from storage.cases import insert_case, upsert_user
from storage.engine import Database
from storage.outbox import list_notifications
from storage.settings import StorageSettings
from storage.social import comments_of, link_post_to_case, load_state, posts_of
from tests.crawler.graph_api import EXPIRED, Graph, fb_comment, fb_post, graph_rate_limit
from tests.crawler.social_servers import serving
from tests.seeding import add_copy, outlet, samples
from thads_monitor.jobs import JOBS, Runtime, run_logged
from thads_monitor.settings import Settings

NOW = dt.datetime(2026, 12, 3, 2, 0, tzinfo=dt.UTC)
PAGE = "104857600123456"
OTHER = "998877665544"
CUC = SocialSpec(
    slug="fb-cuc-thads", name="Trang Cục Quản lý THADS", kind=SocialSourceKind.FACEBOOK_PAGE, page_id=PAGE, own=True
)
PUBLIC = SocialSpec(slug="fb-bao-x", name="Trang báo X", kind=SocialSourceKind.FACEBOOK_PAGE, page_id=OTHER)
ADMIN = User(email="quantri@cucqlthads.vn", name="Quản trị hệ thống", role=Role.ADMIN)
ANH = ("Nguyễn Văn Anh", "7001234567890001")
BINH = ("Trần Thị Bình", "7001234567890002")


def social_settings(url: str, token: str = "PAGE-TOKEN-1", **more: object) -> SocialSettings:
    values: dict[str, object] = {
        "graph_url": f"{url}/v19.0",
        "facebook_page_tokens": {CUC.slug: SecretStr(token)},
        "pseudonym_key": SecretStr("khoa-bi-mat-thu-nghiem"),
        **more,
    }
    return SocialSettings.model_validate(values)


@pytest.fixture
def graph() -> Iterator[tuple[Graph, str]]:
    api = Graph()
    api.readable = {"PAGE-TOKEN-1": {PAGE}, "PAGE-TOKEN-2": {PAGE}, "APP-TOKEN": set()}
    api.posts[PAGE] = [
        fb_post(
            PAGE,
            3,
            "2026-12-02T09:00:00+0000",
            "Cục THADS thông tin về vụ cưỡng chế tại Bình Dương",
            link="https://baophapluat.vn/cuong-che-123.html",
        ),
        fb_post(PAGE, 2, "2026-12-01T09:00:00+0000", "Hội nghị tập huấn nghiệp vụ"),
        fb_post(PAGE, 1, "2026-11-30T09:00:00+0000", "Thông báo lịch tiếp công dân"),
    ]
    post = f"{PAGE}_3"
    api.comments[post] = [
        fb_comment(post, 1, "2026-12-02T10:00:00+0000", "Cưỡng chế như vậy là đúng luật", ANH),
        fb_comment(post, 2, "2026-12-02T10:30:00+0000", "Không đồng ý", BINH, parent="3_1"),
    ]
    with serving(api) as url:
        yield api, url


def test_polling_is_incremental_and_nothing_is_stored_twice(database: Database, graph: tuple[Graph, str]) -> None:
    api, url = graph
    api.max_limit = 2  # two posts a page: three posts take two pages
    s = social_settings(url)
    (done,) = poll_social(database, [CUC], s, now=NOW)
    assert (done.posts_new, done.comments_new, done.problem) == (3, 2, None)
    with database.session() as session:
        posts = posts_of(session, CUC.slug)
        assert [p.platform_id for p in posts] == [f"{PAGE}_3", f"{PAGE}_2", f"{PAGE}_1"]
        assert posts[0].reactions == 13
        assert posts[0].comments == 2
        assert posts[0].shares == 3
        assert posts[0].shared_url == "https://baophapluat.vn/cuong-che-123.html"
        state = load_state(session, CUC.slug, CUC.kind)
    assert state.since_at == dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)
    assert state.page_token is None
    feed_asks = [a for a in api.asked if a.path.endswith("/feed")]
    assert len(feed_asks) == 2
    assert "since" not in feed_asks[0].query
    assert feed_asks[1].query["after"] == "c1"
    assert feed_asks[1].query["access_token"] == "PAGE-TOKEN-1"

    # A new post and a new comment appear; the second poll asks from where the first one stopped.
    api.posts[PAGE].insert(0, fb_post(PAGE, 4, "2026-12-03T01:00:00+0000", "Phản hồi thông tin báo chí"))
    api.comments[f"{PAGE}_3"].append(fb_comment(f"{PAGE}_3", 3, "2026-12-03T01:10:00+0000", "Cảm ơn Cục", ANH))
    api.asked.clear()
    (again,) = poll_social(database, [CUC], s, now=NOW + dt.timedelta(minutes=15))
    assert (again.posts_new, again.comments_new) == (1, 1)
    feed = next(a for a in api.asked if a.path.endswith("/feed"))
    assert feed.query["since"] == str(int(dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC).timestamp()))
    comments_ask = next(a for a in api.asked if a.path.endswith(f"{PAGE}_3/comments"))
    assert comments_ask.query["after"] == "c1"  # after the last comment read before
    assert comments_ask.query["order"] == "chronological"
    assert comments_ask.query["filter"] == "stream"
    with database.session() as session:
        assert len(posts_of(session, CUC.slug)) == 4
        stored = comments_of(session, Platform.FACEBOOK, f"{PAGE}_3")
        counts = session.execute(text("SELECT count(*), count(DISTINCT platform_id) FROM social_comment")).one()
    assert tuple(counts) == (3, 3)
    assert [c.text for c in stored] == ["Cưỡng chế như vậy là đúng luật", "Không đồng ý", "Cảm ơn Cục"]
    assert stored[1].parent_platform_id == "3_1"
    assert stored[0].author_pseudonym == stored[2].author_pseudonym != stored[1].author_pseudonym  # same person
    assert len(stored[0].author_pseudonym) == 64


def test_commenters_are_pseudonymised_unless_the_post_is_evidence_and_the_setting_allows(
    database: Database, graph: tuple[Graph, str]
) -> None:
    api, url = graph
    poll_social(database, [CUC], social_settings(url), now=NOW)
    with database.session() as session:
        dump = " ".join(str(row) for row in session.execute(text("SELECT * FROM social_comment")))
    for name, user_id in (ANH, BINH):
        assert name not in dump
        assert user_id not in dump
    # Linked to a case as evidence, with the setting on: the new commenters of that post are kept in clear.
    with database.session() as session:
        link_post_to_case(session, Platform.FACEBOOK, f"{PAGE}_3", open_case(session))
    api.comments[f"{PAGE}_3"].append(fb_comment(f"{PAGE}_3", 3, "2026-12-03T01:10:00+0000", "Ý kiến thứ ba", BINH))
    api.comments[f"{PAGE}_2"] = [fb_comment(f"{PAGE}_2", 1, "2026-12-03T01:20:00+0000", "Bài khác", ANH)]
    poll_social(database, [CUC], social_settings(url, keep_evidence_authors=True), now=NOW + dt.timedelta(hours=1))
    with database.session() as session:
        third = comments_of(session, Platform.FACEBOOK, f"{PAGE}_3")[-1]
        other = comments_of(session, Platform.FACEBOOK, f"{PAGE}_2")[-1]
    assert (third.author_name, third.author_platform_id) == BINH
    assert third.author_pseudonym
    assert (other.author_name, other.author_platform_id) == (None, None)  # not evidence: pseudonym only


def open_case(session: Session) -> int:
    source = outlet(session, "baophapluat", "Báo Pháp luật Việt Nam")
    row = next(r for r in samples().values() if r["relevant"])
    _, story = add_copy(session, row, source, at=NOW - dt.timedelta(days=1))
    assert story is not None
    case = Case(
        id=0,
        story_id=story.id,
        title=row["title"],
        priority=Priority.P2,
        state=CaseState.NEW,
        province="Vĩnh Long",
        received_at=NOW,
        updated_at=NOW,
    )
    return insert_case(session, case).id


def test_an_expired_token_is_told_to_the_administrator_and_polling_resumes_with_a_new_token(
    database: Database, graph: tuple[Graph, str]
) -> None:
    api, url = graph
    with database.session() as session:
        upsert_user(session, ADMIN)
    api.script.append(EXPIRED)
    (done,) = poll_social(database, [CUC], social_settings(url), now=NOW)
    assert done.problem is SocialProblem.TOKEN_EXPIRED
    assert "mã đã hết hạn" in done.text
    assert "Graph API lỗi 190/463" in done.text
    assert notify_social_health(database, now=NOW, app_url="http://127.0.0.1:8000") == 1
    assert notify_social_health(database, now=NOW + dt.timedelta(hours=1), app_url="") == 0  # once a day
    with database.session() as session:
        (note,) = [n for n in list_notifications(session) if n.kind == "feed"]
    assert note.recipient == ADMIN.email
    assert note.subject == (
        "Nguồn mạng xã hội lỗi: fb-cuc-thads – mã truy cập (access token) đã hết hạn hoặc bị thu hồi"
    )
    assert "Trang Facebook" in note.text
    assert "social.facebook_page_tokens" in note.text
    assert "pages_read_engagement" in note.text

    # The token is still the old one: the platform refuses it (only PAGE-TOKEN-2 is valid now).
    api.readable.pop("PAGE-TOKEN-1")
    (still,) = poll_social(database, [CUC], social_settings(url), now=NOW + dt.timedelta(minutes=15))
    assert still.problem is SocialProblem.TOKEN_EXPIRED
    # Replaced in the settings: the next poll reads the page, and the problem is gone.
    (resumed,) = poll_social(
        database, [CUC], social_settings(url, token="PAGE-TOKEN-2"), now=NOW + dt.timedelta(minutes=30)
    )
    assert (resumed.problem, resumed.posts_new) == (None, 3)
    with database.session() as session:
        state = load_state(session, CUC.slug, CUC.kind)
    assert state.problem is None
    assert state.last_success_at == NOW + dt.timedelta(minutes=30)
    assert notify_social_health(database, now=NOW + dt.timedelta(days=1), app_url="") == 0


def test_a_page_the_app_may_not_read_is_skipped_with_the_missing_permission_named(
    database: Database, graph: tuple[Graph, str]
) -> None:
    api, url = graph
    api.posts[OTHER] = [fb_post(OTHER, 1, "2026-12-02T09:00:00+0000", "Tin bài")]
    s = social_settings(url, facebook_app_token=SecretStr("APP-TOKEN"))
    public, own = poll_social(database, [PUBLIC, CUC], s, now=NOW)
    assert public.problem is SocialProblem.PERMISSION
    assert "pages_read_engagement" in public.text
    assert "Page Public Content Access" in public.text
    assert own.problem is None
    assert own.posts_new == 3


def test_a_rate_limit_pauses_the_source_and_an_interrupted_pass_resumes_where_it_stopped(
    database: Database, graph: tuple[Graph, str]
) -> None:
    api, url = graph
    api.max_limit = 1
    s = social_settings(url, pseudonym_key=SecretStr(""))  # no key: comments are not read, only posts
    # The first page is answered, the second refused: page request limit, Business Use Case header says 30 minutes.
    original = api.answer
    answers = iter([original, lambda asked: graph_rate_limit(30)])
    api.answer = lambda asked: next(answers, original)(asked)  # type: ignore[method-assign]
    (cut,) = poll_social(database, [CUC], s, now=NOW)
    assert cut.problem is SocialProblem.RATE_LIMITED
    assert cut.posts_new == 1
    assert "tạm dừng 30 phút" in cut.text
    with database.session() as session:
        state = load_state(session, CUC.slug, CUC.kind)
    assert state.page_token is not None
    assert "after=c0" in state.page_token
    assert "access_token" not in state.page_token  # the token is never stored
    assert state.resume_at == NOW + dt.timedelta(minutes=30)

    asked = len(api.asked)
    (waiting,) = poll_social(database, [CUC], s, now=NOW + dt.timedelta(minutes=10))
    assert waiting.posts_new == 0
    assert len(api.asked) == asked
    (resumed,) = poll_social(database, [CUC], s, now=NOW + dt.timedelta(minutes=31))
    assert resumed.problem is None
    assert resumed.posts_new == 2
    assert api.asked[asked].query["after"] == "c0"  # resumed at the page it was refused
    with database.session() as session:
        assert len(posts_of(session, CUC.slug)) == 3
        assert load_state(session, CUC.slug, CUC.kind).page_token is None


def test_retention_deletes_old_posts_and_comments_but_keeps_evidence(
    database: Database, graph: tuple[Graph, str]
) -> None:
    _, url = graph
    s = social_settings(url, retention_days=1)
    poll_social(database, [CUC], s, now=NOW)
    assert purge_expired(database, s, now=NOW) == (2, 0)  # the posts of 30/11 and 01/12, which had no comments
    with database.session() as session:
        assert [p.platform_id for p in posts_of(session, CUC.slug)] == [f"{PAGE}_3"]
        link_post_to_case(session, Platform.FACEBOOK, f"{PAGE}_3", open_case(session))
    assert purge_expired(database, s, now=NOW + dt.timedelta(days=10)) == (0, 0)  # evidence of a case: kept
    with database.session() as session:
        link_post_to_case(session, Platform.FACEBOOK, f"{PAGE}_3", None)
    assert purge_expired(database, s, now=NOW + dt.timedelta(days=10)) == (1, 2)


def test_the_social_job_polls_purges_and_tells(
    database: Database, graph: tuple[Graph, str], storage_settings: StorageSettings, tmp_path: Path
) -> None:
    api, url = graph
    with database.session() as session:
        upsert_user(session, ADMIN)
    registry = tmp_path / "nguon.yaml"
    registry.write_text(
        f"social:\n  - {{slug: {CUC.slug}, name: Trang Cục, kind: facebook_page, page_id: '{PAGE}', own: true}}\n",
        encoding="utf-8",
    )
    settings = Settings(
        storage=storage_settings,
        crawler=CrawlerSettings(sources_file=registry, only_sources_file=True),
        social=social_settings(url, retention_days=2),
    )
    runtime = Runtime(settings=settings, database=database, now=lambda: NOW)
    first = run_logged(runtime, JOBS["social"])
    assert first is not None
    assert first.summary == (
        "1 nguồn mạng xã hội (0 lỗi), 3 bài mới, 2 bình luận mới, 0 đơn vị quota YouTube, "
        "0 bài ghép vào câu chuyện theo nội dung, 0 hồ sơ mới và 0 nâng mức ưu tiên theo bình luận, "
        "xóa 1 bài và 0 bình luận quá hạn lưu, 0 thư báo lỗi"
    )
    assert (first.done, first.wake) == (5, False)
    api.script.append(EXPIRED)
    runtime.now = lambda: NOW + dt.timedelta(minutes=15)
    second = run_logged(runtime, JOBS["social"])
    assert second is not None
    assert second.summary.startswith("1 nguồn mạng xã hội (1 lỗi), 0 bài mới")
    assert second.summary.endswith("1 thư báo lỗi")
    assert second.wake  # the outbox sends the message now
    assert JOBS["social"].interval_s(settings) == 900


def test_the_shared_link_is_the_articles_stored_address() -> None:
    # Facebook's link shim, tracking parameters and the mobile host fall away, as in the crawler's canonical form;
    # a link written in the message counts when the post has no attachment.
    item = {
        "id": f"{PAGE}_9",
        "created_time": "2026-12-02T09:00:00+0000",
        "message": "Báo phản ánh vụ cưỡng chế",
        "attachments": {
            "data": [
                {
                    "type": "share",
                    "url": "https://l.facebook.com/l.php?u=https%3A%2F%2Fm.baophapluat.vn%2Fcuong-che-123.html%3Futm_source%3Dfb&h=AT0",
                }
            ]
        },
    }
    assert facebook._post(item).shared_url == "https://baophapluat.vn/cuong-che-123.html"
    written = {
        "id": f"{PAGE}_10",
        "created_time": "2026-12-02T09:00:00+0000",
        "message": "Xem: https://www.baophapluat.vn/cuong-che-123.html?fbclid=IwAR0",
    }
    assert facebook._post(written).shared_url == "https://baophapluat.vn/cuong-che-123.html"
