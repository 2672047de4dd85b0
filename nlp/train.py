"""`thads-monitor nlp train`: rebuild the models and their model card from the labelled data.

Data: the project's labels of the VietNews pool (read from the corpus folder by id), the project's own written
samples (nlp/data/written-samples.jsonl), and background negatives from the corpus sample (articles that
do not mention enforcement by construction of the pool). Method and figures: see the model card it writes.
"""

from __future__ import annotations

import gzip
import itertools
import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from multiprocessing import Pool
from pathlib import Path
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score, precision_score, recall_score
from sklearn.model_selection import KFold, StratifiedKFold
from sklearn.naive_bayes import ComplementNB
from sklearn.svm import LinearSVC

from nlp.card import blind_agreement, write_card
from nlp.classify import MODEL_DIR
from nlp.linear import LinearModel, split_marks
from nlp.province import detect_province
from nlp.tokens import cues, features, passes_gate, words
from storage.text import normalize_vietnamese

log = logging.getLogger(__name__)
DATA_DIR = Path(__file__).with_name("data")
RELEVANCE_FEATURES = 60000
SEED = 20261122


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
    source: str  # pool | written | background | feedback


@dataclass
class Report:
    metrics: dict[str, Any] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)


def _jsonl(path: Path) -> Iterable[tuple[int, dict[str, Any]]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if line.strip():
                try:
                    yield number, json.loads(line)
                except json.JSONDecodeError as exc:
                    raise TrainingError(f"{path}:{number}: JSON không hợp lệ ({exc.msg})") from exc


def load_examples(corpus: Path, labels: Path, written: Path, background: int) -> list[Example]:
    pool = {item["id"]: item for _, item in _jsonl(corpus / "vietnews-thads-pool.jsonl.gz")}
    examples: list[Example] = []
    for number, label in _jsonl(labels):
        item = pool.get(label.get("id"))
        if item is None:
            raise TrainingError(f"{labels}:{number}: mã bài {label.get('id')!r} không có trong kho {corpus}")
        examples.append(_example(item, label, "pool"))
    for _, item in _jsonl(written):
        examples.append(_example(item, item, "written"))
    for number, item in _jsonl(corpus / "vietnews-sample.jsonl.gz"):
        if number > background:
            break
        examples.append(_example(item, {"relevant": False}, "background"))
    return examples


def _example(item: dict[str, Any], label: dict[str, Any], source: str) -> Example:
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
    )


def _tokenize(example: Example) -> tuple[list[str], list[str]]:
    title, summary, text = words(example.title), words(example.summary), words(example.text)
    marks = cues(example.title, example.summary, example.text)
    return features(title, summary, text, marks=marks), features(title, summary, text, text_limit=400, marks=marks)


def grams(tokens: list[str]) -> list[str]:
    """Unigrams and bigrams of the words, exactly as LinearModel.vector builds them."""
    words_only, _ = split_marks(tokens)
    return words_only + [f"{a} {b}" for a, b in itertools.pairwise(words_only)]


def fit(docs: list[list[str]], labels: list[str], *, max_features: int | None, min_df: int, c: float) -> LinearModel:
    vectorizer = TfidfVectorizer(analyzer=grams, min_df=min_df, max_features=max_features, sublinear_tf=True)
    words_matrix = vectorizer.fit_transform(docs)
    present = [split_marks(doc)[1] for doc in docs]
    marks = sorted(set().union(*present))
    mark_matrix = csr_matrix(
        np.array([[1.0 if m in p else 0.0 for m in marks] for p in present]).reshape(len(docs), -1)
    )
    matrix = hstack([words_matrix, mark_matrix]).tocsr()
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=4000, random_state=SEED).fit(matrix, labels)
    return LinearModel(
        vocabulary={str(k): int(v) for k, v in vectorizer.vocabulary_.items()},
        idf=vectorizer.idf_.astype(np.float32),
        coef=model.coef_.astype(np.float32),
        intercept=model.intercept_.astype(np.float32),
        classes=tuple(str(c) for c in model.classes_),
        marks=tuple(marks),
    )


def _relevance_cv(docs: dict[str, list[str]], examples: list[Example], report: Report) -> float:
    pool = [e for e in examples if e.source == "pool"]
    extra = [e for e in examples if e.source != "pool"]
    y = np.array([e.relevant for e in pool])
    folds = StratifiedKFold(5, shuffle=True, random_state=SEED)
    probs = np.zeros(len(pool))
    baselines: dict[str, list[bool]] = {"ComplementNB": [False] * len(pool), "LinearSVC": [False] * len(pool)}
    for train, test in folds.split(pool, y):
        train_docs = [docs[pool[i].id] for i in train] + [docs[e.id] for e in extra]
        train_y = [str(pool[i].relevant) for i in train] + [str(e.relevant) for e in extra]
        model = fit(train_docs, train_y, max_features=RELEVANCE_FEATURES, min_df=2, c=8.0)
        for i in test:
            probs[i] = model.scores(docs[pool[i].id])["True"]
        vectorizer = TfidfVectorizer(analyzer=grams, min_df=2, max_features=RELEVANCE_FEATURES, sublinear_tf=True)
        matrix = vectorizer.fit_transform(train_docs)
        test_matrix = vectorizer.transform([docs[pool[i].id] for i in test])
        for name, estimator in (("ComplementNB", ComplementNB()), ("LinearSVC", LinearSVC(class_weight="balanced"))):
            for i, p in zip(test, estimator.fit(matrix, train_y).predict(test_matrix), strict=True):
                baselines[name][i] = p == "True"
    grid = [round(t, 2) for t in np.arange(0.25, 0.76, 0.05)]
    threshold = max(grid, key=lambda t: (f1_score(y, probs >= t), -abs(t - 0.5)))
    predicted = probs >= threshold
    report.metrics["relevance"] = {
        "method": "TF-IDF (underthesea words, 1-2 grams) + logistic regression",
        "threshold": threshold,
        "f1": round(float(f1_score(y, predicted)), 3),
        "precision": round(float(precision_score(y, predicted)), 3),
        "recall": round(float(recall_score(y, predicted)), 3),
        "baselines_f1": {k: round(float(f1_score(y, v)), 3) for k, v in baselines.items()},
    }
    return threshold


