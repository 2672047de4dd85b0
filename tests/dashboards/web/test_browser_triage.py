"""Triage in a real browser (the fixtures of test_browser), on the project's real written articles: a monitor
filters the queue to one province and topic, selects five stories and dismisses them with one reason, confirms one
with the keyboard only, merges a suggested duplicate, and downloads the filtered list (the XLSX read back with
openpyxl has the page's rows). With scripts off, the same forms still work."""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pytest
from playwright.sync_api import Browser, expect

from nlp.stories import signature, to_bytes
from storage.articles import get_article
from storage.enrichments import get_enrichment, get_story, save_enrichment
from storage.explanations import get_explanation
from tests.dashboards.web.site import Site
from tests.dashboards.web.test_browser import _shot, _sign_in, browser, served
from tests.seeding import T0, add_copy, outlet, samples

__all__ = ["browser", "served"]  # fixtures used by name
pytestmark = [pytest.mark.slow, pytest.mark.browser]
MONITOR = "giamsat@cucthads.vn"
PROVINCE, TOPIC = "toan_quoc", "ket_qua_hoat_dong"  # seven stories of the samples


def seed(site: Site) -> tuple[list[int], int]:
    """Every relevant written sample as a story (signed as the enrichment signs them), and Cần Thơ's article
    republished a day later by VnExpress as a story of its own; (the filtered stories' ids, the copy's story)."""
    rows = [r for r in samples().values() if r["relevant"] and r["id"] not in ("written:w4:005", "written:w4:006")]
    chosen: list[int] = []
    with site.database.session() as session:
        source = outlet(session, "vnexpress", "VnExpress")
        for n, row in enumerate(rows):
            _, story = add_copy(session, row, source, at=T0 - dt.timedelta(minutes=10 * (n + 1)))
            assert story is not None
            if (row["province"], row["topic"]) == (PROVINCE, TOPIC):
                chosen.append(story.id)
        _, copy = add_copy(session, samples()["written:w4:005"], source, at=T0 + dt.timedelta(days=1), suffix="b")
        assert copy is not None
    with site.database.session() as session:
        for article_id in range(1, 2000):
            article, enrichment = get_article(session, article_id), get_enrichment(session, article_id)
            if article is None or enrichment is None:
                continue
            if enrichment.relevant:
                save_enrichment(session, enrichment, signature=to_bytes(signature(article.title, article.text)))
    return chosen, copy.id


def test_a_monitor_triages_with_filters_bulk_keyboard_merge_and_export(
    served: tuple[Site, str], browser: Browser
) -> None:
    site, base = served
    chosen, copy = seed(site)
    assert len(chosen) == 7
    context = browser.new_context(
        locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", viewport={"width": 1366, "height": 900}, accept_downloads=True
    )
    page = context.new_page()
    _sign_in(page, base, MONITOR)
    expect(page).to_have_url(f"{base}/phan-loai")

    # filter: one province, one topic (the counts say how many each value holds)
    expect(page.locator("#f-tinh option[value=toan_quoc]")).to_contain_text("(")
    page.locator("#f-tinh").select_option(PROVINCE)
    page.locator("#f-chu_de").select_option(TOPIC)
    page.get_by_role("button", name="Lọc").click()
    expect(page).to_have_url(re.compile(r"/phan-loai\?.*tinh=toan_quoc&chu_de=ket_qua_hoat_dong"))
    rows = page.locator("table.queue tbody tr")
    expect(rows).to_have_count(7)
    shown = [int(i) for i in rows.evaluate_all("rs => rs.map(r => r.dataset.story)")]
    assert sorted(shown) == sorted(chosen)
    _shot(page, "08-hang-cho-loc")

    # five selected, dismissed with one reason
    for story_id in shown[:5]:
        page.locator(f"#chon-{story_id}").check()
    page.locator("#b-action").select_option("loai")
    page.locator("#b-reason").fill("Tin tổng kết chung, không cần phản hồi")
    page.get_by_role("button", name="Thực hiện với các tin đã chọn").click()
    expect(page.get_by_role("status")).to_contain_text("Đã loại các tin đã chọn")
    expect(page).to_have_url(re.compile(r"tinh=toan_quoc&chu_de=ket_qua_hoat_dong"))
    expect(rows).to_have_count(2)
    with site.database.session() as session:
        for story_id in shown[:5]:
            story = get_story(session, story_id)
            assert story is not None
            assert (story.triage_state, story.triage_note) == ("dismissed", "Tin tổng kết chung, không cần phản hồi")

    # the keyboard alone: j to the first story, c to confirm it
    first = int(rows.first.get_attribute("data-story") or 0)
    page.locator("body").press("j")
    expect(rows.first).to_have_class(re.compile("current"))
    page.keyboard.press("c")
    expect(page).to_have_url(re.compile(r"/ho-so/\d+\?tb=xac-nhan"))
    with site.database.session() as session:
        story = get_story(session, first)
        assert story is not None
        assert story.triage_state == "confirmed"

    # the export of the filtered list: the rows the page shows, read back with openpyxl
    page.goto(f"{base}/phan-loai?tinh=toan_quoc&chu_de=ket_qua_hoat_dong")
    left = [int(i) for i in rows.evaluate_all("rs => rs.map(r => r.dataset.story)")]
    assert len(left) == 1
    with page.expect_download() as download:
        page.get_by_role("link", name="XLSX").click()
    path = download.value.path()
    book = openpyxl.load_workbook(io.BytesIO(path.read_bytes()), read_only=True)
    exported = [r[0] for r in book.worksheets[0].iter_rows(min_row=2, values_only=True)]
    assert exported == left

    # a suggested duplicate, merged in one click from the story's page (m: to the suggestions)
    cantho = site.stories["cantho"].id
    page.goto(f"{base}/phan-loai/{cantho}")
    page.locator("body").press("m")
    button = page.get_by_role("button", name=f"Gộp tin #{copy} vào tin này")
    expect(button).to_be_focused()
    _shot(page, "09-goi-y-gop")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Đã gộp tin")
    with site.database.session() as session:
        merged, gone = get_story(session, cantho), get_story(session, copy)
        assert merged is not None
        assert gone is not None
        assert (merged.size, gone.merged_into_id) == (3, cantho)
        assert get_explanation(session, merged.first_article_id) is None  # seeded articles were not read by nlp
    context.close()


def test_with_scripts_off_the_queue_still_filters_and_acts(served: tuple[Site, str], browser: Browser) -> None:
    site, base = served
    chosen, _ = seed(site)
    context = browser.new_context(locale="vi-VN", java_script_enabled=False, viewport={"width": 1366, "height": 900})
    page = context.new_page()
    _sign_in(page, base, MONITOR)
    page.goto(f"{base}/phan-loai?tinh={PROVINCE}&chu_de={TOPIC}")
    rows = page.locator("table.queue tbody tr")
    expect(rows).to_have_count(7)
    for story_id in chosen[:2]:
        page.locator(f"#chon-{story_id}").check()
    page.locator("#b-action").select_option("xac-nhan")
    page.locator("#b-priority").select_option("P3")
    page.get_by_role("button", name="Thực hiện với các tin đã chọn").click()
    expect(page.get_by_role("status")).to_contain_text("Đã xác nhận các tin đã chọn")
    expect(rows).to_have_count(5)
    page.locator("#f-sap_xep").select_option("lan-rong")
    page.get_by_role("button", name="Lọc").click()
    expect(page).to_have_url(re.compile(r"sap_xep=lan-rong"))
    page.locator("table.queue details.why summary").first.click()
    expect(page.locator("table.queue details.why").first).to_have_attribute("open", "")
    context.close()
