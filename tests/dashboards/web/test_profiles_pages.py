"""The watch-profile pages (both backends): the unit rule on the list, an admin's edit that re-matches the stored
articles, a query that cannot be read shown with its Vietnamese error and position and nothing saved, and "test
this query" over the last 30 days."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from domain.profiles import Profile, provincial_unit
from domain.watch_profiles import ProfileKind, starter_profiles
from nlp.profile_match import backfill_profile, load_starter_profiles
from storage.articles import get_article
from storage.engine import Database
from storage.profiles import get_profile, matched_article_ids, save_profile
from storage.tables import ArticleRow
from tests.dashboards.web.site import Site, build_site, sign_in
from tests.seeding import USERS, samples

HANOI_PROFILE = "thi_hanh_an_ha_noi"


@pytest.fixture
def site(database: Database, tmp_path: Path) -> Site:
    site = build_site(database, tmp_path / "data")
    load_starter_profiles(database, starter_profiles(), at=site.clock.now)
    with database.session() as session:
        save_profile(
            session,
            Profile(
                code=HANOI_PROFILE,
                name="Thi hành án ở Hà Nội",
                kind=ProfileKind.AREA,
                unit=provincial_unit("Hà Nội"),
                query='"thi hành án" AND province:"Hà Nội"',
            ),
            by="quantri@cucthads.vn",
            at=site.clock.now,
        )
    backfill_profile(database, HANOI_PROFILE)
    return site


def text_of(page: str) -> str:
    return " ".join(html.unescape(page).split())


def words_of(page: str) -> str:
    """What a reader reads: the tags left out."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


@pytest.mark.parametrize(("role", "sees_hanoi"), [("admin", True), ("leader_hanoi", True), ("cantho", False)])
def test_the_list_shows_the_profiles_of_the_users_unit(site: Site, role: str, sees_hanoi: bool) -> None:
    client = site.client()
    sign_in(client, USERS[role].email)
    page = client.get("/chu-de-theo-doi").text
    assert (f'href="/chu-de-theo-doi/{HANOI_PROFILE}"' in page) == sees_hanoi
    assert 'href="/chu-de-theo-doi/thads"' in page  # the THADS watch: everyone's
    assert ('href="/chu-de-theo-doi/dich_benh"' in page) == (USERS[role].province is None)
    assert ('href="/chu-de-theo-doi/moi"' in page) == (role == "admin")


def test_an_edit_rematches_the_stored_articles(site: Site) -> None:
    client = site.client()
    token = sign_in(client, USERS["admin"].email)
    row = samples()["written:w5:001"]  # the seeded article that is not about enforcement
    words = " ".join(row["title"].split()[:3])
    form = {"csrf_token": token, "name": "Thử", "unit": provincial_unit("Hà Nội"), "query": f'title:"{words}"'}
    got = client.post(f"/chu-de-theo-doi/{HANOI_PROFILE}/sua", data={**form, "active": "on"})
    assert got.status_code == 303, got.text[:500]
    assert got.headers["location"] == f"/chu-de-theo-doi/{HANOI_PROFILE}?tb=chu-de-doi-chieu"
    with site.database.session() as session:
        profile = get_profile(session, HANOI_PROFILE)
        assert profile is not None
        assert profile.id is not None
        assert profile.query == f'title:"{words}"'
        assert profile.version == 2
        assert profile.updated_by == "quantri@cucthads.vn"
        assert len(matched_article_ids(session, profile.id)) == 1
    page = text_of(client.get(f"/chu-de-theo-doi/{HANOI_PROFILE}?tb=chu-de-doi-chieu").text)
    assert "Đã lưu chủ đề theo dõi" in page
    assert row["title"] in page
    # paused: no matches are kept
    client.post(f"/chu-de-theo-doi/{HANOI_PROFILE}/sua", data=form)
    with site.database.session() as session:
        profile = get_profile(session, HANOI_PROFILE)
        assert profile is not None
        assert profile.id is not None
        assert not profile.active
        assert matched_article_ids(session, profile.id) == set()


def test_a_bad_query_is_shown_with_its_error_and_position_and_nothing_is_saved(site: Site) -> None:
    client = site.client()
    token = sign_in(client, USERS["admin"].email)
    with site.database.session() as session:
        before = get_profile(session, HANOI_PROFILE)
        assert before is not None
        assert before.id is not None
        matched = matched_article_ids(session, before.id)
    bad = '"thi hành án" AND (cưỡng chế OR'
    form = {"csrf_token": token, "name": "Đổi tên", "unit": provincial_unit("Hà Nội"), "query": bad, "active": "on"}
    got = client.post(f"/chu-de-theo-doi/{HANOI_PROFILE}/sua", data=form)
    assert got.status_code == 400
    page = text_of(got.text)
    assert "Chủ đề chưa được lưu" in page
    assert "Thiếu từ sau OR ở vị trí 30" in page
    assert 'id="query-error"' in got.text
    assert "Vị trí 30:" in page
    assert bad in page  # the form keeps what was typed
    with site.database.session() as session:
        assert get_profile(session, HANOI_PROFILE) == before
        assert matched_article_ids(session, before.id) == matched
    created = client.post("/chu-de-theo-doi/moi", data={**form, "code": "moi", "query": "a NEAR/0 b"})
    assert created.status_code == 400
    assert "Khoảng cách sau NEAR/ phải là số từ 1 đến 100 ở vị trí 3" in text_of(created.text)
    with site.database.session() as session:
        assert get_profile(session, "moi") is None


