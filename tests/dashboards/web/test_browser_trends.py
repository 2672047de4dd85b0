"""The trends page in a real browser (the fixtures of test_browser): the charts take the page's width, their
text stays at its size, and outlet names are shown whole."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.dashboards.web.site import Site
from tests.dashboards.web.test_browser import _shot, _sign_in, browser, served

__all__ = ["browser", "served"]  # fixtures used by name
pytestmark = [pytest.mark.slow, pytest.mark.browser]


def test_trends_charts_use_the_full_width(served: tuple[Site, str], browser: Browser) -> None:
    _, base = served
    context = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    _sign_in(page, base, "lanhdao@cucthads.vn")
    expect(page).to_have_url(f"{base}/xu-huong")
    content = page.evaluate(
        "() => { const m = document.querySelector('main'); const s = getComputedStyle(m);"
        " return m.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight); }"
    )
    widths = page.eval_on_selector_all("svg.chart", "charts => charts.map(c => c.getBoundingClientRect().width)")
    assert len(widths) == 4
    assert all(w >= 0.98 * content for w in widths), (widths, content)
    # the outlet chart's names: whole, at 12 px or close (not shrunk by a scaled-down drawing)
    outlets = page.locator("svg.chart").nth(3)
    labels = outlets.locator("text[text-anchor=end]")
    assert labels.all_text_contents() == ["Báo Lao ĐộngBáo Lao Động", "Báo Thanh NiênBáo Thanh Niên"]
    heights = labels.evaluate_all("ts => ts.map(t => t.getBoundingClientRect().height)")
    assert all(h >= 12 for h in heights), heights
    _shot(page, "07-xu-huong")
    context.close()
