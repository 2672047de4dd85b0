"""Small real training data for the learning-loop tests: articles of the VietNews pool with the project's labels,
written samples and background articles, cut to their first paragraphs so that a model trains in seconds; a fixed
validation set of other pool articles; and a "wrong" label set (relevance inverted, topics and tones rotated) that
makes a model worse by construction."""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.conftest import REPO, shared_path

CUT = 400  # characters of text kept per article
TOPICS = ["cuong_che_tai_san", "dau_gia_tai_san", "khieu_nai_to_cao", "sai_pham_can_bo", "tin_dung_ngan_hang", "khac"]
TONES = ["tieu_cuc", "trung_lap", "tich_cuc"]


@dataclass(frozen=True)
class LearningData:
    corpus: Path
    labels: Path
    wrong_labels: Path
    written: Path
    wrong_written: Path
    validation: Path
    background: int


def _read(path: Path) -> list[dict[str, Any]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _write(path: Path, rows: list[dict[str, Any]]) -> Path:
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    if path.suffix == ".gz":
        path.write_bytes(gzip.compress(text.encode()))
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _cut(item: dict[str, Any]) -> dict[str, Any]:
    return {**item, "text": item["text"][:CUT]}


def _wrong(label: dict[str, Any]) -> dict[str, Any]:
    """Relevance inverted; a relevant article's topic and tone replaced by another one."""
    if label["relevant"]:
        return {**label, "relevant": False, "topic": None, "sentiment": None, "province": None}
    return {**label, "relevant": True, "topic": "khac", "sentiment": "tich_cuc", "province": "toan_quoc"}


def _rotated(item: dict[str, Any]) -> dict[str, Any]:
    topic, tone = item.get("topic"), item.get("sentiment")
    return {
        **item,
        "topic": TOPICS[(TOPICS.index(topic) + 1) % len(TOPICS)] if topic in TOPICS else "cuong_che_tai_san",
        "sentiment": TONES[(TONES.index(tone) + 1) % len(TONES)] if tone in TONES else "tieu_cuc",
    }


def learning_data(folder: Path, *, relevant: int = 20, other: int = 30, held: int = 15) -> LearningData:
    """Training: `relevant` + `other` labelled pool articles; validation: `held` relevant and `held` other ones."""
    labels = _read(REPO / "nlp" / "data" / "labels-vietnews-pool.jsonl")
    yes = [x for x in labels if x["relevant"]]
    no = [x for x in labels if not x["relevant"]]
    train = yes[:relevant] + no[:other]
    validation = yes[relevant : relevant + held] + no[other : other + held]
    wanted = {x["id"] for x in train + validation}
    corpus = folder / "corpus"
    corpus.mkdir(parents=True)
    pool = [_cut(x) for x in _read(shared_path("corpus", "vietnews-thads-pool.jsonl.gz")) if x["id"] in wanted]
    _write(corpus / "vietnews-thads-pool.jsonl.gz", pool)
    background = []
    with gzip.open(shared_path("corpus", "vietnews-sample.jsonl.gz"), "rt", encoding="utf-8") as f:
        for line in f:
            background.append(_cut(json.loads(line)))
            if len(background) == 10:
                break
    _write(corpus / "vietnews-sample.jsonl.gz", background)
    written = [_cut(x) for x in _read(REPO / "nlp" / "data" / "written-samples.jsonl") if x["relevant"]][:15]
    return LearningData(
        corpus=corpus,
        labels=_write(folder / "labels.jsonl", train),
        wrong_labels=_write(folder / "labels-wrong.jsonl", [_wrong(x) for x in train]),
        written=_write(folder / "written.jsonl", written),
        wrong_written=_write(folder / "written-wrong.jsonl", [_rotated(x) for x in written]),
        validation=_write(folder / "validation-ids.jsonl", validation),
        background=len(background),
    )
