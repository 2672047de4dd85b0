"""The account page's alert tiers: a user chooses, for each priority, whether its case alerts come at once, in the
hourly round-up or only in the daily digest; the page shows the installation's default until they choose."""

from __future__ import annotations

from pathlib import Path

import pytest

from domain.enums import AlertTier, Priority
from storage.alert_tiers import tier_choices
from storage.engine import Database
from tests.dashboards.web.site import Site, build_site, sign_in

FOCAL = "daumoi.hanoi@thads.vn"


@pytest.fixture
def site(database: Database, tmp_path: Path) -> Site:
    return build_site(database, tmp_path / "data")


def test_a_user_chooses_a_tier_per_priority_on_the_account_page(site: Site) -> None:
    client = site.client()
    token = sign_in(client, FOCAL)
    page = client.get("/tai-khoan").text
    assert "Thời điểm nhận cảnh báo hồ sơ" in page
    assert "Mặc định (Chỉ trong điểm tin hằng ngày)" in page  # P3's default
    assert "Mặc định (Tổng hợp mỗi giờ)" in page  # P2's
    saved = client.post("/tai-khoan/nhan-tin", data={"csrf_token": token, "P2": "immediate", "P3": "hourly"})
    assert saved.headers["location"] == "/tai-khoan?tb=nhan-tin"
    page = client.get(saved.headers["location"]).text
    assert "Đã lưu thời điểm nhận cảnh báo." in page
    assert '<option value="hourly" selected>Tổng hợp mỗi giờ</option>' in page
    with site.database.session() as session:
        assert tier_choices(session, FOCAL) == {Priority.P2: AlertTier.IMMEDIATE, Priority.P3: AlertTier.HOURLY}
    client.post("/tai-khoan/nhan-tin", data={"csrf_token": token, "P2": "", "P3": "hourly"})
    with site.database.session() as session:
        assert tier_choices(session, FOCAL) == {Priority.P3: AlertTier.HOURLY}


def test_an_unknown_tier_is_refused_in_vietnamese(site: Site) -> None:
    client = site.client()
    token = sign_in(client, FOCAL)
    refused = client.post("/tai-khoan/nhan-tin", data={"csrf_token": token, "P1": "weekly"})
    assert refused.status_code == 400
    assert "Mức nhận tin &#39;weekly&#39; không có" in refused.text or "Mức nhận tin 'weekly' không có" in refused.text
    with site.database.session() as session:
        assert tier_choices(session, FOCAL) == {}
