from __future__ import annotations

import importlib.util
import json
from collections import Counter
from types import ModuleType

import pytest

from domain.text import normalize_vietnamese
from nlp.entities import find_entities, money_value
from tests.conftest import REPO, shared_path

SAMPLES = REPO / "tests" / "nlp" / "samples"


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


def _benchmark() -> ModuleType:
    """benchmarks/entities.py: the gold set's reader and scorer (a script, not a package)."""
    spec = importlib.util.spec_from_file_location("entities_benchmark", REPO / "benchmarks" / "entities.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_gold_set_is_50_relevant_articles_with_spans_only() -> None:
    rows = [json.loads(line) for line in (SAMPLES / "entities-gold.jsonl").read_text("utf-8").splitlines()]
    pool = (REPO / "nlp/data/labels-vietnews-pool.jsonl").read_text("utf-8").splitlines()
    labels = {row["id"]: row for row in map(json.loads, pool)}
    assert len(rows) == len({r["id"] for r in rows}) == 50
    assert all(labels[r["id"]]["relevant"] for r in rows)
    assert all(set(r) == {"id", "entities"} for r in rows)  # no article text
    assert all(set(e) == {"kind", "text", "start", "end"} and len(e["text"]) < 60 for r in rows for e in r["entities"])


@pytest.mark.parametrize("ner", [True, False], ids=["ner", "no-ner"])
def test_precision_and_recall_on_the_hand_labelled_articles(ner: bool) -> None:
    """50 relevant articles of the VietNews pool, labelled by hand (tests/nlp/samples/entities-gold.jsonl): people
    and bodies found as the classifier finds them are right, and few are missed."""
    bench = _benchmark()
    gold = bench.load_gold()
    articles = bench.load_articles(shared_path("corpus"), set(gold))
    rows = [json.loads(line) for line in (SAMPLES / "entities-gold.jsonl").read_text("utf-8").splitlines()]
    for row in rows:  # every span points at its text in "headline\nlead\ntext" (normalised)
        full = "\n".join(normalize_vietnamese(x) for x in articles[row["id"]])
        assert all(full[e["start"] : e["end"]] == e["text"] for e in row["entities"]), row["id"]
    right: Counter[str] = Counter()
    found: Counter[str] = Counter()
    labelled: Counter[str] = Counter()
    for article_id, expected in gold.items():
        got = bench.predicted(*articles[article_id], ner=ner)
        found.update(kind for kind, _ in got)
        labelled.update(kind for kind, _ in expected)
        right.update(kind for kind, _ in got & expected)
    for kind in ("person", "body"):
        assert right[kind] / found[kind] >= 0.97, (kind, right[kind], found[kind])  # precision
        assert right[kind] / labelled[kind] >= 0.95, (kind, right[kind], labelled[kind])  # recall


@pytest.mark.parametrize(
    ("text", "bodies", "people"),
    [
        (
            "Cục THADS tỉnh Lạng Sơn đã tổ chức cưỡng chế. Ông Hoàng Văn Nam, Cục trưởng Cục THADS tỉnh Lạng Sơn "
            "cho biết Lạng Sơn sẽ tiếp tục.",
            ["Cục THADS tỉnh Lạng Sơn"],
            ["Hoàng Văn Nam"],
        ),
        (
            "Trao đổi với phóng viên, bà Hoàng Thị Thu Hằng - Chi cục trưởng chi cục Thi hành án dân sự TP. Phúc Yên, "
            "tỉnh Vĩnh Phúc thừa nhận sự chậm trễ. Bà Hằng đã hứa với ông Trần Quốc Biên.",
            ["chi cục Thi hành án dân sự TP. Phúc Yên"],
            ["Hoàng Thị Thu Hằng", "Trần Quốc Biên"],
        ),
        (
            "Đại diện Tổng cục Thi hành án dân sự - Bộ Tư pháp thông tin. Cục Thi hành án dân sự tỉnh Bà Rịa - Vũng "
            "Tàu có quyết định cưỡng chế; Cục Thi hành án dân sự TP. HCM - Ảnh: TUYẾT MAI. Đường Nguyễn Thị Minh Khai.",
            [
                "Tổng cục Thi hành án dân sự",
                "Cục Thi hành án dân sự tỉnh Bà Rịa - Vũng Tàu",
                "Cục Thi hành án dân sự TP. HCM",
            ],
            [],
        ),
        (
            "Tập đoàn Đại Dương Hà Văn Thắm thành lập. Luật sư Tạ Quang Tòng - phó chủ nhiệm Đoàn luật sư Đắk Lắk.\n"
            "Vũ Tuấn",
            [],
            ["Hà Văn Thắm", "Tạ Quang Tòng"],
        ),
    ],
)
def test_bodies_end_at_their_name_and_people_are_people(text: str, bodies: list[str], people: list[str]) -> None:
    found = find_entities(text)
    assert [e.text for e in found if e.kind == "body"] == bodies
    assert [e.text for e in found if e.kind == "person"] == people
