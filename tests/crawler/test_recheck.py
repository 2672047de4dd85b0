"""The post-response watch on the replay site, on both backends: a real recorded article (nld1.html) is captured
by the crawler's own store, opened as a case, then served again as edited, gone (404), redirected home, replaced
by the outlet's "not found" page, or unchanged; robots.txt and the outlet's delay are measured on the server."""

from __future__ import annotations

import datetime as dt
import itertools
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from alerts.settings import AlertSettings
from crawler.extract import Extracted
from crawler.items import Fetched
from crawler.recheck import RecheckSummary, run_recheck
from crawler.replay.site import ReplaySite
from crawler.rules import Rules
from crawler.settings import CrawlerSettings
from crawler.sources import Registry, parse_registry
from crawler.store import extract_fetched, store
from domain.enums import CaseState, Priority, Role, TakedownReason, WatchState
from domain.records import AuditEvent, Case, Enrichment, Feed, FeedKind, Outlet, OutletKind, User
from storage.articles import get_article, list_snapshots
from storage.cases import append_audit, get_case, insert_case, update_case, upsert_user
from storage.engine import Database
from storage.enrichments import save_enrichment, start_story
from storage.outlets import upsert_feed, upsert_outlet
from storage.settings import StorageSettings
from storage.watch import changes_of, watches_of
from tests.conftest import shared_path
from thads_monitor.jobs import JOBS, Runtime, run_logged
from thads_monitor.settings import Settings

T0 = dt.datetime(2026, 11, 20, 8, 0, tzinfo=dt.UTC)
PAGE = shared_path("fixtures", "html", "nld1.html").read_bytes()
PATH = "/phap-luat/thieu-tien-hui-xach-dao-di-noi-chuyen-voi-chu-no-20121226051446379.htm"
UA = "THADSPressMonitor/test (+mailto:test@thads.vn)"
NOT_FOUND_PAGE = """<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">
<title>Không tìm thấy trang - Báo Người Lao Động</title></head><body>
<header><a href="/">Trang chủ</a> <a href="/thoi-su.htm">Thời sự</a> <a href="/phap-luat.htm">Pháp luật</a></header>
<div class="error-page"><h1>Rất tiếc!</h1><p>Bài viết bạn tìm không tồn tại hoặc đã bị xóa.</p></div>
<h3>Tin khác</h3><ul><li><a href="/tin-1.htm">Tòa tuyên y án vụ giết người vì tiền hụi ở Vĩnh Long</a></li></ul>
</body></html>""".encode()


@dataclass
class Watched:
    site: ReplaySite
    database: Database
    article_id: int
    case_id: int
    extracted: Extracted

    def recheck(self, at: dt.datetime, *, delay_s: float = 0, not_found: str = "") -> RecheckSummary:
        host = self.site.base.removeprefix("http://")
        marker = f"\n    not_found: [{not_found!r}]" if not_found else ""
        registry = Registry(
            parse_registry(
                f"outlets:\n  - slug: nld-phat-lai\n    name: Người Lao Động\n    domain: {host}\n    kind: national\n"
                f"    download_delay_s: {delay_s}{marker}\n    feeds:\n"
                f'      - {{url: "{self.site.base}/phap-luat.htm", kind: listing}}\n',
                "test",
            ).outlets
        )
        settings = CrawlerSettings(watch_interval_s=3600, watch_closed_days=30)
        return run_recheck(self.database, settings, now=lambda: at, user_agent=UA, registry=registry)

    def watch_state(self) -> tuple[WatchState, TakedownReason | None]:
        with self.database.session() as s:
            watch = watches_of(s, [self.article_id])[self.article_id]
        return watch.state, watch.takedown_reason

    def snapshots(self) -> int:
        with self.database.session() as s:
            return len(list_snapshots(s, self.article_id))


