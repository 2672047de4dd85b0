"""Lines left out by their wording (crawler/lines.py): box labels and calls to readers, never real sentences."""

from __future__ import annotations

import pytest

from crawler.lines import clean_lines, is_boiler_line


@pytest.mark.parametrize(
    "line",
    [
        "Xem thêm: rập khuôn, dạy văn, học văn, bài văn lạ, học trò, giáo dục",  # zing2
        "Tin liên quan",
        "Từ khóa: buôn ma túy, bán ma túy, chất cấm",  # thanhnien1
        "Chia sẻ bài viết của bạn về sự tàn phá môi trường tại đây.",  # vnexpress3
        "Ảnh: Misso",
        "Thứ năm, 20/12/2012, 10:18 GMT+7",
        ">> Buôn lậu ma túy bằng đại bác",
    ],
)
def test_boilerplate_lines(line: str) -> None:
    assert is_boiler_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "Chia sẻ với phóng viên, chị Hương cho biết Trung vẫn chưa trả tiền hụi",
        "Ảnh hưởng của kỳ nghỉ Tết Dương lịch kéo dài đến 4 ngày",
        "Nguồn tin cho biết Trung đã ra đầu thú",
        "Sự kiện diễn ra tại Tòa Phúc thẩm TAND Tối cao",
        "Bình luận về vụ án, luật sư cho rằng mức án là thỏa đáng.",
    ],
)
def test_sentences_that_open_with_the_same_words_are_kept(line: str) -> None:
    assert not is_boiler_line(line)
    assert clean_lines(f"{line}\nĐoạn thứ hai của bài viết.", "", "")[0][0] == line


def test_a_date_opening_a_later_paragraph_is_kept() -> None:
    text = "Đoạn một.\nĐoạn hai.\nĐoạn ba.\n26/12/2012 là ngày Tòa Phúc thẩm tuyên y án 18 năm tù."
    assert clean_lines(text, "", "")[0][-1] == "26/12/2012 là ngày Tòa Phúc thẩm tuyên y án 18 năm tù."
