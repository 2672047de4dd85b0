"""Watch profiles in a real browser with scripts off (the fixtures of test_browser): an admin tries a query over
the last 30 days, types a query that cannot be read into a profile's form and sees the error beside the field,
then saves a good one and finds the matching article on the profile's page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from domain.watch_profiles import starter_profiles
from nlp.profile_match import load_starter_profiles
from tests.dashboards.web.site import Site
from tests.dashboards.web.test_browser import _shot, _sign_in, browser, served
from tests.seeding import samples

__all__ = ["browser", "served"]  # fixtures used by name
pytestmark = [pytest.mark.slow, pytest.mark.browser]


def test_an_admin_tries_and_edits_a_profile_with_scripts_off(served: tuple[Site, str], browser: Browser) -> None:
    site, base = served
    load_starter_profiles(site.database, starter_profiles(), at=site.clock.now)
    title = samples()["written:w4:006"]["title"]
    good = 'title:"' + " ".join(title.split()[:4]) + '"'
    context = browser.new_context(locale="vi-VN", java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    _sign_in(page, base, "quantri@cucthads.vn")
    page.get_by_role("link", name="Chủ đề", exact=True).click()
    expect(page.get_by_role("heading", name="Chủ đề theo dõi")).to_be_visible()
    page.get_by_role("link", name="Thử truy vấn").click()
    page.get_by_label("Truy vấn").fill(good)
    page.get_by_role("button", name="Thử").click()
    expect(page.get_by_role("heading", name="1 bài khớp trên 4 bài")).to_be_visible()
    expect(page.get_by_role("link", name=title)).to_be_visible()
    _shot(page, "10-thu-truy-van")

    page.goto(f"{base}/chu-de-theo-doi/dich_benh/sua")
    query = page.get_by_label("Truy vấn (AND")
    query.fill(f"{good} AND (")
    page.get_by_role("button", name="Lưu chủ đề").click()
    expect(page.locator("#query-error")).to_contain_text("ở vị trí")
    expect(page.get_by_text("Chủ đề chưa được lưu")).to_be_visible()
    _shot(page, "11-truy-van-loi")
    query.fill(good)
    page.get_by_role("button", name="Lưu chủ đề").click()
    expect(page).to_have_url(f"{base}/chu-de-theo-doi/dich_benh?tb=chu-de-doi-chieu")
    page.reload()  # the backfill ran after the redirect was sent
    expect(page.get_by_role("link", name=title)).to_be_visible()
    context.close()