def capture(database: Database, site: ReplaySite, path: str, page: bytes) -> tuple[int, Extracted]:
    """The article as the crawler captured it: extraction and the crawler's store, first snapshot included."""
    host = site.base.removeprefix("http://")
    with database.session() as s:
        outlet = upsert_outlet(
            s, Outlet(slug="nld-phat-lai", name="Người Lao Động", domain=host, kind=OutletKind.NATIONAL)
        )
        assert outlet.id is not None
        feed = upsert_feed(s, Feed(outlet_id=outlet.id, url=f"{site.base}/phap-luat.htm", kind=FeedKind.LISTING))
    assert feed.id is not None
    fetched = Fetched(feed_id=feed.id, outlet_id=outlet.id, url=site.base + path, body=page, fetched_at=T0)
    result = extract_fetched(fetched, rules=Rules(), site_names=frozenset())
    assert isinstance(result, Extracted), result
    with database.session() as s:
        stored = store(s, fetched, result)
    assert stored.outcome == "new"
    assert stored.article_id is not None
    return stored.article_id, result


def open_case(database: Database, article_id: int) -> int:
    with database.session() as s:
        article = get_article(s, article_id)
        assert article is not None
        story = start_story(s, article)
        save_enrichment(
            s,
            Enrichment(
                article_id=article_id,
                relevant=True,
                relevance_score=0.9,
                province="Vĩnh Long",
                model_version="test",
                enriched_at=T0,
                story_id=story.id,
            ),
        )
        case = insert_case(
            s,
            Case(
                id=0,
                story_id=story.id,
                title=article.title,
                priority=Priority.P2,
                state=CaseState.NEW,
                province="Vĩnh Long",
                received_at=T0,
                updated_at=T0,
            ),
        )
    return case.id


@pytest.fixture
def watched(database: Database) -> Iterator[Watched]:
    site = ReplaySite([]).start()
    try:
        # The recorded page names its address on nld.com.vn (og:url); the replay site's copy names none, so that
        # the crawler stores it under the address it was fetched from.
        page = PAGE.replace(b'property="og:url"', b'property="x-og-url"')
        site.pin(PATH, page)
        article_id, extracted = capture(database, site, PATH, page)
        yield Watched(site, database, article_id, open_case(database, article_id), extracted)
    finally:
        site.stop()


def article_hits(site: ReplaySite) -> list[str]:
    return [h.path for h in site.hits if h.path != "/robots.txt"]


def test_an_edited_article_gets_a_new_snapshot_and_a_word_diff(watched: Watched) -> None:
    page = watched.site.pinned[PATH].body
    assert page.count("y án 18 năm tù giam".encode()) == 1
    watched.site.pin(PATH, page.replace("y án 18 năm tù giam".encode(), "y án 20 năm tù giam".encode()))

    summary = watched.recheck(T0 + dt.timedelta(hours=2))

    assert (summary.checked, summary.outcomes["edited"]) == (1, 1)
    assert watched.watch_state() == (WatchState.EDITED, None)
    assert watched.snapshots() == 2
    with watched.database.session() as s:
        [change] = changes_of(s, [watched.article_id])
        article = get_article(s, watched.article_id)
    assert change.kind == WatchState.EDITED
    assert change.snapshot_id is not None
    assert change.old_text == watched.extracted.text
    assert "y án 20 năm tù giam" in change.new_text
    diff = change.text_diff()
    assert (diff.deleted, diff.inserted) == (1, 1)
    assert "[-18-] {+20+}" in diff.as_text()
    assert "<del>18</del> <ins>20</ins>" in diff.as_html()
    assert not change.title_changed
    assert article is not None
    assert "y án 20 năm tù giam" in article.text


