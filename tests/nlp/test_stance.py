"""The draft-feedback reader: provisions by regex (a table), passages, the stance model on real wording."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlp.stance import article_of, passages, provisions, read_passage, rule_stance

LABELS = Path(__file__).parents[2] / "nlp" / "data" / "labels-draft-stance.jsonl"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Do đó, điều 12 dự thảo luật giữ lại 2 trường hợp không đề nghị đặc xá.", ("Điều 12",)),
        ("Đề nghị sửa khoản 3 Điều 5 theo hướng rõ hơn.", ("khoản 3 Điều 5",)),
        ("Quy định tại điểm a khoản 2 Điều 7 chưa phù hợp.", ("điểm a khoản 2 Điều 7",)),
        ("Điểm đ khoản 1 Điều 20 và Điều 21 cần bỏ.", ("điểm đ khoản 1 Điều 20", "Điều 21")),
        ("Sửa khoản 1, 2 Điều 9 của dự thảo.", ("khoản 1, 2 Điều 9",)),
        ("Điều 12 nêu rõ; Điều 12 cũng quy định thêm.", ("Điều 12",)),
        ("Dự thảo luật gồm 17 chương, 221 điều, giảm 21 điều.", ()),
        ("Điều kiện để được đề nghị đặc xá có thêm nội dung mới.", ()),
        ("Điều 3a được bổ sung.", ("Điều 3a",)),
    ],
)
def test_provisions_table(text: str, expected: tuple[str, ...]) -> None:
    assert provisions(text) == expected


def test_article_of_orders_by_article_number() -> None:
    assert article_of("điểm a khoản 2 Điều 7") == 7
    assert article_of("Ý kiến chung") is None


def test_passages_keep_line_index_and_source_spelling() -> None:
    text = "Tiêu đề ngắn\nĐại biểu Đặng Thuần Phong lo ngại người nghèo không có tiền sẽ không được đặc xá.\n\nẢnh"
    found = passages(text)
    assert [(p.index, p.text[:9]) for p in found] == [(1, "Đại biểu ")]


def test_rules_on_real_wording() -> None:
    assert (
        rule_stance("Đại biểu Đặng Thuần Phong lo ngại người nghèo không có tiền sẽ không được đặc xá.") == "phan_doi"
    )
    assert rule_stance(
        "Chung quan điểm, ông Trương Trọng Nghĩa đề nghị bỏ quy định giao đất 99 năm tại dự thảo luật."
    ) == ("de_xuat_sua_doi")
    assert rule_stance("Tôi ủng hộ cách tiếp cận này, ông Lưu nói.") == "ung_ho"
    assert rule_stance("Dự án Luật đặc xá (sửa đổi) sẽ được trình Quốc hội tại kỳ họp thứ 5.") == "trung_lap"


def test_shipped_model_reads_a_stance() -> None:
    reading = read_passage(
        "Chung quan điểm, ông Trương Trọng Nghĩa đề nghị bỏ quy định giao đất 99 năm tại dự thảo luật."
    )
    assert reading.stance == "de_xuat_sua_doi"
    assert set(reading.scores) <= {"ung_ho", "phan_doi", "de_xuat_sua_doi", "trung_lap"}


def test_labels_file_is_ids_and_labels_only() -> None:
    rows = [json.loads(line) for line in LABELS.read_text("utf-8").splitlines()]
    assert len(rows) >= 200
    assert all(set(r) == {"id", "passage", "draft", "stance", "provision"} for r in rows)
    assert {r["stance"] for r in rows} == {"ung_ho", "phan_doi", "de_xuat_sua_doi", "trung_lap"}
    assert len({r["draft"] for r in rows}) >= 3
