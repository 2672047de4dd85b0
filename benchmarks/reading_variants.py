"""Alternatives to the shipped reading models, measured out of source (issue 14: choose methods on data from
another source than the one trained on).

Each variant is trained as `nlp train` trains the shipped one and scored the way the model card scores it:
relevance F1 on VietNews predicted by a model trained without VietNews (threshold chosen on those out-of-source
predictions for the news, as `nlp train` does), topic accuracy and tone macro-F1 on the real relevant articles of
each source predicted without that source; beside each, the figure on the fixed validation set of a model
trained on everything. Tokens are cached (underthesea segmentation is most of the cost).

    .venv/bin/python benchmarks/reading_variants.py --corpus ../shared/corpus [--cache /tmp/tokens.jsonl] [VARIANT ...]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

import nlp.train as training
from domain.text import normalize_vietnamese
from nlp.dataset import DATA_DIR, REAL_SOURCES, Example, augment, load_real, load_written, validation_ids
from nlp.metrics import classification_figures, relevance_figures
from nlp.tokens import passes_gate, reading_window

Scorer = Callable[[Example], float]  # relevance probability
Labeller = Callable[[Example], str]  # topic or tone


class Data:
    def __init__(self, corpus: Path, cache: Path | None) -> None:
        held = validation_ids(DATA_DIR / "validation-ids.txt")
        real_all = load_real(corpus, DATA_DIR)
        self.real = [e for e in real_all if e.id not in held]
        self.validation = [e for e in real_all if e.id in held]
        self.extra = load_written(DATA_DIR) + augment(self.real)
        self.docs = training.tokenize(self.real + self.validation + self.extra, cache=cache)
        self.source_of = {e.id: e.source for e in self.real}

    def without(self, source: str) -> list[Example]:
        """Training set for predicting `source`: the other real sources, written articles, and augmented
        variants of the other sources only."""
        extra = [e for e in self.extra if self.source_of.get(e.origin, e.source) != source]
        return [e for e in self.real if e.source != source] + extra

    def head(self, e: Example, words: int) -> list[str]:
        tokens = self.docs[e.id][training.VIEW_HEAD]
        marked = sum(1 for t in tokens if t.startswith("T_"))  # the headline and lead, marked then plain
        return tokens[: 2 * marked + words]


def word_relevance(data: Data, c: float, marks: bool = True, chars: bool = False) -> Callable[[list[Example]], Scorer]:
    def view(e: Example) -> list[str]:
        tokens = data.docs[e.id][training.VIEW_FULL]
        return tokens if marks else [t for t in tokens if not t.startswith("CUE_")]

    def make(train: list[Example]) -> Scorer:
        model = training.fit(
            [view(e) for e in train],
            [str(e.relevant) for e in train],
            max_features=80000,
            min_df=2,
            c=c,
            binary=True,
            texts=[training.char_text(e) for e in train] if chars else None,
        )
        return lambda e: model.scores(view(e), training.char_text(e) if chars else "")["True"]

    return make


def char_relevance(c: float) -> Callable[[list[Example]], Scorer]:
    def text(e: Example) -> str:
        return normalize_vietnamese(f"{e.title}\n{e.summary}\n{reading_window(e.text)}").lower()

    def make(train: list[Example]) -> Scorer:
        vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True)
        model = LogisticRegression(C=c, class_weight="balanced", solver="liblinear", max_iter=4000)
        model.fit(vectorizer.fit_transform([text(e) for e in train]), [e.relevant for e in train])
        return lambda e: float(model.predict_proba(vectorizer.transform([text(e)]))[0, 1])

    return make


def word_label(
    data: Data, name: str, view: Callable[[Example], list[str]], c: float, balanced: bool = True
) -> Callable[[list[Example]], Labeller]:
    def make(train: list[Example]) -> Labeller:
        relevant = [e for e in train if e.relevant and getattr(e, name)]
        fit_with = training.LogisticRegression
        if not balanced:  # the same fit without class weights: the classes keep their share of the data
            training.LogisticRegression = lambda **kw: fit_with(**{**kw, "class_weight": None})  # type: ignore[misc]
        try:
            model = training.fit(
                [view(e) for e in relevant], [str(getattr(e, name)) for e in relevant], max_features=None, min_df=1, c=c
            )
        finally:
            training.LogisticRegression = fit_with  # type: ignore[misc]

        def label(e: Example) -> str:
            scores = model.scores(view(e))
            return max(scores, key=lambda k: scores[k])

        return label

    return make


def relevance_row(data: Data, name: str, make: Callable[[list[Example]], Scorer]) -> str:
    oos: dict[str, float] = {}
    for source in REAL_SOURCES:
        test = [e for e in data.real if e.source == source]
        if test:
            scorer = make(data.without(source))
            oos.update({e.id: scorer(e) for e in test})
    threshold = training._threshold(oos, [e for e in data.real if e.source in training.NEWS_SOURCES])
    final = make(data.real + data.extra)

    def figures(group: list[Example], probs: dict[str, float]) -> str:
        y = np.array([e.relevant for e in group])
        hits = np.array([probs[e.id] >= threshold and passes_gate(e.title, e.summary, e.text) for e in group])
        f = relevance_figures(y, hits)
        return f"F1 {f['f1']:.3f} (P {f['precision']:.3f} / R {f['recall']:.3f})"

    vietnews = [e for e in data.real if e.source == "vietnews"]
    validation = {e.id: final(e) for e in data.validation}
    return f"| {name} | {threshold} | {figures(vietnews, oos)} | {figures(data.validation, validation)} |"


def label_row(data: Data, name: str, label: str, make: Callable[[list[Example]], Labeller]) -> str:
    gold: list[str] = []
    guess: list[str] = []
    for source in REAL_SOURCES:
        test = [e for e in data.real if e.source == source and e.relevant and getattr(e, label)]
        if test:
            labeller = make(data.without(source))
            gold += [str(getattr(e, label)) for e in test]
            guess += [labeller(e) for e in test]
    oos = classification_figures(gold, guess)
    final = make(data.real + data.extra)
    test = [e for e in data.validation if e.relevant and getattr(e, label)]
    val = classification_figures([str(getattr(e, label)) for e in test], [final(e) for e in test])
    return (
        f"| {name} | accuracy {oos['accuracy']:.3f}, macro-F1 {oos['macro_f1']:.3f} "
        f"| accuracy {val['accuracy']:.3f}, macro-F1 {val['macro_f1']:.3f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    parser.add_argument("--cache", type=Path, default=None, help="token cache (JSON lines), reused across runs")
    parser.add_argument("variants", nargs="*")
    args = parser.parse_args()
    data = Data(args.corpus, args.cache)

    def head(words: int) -> Callable[[Example], list[str]]:
        return lambda e: data.head(e, words)

    def full(e: Example) -> list[str]:
        return data.docs[e.id][training.VIEW_FULL]

    relevance = {
        "relevance words + characters c=4 (shipped)": word_relevance(data, 4.0, chars=True),
        "relevance words c=4": word_relevance(data, 4.0),
        "relevance words c=2": word_relevance(data, 2.0),
        "relevance words c=8": word_relevance(data, 8.0),
        "relevance words without marks": word_relevance(data, 4.0, marks=False),
        "relevance characters 2-5 alone": char_relevance(4.0),
    }
    labels = {
        "topic head+400 words c=1 (shipped)": ("topic", word_label(data, "topic", head(400), 1.0)),
        "topic head+100 words": ("topic", word_label(data, "topic", head(100), 1.0)),
        "topic headline and lead only": ("topic", word_label(data, "topic", head(0), 1.0)),
        "topic head+400 words c=4": ("topic", word_label(data, "topic", head(400), 4.0)),
        "topic whole window": ("topic", word_label(data, "topic", full, 1.0)),
        "topic unweighted classes": ("topic", word_label(data, "topic", head(400), 1.0, balanced=False)),
        "tone window c=4 (shipped)": ("sentiment", word_label(data, "sentiment", full, 4.0)),
        "tone window c=1": ("sentiment", word_label(data, "sentiment", full, 1.0)),
        "tone window c=8": ("sentiment", word_label(data, "sentiment", full, 8.0)),
        "tone head+400 words": ("sentiment", word_label(data, "sentiment", head(400), 4.0)),
        "tone unweighted classes": ("sentiment", word_label(data, "sentiment", full, 4.0, balanced=False)),
    }
    chosen = args.variants or [*relevance, *labels]
    unknown = [v for v in chosen if v not in relevance and v not in labels]
    if unknown:
        parser.error(f"unknown variants: {unknown}; known: {[*relevance, *labels]}")
    print("| variant | threshold | VietNews out of source | fixed validation set |")
    for name in (v for v in chosen if v in relevance):
        started = time.perf_counter()
        print(relevance_row(data, name, relevance[name]), f"<!-- {time.perf_counter() - started:.0f} s -->", flush=True)
    print("\n| variant | real relevant articles, out of source | fixed validation set |")
    for name in (v for v in chosen if v in labels):
        label, make = labels[name]
        print(label_row(data, name, label, make), flush=True)


if __name__ == "__main__":
    main()
