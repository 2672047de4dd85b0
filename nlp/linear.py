"""TF-IDF features and linear classifiers, stored as plain arrays (no pickles: portable across versions).

Training fits scikit-learn's TfidfVectorizer and LogisticRegression and exports their parameters; prediction
is a sparse dot product here, so that loading is fast and does not depend on scikit-learn's private state.
"""

from __future__ import annotations

import gzip
import itertools
import json
import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

MARK = "CUE_"  # tokens that are marks, not words: binary features outside the TF-IDF block
# The value of a present mark: of the order of a strong word's TF-IDF weight, so that the regularisation holds a
# mark's coefficient to the same scale as the words' (at 1.0 a mark needed little weight to outvote the text).
MARK_VALUE = 0.3


def split_marks(tokens: list[str]) -> tuple[list[str], set[str]]:
    return [t for t in tokens if not t.startswith(MARK)], {t for t in tokens if t.startswith(MARK)}


@dataclass(frozen=True, slots=True)
class LinearModel:
    """Unigram + bigram TF-IDF (sublinear tf, l2 norm), plus binary marks, into a logistic regression."""

    vocabulary: dict[str, int]
    idf: NDArray[np.float32]
    coef: NDArray[np.float32]  # (classes or 1, words + marks)
    intercept: NDArray[np.float32]
    classes: tuple[str, ...]
    marks: tuple[str, ...] = ()  # their columns follow the vocabulary's
    mark_value: float = MARK_VALUE

    def vector(self, tokens: list[str]) -> tuple[NDArray[np.int64], NDArray[np.float32]]:
        tokens, present = split_marks(tokens)
        grams = Counter(tokens)
        grams.update(f"{a} {b}" for a, b in itertools.pairwise(tokens))
        index = [(self.vocabulary[g], n) for g, n in grams.items() if g in self.vocabulary]
        cols = np.fromiter((i for i, _ in index), dtype=np.int64, count=len(index))
        tf = np.fromiter((1.0 + math.log(n) for _, n in index), dtype=np.float32, count=len(index))
        values = tf * self.idf[cols]
        norm = float(np.linalg.norm(values))
        values = values / norm if norm else values
        marks = [len(self.vocabulary) + k for k, name in enumerate(self.marks) if name in present]
        return (
            np.concatenate([cols, np.asarray(marks, dtype=np.int64)]),
            np.concatenate([values, np.full(len(marks), self.mark_value, dtype=np.float32)]),
        )

    def scores(self, tokens: list[str]) -> dict[str, float]:
        """Class probabilities."""
        cols, values = self.vector(tokens)
        logits = self.coef[:, cols] @ values + self.intercept
        if len(self.classes) == 2 and logits.shape[0] == 1:
            p = 1.0 / (1.0 + math.exp(-float(logits[0])))
            return {self.classes[0]: 1.0 - p, self.classes[1]: p}
        exp = np.exp(logits - logits.max())
        probs = exp / exp.sum()
        return {c: float(p) for c, p in zip(self.classes, probs, strict=True)}

    def save(self, path: Path) -> None:
        words = [""] * len(self.vocabulary)
        for word, i in self.vocabulary.items():
            words[i] = word
        with gzip.open(path.with_suffix(".vocab.json.gz"), "wt", encoding="utf-8") as f:
            json.dump(
                {
                    "classes": list(self.classes),
                    "words": words,
                    "marks": list(self.marks),
                    "mark_value": self.mark_value,
                },
                f,
                ensure_ascii=False,
            )
        np.savez_compressed(path.with_suffix(".npz"), idf=self.idf, coef=self.coef, intercept=self.intercept)

    @classmethod
    def load(cls, path: Path) -> LinearModel:
        with gzip.open(path.with_suffix(".vocab.json.gz"), "rt", encoding="utf-8") as f:
            meta = json.load(f)
        arrays = np.load(path.with_suffix(".npz"))
        return cls(
            vocabulary={w: i for i, w in enumerate(meta["words"])},
            idf=arrays["idf"].astype(np.float32),
            coef=arrays["coef"].astype(np.float32),
            intercept=arrays["intercept"].astype(np.float32),
            classes=tuple(meta["classes"]),
            marks=tuple(meta.get("marks", ())),
            mark_value=float(meta.get("mark_value", 1.0)),
        )
