"""The library-set measure (nlp/library_set.py) over real articles: labels with addresses, texts given apart.

The library set's own pages are not in the repository, so the measure is checked on real VietNews articles of the
labelled pool, given the way the library pages are: a labels file of addresses and a pages file of texts.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from nlp.classify import Classifier
from nlp.library_set import measure, split_page
from tests.conftest import shared_path

POOL = "vietnews-thads-pool.jsonl.gz"


def _pool(wanted: dict[str, dict[str, object]]) -> dict[str, dict[str, str]]:
    with gzip.open(shared_path("corpus", POOL), "rt", encoding="utf-8") as f:
        return {item["id"]: item for item in map(json.loads, f) if item["id"] in wanted}


def test_the_measure_reads_pages_by_address_and_counts_the_missing(tmp_path: Path) -> None:
    labels = {
        json.loads(line)["id"]: json.loads(line)
        for line in Path("nlp/data/labels-vietnews-pool.jsonl").read_text("utf-8").splitlines()
    }
    relevant = [i for i, lab in labels.items() if lab["relevant"] and lab["province"] != "toan_quoc"][:6]
    negative = [i for i, lab in labels.items() if not lab["relevant"]][:3]
    items = _pool({i: labels[i] for i in relevant + negative})
    assert len(items) == 9
    label_file, pages_file = tmp_path / "labels.jsonl", tmp_path / "pages.jsonl"
    with label_file.open("w", encoding="utf-8") as out:
        for i in [*relevant, *negative, "absent"]:
            lab = labels.get(i, {"relevant": True, "topic": "khac", "sentiment": "trung_lap", "province": "Huế"})
            out.write(json.dumps({**lab, "url": f"https://example.vn/{i}", "year": 2017}, ensure_ascii=False) + "\n")
    with pages_file.open("w", encoding="utf-8") as out:
        for i, item in items.items():
            text = f"{item['title']}\n{item.get('summary', '')}\n{item['text']}"
            out.write(json.dumps({"url": f"https://example.vn/{i}", "title": None, "text": text}, ensure_ascii=False))
            out.write("\n")

    m = measure(Classifier.load(use_ner=False), pages_file, label_file)

    assert (m["labelled"], m["pages"], m["relevant"], m["negatives"]) == (10, 9, 6, 3)
    assert m["caught"] >= 5  # VietNews is trained on: the measure, not the model, is under test
    assert m["topic"]["n"] == 6
    assert m["sentiment"]["n"] == 6
    assert m["province"] >= 0.8
    assert set(m["by_period"]) == {"2009–2024"}


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (
            {"title": None, "text": "Cưỡng chế giao nhà ở Huế\nSáng 5/3, Chi cục THADS …\nThân bài."},
            ("Cưỡng chế giao nhà ở Huế", "Sáng 5/3, Chi cục THADS …", "Thân bài."),
        ),
        ({"title": "Tiêu đề", "text": "Sapo.\n\nĐoạn một.\nĐoạn hai."}, ("Tiêu đề", "Sapo.", "Đoạn một.\nĐoạn hai.")),
    ],
)
def test_a_page_splits_into_headline_lead_and_body(page: dict[str, str | None], expected: tuple[str, str, str]) -> None:
    assert split_page(page) == expected
