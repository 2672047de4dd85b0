import pytest

from domain.text import fold_diacritics, normalize_vietnamese


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("Khánh Hoà", "Khánh Hòa"),
        ("Thanh Hoá", "Thanh Hóa"),
        ("thuỷ lợi, Uỷ ban, tuỳ", "thủy lợi, Ủy ban, tùy"),
        ("khoẻ mạnh", "khỏe mạnh"),
        ("hoàng, quý, quỳnh, khuya, toán", "hoàng, quý, quỳnh, khuya, toán"),  # closed syllables and qu- unchanged
        ("Tho\u0300a", "Thòa"),  # combining marks → NFC
        ("\u200bTổng  cục\u00a0THADS\n\n\n Hà Nội ", "Tổng cục THADS\nHà Nội"),
    ],
)
def test_normalize_vietnamese(raw: str, normal: str) -> None:
    assert normalize_vietnamese(raw) == normal
    assert normalize_vietnamese(normal) == normal


def test_fold_diacritics() -> None:
    assert fold_diacritics("Thi hành án dân sự ĐỒNG NAI") == "thi hanh an dan su dong nai"
    assert fold_diacritics("Khánh Hoà") == fold_diacritics("Khánh Hòa")
