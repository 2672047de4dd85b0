"""The labelled data the models learn from, by source.

Sources (the model card reports every figure per source):
- `vietnews`: real news of 2016–2019 (VietNews: tuoitre, vnexpress, nguoiduatin), the project's labels of the
  THADS pool (`labels-vietnews-pool.jsonl`) and of the real hard negatives of the sample
  (`labels-vietnews-sample.jsonl`);
- `news2026`: real news of January–February 2026 (`labels-news-2026.jsonl`);
- `legalqa`: real legal Q&A explainers (not news, `labels-legal-qa.jsonl`);
- `written`: articles written for the project (`written-*.jsonl`), never in a test fold;
- `augmented`: real articles with their bodies and laws named in another period's words (nlp.augment), made at
  training time, never in a test fold;
- `feedback`: monitors' corrections and confirmations from the database, never in a test fold.
Texts of real articles are read from the corpus folder by id; the repository keeps ids and labels only.
A fixed validation set (`validation-ids.txt`: a stratified sixth of the real news) is never trained on:
it is what a retrained model must not do worse on.
"""

from __future__ import annotations

import gzip
import json
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from domain.enums import Sentiment
from domain.labels import taxonomy
from domain.text import normalize_vietnamese
from nlp.augment import PERIODS, changes, rewrite

DATA_DIR = Path(__file__).with_name("data")
VALIDATION_IDS = DATA_DIR / "validation-ids.txt"
REAL_SOURCES = ("vietnews", "news2026", "legalqa")
TRAIN_ONLY = ("written", "augmented", "feedback", "background")

# label file → (corpus file, source)
LABEL_FILES: dict[str, tuple[str, str]] = {
    "labels-vietnews-pool.jsonl": ("vietnews-thads-pool.jsonl.gz", "vietnews"),
    "labels-vietnews-sample.jsonl": ("vietnews-sample.jsonl.gz", "vietnews"),
    "labels-news-2026.jsonl": ("news-2026-sample.jsonl.gz", "news2026"),
    "labels-legal-qa.jsonl": ("legal-qa-sample.jsonl.gz", "legalqa"),
}


class TrainingError(Exception):
    """Missing or inconsistent training data; the message names the file and line."""


@dataclass(frozen=True, slots=True)
class Example:
    id: str
    title: str
    summary: str
    text: str
    relevant: bool
    topic: str | None
    sentiment: str | None
    province: str | None
    source: str  # vietnews | news2026 | legalqa | written | augmented | feedback | background
    origin: str = ""  # the real article an augmented variant comes from (its own id otherwise)
    period: str | None = None  # of the wording: truoc_2009 | 2009_2025 | tu_2025, where known

    @property
    def root(self) -> str:
        return self.origin or self.id


def read_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if line.strip():
                try:
                    yield number, json.loads(line)
                except json.JSONDecodeError as exc:
                    raise TrainingError(f"{path}:{number}: JSON không hợp lệ ({exc.msg})") from exc


def example(item: dict[str, Any], label: dict[str, Any], source: str, **extra: Any) -> Example:
    return Example(
        id=str(item["id"]),
        title=normalize_vietnamese(item["title"]),
        summary=normalize_vietnamese(item.get("summary") or ""),
        text=normalize_vietnamese(item["text"]),
        relevant=bool(label["relevant"]),
        topic=label.get("topic"),
        sentiment=label.get("sentiment"),
        province=label.get("province"),
        source=source,
        period=label.get("period"),
        **extra,
    )


def check_vocabulary(examples: Iterable[Example]) -> None:
    """Every topic and tone label is a code of domain/taxonomy.yaml: the models learn only what users can be shown."""
    topics = taxonomy().topic_names
    for e in examples:
        if e.topic is not None and e.topic not in topics:
            raise TrainingError(f"bài {e.id} ({e.source}): chủ đề “{e.topic}” không có trong domain/taxonomy.yaml")
        if e.sentiment is not None and e.sentiment not in list(Sentiment):
            raise TrainingError(f"bài {e.id} ({e.source}): sắc thái “{e.sentiment}” không hợp lệ")