def test_trying_a_query_shows_the_matches_of_the_last_30_days(site: Site) -> None:
    client = site.client()
    sign_in(client, USERS["admin"].email)
    title = samples()["written:w4:006"]["title"]
    query = 'title:"' + " ".join(title.split()[:4]) + '"'
    page = text_of(client.get("/chu-de-theo-doi/thu-truy-van", params={"q": query}).text)
    assert "1 bài khớp trên 4 bài" in page  # the four seeded articles, one with this headline
    assert title in page
    # 31 days later the same articles are out of the window
    site.clock.now += dt.timedelta(days=31)
    client = site.client()
    sign_in(client, USERS["admin"].email)  # the session of a month ago has expired
    later = text_of(client.get("/chu-de-theo-doi/thu-truy-van", params={"q": query}).text)
    assert "0 bài khớp trên 0 bài" in later
    bad = client.get("/chu-de-theo-doi/thu-truy-van", params={"q": "title:"})
    assert bad.status_code == 400
    assert "vị trí" in text_of(bad.text)


def test_an_admin_sets_the_recipients_and_the_digest_schedule(site: Site) -> None:
    client = site.client()
    token = sign_in(client, USERS["admin"].email)
    form = client.get("/chu-de-theo-doi/dich_benh/sua").text
    assert '<option value="weekly">Hằng tuần (thứ Hai)</option>' in form
    assert '<option value="daily" selected>Hằng ngày</option>' in form
    data = {
        "csrf_token": token,
        "name": "Dịch bệnh",
        "unit": "bo_tu_phap",
        "query": '"sốt xuất huyết"',
        "recipients": "Vu.PBGDPL@moj.example\nvanphong@cucqlthads.vn",
        "digest": "weekly",
        "active": "on",
    }
    assert client.post("/chu-de-theo-doi/dich_benh/sua", data={**data, "digest": "monthly"}).status_code == 400
    got = client.post("/chu-de-theo-doi/dich_benh/sua", data=data)
    assert got.status_code == 303, got.text[:500]
    with site.database.session() as session:
        profile = get_profile(session, "dich_benh")
    assert profile is not None
    assert profile.digest == "weekly"
    assert profile.recipients == ("vu.pbgdpl@moj.example", "vanphong@cucqlthads.vn")
    page = text_of(client.get("/chu-de-theo-doi/dich_benh").text)
    assert "<dt>Điểm tin theo chủ đề</dt><dd>Hằng tuần (thứ Hai)</dd>" in page
    assert "Điểm tin theo chủ đề" not in text_of(client.get("/chu-de-theo-doi/thads").text)  # the THADS watch


def test_trends_and_search_within_a_profile_count_and_find_only_its_matches(site: Site) -> None:
    client = site.client()
    sign_in(client, USERS["admin"].email)
    with site.database.session() as session:
        profile = get_profile(session, HANOI_PROFILE)
        assert profile is not None
        assert profile.id is not None
        matched = matched_article_ids(session, profile.id)
        titles = {i: get_article(session, i).title for i in matched}  # type: ignore[union-attr]
        ids = session.scalars(select(ArticleRow.id)).all()
        others = [get_article(session, i).title for i in ids if i not in matched]  # type: ignore[union-attr]
    assert matched
    assert others
    found = words_of(client.get(f"/tim-kiem?theo_doi={HANOI_PROFILE}").text)
    assert f"Tìm thấy {len(matched)} bài." in found
    assert "Chỉ tìm trong các bài khớp chủ đề theo dõi Thi hành án ở Hà Nội" in found
    assert all(title in found for title in titles.values())
    assert not any(title in found for title in others)
    words = words_of(client.get("/tim-kiem", params={"q": "thi hành án", "theo_doi": HANOI_PROFILE}).text)
    assert f"Tìm thấy {len(matched)} bài." in words  # every match has the words
    trends = words_of(client.get(f"/xu-huong?theo_doi={HANOI_PROFILE}").text)
    assert f"{len(matched)} tin khớp chủ đề" in trends
    everything = words_of(client.get("/xu-huong").text)
    assert "tin liên quan" in everything
    assert f"{len(matched)} tin liên quan" not in everything  # the whole press: more
