"""The triage queue's filters, sorting, counts per filter value and bulk actions, through the real app on both
backends, on the project's real written articles (with their hand labels)."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pytest

from domain.labels import topic_vi
from storage.engine import Database
from storage.enrichments import get_story
from tests.dashboards.web.site import Site, build_site, sign_in
from tests.seeding import T0, add_copy, outlet, samples

MONITOR = "giamsat@cucthads.vn"
PROVINCES = ("Hà Nội", "Hồ Chí Minh")


@pytest.fixture
def site(database: Database, tmp_path: Path) -> Site:
    return build_site(database, tmp_path / "data")


def seed_queue(site: Site) -> dict[str, list[int]]:
    """Every relevant written sample of Hà Nội and TP. Hồ Chí Minh as a story of its own (an hour apart, in
    VnExpress), besides the site's Cần Thơ and Hà Nội stories; story ids by sample key."""
    rows = [r for r in samples().values() if r["relevant"] and r["province"] in PROVINCES]
    rows = [r for r in rows if r["id"] not in ("written:w4:005", "written:w4:006")]
    ids: dict[str, list[int]] = {}
    with site.database.session() as session:
        vnexpress = outlet(session, "vnexpress", "VnExpress")
        for n, row in enumerate(rows):
            _, story = add_copy(session, row, vnexpress, at=T0 - dt.timedelta(hours=n + 1))
            assert story is not None
            ids.setdefault(row["id"], []).append(story.id)
    return ids


def expected(province: str, topic: str | None = None) -> set[str]:
    """Titles of the seeded stories (site's included) with these hand labels."""
    return {
        r["title"]
        for r in samples().values()
        if r["relevant"] and r["province"] == province and (topic is None or r["topic"] == topic)
    }


def titles(page: str) -> set[str]:
    return {html.unescape(t) for t in re.findall(r'class="story-link">([^<]+)</a>', page)}


def test_filters_stay_in_the_address_and_counts_say_what_each_value_would_show(site: Site) -> None:
    seed_queue(site)
    client = site.client()
    sign_in(client, MONITOR)
    everything = client.get("/phan-loai").text
    hanoi = expected("Hà Nội")
    assert len(hanoi) >= 10
    # the province filter's counts: each value counted under the other filters (none here)
    assert f"Hà Nội ({len(hanoi)})" in everything
    assert f"Hồ Chí Minh ({len(expected('Hồ Chí Minh'))})" in everything
    assert "Cần Thơ (1)" in everything

    page = client.get("/phan-loai", params={"tinh": "Hà Nội"})
    assert page.status_code == 200
    assert titles(page.text) == hanoi
    assert f"({len(hanoi)} tin chờ khớp bộ lọc)" in page.text
    assert '<option value="Hà Nội" selected>' in page.text
    # the topic counts are now those of Hà Nội's stories
    topic = "ket_qua_hoat_dong"
    both = expected("Hà Nội", topic)
    assert len(both) >= 2
    assert f"{topic_vi(topic)} ({len(both)})" in page.text
    narrowed = client.get("/phan-loai", params={"tinh": "Hà Nội", "chu_de": topic})
    assert titles(narrowed.text) == both
    # the export links and the pager carry the filters
    assert "/phan-loai/xuat?tinh=H%C3%A0+N%E1%BB%99i&amp;chu_de=ket_qua_hoat_dong&amp;dinh_dang=csv" in narrowed.text


def test_sorting_by_spread_and_time(site: Site) -> None:
    seed_queue(site)
    client = site.client()
    sign_in(client, MONITOR)
    spread = client.get("/phan-loai", params={"sap_xep": "lan-rong"}).text
    first = re.search(r'class="story-link">([^<]+)</a>', spread)
    assert first is not None
    assert html.unescape(first.group(1)) == samples()["written:w4:005"]["title"]  # Cần Thơ: two outlets
    by_time = client.get("/phan-loai", params={"sap_xep": "thoi-gian", "tinh": "Hồ Chí Minh"}).text
    order = [html.unescape(t) for t in re.findall(r'class="story-link">([^<]+)</a>', by_time)]
    seeded = [r["title"] for r in samples().values() if r["relevant"] and r["province"] == "Hồ Chí Minh"]
    assert order == seeded  # seeded an hour apart, each older than the one before: newest first
    assert '<option value="lan-rong"' in by_time


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"tinh": "Sài Gòn"}, "Giá trị “Sài Gòn” không hợp lệ cho tỉnh/thành."),
        ({"uu_tien": "P9"}, "Giá trị “P9” không hợp lệ cho mức ưu tiên."),
        ({"sap_xep": "ngau-nhien"}, "Cách sắp xếp “ngau-nhien” không hợp lệ."),
        ({"tu": "2026-11-20", "den": "2026-11-01"}, "“Đến ngày” phải sau “từ ngày”."),
        ({"trang_thai": "xoa"}, "Giá trị “xoa” không hợp lệ cho trạng thái phân loại."),
    ],
)
def test_a_bad_filter_is_refused_by_name(site: Site, params: dict[str, str], message: str) -> None:
    client = site.client()
    sign_in(client, MONITOR)
    page = client.get("/phan-loai", params=params)
    assert page.status_code == 400
    assert message in html.unescape(page.text)


def test_date_range_and_state_filters(site: Site) -> None:
    seed_queue(site)
    client = site.client()
    sign_in(client, MONITOR)
    day = T0.astimezone(dt.timezone(dt.timedelta(hours=7))).date()
    today = titles(client.get("/phan-loai", params={"tu": day.isoformat(), "den": day.isoformat()}).text)
    assert samples()["written:w4:005"]["title"] in today
    assert titles(client.get("/phan-loai", params={"den": (day - dt.timedelta(days=30)).isoformat()}).text) == set()


