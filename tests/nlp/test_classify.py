"""The shipped models on the guide's boundary cases, and the gate never drops a labelled relevant article."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from nlp.classify import Classifier, Document, ModelError, as_json

SAMPLES = [
    json.loads(line)
    for line in Path(__file__).with_name("samples").joinpath("boundary.jsonl").read_text(encoding="utf-8").splitlines()
]


@pytest.fixture(scope="module")
def classifier() -> Classifier:
    return Classifier.load()


@pytest.mark.parametrize("sample", SAMPLES, ids=[s["id"] for s in SAMPLES])
def test_boundary_cases_of_the_guide(classifier: Classifier, sample: dict[str, Any]) -> None:
    doc = Document(id=sample["id"], title=sample["title"], summary=sample["summary"], text=sample["text"])
    result = classifier.classify(doc)
    assert result.relevant is sample["relevant"]
    for field in ("topic", "sentiment", "province"):
        if field in sample:
            assert getattr(result, field) == sample[field]
    if not result.relevant:
        assert (result.topic, result.sentiment, result.province) == (None, None, None)


def test_result_uses_the_guides_value_names(classifier: Classifier) -> None:
    doc = Document(id="x", title=SAMPLES[-1]["title"], summary=SAMPLES[-1]["summary"], text=SAMPLES[-1]["text"])
    out = as_json(classifier.classify(doc), "x")
    assert set(out) == {"id", "relevant", "relevance_score", "topic", "sentiment", "province", "entities"}
    assert out["topic"] in classifier.topic.classes
    assert out["sentiment"] in ("tieu_cuc", "trung_lap", "tich_cuc")


def test_missing_models_are_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="thads-monitor nlp train"):
        Classifier.load(tmp_path)