def test_an_edit_the_crawler_stores_first_is_kept_once_and_the_recheck_adds_nothing(watched: Watched) -> None:
    """The feed pass may fetch the edited page before the re-check does: the change is kept with both wordings
    all the same, and the re-check, comparing with the stored wording, finds the page unchanged."""
    page = watched.site.pinned[PATH].body.replace("y án 18 năm tù giam".encode(), "y án 20 năm tù giam".encode())
    watched.site.pin(PATH, page)
    with watched.database.session() as s:
        article = get_article(s, watched.article_id)
        assert article is not None
        assert article.feed_id is not None
        fetched = Fetched(
            feed_id=article.feed_id,
            outlet_id=article.outlet_id,
            url=watched.site.base + PATH,
            body=page,
            fetched_at=T0 + dt.timedelta(hours=1),
            known=True,
        )
    result = extract_fetched(fetched, rules=Rules(), site_names=frozenset())
    with watched.database.session() as s:
        assert store(s, fetched, result).outcome == "edited"
        [change] = changes_of(s, [watched.article_id])
    assert change.kind == WatchState.EDITED
    assert change.snapshot_id is not None
    assert change.old_text == watched.extracted.text
    assert "[-18-] {+20+}" in change.text_diff().as_text()
    assert watched.watch_state() == (WatchState.EDITED, None)

    summary = watched.recheck(T0 + dt.timedelta(hours=2))

    assert summary.outcomes["unchanged"] == 1
    with watched.database.session() as s:
        assert len(changes_of(s, [watched.article_id])) == 1


def test_an_edit_of_an_article_in_no_case_is_stored_without_a_change(watched: Watched) -> None:
    other = "/phap-luat/mot-bai-khac-2026112000777.htm"
    body = watched.site.pinned[PATH].body.replace("Cà Mau".encode(), "Bạc Liêu".encode())
    article_id, _ = capture(watched.database, watched.site, other, body)
    edited = body.replace("y án 18 năm tù giam".encode(), "y án 20 năm tù giam".encode())
    with watched.database.session() as s:
        article = get_article(s, article_id)
        assert article is not None
        assert article.feed_id is not None
        url = watched.site.base + other
        fetched = Fetched(feed_id=article.feed_id, outlet_id=article.outlet_id, url=url, body=edited, fetched_at=T0)
        assert store(s, fetched, extract_fetched(fetched, rules=Rules(), site_names=frozenset())).outcome == "edited"
        assert changes_of(s, [article_id]) == []


def test_unchanged_bytes_and_a_changed_advert_or_timestamp_leave_no_snapshot(watched: Watched) -> None:
    summary = watched.recheck(T0 + dt.timedelta(hours=2))
    assert summary.outcomes["unchanged"] == 1
    page = watched.site.pinned[PATH].body
    watched.site.pin(
        PATH,
        page.replace(
            b"</body>",
            '<div class="banner-ads">Quảng cáo: vay tiêu dùng 0%</div><p class="time">Cập nhật 10:42 21/11/2026</p>'
            "<!-- rendered 1732184520 --></body>".encode(),
        ),
    )
    summary = watched.recheck(T0 + dt.timedelta(hours=4))

    assert summary.outcomes["unchanged"] == 1
    assert watched.watch_state() == (WatchState.UNCHANGED, None)
    assert watched.snapshots() == 1
    with watched.database.session() as s:
        assert changes_of(s, [watched.article_id]) == []
        watch = watches_of(s, [watched.article_id])[watched.article_id]
    assert (watch.checked_count, watch.last_checked_at) == (2, T0 + dt.timedelta(hours=4))


def test_a_304_to_the_etag_of_the_last_answer_is_unchanged(watched: Watched) -> None:
    page = watched.site.pinned[PATH].body
    watched.site.pin(PATH, page, headers={"ETag": '"v1"'})
    watched.recheck(T0 + dt.timedelta(hours=2))
    watched.site.hits.clear()

    summary = watched.recheck(T0 + dt.timedelta(hours=4))

    [asked] = [h for h in watched.site.hits if h.path == PATH]
    assert asked.headers["if-none-match"] == '"v1"'
    assert summary.outcomes["unchanged"] == 1
    assert watched.snapshots() == 1
    with watched.database.session() as s:
        assert watches_of(s, [watched.article_id])[watched.article_id].checked_count == 2


def test_not_due_again_before_the_interval(watched: Watched) -> None:
    watched.recheck(T0 + dt.timedelta(hours=2))
    assert watched.recheck(T0 + dt.timedelta(hours=2, minutes=30)).checked == 0


