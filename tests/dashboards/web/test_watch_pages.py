"""An edit and a takedown found by the post-response watch, on both backends: told once to the case's focal point
(alerts/article_changes.py) with the diff or the evidence, written in the case's history, and shown on the case
page and the article page (the diff as struck-out and inserted words)."""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

import pytest

from alerts.article_changes import notify_article_changes
from alerts.triage import confirm
from domain.enums import TakedownReason, WatchState
from domain.records import Case
from domain.watch import ArticleChange
from storage.articles import get_article
from storage.cases import audit_trail
from storage.engine import Database
from storage.outbox import list_notifications
from storage.views.queue import story_copies
from storage.watch import record_change, record_check
from tests.dashboards.web.site import Site, build_site, sign_in, workflow_config

MONITOR = "giamsat@cucthads.vn"
CANTHO = "daumoi.cantho@thads.vn"
HANOI = "daumoi.hanoi@thads.vn"
APP_URL = "https://giamsat.thads.example"


@pytest.fixture
def site(database: Database, tmp_path: Path) -> Site:
    return build_site(database, tmp_path / "data")


def watch(site: Site) -> tuple[Case, int, int]:
    """The Cần Thơ story confirmed as a case; its first copy edited (one sentence's figure changed), its second
    redirected to the outlet's home page."""
    at = site.clock() + dt.timedelta(hours=6)
    with site.database.session() as s:
        case = confirm(s, site.stories["cantho"].id, config=workflow_config(), actor=MONITOR, now=site.clock())
        first, second = (c.article_id for c in story_copies(s, case.story_id))
        article = get_article(s, first)
        assert article is not None
        words = article.text.split()
        edited = " ".join([*words[:20], "(đã cải chính)", *words[21:]])
        record_change(
            s,
            ArticleChange(
                article_id=first,
                at=at,
                kind=WatchState.EDITED,
                http_status=200,
                old_title=article.title,
                new_title=article.title,
                old_text=article.text,
                new_text=edited,
            ),
        )
        record_check(s, first, at=at, answered=True)
        record_change(
            s,
            ArticleChange(
                article_id=second,
                at=at,
                kind=WatchState.TAKEN_DOWN,
                reason=TakedownReason.REDIRECT_HOME,
                http_status=301,
                final_url="https://thanhnien.vn/",
            ),
        )
        record_check(s, second, at=at, answered=True)
    return case, first, second


def test_the_focal_point_is_told_once_and_the_case_shows_the_diff_and_the_takedown(site: Site) -> None:
    case, first, second = watch(site)
    site.clock.now += dt.timedelta(hours=7)

    told = notify_article_changes(site.database, now=site.clock, app_url=APP_URL)
    again = notify_article_changes(site.database, now=site.clock, app_url=APP_URL)

    assert (told.changes, again.changes, again.messages) == (2, 0, 0)
    with site.database.session() as s:
        sent = [n for n in list_notifications(s) if n.kind == "article_change"]
        history = [e.action for e in audit_trail(s, case.id)]
    assert {n.recipient for n in sent} == {CANTHO}
    assert len(sent) == 2
    edit = next(n for n in sent if "đã bị sửa" in n.subject)
    gone = next(n for n in sent if "đã bị gỡ" in n.subject)
    assert edit.subject.startswith(f"Bài viết đã bị sửa: hồ sơ #{case.id} – Cần Thơ")
    assert "{+(đã cải chính)+}" in edit.text
    assert edit.html is not None
    assert "<ins" in edit.html
    assert "(đã cải chính)</ins>" in edit.html
    assert "chuyển hướng về trang chủ của báo (mã trả về 301), chuyển đến https://thanhnien.vn/" in gone.text
    assert history.count("article_edited") == 1
    assert history.count("article_taken_down") == 1

    client = site.client()
    sign_in(client, CANTHO)
    page = html.unescape(client.get(f"/ho-so/{case.id}").text)
    assert "Theo dõi bài viết sau khi đăng" in page
    assert "đã bị sửa" in page
    assert "đã bị gỡ</strong> (chuyển hướng về trang chủ của báo)" in page
    assert "<ins>(đã cải chính)</ins>" in page
    assert "<del>" in page  # the word the edit replaced
    assert "Bài viết bị sửa" in page  # the line in the case's history

    article = html.unescape(client.get(f"/bai-viet/{first}").text)
    assert "<ins>(đã cải chính)</ins>" in article
    assert "Bài này: <strong" in article
    assert "kiểm tra 1 lần" in article
    assert "chưa kiểm tra lại" not in article

    other = site.client()
    sign_in(other, HANOI)
    assert other.get(f"/ho-so/{case.id}").status_code == 404
    assert other.get(f"/bai-viet/{second}").status_code == 404


def test_an_article_never_rechecked_says_so(site: Site) -> None:
    with site.database.session() as s:
        case = confirm(s, site.stories["cantho"].id, config=workflow_config(), actor=MONITOR, now=site.clock())
    client = site.client()
    sign_in(client, MONITOR)
    page = client.get(f"/ho-so/{case.id}").text
    assert page.count("chưa kiểm tra lại") == 2
