"""The fixed validation set every model version is measured on, and the measure.

`nlp/data/validation-ids.txt` names the articles (a stratified sixth of the real labelled news, fixed once: see
nlp.dataset); their labels come from the label files and their text from the corpus folder. None of them is a
training example. A JSON-lines file (id + labels a line, text from any `*.jsonl[.gz]` of the corpus folder) may
stand in for it (`--validation`), e.g. for a small test.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from domain.text import normalize_vietnamese
from nlp.classify import Classifier, Document
from nlp.dataset import DATA_DIR, Example, TrainingError, load_real, validation_ids
from nlp.metrics import classification_figures, relevance_figures

VALIDATION_IDS = DATA_DIR / "validation-ids.txt"
ID = re.compile(r'"id":\s*"([^"]+)"')


@dataclass(frozen=True, slots=True, kw_only=True)
class Figures:
    """A model measured on the validation set: relevance on every article; topic, tone and province on the
    articles labelled relevant (whatever the model said about their relevance)."""

    n: int
    n_relevant: int
    relevance_precision: float
    relevance_recall: float
    relevance_f1: float
    topic_accuracy: float
    tone_macro_f1: float
    province_accuracy: float

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Figures:
        return cls(**{k: data[k] for k in cls.__dataclass_fields__})


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        yield from ((number, line) for number, line in enumerate(f, 1) if line.strip())


def _json(path: Path, number: int, line: str) -> dict[str, Any]:
    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        raise TrainingError(f"{path}:{number}: JSON không hợp lệ ({exc.msg})") from exc
    if not isinstance(item, dict) or "id" not in item:
        raise TrainingError(f"{path}:{number}: cần một đối tượng JSON có “id”")
    return item


def load_validation(corpus_dir: Path, ids_file: Path = VALIDATION_IDS) -> list[Example]:
    """The validation articles with their labels, in the file's order (source "validation")."""
    if not ids_file.exists():
        raise TrainingError(f"không có tệp tập kiểm định {ids_file}")
    if ids_file.suffix == ".txt":
        held = validation_ids(ids_file)
        chosen = [e for e in load_real(corpus_dir, ids_file.parent) if e.id in held]
        if len(chosen) != len(held):
            absent = sorted(held - {e.id for e in chosen})
            raise TrainingError(f"{ids_file}: mã bài {absent[0]!r} không có nhãn hoặc không có trong kho {corpus_dir}")
        return chosen
    labels = {}
    where = {}
    for number, line in _lines(ids_file):
        item = _json(ids_file, number, line)
        if "relevant" not in item:
            raise TrainingError(f"{ids_file}:{number}: thiếu nhãn “relevant”")
        labels[str(item["id"])] = item
        where[str(item["id"])] = number
    texts: dict[str, dict[str, Any]] = {}
    for path in sorted([*corpus_dir.glob("*.jsonl.gz"), *corpus_dir.glob("*.jsonl")]):
        for number, line in _lines(path):
            found = ID.search(line)  # parse only the lines wanted: the corpus holds tens of thousands
            if found is not None and found.group(1) in labels:
                texts[found.group(1)] = _json(path, number, line)
        if len(texts) == len(labels):
            break
    missing = [i for i in labels if i not in texts]
    if missing:
        raise TrainingError(
            f"{ids_file}:{where[missing[0]]}: mã bài {missing[0]!r} không có trong kho {corpus_dir}"
            + (f" (và {len(missing) - 1} mã khác)" if len(missing) > 1 else "")
        )
    return [
        Example(
            id=key,
            title=normalize_vietnamese(texts[key]["title"]),
            summary=normalize_vietnamese(texts[key].get("summary") or ""),
            text=normalize_vietnamese(texts[key]["text"]),
            relevant=bool(label["relevant"]),
            topic=label.get("topic"),
            sentiment=label.get("sentiment"),
            province=label.get("province"),
            source="validation",
        )
        for key, label in labels.items()
    ]


def evaluate(classifier: Classifier, examples: list[Example]) -> Figures:
    truth, said = [], []
    topics: list[tuple[str, str]] = []
    tones: list[tuple[str, str]] = []
    provinces: list[bool] = []
    for example in examples:
        doc = Document(id=example.id, title=example.title, summary=example.summary, text=example.text)
        result = classifier.classify(doc, read_all=example.relevant)
        truth.append(example.relevant)
        said.append(result.relevant)
        if example.relevant:
            topics.append((str(example.topic), str(result.topic)))
            tones.append((str(example.sentiment), str(result.sentiment)))
            provinces.append(result.province == example.province)
    relevance = relevance_figures(np.array(truth), np.array(said))
    tone = classification_figures([t for t, _ in tones], [s for _, s in tones])
    return Figures(
        n=len(examples),
        n_relevant=len(topics),
        relevance_precision=relevance["precision"],
        relevance_recall=relevance["recall"],
        relevance_f1=relevance["f1"],
        topic_accuracy=round(sum(t == s for t, s in topics) / len(topics), 4) if topics else 0.0,
        tone_macro_f1=tone.get("macro_f1", 0.0),
        province_accuracy=round(sum(provinces) / len(provinces), 4) if provinces else 0.0,
    )