def load_real(corpus: Path, data_dir: Path = DATA_DIR) -> list[Example]:
    """The labelled real articles of every label file present in `data_dir`."""
    files = [(data_dir / name, corpus_file, source) for name, (corpus_file, source) in LABEL_FILES.items()]
    out: list[Example] = []
    seen: set[str] = set()
    for path, corpus_file, source in files:
        if not path.exists():
            continue
        wanted = {label["id"]: (number, label) for number, label in read_jsonl(path)}
        items = {item["id"]: item for _, item in read_jsonl(corpus / corpus_file) if item["id"] in wanted}
        for item_id, (number, label) in wanted.items():
            if item_id not in items:
                raise TrainingError(f"{path}:{number}: mã bài {item_id!r} không có trong {corpus / corpus_file}")
            if item_id not in seen:
                seen.add(item_id)
                out.append(example(items[item_id], label, source))
    return out


def load_pool_labels(corpus: Path, labels: Path) -> list[Example]:
    """One label file of VietNews-pool articles (a test's small set, or a labeller's file to try)."""
    wanted = {label["id"]: (number, label) for number, label in read_jsonl(labels)}
    items = {i["id"]: i for _, i in read_jsonl(corpus / "vietnews-thads-pool.jsonl.gz") if i["id"] in wanted}
    for item_id, (number, _) in wanted.items():
        if item_id not in items:
            raise TrainingError(f"{labels}:{number}: mã bài {item_id!r} không có trong {corpus}")
    return [example(items[i], label, "vietnews") for i, (_, label) in wanted.items()]


def load_written(data_dir: Path = DATA_DIR) -> list[Example]:
    return [
        example(item, item, "written")
        for path in sorted(data_dir.glob("written-*.jsonl"))
        for _, item in read_jsonl(path)
    ]


def load_written_file(path: Path) -> list[Example]:
    return [example(item, item, "written") for _, item in read_jsonl(path)]


def load_background(corpus: Path, count: int, exclude: set[str]) -> list[Example]:
    """General news of the corpus sample that mentions no enforcement term (by construction of the pool)."""
    out: list[Example] = []
    if count <= 0:
        return out
    for _, item in read_jsonl(corpus / "vietnews-sample.jsonl.gz"):
        if item["id"] not in exclude:
            out.append(example(item, {"relevant": False}, "background"))
            if len(out) >= count:
                break
    return out


def augment(real: Iterable[Example]) -> list[Example]:
    """Period variants of the real news that names enforcement bodies or laws (labels kept)."""
    out: list[Example] = []
    for e in real:
        if e.source != "vietnews":
            continue
        for period in PERIODS:
            body = f"{e.title}\n{e.summary}\n{e.text}"
            if changes(body, period):
                out.append(
                    replace(
                        e,
                        id=f"{e.id}~{period}",
                        title=rewrite(e.title, period),
                        summary=rewrite(e.summary, period),
                        text=rewrite(e.text, period),
                        source="augmented",
                        origin=e.id,
                        period=period,
                    )
                )
    return out


def validation_ids(path: Path = VALIDATION_IDS) -> set[str]:
    return (
        {line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()}
        if path.exists()
        else set()
    )


def choose_validation(real: list[Example], share: float = 1 / 6, seed: int = 20261202) -> list[str]:
    """A stratified sample of the real news (relevant and not, per source), fixed once and kept in the repo."""
    rng = random.Random(seed)
    chosen: list[str] = []
    for source in REAL_SOURCES:
        for relevant in (True, False):
            group = sorted(e.id for e in real if e.source == source and e.relevant is relevant)
            rng.shuffle(group)
            chosen += group[: round(len(group) * share)]
    return sorted(chosen)
