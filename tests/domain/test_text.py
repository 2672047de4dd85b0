import gzip
import itertools
import json

import pytest

from domain.text import WORD, fold_diacritics, fold_words, normalize_vietnamese, tidy_text, tone_spellings
from tests.conftest import shared_path


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


@pytest.mark.parametrize("corpus", ["news-2026-sample", "vietnews-sample"])
def test_fold_words_gives_the_words_of_fold_diacritics_on_real_text(corpus: str) -> None:
    """The fast fold (one translate table) and the reference fold agree word for word on real articles."""
    with gzip.open(shared_path("corpus", f"{corpus}.jsonl.gz"), "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in itertools.islice(f, 600)]
    for row in rows:
        text = f"{row['title']}\n{row.get('summary', '')}\n{row['text']}"
        assert fold_words(text) == WORD.findall(fold_diacritics(text)), row["id"]


@pytest.mark.parametrize(
    "raw",
    [
        "Thi hành án dân sự ĐỒNG NAI",
        "Tho\u0300a thuận (NFD) – “Khánh Hoà”, Uỷ ban; đ/c Nguyễn_Văn_A\u200b B",
        "cư\u00adỡng chế 1.000.000 đồng; Đắk Lắk; Ấn Độ; İstanbul; Σίσυφος; Ωмск; 北京",
    ],
)
def test_fold_words_on_hard_characters(raw: str) -> None:
    assert fold_words(raw) == WORD.findall(fold_diacritics(raw))


def test_tone_spellings() -> None:
    assert tone_spellings("hòa") == ("hòa", "hoà")
    assert tone_spellings("thanh hóa") == ("thanh hóa", "thanh hoá")
    assert tone_spellings("thủy") == ("thủy", "thuỷ")
    assert tone_spellings("khỏe") == ("khỏe", "khoẻ")
    for word in ("quý", "hoàng", "toán", "khuya", "thi"):  # closed syllables, qu-, no tone: one spelling
        assert tone_spellings(word) == (word,)
    for word in ("hòa", "thủy", "khỏe"):
        assert {normalize_vietnamese(s) for s in tone_spellings(word)} == {word}