def _label_cv(field_name: str, docs: dict[str, list[str]], examples: list[Example], report: Report) -> None:
    real = [e for e in examples if e.source == "pool" and e.relevant]
    written = [e for e in examples if e.source == "written" and e.relevant]
    predicted: dict[str, str] = {}
    folds = KFold(5, shuffle=True, random_state=SEED)
    for (train_r, test_r), (train_w, test_w) in zip(folds.split(real), folds.split(written), strict=True):
        train = [real[i] for i in train_r] + [written[i] for i in train_w]
        model = fit(
            [docs[e.id] for e in train],
            [str(getattr(e, field_name)) for e in train],
            max_features=None,
            min_df=1,
            c=8.0,
        )
        for e in [real[i] for i in test_r] + [written[i] for i in test_w]:
            scores = model.scores(docs[e.id])
            predicted[e.id] = max(scores, key=lambda k: scores[k])
    for name, group in (("real", real), ("written", written)):
        truth = [str(getattr(e, field_name)) for e in group]
        guess = [predicted[e.id] for e in group]
        report.metrics.setdefault(field_name, {})[name] = {
            "n": len(group),
            "accuracy": round(float(accuracy_score(truth, guess)), 3),
            "macro_f1": round(float(f1_score(truth, guess, average="macro")), 3),
        }


def _province_check(examples: list[Example], report: Report) -> None:
    for name in ("pool", "written"):
        group = [e for e in examples if e.source == name and e.relevant]
        hits = sum(detect_province(e.title, e.summary, e.text).province == e.province for e in group)
        report.metrics.setdefault("province", {})["real" if name == "pool" else name] = {
            "n": len(group),
            "accuracy": round(hits / len(group), 3),
        }
    relevant = [e for e in examples if e.relevant]
    report.metrics["gate_recall"] = round(
        sum(passes_gate(e.title, e.summary, e.text) for e in relevant) / len(relevant), 4
    )


def train(
    corpus: Path,
    labels: Path,
    *,
    written: Path | None = None,
    out: Path = MODEL_DIR,
    background: int = 3000,
    workers: int = 2,
    extra: Sequence[Example] = (),
) -> Report:
    """Train and write the models and their card to `out`. `extra`: more labelled examples (monitors' label
    corrections and confirmations, source "feedback"), which only ever sit in training folds."""
    written = written or DATA_DIR / "written-samples.jsonl"
    examples = load_examples(corpus, labels, written, background) + list(extra)
    report = Report(counts={s: sum(e.source == s for e in examples) for s in ("pool", "written", "background")})
    report.counts["relevant_pool"] = sum(e.relevant for e in examples if e.source == "pool")
    log.info("tokenising %d articles with underthesea", len(examples))
    with Pool(workers) as pool:
        tokenized = pool.map(_tokenize, examples, chunksize=16)
    full = {e.id: t[0] for e, t in zip(examples, tokenized, strict=True)}
    head = {e.id: t[1] for e, t in zip(examples, tokenized, strict=True)}
    threshold = _relevance_cv(full, examples, report)
    for name in ("topic", "sentiment"):
        _label_cv(name, head, examples, report)
    _province_check(examples, report)

    relevant = [e for e in examples if e.relevant and e.source != "background"]
    out.mkdir(parents=True, exist_ok=True)
    fit(
        [full[e.id] for e in examples],
        [str(e.relevant) for e in examples],
        max_features=RELEVANCE_FEATURES,
        min_df=2,
        c=8.0,
    ).save(out / "relevance")
    for name in ("topic", "sentiment"):
        labels_of = [str(getattr(e, name)) for e in relevant]
        fit([head[e.id] for e in relevant], labels_of, max_features=None, min_df=1, c=8.0).save(out / name)
    trained_at = datetime.now(UTC)
    meta = {
        "version": f"thads-nlp-{trained_at:%Y%m%d}",
        "threshold": threshold,
        "trained_at": trained_at.isoformat(timespec="seconds"),
        "counts": report.counts,
        "metrics": report.metrics,
    }
    (out / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    blind = labels.with_name(labels.stem + "-blind60.jsonl")
    agreement = (
        blind_agreement(labels, blind)
        if blind.exists()
        else {"n": 0, "relevant": 0, "both_relevant": 0, "topic": 0, "sentiment": 0, "province": 0}
    )
    write_card(meta, agreement, out / "MODEL_CARD.md")
    return report