@pytest.mark.parametrize("status", [404, 410])
def test_an_article_that_answers_gone_is_taken_down(watched: Watched, status: int) -> None:
    watched.site.pin(PATH, "<html><body><h1>Lỗi</h1></body></html>".encode(), status=status)

    summary = watched.recheck(T0 + dt.timedelta(hours=2))

    assert summary.outcomes["taken_down"] == 1
    assert watched.watch_state() == (WatchState.TAKEN_DOWN, TakedownReason.GONE)
    with watched.database.session() as s:
        [change] = changes_of(s, [watched.article_id])
    assert change.http_status == status
    # A taken-down article is not fetched again.
    watched.site.hits.clear()
    assert watched.recheck(T0 + dt.timedelta(days=2)).checked == 0
    assert article_hits(watched.site) == []


@pytest.mark.parametrize(
    ("to", "reason"),
    [
        ("/", TakedownReason.REDIRECT_HOME),
        ("/phap-luat.htm", TakedownReason.REDIRECT_SECTION),  # the outlet's listing page in the registry
        ("/thoi-su", TakedownReason.REDIRECT_SECTION),  # an address with no article in it
    ],
)
def test_a_redirect_to_the_home_page_or_a_section_is_a_takedown(
    watched: Watched, to: str, reason: TakedownReason
) -> None:
    watched.site.redirect(PATH, to)

    watched.recheck(T0 + dt.timedelta(hours=2))

    assert watched.watch_state() == (WatchState.TAKEN_DOWN, reason)
    with watched.database.session() as s:
        [change] = changes_of(s, [watched.article_id])
    assert (change.http_status, change.final_url) == (301, watched.site.base + to)
    assert article_hits(watched.site) == [PATH]  # the page it led to was not fetched


def test_a_redirect_to_another_article_address_is_read_there(watched: Watched) -> None:
    moved = "/phap-luat/thieu-tien-hui-xach-dao-di-noi-chuyen-voi-chu-no-20121226051446379-v2.htm"
    watched.site.pin(moved, watched.site.pinned[PATH].body)
    watched.site.redirect(PATH, moved)

    summary = watched.recheck(T0 + dt.timedelta(hours=2))

    assert summary.outcomes["unchanged"] == 1
    assert article_hits(watched.site) == [PATH, moved]


def test_the_outlets_not_found_page_is_a_takedown(watched: Watched) -> None:
    watched.site.pin(PATH, NOT_FOUND_PAGE)

    watched.recheck(T0 + dt.timedelta(hours=2))

    assert watched.watch_state() == (WatchState.TAKEN_DOWN, TakedownReason.NOT_FOUND_PAGE)
    assert watched.snapshots() == 2  # the not-found page is kept as evidence


def test_an_outlets_own_marker_recognises_its_not_found_page(watched: Watched) -> None:
    page = "<html><head><title>Người Lao Động</title></head><body><p>Mã lỗi NLD-0404.</p></body></html>"
    watched.site.pin(PATH, page.encode())

    watched.recheck(T0 + dt.timedelta(hours=2))
    assert watched.watch_state() == (WatchState.UNCHANGED, None)  # nothing says "not found" in words we know

    watched.recheck(T0 + dt.timedelta(hours=4), not_found="Mã lỗi NLD-0404")
    assert watched.watch_state() == (WatchState.TAKEN_DOWN, TakedownReason.NOT_FOUND_PAGE)


def test_a_short_page_that_says_nothing_of_a_takedown_is_not_guessed_to_be_one(watched: Watched) -> None:
    watched.site.pin(
        PATH, "<html><head><title>Bảo trì</title></head><body><p>Xin quay lại sau.</p></body></html>".encode()
    )

    summary = watched.recheck(T0 + dt.timedelta(hours=2))

    assert summary.outcomes["skipped"] == 1
    with watched.database.session() as s:
        watch = watches_of(s, [watched.article_id])[watched.article_id]
        assert changes_of(s, [watched.article_id]) == []
    assert watch.state == WatchState.UNCHANGED
    assert watch.last_checked_at is None
    assert watch.last_problem is not None
    assert "không nói bài đã bị gỡ" in watch.last_problem


