"""Pruning never takes words out of a sentence (crawler/prune.py), on recorded real pages (../shared/fixtures).

Where the recorded pages do not show a defect's markup as such, the test changes one real page in the one way
the defect needs (a class on a real anchor, a real bold subheading written as <h3>) and says so.
"""

from __future__ import annotations

import re

from crawler.extract import extract
from crawler.removal import Reason, Removal
from tests.conftest import shared_path

THANHNIEN = "https://thanhnien.vn/pages/20121219/5-bong-hong-buon-ma-tuy-lanh-an.aspx"
SEIZED = (
    "Nga và My khai nhận đã cùng với Thủy mua ma túy của Tiền về bán kiếm lời. Tại hiện trường, công an đã thu giữ "
    "của ba người này 2,654 gram ma túy tổng hợp."
)


def _page(name: str) -> bytes:
    return shared_path("fixtures", "html", name).read_bytes()


def test_linked_keyword_inside_a_sentence_is_kept() -> None:
    """thanhnien1 links "ma túy tổng hợp" inside a body sentence: the sentence comes out whole."""
    got = extract(_page("thanhnien1.html"), THANHNIEN)
    assert SEIZED in got.text.split("\n")


def test_linked_keyword_with_a_related_class_is_kept() -> None:
    """The same real anchors given the "related" classes some outlets put on keyword links: no word is lost."""
    page = (
        _page("thanhnien1.html")
        .replace(b'shape="rect">ma t', b'class="related-link" shape="rect">ma t')
        .replace(b'shape="rect">mua b', b'class="tag-related" shape="rect">mua b')
    )
    trace: list[Removal] = []
    got = extract(page, THANHNIEN, trace=trace)
    assert SEIZED in got.text.split("\n")
    assert 'về cùng tội "mua bán trái phép chất ma túy".' in got.lead
    assert not [r for r in trace if r.text == "ma túy tổng hợp"]


def test_body_subheadings_are_paragraphs() -> None:
    """vnexpress2's first numbered subheading (bold paragraph) written as <h3>, the way newer CMSs mark them."""
    page = re.sub(
        rb"<P class=Normal align=left><STRONG>([^<]*)</STRONG></P>", rb"<h3>\1</h3>", _page("vnexpress2.html")
    )
    assert page.count(b"<h3>") == 1
    lines = extract(page).text.split("\n")
    assert "1. Anh Zhang Hongming mắc hội chứng Nevus bẩm sinh" in lines
    assert '5. Cậu bé An Qi mắc bệnh "người sói"' in lines
    following = lines[lines.index("1. Anh Zhang Hongming mắc hội chứng Nevus bẩm sinh") + 1]
    assert following.startswith("Anh Zhang Hongming, đến từ Trùng Khánh, Trung Quốc")


def test_sidebar_list_and_its_title_are_dropped() -> None:
    """dantri1: the "Các bài mới" box (a title over a list of linked headlines) is not article text."""
    trace: list[Removal] = []
    got = extract(_page("dantri1.html"), trace=trace)
    assert "Các bài mới" not in got.text
    assert "Một công nhân tử vong bởi máy xúc" not in got.text
    assert got.text.split("\n")[-1].startswith("Trong dịp này, phà Bình Khánh (nối huyện Nhà Bè với Cần Giờ)")
    assert any(r.reason is Reason.LINK_LIST and "Các bài mới" in r.text for r in trace)


def test_hidden_blocks_are_not_text() -> None:
    """dantri1 repeats the headline and a rating in a block moved off screen (position: fixed; -1000px)."""
    got = extract(_page("dantri1.html"))
    assert "10 7 1" not in got.text
    assert "Chốt lịch nghỉ lễ Tết 2013" not in got.text


def test_the_pages_own_spelling_is_kept() -> None:
    """nld1 with "Tòa" of a body sentence in the newer tone placement ("Toà"): stored as the page writes it."""
    page = _page("nld1.html")
    page = page.replace("Chiều ngày 26-12, Tòa Phúc thẩm".encode(), "Chiều ngày 26-12, Toà Phúc thẩm".encode())
    got = extract(page)
    assert "Chiều ngày 26-12, Toà Phúc thẩm" in got.text
    assert "Tòa Phúc thẩm" not in got.text


def test_a_date_inside_the_first_sentence_is_not_cut() -> None:
    """nld1's first sentence with its date written as a weekday stamp: only a header stamp is cut, never words."""
    page = _page("nld1.html").replace(
        "Chiều ngày 26-12, Tòa Phúc thẩm".encode(), "Chiều Thứ Tư, 26/12/2012, Tòa Phúc thẩm".encode()
    )
    got = extract(page)
    assert got.text.split("\n")[0].startswith("Chiều Thứ Tư, 26/12/2012, Tòa Phúc thẩm TAND Tối cao tại TPHCM")