def test_bulk_dismiss_with_one_reason_keeps_the_filters(site: Site) -> None:
    ids = seed_queue(site)
    client = site.client()
    token = sign_in(client, MONITOR)
    chosen = [story for key in list(ids)[:5] for story in ids[key]]
    back = "/phan-loai?tinh=H%C3%A0+N%E1%BB%99i"
    done = client.post(
        "/phan-loai/hang-loat",
        data={
            "csrf_token": token,
            "action": "loai",
            "reason": "Tin tổng hợp, không cần phản hồi",
            "tin": chosen,
            "next": back,
        },
    )
    assert done.status_code == 303
    assert done.headers["location"] == back + "&tb=hang-loat-loai"
    with site.database.session() as session:
        for story_id in chosen:
            story = get_story(session, story_id)
            assert story is not None
            assert (story.triage_state, story.triage_note, story.triaged_by) == (
                "dismissed",
                "Tin tổng hợp, không cần phản hồi",
                MONITOR,
            )
    dismissed = client.get("/phan-loai", params={"trang_thai": "dismissed"}).text
    assert len(titles(dismissed)) == 5
    assert "Đã loại các tin đã chọn khỏi hàng chờ" in client.get(done.headers["location"]).text


def test_bulk_action_is_all_or_nothing(site: Site) -> None:
    ids = seed_queue(site)
    client = site.client()
    token = sign_in(client, MONITOR)
    one = next(iter(ids.values()))[0]
    gone = site.stories["hanoi"].id
    assert client.post(f"/phan-loai/{gone}/loai", data={"csrf_token": token, "reason": "Trùng"}).status_code == 303
    refused = client.post(
        "/phan-loai/hang-loat", data={"csrf_token": token, "action": "xac-nhan", "tin": [one, gone, 10**9]}
    )
    assert refused.status_code == 404
    assert f"Không có tin #{10**9}" in html.unescape(refused.text)
    assert "chưa tin nào trong 3 tin đã chọn thay đổi" in html.unescape(refused.text)
    with site.database.session() as session:
        story = get_story(session, one)
        assert story is not None
        assert story.triage_state == "pending"
    empty = client.post("/phan-loai/hang-loat", data={"csrf_token": token, "action": "loai", "reason": "x"})
    assert empty.status_code == 400
    assert "Chưa chọn tin nào" in html.unescape(empty.text)
    no_reason = client.post("/phan-loai/hang-loat", data={"csrf_token": token, "action": "loai", "tin": [one]})
    assert no_reason.status_code == 400


def test_bulk_confirm_and_relabel(site: Site) -> None:
    ids = seed_queue(site)
    client = site.client()
    token = sign_in(client, MONITOR)
    stories = [v[0] for v in list(ids.values())[:3]]
    relabel = client.post(
        "/phan-loai/hang-loat",
        data={"csrf_token": token, "action": "sua-nhan", "tin": stories, "sentiment": "tieu_cuc"},
    )
    assert relabel.status_code == 303
    negative = titles(client.get("/phan-loai", params={"sac_thai": "tieu_cuc", "tinh": "Hà Nội"}).text) | titles(
        client.get("/phan-loai", params={"sac_thai": "tieu_cuc", "tinh": "Hồ Chí Minh"}).text
    )
    keys = list(ids)[:3]
    assert {samples()[k]["title"] for k in keys} <= negative
    confirmed = client.post(
        "/phan-loai/hang-loat", data={"csrf_token": token, "action": "xac-nhan", "tin": stories, "priority": "P2"}
    )
    assert confirmed.status_code == 303
    queue = client.get("/phan-loai", params={"uu_tien": "P2", "trang_thai": "confirmed"}).text
    assert titles(queue) == {samples()[k]["title"] for k in keys}


def test_the_queue_loads_only_the_apps_own_script(site: Site) -> None:
    client = site.client()
    sign_in(client, MONITOR)
    page = client.get("/phan-loai")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert re.findall(r"<script[^>]*>", page.text) == ['<script src="/static/triage.js" defer>']
    script = client.get("/static/triage.js")
    assert script.status_code == 200
    assert "keydown" in script.text
    # other pages still allow no script at all
    assert "script-src 'none'" in client.get("/ho-so").headers["content-security-policy"]


def test_the_outlet_filter_and_its_counts(site: Site) -> None:
    ids = seed_queue(site)
    client = site.client()
    sign_in(client, MONITOR)
    page = client.get("/phan-loai").text
    found = re.search(r'<option value="(\d+)">VnExpress \((\d+)\)</option>', page)
    assert found is not None
    vnexpress, count = found.group(1), int(found.group(2))
    seeded = sum(len(v) for v in ids.values())
    assert count == seeded
    assert "Báo Lao Động (2)</option>" in page  # the site's two stories start in Lao Động
    only = client.get("/phan-loai", params={"bao": vnexpress})
    assert len(titles(only.text)) == len({samples()[k]["title"] for k in ids})
    assert samples()["written:w4:005"]["title"] not in titles(only.text)
    # an outlet chosen with no story left under the other filters stays chosen, named, with 0
    none = client.get("/phan-loai", params={"bao": vnexpress, "tinh": "Cần Thơ"}).text
    assert f'<option value="{vnexpress}" selected>VnExpress (0)</option>' in none
    assert "Không có tin nào khớp bộ lọc." in none
