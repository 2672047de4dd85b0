"""Extraction on recorded real pages (../shared/fixtures)."""

from __future__ import annotations

import gzip
import json
import unicodedata
from datetime import UTC, datetime

import pytest

from crawler.entries import Entry
from crawler.extract import NotAnArticle, extract
from tests.conftest import shared_path


def test_vnexpress_2025_matches_the_gold_file() -> None:
    page = gzip.decompress(shared_path("fixtures", "html", "vnexpress-2025-10-22.html.gz").read_bytes())
    gold = json.loads(shared_path("fixtures", "gold", "vnexpress-2025-10-22.json").read_text(encoding="utf-8"))["V1"]
    got = extract(page, "https://vnexpress.net/dau-bung-keo-dai-phat-hien-ung-thu-lymphoma-ruot-non-4954454.html")
    assert got.title == gold["title"]
    assert list(got.authors) == gold["authors"]
    assert got.lead == gold["body"]["summary"][0]
    captions = {image["caption"] for image in gold["images"]}
    for paragraph in gold["body"]["sections"][0]["paragraphs"]:
        if any(paragraph.startswith(c) for c in captions):
            assert paragraph not in got.text  # captions are not article text
        else:
            assert unicodedata.normalize("NFC", paragraph) in got.text
    assert got.published_at == datetime(2025, 10, 22, 12, 25, 52, tzinfo=UTC)
    assert got.url == "https://vnexpress.net/dau-bung-keo-dai-phat-hien-ung-thu-lymphoma-ruot-non-4954454.html"


# page, headline, the start of the first and of the last body paragraph, boilerplate that must stay out.
PAGES = [
    (
        "24h1.html",
        "Đột nhập lò luyện thi công chức Hàn Quốc",
        "Có khoảng 30.000 cư dân tại một khu",
        "Những sĩ tử tại Goshiwon đi bỏ phiếu",
        ["Tin cùng mục Giáo dục - du học", "bình chọn"],
    ),
    (
        "dantri1.html",
        "Chốt lịch nghỉ lễ Tết 2013 của công chức, viên chức",
        "Cụ thể, trong dịp nghỉ Tết Dương lịch",
        "Trong dịp này, phà Bình Khánh (nối huyện",
        ["Công chức, viên chức được nghỉ 9 ngày", "Các bài mới"],
    ),
    (
        "genk1.html",
        "Amazon: Kẻ lão luyện đầy chiến lược trong cuộc chiến công nghệ",
        "Đây là quan điểm của tác giả Venkatesh",
        "Sự thiếu sót trong mối quan hệ này",
        ["Tin liên quan", "Google không muốn đấu với Amazon"],
    ),
    (
        "ngoisao1.html",
        "Hoa hậu Hoàn vũ 2011 gây sốc với hình ảnh xấu xí",
        "Nhiều người không thể nhận ra Leila Lopes,",
        "Có lẽ, Leila hợp hơn với mái tóc",
        ["Người đẹp Mỹ đăng quang Hoa hậu Hoàn vũ 2012", "Xem tiếp"],
    ),
    (
        "nld1.html",
        "Thiếu tiền hụi, xách dao đi “nói chuyện” với chủ nợ",
        "Chiều ngày 26-12, Tòa Phúc thẩm TAND Tối",
        "Trung chạy đến đâm anh Việt một nhát",
        ["[Quay lại]", "Các tin khác"],
    ),
    (
        "soha1.html",
        "Can Lộ Lộ lả lơi với khăn tắm",
        "Can Lộ Lộ đang khiến cư dân mạng",
        "Trong thời gian vừa qua, hai chị em",
        ["Em gái Can Lộ Lộ tự sướng", "Can Lộ Lộ làm hư giới người mẫu"],
    ),
    (
        "teen9x1.html",
        "8/3 boy vào bếp chế bánh tình yêu",
        "Bánh tình yêu này dành cho các cặp",
        "Chúc các bồ tèo may mắn nha.",
        ["Rate this article", "Share this post on"],
    ),
    (
        "thanhnien1.html",
        '5 "bóng hồng" buôn ma túy lãnh án',
        "Theo cáo trạng, khoảng 16 giờ ngày 8.6.2012,",
        "Nga và My khai nhận đã cùng với",
        ["Doanh nhân buôn ma túy xuyên quốc gia", ">> Buôn lậu ma túy"],
    ),
    (
        "tinhte1.html",
        "[Vui vẻ] Chuyện giữa 2 người trên Facebook",
        "Có rất nhiều điều thú vị với Facebook,",
        "Cùng xem một số quan hệ bạn bè",
        ["Chia sẻ trang này"],
    ),
    (
        "vnexpress1.html",
        "Vợ ngoại tình sau những lần bị tôi đánh đập dã man",
        "Tôi năm nay 29 tuổi, đã lấy vợ",
        "Bây giờ tôi phải làm sao cho đúng.",
        ["Ý kiến bạn đọc", "Hiển thị thêm nội dung"],
    ),
    (
        "vnexpress2.html",
        "Những người khổ hạnh vì bớt lạ",
        "1. Anh Zhang Hongming mắc hội chứng Nevus",
        "Từ khi sinh ra, cậu bé đã ở",
        ["Giật mình tạo hình đôi cánh", "'Khung xương di động' nặng 25 kg"],
    ),
    (
        "vnexpress3.html",
        "Dòng nước độc trên cánh đồng Hà Nội",
        "Ảnh chụp tại khu phố Thắng Lợi, phường",
        "Ảnh chụp tại khu phố Thắng Lợi, phường",
        [">> Xả rác- sự hồn nhiên độc ác", "Chia sẻ bài viết của bạn"],
    ),
    (
        "xinh1.html",
        "4 bước mix đồ giúp bạn tự tin tỏa sáng đêm Noel",
        "Từng giờ từng phút đang trôi qua, và",
        "Sau khi đã chọn xong trang phục, thì",
        ["Tin liên quan", "Ngắm bạn trẻ thế giới mix đồ đón Xmas"],
    ),
    (
        "zing1.html",
        "Mọi ngả đường về nhà thờ tắc nghẽn đêm Giáng sinh",
        "Khu vực nhà thờ Lớn Hà Nội sôi",
        "Tương tự, tại điểm nhà thờ giáo xứ",
        ["Xem thêm: Giáng sinh", "Tin tức gần đây"],
    ),
    (
        "zing2.html",
        "'Kêu trời' vì văn tả 'mũi con lợn bẹp gí như mũi bố'",
        "Học tập theo...",
        "Cô Lê Ngọc Diệp - Trưởng phòng GD",
        ["Xem thêm: rập khuôn", "Tin tức gần đây"],
    ),
]


