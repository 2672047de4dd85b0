"""Downloads of the lists with the filters of their pages, whole (more rows than a page), as CSV and XLSX (read
back with openpyxl), within the user's province scope; through the real app on both backends, on the project's
real written articles."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
from pathlib import Path

import openpyxl
import pytest

from alerts.triage import confirm
from storage.engine import Database
from tests.dashboards.web.site import Site, build_site, sign_in, workflow_config
from tests.seeding import T0, add_copy, outlet, samples

MONITOR = "giamsat@cucthads.vn"


@pytest.fixture
def site(database: Database, tmp_path: Path) -> Site:
    return build_site(database, tmp_path / "data")


def seed_all(site: Site) -> int:
    """Every relevant written sample as a story of its own (more than a page of the queue); how many."""
    rows = [r for r in samples().values() if r["relevant"] and r["id"] not in ("written:w4:005", "written:w4:006")]
    with site.database.session() as session:
        source = outlet(session, "vnexpress", "VnExpress")
        for n, row in enumerate(rows):
            add_copy(session, row, source, at=T0 - dt.timedelta(minutes=10 * (n + 1)))
    return len(rows) + 2


def xlsx_rows(content: bytes, sheet: int = 0) -> list[tuple[object, ...]]:
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return [tuple(r) for r in book.worksheets[sheet].iter_rows(values_only=True)]


def csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith("\ufeff".encode())  # Excel reads UTF-8 with its mark
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_the_whole_queue_exports_with_its_filters(site: Site) -> None:
    stories = seed_all(site)
    assert stories > 60  # more than two pages
    client = site.client()
    sign_in(client, MONITOR)
    page = client.get("/phan-loai").text
    assert f"({stories} tin chờ)" in page
    every = client.get("/phan-loai/xuat", params={"dinh_dang": "xlsx"})
    assert every.status_code == 200
    assert every.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment;" in every.headers["content-disposition"]
    rows = xlsx_rows(every.content)
    assert rows[0][:3] == ("Tin số", "Tiêu đề", "Cơ quan báo chí (bản đầu)")
    assert len(rows) - 1 == stories

    # filtered: the same rows as the filtered queue page, in its order
    params = {"tinh": "Hà Nội", "sap_xep": "thoi-gian"}
    shown = client.get("/phan-loai", params=params).text
    ids = [int(i) for i in re.findall(r'<tr id="tin-(\d+)"', shown)]
    assert len(ids) == sum(1 for r in samples().values() if r["relevant"] and r["province"] == "Hà Nội")
    filtered = xlsx_rows(client.get("/phan-loai/xuat", params={**params, "dinh_dang": "xlsx"}).content)
    assert [r[0] for r in filtered[1:]] == ids
    assert {r[12] for r in filtered[1:]} == {"Hà Nội"}
    assert isinstance(filtered[1][3], dt.datetime)  # a real date cell
    text = csv_rows(client.get("/phan-loai/xuat", params={**params, "dinh_dang": "csv"}).content)
    assert [int(r[0]) for r in text[1:]] == ids
    titles = {html.unescape(t) for t in re.findall(r'class="story-link">([^<]+)</a>', shown)}
    assert {r[1] for r in text[1:]} == titles


@pytest.mark.slow  # seeds and exports more than 200 articles
def test_search_export_has_every_match(site: Site) -> None:
    seed_all(site)
    client = site.client()
    sign_in(client, MONITOR)
    page = client.get("/tim-kiem", params={"q": "thi hành án"}).text
    total = int(re.search(r"Tìm thấy ([\d.]+) bài", page).group(1).replace(".", ""))  # type: ignore[union-attr]
    assert total > 200  # more than the search's largest page
    assert "/tim-kiem/xuat?dinh_dang=csv&amp;q=thi+h%C3%A0nh+%C3%A1n" in page
    rows = csv_rows(client.get("/tim-kiem/xuat", params={"q": "thi hành án", "dinh_dang": "csv"}).content)
    assert len(rows) - 1 == total
    assert len({r[0] for r in rows[1:]}) == total  # no article twice across the search's pages


def test_cases_export_keeps_to_the_users_province(site: Site) -> None:
    with site.database.session() as session:
        for story in site.stories.values():
            confirm(session, story.id, config=workflow_config(), actor=MONITOR, now=site.clock())
    everyone = site.client()
    sign_in(everyone, MONITOR)
    rows = xlsx_rows(everyone.get("/ho-so/xuat", params={"dinh_dang": "xlsx"}).content)
    assert sorted(str(r[4]) for r in rows[1:]) == ["Cần Thơ", "Hà Nội"]
    focal = site.client()
    sign_in(focal, "daumoi.hanoi@thads.vn")
    own = csv_rows(focal.get("/ho-so/xuat", params={"dinh_dang": "csv", "trang_thai": "tat-ca"}).content)
    assert [r[4] for r in own[1:]] == ["Hà Nội"]
    assert own[1][1] == samples()["written:w4:006"]["title"]


def test_trends_tables_export(site: Site) -> None:
    seed_all(site)
    site.clock.now = T0 + dt.timedelta(days=1)
    client = site.client()
    sign_in(client, MONITOR)
    book = openpyxl.load_workbook(
        io.BytesIO(client.get("/xu-huong/xuat", params={"dinh_dang": "xlsx", "ky": 7}).content), read_only=True
    )
    assert book.sheetnames == [
        "Theo chủ đề",
        "Theo sắc thái",
        "Theo tỉnh thành",
        "Theo cơ quan báo chí",
        "Tin đang lan rộng",
    ]
    provinces = csv_rows(client.get("/xu-huong/xuat", params={"dinh_dang": "csv", "ky": 7, "bang": "tinh"}).content)
    assert provinces[0] == ["Tỉnh/thành", "Số tin", "Tiêu cực"]
    assert len(provinces) > 20  # the samples cover most provinces
    page = html.unescape(client.get("/xu-huong", params={"ky": 7}).text)
    for name, count, negative in provinces[1:]:  # the same figures as the page's table (all under 1.000)
        assert f'<td>{name}</td><td class="num">{count}</td><td class="num">{negative}</td>' in page


def test_a_bad_format_is_refused(site: Site) -> None:
    client = site.client()
    sign_in(client, MONITOR)
    got = client.get("/phan-loai/xuat", params={"dinh_dang": "pdf"})
    assert got.status_code == 400
    assert "Định dạng “pdf” không có (chọn csv hoặc xlsx)." in html.unescape(got.text)
