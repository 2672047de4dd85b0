"""A communication incident in a real browser with scripts off (the fixtures of test_browser): a monitor ticks
three real stories in the triage queue, declares an incident of them, records a rebuttal, closes it with a summary;
the incident page shows the publications and the rebuttal in time order."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from playwright.sync_api import Browser, expect

from tests.dashboards.web.site import Site
from tests.dashboards.web.test_browser import _shot, _sign_in, browser, served
from tests.seeding import T0, add_copy, outlet, samples

__all__ = ["browser", "served"]  # fixtures used by name
pytestmark = [pytest.mark.slow, pytest.mark.browser]
MONITOR = "giamsat@cucthads.vn"


def test_an_incident_of_three_stories_with_scripts_off(served: tuple[Site, str], browser: Browser) -> None:
    site, base = served
    with site.database.session() as session:
        _, third = add_copy(
            session,
            samples()["written:w4:007"],
            outlet(session, "dantri", "Báo Dân trí"),
            at=T0 + dt.timedelta(hours=3),
        )
    assert third is not None
    ids = [site.stories["cantho"].id, site.stories["hanoi"].id, third.id]
    site.clock.now = T0 + dt.timedelta(hours=4)
    context = browser.new_context(locale="vi-VN", java_script_enabled=False, viewport={"width": 1366, "height": 900})
    page = context.new_page()
    _sign_in(page, base, MONITOR)
    page.goto(f"{base}/phan-loai")
    for story_id in ids:
        page.locator(f"#chon-{story_id}").check()
    page.locator("#b-action").select_option("su-co")
    page.get_by_role("button", name="Thực hiện với các tin đã chọn").click()
    expect(page.get_by_role("heading", name="Lập sự cố truyền thông")).to_be_visible()
    for story_id in ids:
        expect(page.locator(f'input[name="tin"][value="{story_id}"]')).to_be_checked()
    page.get_by_label("Tiêu đề sự cố").fill("Báo chí đồng loạt phản ánh chậm thi hành án")
    page.get_by_label("Mức độ").select_option("high")
    page.get_by_role("button", name="Lập sự cố").click()
    expect(page.get_by_role("status")).to_contain_text("Đã lập sự cố truyền thông")
    site.clock.now = T0 + dt.timedelta(hours=5)
    page.get_by_label("Loại hoạt động").select_option("rebuttal")
    page.get_by_label("Nội dung").fill("Cục phát ngôn bác bỏ thông tin sai về số tiền phải thi hành.")
    page.get_by_role("button", name="Ghi nhận", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Đã ghi nhận hoạt động xử lý sự cố")
    entries = page.locator("ol.timeline li")
    expect(entries).to_have_count(5)  # Cần Thơ ×2, Hà Nội, Bắc Ninh, the rebuttal
    texts = entries.all_inner_texts()
    assert "Báo Dân trí" in texts[3], texts
    assert html.unescape(samples()["written:w4:007"]["title"]) in texts[3]
    assert texts[4].endswith("Cục phát ngôn bác bỏ thông tin sai về số tiền phải thi hành."), texts
    page.get_by_label("Tóm tắt kết quả xử lý").fill("Các báo đã đăng ý kiến của cơ quan; sự cố kết thúc.")
    page.get_by_role("button", name="Kết thúc sự cố").click()
    expect(page.get_by_role("status")).to_contain_text("Đã kết thúc sự cố")
    expect(page.locator("dd.closing")).to_have_text("Các báo đã đăng ý kiến của cơ quan; sự cố kết thúc.")
    _shot(page, "su-co")
    context.close()