def test_robots_txt_that_forbids_the_page_means_it_is_not_fetched(watched: Watched) -> None:
    watched.site.robots = "User-agent: *\nDisallow: /phap-luat/\n"

    summary = watched.recheck(T0 + dt.timedelta(hours=2))

    assert summary.outcomes["skipped"] == 1
    assert [h.path for h in watched.site.hits] == ["/robots.txt"]
    assert all(h.headers["user-agent"] == UA for h in watched.site.hits)
    with watched.database.session() as s:
        watch = watches_of(s, [watched.article_id])[watched.article_id]
    assert watch.last_problem is not None
    assert "robots.txt" in watch.last_problem


def test_a_closed_case_is_watched_within_the_window_only(watched: Watched) -> None:
    closed_at = T0 + dt.timedelta(days=1)
    with watched.database.session() as s:
        case = get_case(s, watched.case_id)
        assert case is not None
        update_case(s, replace(case, state=CaseState.CLOSED, updated_at=closed_at))
        append_audit(
            s,
            AuditEvent(
                case_id=case.id, at=closed_at, actor="t@thads.vn", action="close", from_state="new", to_state="closed"
            ),
        )
    assert watched.recheck(closed_at + dt.timedelta(days=29)).checked == 1
    assert watched.recheck(closed_at + dt.timedelta(days=31)).checked == 0


def test_the_outlets_delay_is_kept_between_requests_to_its_site(watched: Watched) -> None:
    """Three articles of one outlet: robots.txt and the three pages reach the server at least the outlet's
    `download_delay_s` apart."""
    others = [f"/phap-luat/bai-viet-so-{n}-ve-thi-hanh-an-dan-su-2026112000{n}.htm" for n in (1, 2)]
    for n, path in enumerate(others):
        watched.site.pin(path, watched.site.pinned[PATH].body.replace("Cà Mau".encode(), f"Bạc Liêu {n}".encode()))
        article_id, _ = capture(watched.database, watched.site, path, watched.site.pinned[path].body)
        open_case(watched.database, article_id)
    watched.site.hits.clear()

    started = time.monotonic()
    summary = watched.recheck(T0 + dt.timedelta(hours=2), delay_s=0.4)

    assert summary.checked == 3
    times = [h.at for h in watched.site.hits]
    assert next(h.path for h in watched.site.hits) == "/robots.txt"
    assert len(times) == 4
    # The delay is kept between the requests' starts on our side; the server stamps arrival, which a loaded
    # machine may shift by some milliseconds either way.
    assert all(b - a >= 0.37 for a, b in itertools.pairwise(times)), times
    assert time.monotonic() - started >= 1.2


def test_the_scheduled_job_rechecks_then_tells_the_focal_point(
    watched: Watched, storage_settings: StorageSettings, tmp_path: Path
) -> None:
    with watched.database.session() as s:
        upsert_user(
            s, User(email="daumoi.vinhlong@thads.vn", name="Trần Văn Bình", role=Role.DAU_MOI, province="Vĩnh Long")
        )
    page = watched.site.pinned[PATH].body
    watched.site.pin(PATH, page.replace("y án 18 năm tù giam".encode(), "y án 20 năm tù giam".encode()))
    registry = tmp_path / "nguon.yaml"
    registry.write_text(watched.site.sources_yaml().replace("bao-tin-nhanh", "nld-phat-lai"), encoding="utf-8")
    settings = Settings(
        storage=storage_settings,
        crawler=CrawlerSettings(sources_file=registry, only_sources_file=True),
        alerts=AlertSettings(app_url="https://giamsat.thads.example"),
    )
    at = T0 + dt.timedelta(hours=7)
    runtime = Runtime(settings=settings, database=watched.database, now=lambda: at)

    first, again = run_logged(runtime, JOBS["recheck"]), run_logged(runtime, JOBS["recheck"])

    assert first is not None
    assert again is not None
    assert first.summary == "1 bài được kiểm tra lại (bị sửa: 1), 1 thư báo bài bị sửa, bị gỡ"
    assert (first.done, first.wake) == (1, True)
    assert (again.done, again.wake) == (0, False)  # not due again within crawler.watch_interval_s
    assert JOBS["recheck"].interval_s(settings) == 900
