"""Province of the body concerned: the 34 current units, former names mapped, THADS body names in all forms."""

from __future__ import annotations

import pytest

from nlp.province import detect_province


@pytest.mark.parametrize(
    ("text", "province"),
    [
        ("Chi cục THADS thị xã Ngã Năm, tỉnh Sóc Trăng tổ chức cưỡng chế giao nhà.", "Cần Thơ"),
        ("Sóc Trăng: cưỡng chế thi hành án một vụ tranh chấp đất.", "Cần Thơ"),
        ("Chấp hành viên Chi cục THADS huyện Hàm Thuận Bắc kê biên quyền sử dụng đất.", "Lâm Đồng"),
        ("Chi cục THADS quận 1 tổ chức thi hành bản án kinh doanh thương mại.", "Hồ Chí Minh"),
        ("Cục THADS tỉnh Bình Dương đấu giá tài sản kê biên của công ty.", "Hồ Chí Minh"),
        ("THADS TP. HCM thu hồi hơn 1.000 tỷ đồng trong năm.", "Hồ Chí Minh"),
        ("Thi hành án dân sự TP. Hồ Chí Minh tổ chức hội nghị.", "Hồ Chí Minh"),
        ("Phòng THADS khu vực 3 – Đắk Lắk cưỡng chế bàn giao tài sản.", "Đắk Lắk"),
        ("Thi hành án dân sự tỉnh Thanh Hoá hoàn thành chỉ tiêu.", "Thanh Hóa"),
        ("Cục THADS tỉnh Thừa Thiên - Huế tiếp nhận đơn của bà Lan.", "Huế"),
        ("Chi cục THADS huyện Đức Trọng (Lâm Đồng) tổ chức cưỡng chế.", "Lâm Đồng"),
        ("Cục THADS tỉnh Kon Tum phối hợp với Công an tỉnh.", "Quảng Ngãi"),
        ("Chi cục THADS thành phố Thủ Dầu Một tổ chức cưỡng chế.", "Hồ Chí Minh"),
        ("Cục THADS tỉnh Hà Giang tổ chức hội nghị triển khai nhiệm vụ.", "Tuyên Quang"),
        ("Chi cục THADS huyện Cái Bè, tỉnh Tiền Giang giải quyết khiếu nại.", "Đồng Tháp"),
    ],
)
def test_former_names_map_to_the_current_unit(text: str, province: str) -> None:
    assert detect_province(text, "", text).province == province


def test_the_body_beats_a_passing_mention() -> None:
    text = (
        "Người phải thi hành án hiện sống ở Hà Nội, nhưng tài sản bị kê biên nằm tại Đà Lạt. "
        "Chi cục THADS thành phố Đà Lạt đã tổ chức cưỡng chế, có sự phối hợp của Công an tỉnh Lâm Đồng."
    )
    assert detect_province("Cưỡng chế biệt thự của người nợ tiền", "", text).province == "Lâm Đồng"


def test_a_law_or_the_central_body_is_nationwide() -> None:
    title = "Tổng cục THADS: cả nước thi hành xong hơn 500 nghìn việc"
    text = (
        "Theo Tổng cục Thi hành án dân sự (Bộ Tư pháp), năm 2019 toàn hệ thống đã thi hành xong. "
        "Hà Nội và TP.HCM dẫn đầu."
    )
    assert detect_province(title, "", text).province == "toan_quoc"


def test_a_legal_question_and_answer_is_nationwide() -> None:
    text = (
        "Hỏi: Tôi ở huyện Bình Sơn, tỉnh Quảng Ngãi, được tòa tuyên cho nhận lại 200 triệu đồng. Bản án đã có hiệu "
        "lực 6 năm, tôi còn yêu cầu thi hành án được không?\nTrả lời: Theo quy định tại Điều 30 Luật Thi hành án "
        "dân sự, thời hiệu yêu cầu thi hành án là 5 năm."
    )
    assert detect_province("Bản án quá 5 năm còn được thi hành?", "", text).province == "toan_quoc"


def test_no_place_falls_back_to_the_outlet_then_nationwide() -> None:
    text = "Chấp hành viên đã vận động người phải thi hành án tự nguyện giao nhà."
    assert detect_province("Vận động giao nhà", "", text, home_province="Nghệ An").province == "Nghệ An"
    assert detect_province("Vận động giao nhà", "", text).province == "toan_quoc"
