from __future__ import annotations

import pytest

from nlp.entities import find_entities, money_value


@pytest.mark.parametrize(
    ("number", "unit", "vnd"),
    [
        ("1,2", "tỷ", 1.2e9),
        ("350.000.000", None, 3.5e8),
        ("15", "triệu", 1.5e7),
        ("2.500", "tỷ", 2.5e12),
        ("1.073", "tỉ", 1.073e12),
        ("3", "nghìn tỷ", 3e12),
    ],
)
def test_money_is_normalised_to_vnd(number: str, unit: str | None, vnd: float) -> None:
    assert money_value(number, unit) == pytest.approx(vnd)


def test_entities_of_an_enforcement_article() -> None:
    text = (
        "Ngày 12/3, Chi cục THADS huyện Hàm Thuận Bắc tổ chức thi hành Bản án số 12/2019/DS-ST và Quyết định thi "
        "hành án số 112/QĐ-CCTHADS, buộc ông Nguyễn Văn Ánh trả bà Trần Thị Hòa 1,2 tỷ đồng. "
        "Thi hành án dân sự tỉnh Lâm Đồng cho biết sẽ xử lý 350.000.000 đồng còn lại."
    )
    found = {(e.kind, e.text) for e in find_entities(text)}
    assert ("body", "Chi cục THADS huyện Hàm Thuận Bắc") in found
    assert ("body", "Thi hành án dân sự tỉnh Lâm Đồng") in found
    assert ("judgment", "12/2019/DS-ST") in found
    assert ("decision", "112/QĐ-CCTHADS") in found
    assert ("person", "Nguyễn Văn Ánh") in found
    assert ("person", "Trần Thị Hòa") in found
    money = sorted(e.value or 0 for e in find_entities(text) if e.kind == "money")
    assert money == [3.5e8, 1.2e9]
    bodies = {e.text: e.province for e in find_entities(text) if e.kind == "body"}
    assert bodies["Chi cục THADS huyện Hàm Thuận Bắc"] == "Lâm Đồng"


def test_people_from_ner_on_the_lead() -> None:
    from nlp.entities import ner_people

    names = ner_people("Chấp hành viên Lê Văn Tám cưỡng chế giao nhà cho bà Phạm Thị Mai ở Cần Thơ")
    assert "Lê Văn Tám" in names or "Phạm Thị Mai" in names
