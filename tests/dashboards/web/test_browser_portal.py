"""In a real browser with scripts off (Debian's headless Chromium): the monitor publishes a response on the portal
from the case page and adds a press release with its file from /thong-cao; the portal's importer then reads the
entry in the Atom feed. Screenshots go to test-artifacts/browser/."""

from __future__ import annotations

import feedparser
import httpx
import pytest
from playwright.sync_api import Browser, FilePayload, expect

from alerts import cases as workflow
from alerts import triage
from tests.dashboards.web.site import PORTAL_KEY, Site
from tests.dashboards.web.test_browser import _shot, _sign_in, browser, served

__all__ = ["browser", "served"]  # the fixtures, shared with test_browser
pytestmark = [pytest.mark.slow, pytest.mark.browser]
MONITOR = "giamsat@cucthads.vn"


def test_publish_a_response_and_add_a_press_release_without_scripts(served: tuple[Site, str], browser: Browser) -> None:
    site, base = served
    config = site.app.state.ctx.workflow
    with site.database.session() as session:
        case = triage.confirm(session, site.stories["cantho"].id, config=config, actor=MONITOR, now=site.clock.now)
        workflow.respond(
            session,
            case.id,
            kind="van_ban_tra_loi",
            text="THADS thành phố Cần Thơ trả lời báo: vụ việc đang được tổ chức thi hành.",
            actor="daumoi.cantho@thads.vn",
            at=site.clock.now,
        )
    context = browser.new_context(
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        viewport={"width": 1280, "height": 900},
        java_script_enabled=False,
    )
    page = context.new_page()
    _sign_in(page, base, MONITOR)
    page.goto(f"{base}/ho-so/{case.id}")
    page.locator("details.publish summary").click()
    page.get_by_label("Tiêu đề công khai").fill("THADS Cần Thơ trả lời báo về vụ việc ở Mỹ Xuyên")
    page.locator("details.publish").get_by_role("button", name="Đăng lên Cổng thông tin").click()
    expect(page.get_by_text("Đã đăng phản hồi lên Cổng thông tin")).to_be_visible()
    expect(page.locator("p.published")).to_contain_text("THADS Cần Thơ trả lời báo về vụ việc ở Mỹ Xuyên")
    expect(page.locator("ol.timeline")).to_contain_text("Đăng phản hồi lên Cổng thông tin")
    _shot(page, "11-dang-len-cong-thong-tin")

    page.get_by_role("link", name="Thêm văn bản trả lời tin này").click()
    page.get_by_label("Loại văn bản").select_option("thong_cao")
    page.get_by_label("Tiêu đề").fill("Thông cáo báo chí về việc thi hành án ở Mỹ Xuyên")
    page.get_by_label("Ngày ban hành").fill("2026-11-17")
    page.get_by_label("Đơn vị ban hành").fill("Thi hành án dân sự thành phố Cần Thơ")
    page.get_by_label("Tệp văn bản").set_input_files(
        files=FilePayload(name="Thông cáo 01.pdf", mimeType="application/pdf", buffer=b"%PDF-1.4 thong cao")
    )
    page.get_by_role("button", name="Lưu văn bản").click()
    expect(page.get_by_text("Đã lưu văn bản vào cơ sở dữ liệu truyền thông.")).to_be_visible()
    expect(page.get_by_role("link", name="Thông cáo 01.pdf")).to_be_visible()
    _shot(page, "12-thong-cao-bao-chi")
    page.goto(f"{base}/tim-kiem?q=thong+cao+my+xuyen")
    expect(page.locator("ol.statements")).to_contain_text("Thông cáo báo chí về việc thi hành án ở Mỹ Xuyên")
    _shot(page, "13-tim-kiem-van-ban")
    context.close()

    feed = feedparser.parse(
        httpx.get(f"{base}/cong-thong-tin/phan-hoi.atom", headers={"X-API-Key": PORTAL_KEY}).content
    )
    assert feed.bozo == 0
    assert [e.title for e in feed.entries] == ["THADS Cần Thơ trả lời báo về vụ việc ở Mỹ Xuyên"]
