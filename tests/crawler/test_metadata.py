"""Authors and publication time (crawler/metadata.py) on recorded real pages (../shared/fixtures).

Where a defect's markup is not on a recorded page as such, the test changes one real page in the one place the
defect needs and says so.
"""

from __future__ import annotations

from datetime import UTC, datetime

from lxml import html

from crawler import metadata
from crawler.extract import extract
from tests.conftest import shared_path


def _page(name: str) -> bytes:
    return shared_path("fixtures", "html", name).read_bytes()


def _tree(page: bytes) -> html.HtmlElement:
    return html.document_fromstring(page.decode("utf-8"))


NLD_SIGNATURE = 'font-size:12pt;font-weight:bold">K. Miên</div>'.encode()


def test_signature_under_the_article_is_the_author() -> None:
    """nld1 signs "K. Miên" in a right-aligned block under the body, outside any byline class."""
    assert extract(_page("nld1.html")).authors == ("K. Miên",)


def test_author_without_the_date_beside_it() -> None:
    """nld1's signature as a byline block that also carries the time: "K. Miên\\n- 26/12/2012 17:14"."""
    page = _page("nld1.html").replace(
        NLD_SIGNATURE, 'font-size:12pt" class="author">K. Miên<br>\n- 26/12/2012 17:14</div>'.encode()
    )
    assert page != _page("nld1.html")
    assert metadata.find_authors(_tree(page), set()) == ("K. Miên",)
    assert extract(page).authors == ("K. Miên",)


def test_compiled_by_is_recognised() -> None:
    """nld1 signed "Hà Thu (tổng hợp)", the form of a compiled story."""
    page = _page("nld1.html").replace(NLD_SIGNATURE, 'font-weight:bold">Hà Thu (tổng hợp)</div>'.encode())
    assert extract(page).authors == ("Hà Thu",)


def test_author_metadata_entities_duplicates_handles_and_site_name() -> None:
    """dantri1's author meta tag filled the ways the issue saw: an escaped entity, the same name in capitals, a
    social handle, the site's own name; one person comes out."""
    page = _page("dantri1.html").replace(
        b'content="baodantridientu"', 'content="NH&amp;#7852;T XUÂN, NHẬT XUÂN, @nhatxuan, Dân Trí"'.encode()
    )
    assert page != _page("dantri1.html")
    tree = _tree(page)
    sites = metadata.site_names_of(tree, "dantri.com.vn")
    assert metadata.find_authors(tree, sites) == ("NHẬT XUÂN",)


def test_two_bylines_combined_and_separate_give_each_name_once() -> None:
    """dantri1 signs "Quang Phong - Tùng Nguyên"; metadata naming each again adds no one."""
    tree = _tree(_page("dantri1.html"))
    names = metadata.clean_names(["Quang Phong - Tùng Nguyên", "Quang Phong", "Tùng Nguyên"], set())
    assert names == ("Quang Phong", "Tùng Nguyên")
    assert extract(_page("dantri1.html")).authors == ("Quang Phong", "Tùng Nguyên")
    assert metadata.find_authors(tree, metadata.site_names_of(tree, "dantri.com.vn")) == ()  # outlet names only


def test_published_time_from_page_metadata() -> None:
    """24h1 declares pubdate 2012-12-23T14:02+07:00 in its metadata; the header's later stamp does not win."""
    assert extract(_page("24h1.html")).published_at == datetime(2012, 12, 23, 7, 2, tzinfo=UTC)


def test_a_metadata_day_takes_the_time_the_page_shows() -> None:
    """dantri1's metadata gives the day only (2012-12-25); the page shows "Thứ Ba, 25/12/2012 - 10:03"."""
    assert extract(_page("dantri1.html")).published_at == datetime(2012, 12, 25, 3, 3, tzinfo=UTC)


def test_published_time_written_above_the_headline() -> None:
    """vnexpress3 shows "Thứ sáu, 28/12/2012, 14:46 GMT+7" just above its headline and nothing in metadata."""
    assert extract(_page("vnexpress3.html")).published_at == datetime(2012, 12, 28, 7, 46, tzinfo=UTC)


def test_published_time_with_a_two_digit_year_in_the_evening() -> None:
    """zing1: "Cập nhật thứ hai, ngày 24/12/12 11:05 tối" is 23:05 local time."""
    assert extract(_page("zing1.html")).published_at == datetime(2012, 12, 24, 16, 5, tzinfo=UTC)