@pytest.mark.parametrize(("page", "title", "first", "last", "boilerplate"), PAGES, ids=[p[0] for p in PAGES])
def test_recorded_article_pages(page: str, title: str, first: str, last: str, boilerplate: list[str]) -> None:
    got = extract(shared_path("fixtures", "html", page).read_bytes())
    assert got.title == title
    lines = got.text.split("\n")
    assert any(line.startswith(first) for line in lines[:2])
    assert last in got.text
    for junk in boilerplate:
        assert junk not in got.text
    assert got.title not in lines
    assert not got.lead or got.lead not in lines


@pytest.mark.parametrize(
    "page", ["vnexpress.hompage.html", "thanhnien.homepage.html", "soha.homepage.html", "genkvn.homepage.html"]
)
def test_home_pages_are_not_articles(page: str) -> None:
    with pytest.raises(NotAnArticle, match=r"trang danh sách|tiêu đề"):
        extract(shared_path("fixtures", "html", page).read_bytes())


def test_wrong_declared_charset_is_decoded_correctly() -> None:
    page = shared_path("fixtures", "html", "dantri1.html").read_bytes()
    lying = page.replace(b"charset=utf-8", b"charset=iso-8859-1").replace(b"charset=UTF-8", b"charset=iso-8859-1")
    got = extract(lying, content_type="text/html; charset=iso-8859-1")
    assert got.title == "Chốt lịch nghỉ lễ Tết 2013 của công chức, viên chức"
    assert got.charset == "utf-8"


def test_windows_1258_page_is_decoded_in_the_pages_own_spelling() -> None:
    text = (
        "<html><head><meta charset='windows-1258'><title>Cưỡng chế thi hành án tại Khánh Hoà</title></head>"
        "<body><h1>Cưỡng chế thi hành án tại Khánh Hoà</h1><div class='detail-content'>"
        + "".join(
            f"<p>Chấp hành viên Chi cục Thi hành án dân sự thành phố Nha Trang, đoạn {i}, đã tổ chức "
            "cưỡng chế kê biên tài sản theo bản án, bảo đảm quyền lợi của người được thi hành án.</p>"
            for i in range(4)
        )
        + "</div></body></html>"
    )
    body = _windows_1258(text)
    got = extract(body, "http://baokhanhhoa.vn/bai-viet-12345.html")
    assert got.title == "Cưỡng chế thi hành án tại Khánh Hoà"  # NFC, the page's own tone placement kept
    assert got.charset == "cp1258"
    assert "Chấp hành viên Chi cục Thi hành án dân sự" in got.text


def _windows_1258(text: str) -> bytes:
    """Windows-1258 has ư, ơ, â… precomposed but writes the five tone marks as combining characters."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for char in text:
        parts = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out.append(base + "".join(c for c in parts if c in tones))
    return "".join(out).encode("windows-1258")


def test_feed_entry_fills_what_the_page_lacks() -> None:
    page = b"<html><body><h1>Tin ngan</h1><p>Qua ngan.</p></body></html>"
    entry = Entry(
        url="https://baophapluat.vn/tin-ngan-123.html",
        title="Thi hành án dân sự tỉnh Nghệ An vượt chỉ tiêu",
        summary="Năm 2026, Thi hành án dân sự tỉnh Nghệ An thi hành xong 92% số việc có điều kiện, vượt chỉ tiêu.",
        published_at=datetime(2026, 11, 20, 1, 0, tzinfo=UTC),
    )
    got = extract(page, entry.url, entry=entry)
    assert got.text == entry.summary
    assert got.published_at == entry.published_at
    assert "text" in got.from_feed
    assert "published_at" in got.from_feed


def test_garbage_is_not_an_article() -> None:
    with pytest.raises(NotAnArticle):
        extract(b"\x00\x01\x02 not html at all")
