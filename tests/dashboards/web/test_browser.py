"""The whole flow in a real browser (Debian's headless Chromium driven by Playwright) against the app served by
uvicorn on a free loopback port: a monitor signs in, finds a real article by words typed without diacritics,
confirms it; the case reaches the focal point of the right province (and only them), who signs in,
acknowledges and records a response with an attachment. Screenshots go to test-artifacts/browser/."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, expect, sync_playwright

from storage.engine import Database
from storage.migrate import upgrade
from storage.settings import StorageSettings
from tests.conftest import REPO
from tests.dashboards.web.site import PASSWORD, Site, build_site
from tests.ports import free_port
from tests.seeding import samples

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = REPO / "test-artifacts" / "browser"

pytestmark = [pytest.mark.slow, pytest.mark.browser]


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Site, str]]:
    settings = StorageSettings(database_url=f"sqlite:///{tmp_path / 'web.db'}", data_dir=tmp_path / "data")
    database = Database.from_settings(settings)
    upgrade(database.engine)
    site = build_site(database, tmp_path / "data")
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(site.app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield site, f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        database.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail("/usr/bin/chromium is missing: install Debian's chromium (.ci/run does)", pytrace=False)
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _sign_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/dang-nhap")
    page.get_by_label("Thư điện tử").fill(email)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()


def test_monitor_confirms_a_found_article_and_the_focal_point_answers(
    served: tuple[Site, str], browser: Browser
) -> None:
    site, base = served
    article = samples()["written:w4:005"]  # "… Mỹ Xuyên: 8 năm, bản án vẫn “nằm trên giấy”", Cần Thơ
    context = browser.new_context(
        locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()

    _sign_in(page, base, "giamsat@cucthads.vn")
    expect(page).to_have_url(f"{base}/phan-loai")
    expect(page.get_by_role("heading", name="Phân loại tin")).to_be_visible()
    _shot(page, "01-hang-cho-phan-loai")

    page.get_by_role("link", name="Tìm kiếm").click()
    page.get_by_label("Từ khóa").fill("ban an van nam tren giay my xuyen")  # typed without diacritics
    page.get_by_role("button", name="Tìm", exact=True).click()
    hit = page.get_by_role("link", name=article["title"]).first  # two outlets ran it
    expect(hit).to_be_visible()
    expect(page.locator("ol.results mark").first).to_be_visible()
    _shot(page, "02-tim-kiem-khong-dau")

    hit.click()
    expect(page.get_by_role("heading", name=article["title"], level=1)).to_be_visible()
    evidence = page.frame_locator("iframe[sandbox]")
    expect(evidence.get_by_role("heading", name=article["title"])).to_be_visible()
    expect(evidence.locator("#script-ran")).to_have_count(0)  # the captured page's script did not run
    assert page.title() != "PWNED"
    page.locator("figure.evidence").scroll_into_view_if_needed()
    _shot(page, "03-bai-viet-va-ban-luu")

    page.get_by_label("Mức ưu tiên").select_option("P2")
    page.get_by_role("button", name="Xác nhận tin cần xử lý").click()
    expect(page).to_have_url(f"{base}/ho-so/1?tb=xac-nhan")
    expect(page.get_by_text("Nguyễn Văn An <daumoi.cantho@thads.vn>")).to_be_visible()
    expect(page.get_by_text("Giám sát xác nhận tin")).to_be_visible()
    _shot(page, "04-ho-so-da-lap")
    _sign_out(page)

    _sign_in(page, base, "daumoi.hanoi@thads.vn")  # another province: the case is not there
    expect(page).to_have_url(f"{base}/ho-so")
    expect(page.get_by_text("Không có hồ sơ nào.")).to_be_visible()
    assert page.goto(f"{base}/ho-so/1").status == 404  # type: ignore[union-attr]
    _sign_out(page)

    _sign_in(page, base, "daumoi.cantho@thads.vn")
    expect(page).to_have_url(f"{base}/ho-so")
    page.get_by_role("link", name=article["title"]).click()
    page.get_by_role("button", name="Xác nhận đã nhận").click()
    expect(page.locator(".state.acknowledged").first).to_be_visible()
    page.get_by_label("Loại phản hồi").select_option("thong_tin_ban_dau")
    page.get_by_label("Nội dung").fill(
        "Chi cục THADS huyện Mỹ Xuyên đã cung cấp thông tin ban đầu cho báo: đang tổ chức cưỡng chế giao đất."
    )
    page.get_by_label("Tệp đính kèm").set_input_files(
        files=[{"name": "Công văn 125-THADS.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 cong van"}]
    )
    page.get_by_role("button", name="Ghi nhận phản hồi").click()
    expect(page.get_by_text("Đã ghi nhận phản hồi.")).to_be_visible()
    expect(page.get_by_role("link", name="Công văn 125-THADS.pdf")).to_be_visible()
    expect(page.locator(".state.responded").first).to_be_visible()
    expect(page.locator("ol.timeline")).to_contain_text("Đầu mối xác nhận đã nhận")
    _shot(page, "05-dau-moi-da-phan-hoi")
    context.close()

    with site.database.session() as session:
        from storage.cases import audit_trail, responses_of

        (response,) = responses_of(session, 1)
        assert response.by == "daumoi.cantho@thads.vn"
        assert response.attachments[0].name == "Công văn 125-THADS.pdf"
        assert [e.action for e in audit_trail(session, 1)] == [
            "create",
            "assign",
            "confirm",
            "acknowledge",
            "respond",
        ]


def test_leader_downloads_the_weekly_report_from_the_reports_page(served: tuple[Site, str], browser: Browser) -> None:
    import docx

    _, base = served
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", accept_downloads=True)
    page = context.new_page()
    _sign_in(page, base, "lanhdao@cucthads.vn")
    expect(page).to_have_url(f"{base}/xu-huong")
    page.get_by_role("link", name="Báo cáo").click()
    expect(page.get_by_role("heading", name="Báo cáo định kỳ")).to_be_visible()
    page.get_by_label("Kỳ báo cáo").select_option("2026-W47")
    page.get_by_label("Phạm vi").select_option("Cần Thơ")
    _shot(page, "06-bao-cao-dinh-ky")
    with page.expect_download() as event:
        page.get_by_role("button", name="Tải báo cáo").click()
    download = event.value
    assert download.suggested_filename == "bao-cao-2026-W47-can-tho.docx"
    text = "\n".join(p.text for p in docx.Document(download.path()).paragraphs)
    assert "tuần 47 năm 2026" in text
    assert "Cần Thơ" in text
    context.close()


PHONE = {"width": 390, "height": 844}


def test_triage_queue_is_usable_on_a_390_px_phone(served: tuple[Site, str], browser: Browser) -> None:
    """No sideways scrolling: the page is no wider than the phone, and every action of every row (priority,
    confirm, reason, dismiss) lies within the screen."""
    _, base = served
    context = browser.new_context(
        locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", viewport=PHONE, device_scale_factor=2, is_mobile=True
    )
    page = context.new_page()
    _sign_in(page, base, "giamsat@cucthads.vn")
    expect(page).to_have_url(f"{base}/phan-loai")
    expect(page.get_by_role("heading", name="Phân loại tin")).to_be_visible()
    _shot(page, "07-phan-loai-dien-thoai-390px")
    widths = page.evaluate("[document.documentElement.scrollWidth, document.body.scrollWidth, window.innerWidth]")
    assert widths[2] == PHONE["width"]
    assert max(widths[:2]) <= PHONE["width"], f"the page is {max(widths[:2])} px wide on a {PHONE['width']} px phone"
    rows = page.locator("table.queue tbody tr")
    assert rows.count() == 2
    controls = page.locator(
        "table.queue td.actions button, table.queue td.actions select, table.queue td.actions input:not([type=hidden])"
    )
    assert controls.count() == 2 * 4
    for i in range(controls.count()):
        box = controls.nth(i).bounding_box()
        assert box is not None
        assert box["x"] >= 0, box
        assert box["x"] + box["width"] <= PHONE["width"], (controls.nth(i).evaluate("e => e.outerHTML"), box)
    # The actions work there: dismiss the first story with a reason typed on the phone.
    first = rows.first
    first.get_by_placeholder("Lý do loại").fill("Tin cũ, đã trả lời")
    first.get_by_role("button", name="Loại").click()
    expect(page.get_by_text("Đã loại tin khỏi hàng chờ.")).to_be_visible()
    expect(page.locator("table.queue tbody tr")).to_have_count(1)
    context.close()
