"""The triage queue past its last page, a merged story's page, and undoing a merge (split), through the real
app on both backends."""

from __future__ import annotations

import html
from pathlib import Path

import pytest

from alerts.triage import confirm
from storage.cases import audit_trail, case_for_story
from storage.engine import Database
from storage.enrichments import get_story
from tests.dashboards.web.site import Site, build_site, sign_in, workflow_config
from tests.seeding import samples

MONITOR = "giamsat@cucthads.vn"


@pytest.fixture
def site(database: Database, tmp_path: Path) -> Site:
    return build_site(database, tmp_path / "data")


def test_a_page_past_the_end_shows_the_last_page(site: Site) -> None:
    client = site.client()
    sign_in(client, MONITOR)
    page = client.get("/phan-loai", params={"trang": 999})
    assert page.status_code == 200
    assert "2 tin chờ" in page.text
    assert "Không còn tin nào chờ phân loại." not in page.text
    assert "Trang 999 không tồn tại: hàng chờ có 1 trang." in page.text
    for key in ("written:w4:005", "written:w4:006"):
        assert html.escape(samples()[key]["title"]) in page.text
    assert "Trang 1 không tồn tại" not in client.get("/phan-loai").text


def test_a_merged_story_says_so_and_the_merge_can_be_undone(site: Site) -> None:
    cantho, hanoi = site.stories["cantho"], site.stories["hanoi"]
    with site.database.session() as session:  # Cần Thơ's story has a case; it moves with the merge
        case = confirm(session, cantho.id, config=workflow_config(), actor=MONITOR, now=site.clock())
    client = site.client()
    token = sign_in(client, MONITOR)
    merged = client.post(f"/phan-loai/{cantho.id}/gop", data={"csrf_token": token, "target": str(hanoi.id)})
    assert merged.headers["location"] == f"/phan-loai/{hanoi.id}?tb=gop"
    with site.database.session() as session:
        moved = case_for_story(session, hanoi.id)
        assert moved is not None
        assert moved.id == case.id
        target = get_story(session, hanoi.id)
        assert target is not None
        assert target.size == 3
    page = client.get(f"/phan-loai/{cantho.id}").text
    assert "<dd>chờ phân loại" not in page
    assert "<dd>đã xác nhận" not in page
    assert f'đã gộp vào <a href="/phan-loai/{hanoi.id}">tin #{hanoi.id}</a>' in page
    assert f"2 bản đã chuyển sang tin #{hanoi.id}" in page
    assert page.count('href="/bai-viet/') == 2  # the moved copies are listed, not "0 bản"
    assert f'action="/phan-loai/{cantho.id}/tach"' in page

    focal = site.client()
    focal_token = sign_in(focal, "daumoi.cantho@thads.vn")
    assert focal.post(f"/phan-loai/{cantho.id}/tach", data={"csrf_token": focal_token}).status_code == 403
    split = client.post(f"/phan-loai/{cantho.id}/tach", data={"csrf_token": token})
    assert split.headers["location"] == f"/phan-loai/{cantho.id}?tb=tach"
    page = client.get(split.headers["location"]).text
    assert "Đã tách tin ra khỏi tin đã gộp vào" in page
    assert f'action="/phan-loai/{cantho.id}/tach"' not in page
    assert "Số bản</dt><dd>2 (" in page
    with site.database.session() as session:
        back, target = get_story(session, cantho.id), get_story(session, hanoi.id)
        assert back is not None
        assert target is not None
        assert (back.merged_into_id, back.size, back.triage_state) == (None, 2, "confirmed")
        assert target.size == 1
        restored = case_for_story(session, cantho.id)
        assert restored is not None
        assert restored.id == case.id
        assert case_for_story(session, hanoi.id) is None
        events = audit_trail(session, case.id)
        assert [e.action for e in events][-2:] == ["merge", "split"]
        assert events[-1].actor == MONITOR
    assert "Tách tin đã gộp" in client.get(f"/ho-so/{case.id}").text
    again = client.post(f"/phan-loai/{cantho.id}/tach", data={"csrf_token": token})
    assert again.status_code == 409
    assert f"Tin #{cantho.id} không được gộp vào tin nào" in again.text
