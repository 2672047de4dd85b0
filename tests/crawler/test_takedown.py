"""Recognising a takedown from evidence: where a redirect led, and what a page with no article says of itself.
A real article page (nld1.html) that mentions "không tồn tại" in its text, and the recorded home pages, are not
taken for not-found pages."""

from __future__ import annotations

import pytest

from crawler.takedown import is_article_like, not_found_evidence, redirect_reason
from domain.enums import TakedownReason
from tests.conftest import shared_path

ARTICLE = "https://nld.com.vn/20121226051446379p0c1019/thieu-tien-hui-xach-dao-di-noi-chuyen-voi-chu-no.htm"


@pytest.mark.parametrize(
    ("final", "reason"),
    [
        ("https://nld.com.vn/", TakedownReason.REDIRECT_HOME),
        ("https://nld.com.vn/?utm_source=x", TakedownReason.REDIRECT_HOME),
        ("https://www.nld.com.vn", TakedownReason.REDIRECT_HOME),
        ("https://nld.com.vn/phap-luat.htm", TakedownReason.REDIRECT_SECTION),  # a listed section page
        ("https://nld.com.vn/thoi-su/", TakedownReason.REDIRECT_SECTION),
        ("https://nld.com.vn/tin-tuc/phap-luat", TakedownReason.REDIRECT_SECTION),
        (ARTICLE.replace("https:", "http:"), None),  # the same article
        ("https://nld.com.vn/20121226051446379p0c1019/thieu-tien-hui.htm", None),  # a new slug, same id
        ("https://nld.com.vn/phap-luat/toa-tuyen-y-an-vu-giet-nguoi-vi-tien-hui.htm", None),
        ("https://thads.moj.gov.vn/noidung/tintuc/Lists/TinHoatDong/View_Detail.aspx?ItemID=123", None),
    ],
)
def test_where_a_redirect_leads(final: str, reason: TakedownReason | None) -> None:
    assert redirect_reason(ARTICLE, final, sections=("https://nld.com.vn/phap-luat.htm",)) == reason


def test_article_like_addresses() -> None:
    assert is_article_like("https://vnexpress.net/bi-cao-linh-an-4812345.html")
    assert is_article_like("https://baophapluat.vn/p?id=123456")
    assert not is_article_like("https://vnexpress.net/phap-luat")
    assert not is_article_like("https://vnexpress.net/")


def page(title: str, body: str) -> bytes:
    return f"<html><head><meta charset='utf-8'><title>{title}</title></head><body>{body}</body></html>".encode()


@pytest.mark.parametrize(
    "shown",
    [
        page("Không tìm thấy trang", "<p>Xin lỗi</p>"),
        page("Báo Người Lao Động", "<h1>404</h1><p>Trang này không có</p>"),
        page("Báo Người Lao Động", "<div class='err'>Bài viết không còn tồn tại.</div>"),
        page("Báo Người Lao Động", "<p>Nội dung ĐÃ BỊ XOÁ theo yêu cầu.</p>"),  # upper case, old-style tone mark
        page("Page not found – Tuổi Trẻ", ""),
    ],
)
def test_a_page_without_article_that_says_it_is_gone(shown: bytes) -> None:
    assert not_found_evidence(shown, has_article=False) is not None


@pytest.mark.parametrize(
    "shown",
    [
        page("Bảo trì hệ thống", "<p>Xin quay lại sau.</p>"),  # short, but says nothing of a takedown
        page("Báo Người Lao Động", "<footer>Giấy phép số 404/GP-BTTTT</footer>"),  # a code in a licence number
        page("Tin mới", "<ul><li><a href='/a.htm'>Doanh nghiệp không tồn tại vẫn trúng thầu</a></li></ul>"),
    ],
)
def test_a_page_that_does_not_say_so_is_not_guessed_to_be_gone(shown: bytes) -> None:
    assert not_found_evidence(shown, has_article=False) is None


def test_an_article_quoting_the_words_is_not_a_not_found_page() -> None:
    article = (
        shared_path("fixtures", "html", "nld1.html")
        .read_bytes()
        .replace(b"</body>", "<h2>Công ty không tồn tại trên thực tế</h2></body>".encode())
    )
    assert not_found_evidence(article, has_article=True) is None
    assert not_found_evidence(article, has_article=True, markers=["Mã lỗi NLD-0404"]) is None


@pytest.mark.parametrize("name", ["vnexpress.hompage.html", "thanhnien.homepage.html", "soha.homepage.html"])
def test_recorded_home_pages_are_not_not_found_pages(name: str) -> None:
    home = shared_path("fixtures", "html", name).read_bytes()
    assert not_found_evidence(home, has_article=False) is None


def test_the_outlets_own_marker_counts_anywhere() -> None:
    shown = page("Người Lao Động", "<p>Mã lỗi NLD-0404.</p>")
    assert not_found_evidence(shown, has_article=False) is None
    assert not_found_evidence(shown, has_article=False, markers=["mã lỗi nld-0404"]) == "mã lỗi nld-0404"
