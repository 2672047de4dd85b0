import pytest

from domain.text import fold_diacritics, normalize_vietnamese, tidy_text


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


def test_tidy_text_keeps_the_authors_spelling() -> None:
    """Stored and shown text keeps its tone placement (a quotation stays verbatim); only matching unifies it."""
    raw = "Uỷ ban nhân dân tỉnh Thanh Hoá thoả thuận\u200b với  ông A\u0300\n\n"
    assert tidy_text(raw) == "Uỷ ban nhân dân tỉnh Thanh Hoá thoả thuận với ông À"
    assert normalize_vietnamese(tidy_text(raw)) == "Ủy ban nhân dân tỉnh Thanh Hóa thỏa thuận với ông À"
