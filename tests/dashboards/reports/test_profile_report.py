"""The report of one watch profile: real articles of the press (shared/corpus/news-2026-sample) enriched and matched
by the starter profile "Dịch bệnh", its February 2026 report built on SQLite and PostgreSQL and read back with
python-docx and openpyxl: counts by week, outlet and province that add up to the profile's matches of the month,
the top articles, every article in the annex; the web download within the unit rule."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import docx
import openpyxl

from dashboards.reports.periods import parse_period
from dashboards.reports.profile_report import build_profile_report
from domain.localtime import VN
from storage.engine import Database
from storage.profiles import get_profile, matched_article_ids
from tests.alerts.test_profile_digest import AREA, seed_profile_articles
from tests.dashboards.web.site import build_site, sign_in
from tests.seeding import USERS

NOW = dt.datetime(2026, 3, 2, 8, 0, tzinfo=VN)
FEBRUARY = parse_period("2026-02")


def _in_february(stored: dict[int, dict[str, Any]], ids: set[int]) -> set[int]:
    return {i for i in ids if FEBRUARY.contains(dt.datetime.fromisoformat(stored[i]["date"]))}


def test_a_profiles_monthly_report_counts_its_matches_by_week_outlet_and_province(database: Database) -> None:
    stored = seed_profile_articles(database)
    with database.session() as session:
        profile = get_profile(session, AREA)
        assert profile is not None
        assert profile.id is not None
        month = _in_february(stored, matched_article_ids(session, profile.id))
        files = build_profile_report(session, profile, FEBRUARY, None, ("docx", "xlsx"), NOW, app_url="https://x.vn")
    assert len(month) >= 2, "the sample has outbreak news in February 2026"
    assert set(stored) - month, "and other articles, which the report leaves out"

    document = docx.Document(io.BytesIO(files["docx"]))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == "BÁO CÁO THEO CHỦ ĐỀ: DỊCH BỆNH"
    assert any(
        p.startswith("Kỳ báo cáo: tháng 2 năm 2026 (từ ngày 01/02/2026 đến ngày 28/02/2026).") for p in paragraphs
    )
    assert any(p.startswith(f"Trong kỳ có {len(month)} bài báo khớp chủ đề") for p in paragraphs)
    assert [h for h in paragraphs if h[:2] in {"1.", "2.", "3.", "4.", "5."} and h[2] == " "][:5] == [
        "1. Tổng quan",
        "2. Số bài theo tuần",
        "3. Theo cơ quan báo chí",
        "4. Theo tỉnh, thành phố",
        "5. Bài tiêu biểu",
    ]
    weeks, outlets, provinces = ([[c.text for c in r.cells] for r in t.rows] for t in document.tables[:3])
    assert weeks[0] == ["Tuần", "Số bài"]
    assert weeks[1][0] == "Tuần 5 (01/02–01/02/2026)"  # 1 Feb 2026 is a Sunday: week 5's last day
    assert len(weeks) == 1 + 5  # ISO weeks 5 to 9
    assert sum(int(n) for _, n in weeks[1:]) == len(month)
    expected_outlets: dict[str, int] = {}
    for i in month:
        expected_outlets[stored[i]["outlet"]] = expected_outlets.get(stored[i]["outlet"], 0) + 1
    assert {name: int(n) for name, n in outlets[1:]} == expected_outlets
    assert sum(int(n) for _, n in provinces[1:]) == len(month)
    for i in month:  # each one a top article here: no story has several copies
        assert f". {stored[i]['title']}" in "\n".join(paragraphs)
    assert not any(stored[i]["title"] in "\n".join(paragraphs) for i in set(stored) - month)

    book = openpyxl.load_workbook(io.BytesIO(files["xlsx"]))
    assert book.sheetnames == ["Tổng quan", "Theo tuần", "Theo báo", "Theo tỉnh", "Danh sách bài"]
    assert [c.value for c in book["Tổng quan"][2]] == ["Số bài khớp chủ đề", len(month), 0]  # January: none
    listed = book["Danh sách bài"]
    rows = list(listed.iter_rows(min_row=2, values_only=True))
    assert {r[0] for r in rows} == month
    assert {r[3] for r in rows} == {stored[i]["title"] for i in month}
    assert all(isinstance(r[1], dt.datetime) for r in rows)
    assert all(r[5] == f"https://x.vn/bai-viet/{r[0]}" for r in rows)
    assert sum(r[2] for r in book["Theo tuần"].iter_rows(min_row=2, values_only=True)) == len(month)
    assert book["Theo tuần"]["B2"].number_format == "dd/mm/yyyy"


def test_the_report_is_downloaded_from_the_profile_page_by_those_who_see_the_profile(
    database: Database, tmp_path: Path
) -> None:
    site = build_site(database, tmp_path / "data")
    stored = seed_profile_articles(database)
    client = site.client()
    sign_in(client, USERS["admin"].email)
    page = client.get(f"/chu-de-theo-doi/{AREA}").text
    assert 'action="/bao-cao/tai-ve"' in page
    assert f'name="theo_doi" value="{AREA}"' in page
    got = client.get("/bao-cao/tai-ve", params={"ky": "2026-02", "dinh_dang": "xlsx", "theo_doi": AREA})
    assert got.status_code == 200
    assert 'filename="bao-cao-dich-benh-2026-02.xlsx"' in got.headers["content-disposition"]
    titles = {
        r[3]
        for r in openpyxl.load_workbook(io.BytesIO(got.content))["Danh sách bài"].iter_rows(min_row=2, values_only=True)
    }
    assert titles
    assert titles <= {r["title"] for r in stored.values()}
    # The THADS watch's report is the THADS report itself.
    thads = client.get("/bao-cao/tai-ve", params={"ky": "2026-02", "dinh_dang": "xlsx", "theo_doi": "thads"})
    assert 'filename="bao-cao-2026-02.xlsx"' in thads.headers["content-disposition"]
    assert client.get("/bao-cao/tai-ve", params={"ky": "2026-02", "theo_doi": "khong_co"}).status_code == 404
    assert client.get("/bao-cao/tai-ve", params={"ky": "2026-14", "theo_doi": AREA}).status_code == 400
