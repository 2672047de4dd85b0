"""The account page's alert channels: a user gives their chat addresses and chooses, for each alert tier, the
channels it goes out on; what they choose is what the workflow routes (alerts.routing.channels_for)."""

from __future__ import annotations

from pathlib import Path

import pytest

from alerts.routing import channels_for
from domain.enums import AlertTier, ChannelName
from storage.cases import get_user
from storage.channels import addresses, channel_choices
from storage.engine import Database
from tests.dashboards.web.site import Site, build_site, sign_in

FOCAL = "daumoi.hanoi@thads.vn"


@pytest.fixture
def site(database: Database, tmp_path: Path) -> Site:
    return build_site(database, tmp_path / "data")


def test_a_user_chooses_channels_per_tier_on_the_account_page(site: Site) -> None:
    client = site.client()
    token = sign_in(client, FOCAL)
    page = client.get("/tai-khoan").text
    assert "Kênh nhận cảnh báo" in page
    for name in ("Ngay lập tức", "Tổng hợp mỗi giờ", "Chỉ trong điểm tin hằng ngày", "Thư điện tử", "Telegram"):
        assert name in page
    saved = client.post(
        "/tai-khoan/kenh",
        data={"csrf_token": token, "telegram_chat_id": " 123456789 ", "immediate": ["mail", "telegram"]},
    )
    assert saved.headers["location"] == "/tai-khoan?tb=kenh"
    page = client.get(saved.headers["location"]).text
    assert "Đã lưu kênh nhận cảnh báo." in page
    assert 'name="immediate" value="telegram" checked' in page
    assert 'name="hourly" value="telegram" checked' not in page
    with site.database.session() as session:
        user = get_user(session, FOCAL)
        assert user is not None
        assert channel_choices(session, FOCAL) == {AlertTier.IMMEDIATE: (ChannelName.MAIL, ChannelName.TELEGRAM)}
        where = addresses(session, FOCAL)
        assert where is not None
        assert where.telegram_chat_id == "123456789"
        assert channels_for(session, user, AlertTier.IMMEDIATE) == ("mail", "telegram")
        assert channels_for(session, user, AlertTier.HOURLY) == ("mail",)


@pytest.mark.parametrize(
    ("form", "said"),
    [
        ({"immediate": "zalo"}, "Muốn nhận qua Zalo cần khai báo mã người theo dõi OA hoặc số điện thoại"),
        ({"telegram_chat_id": "@nguoi_dung"}, "Mã chat Telegram"),
        ({"zalo_user_id": "abc", "immediate": "mail"}, "Mã người theo dõi Zalo"),
        ({"immediate": "webhook"}, "không chọn được (chọn trong: Thư điện tử, Telegram, Zalo)"),
    ],
)
def test_bad_channel_choices_are_refused_in_vietnamese(site: Site, form: dict[str, str], said: str) -> None:
    client = site.client()
    token = sign_in(client, FOCAL)
    refused = client.post("/tai-khoan/kenh", data={"csrf_token": token, **form})
    assert refused.status_code == 400
    assert said in refused.text
    with site.database.session() as session:
        assert channel_choices(session, FOCAL) == {}
