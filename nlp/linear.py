"""TF-IDF features and linear classifiers, stored as plain arrays (no pickles: portable across versions).

Training fits scikit-learn's TfidfVectorizer and LogisticRegression and exports their parameters; prediction
is a sparse dot product here, so that loading is fast and does not depend on scikit-learn's private state.
"""

from __future__ import annotations

import functools
import gzip
import itertools
import json
import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

MARK = "CUE_"  # tokens that are marks, not words: binary features outside the TF-IDF block
# The value of a present mark: of the order of a strong word's TF-IDF weight, so that the regularisation holds a
# mark's coefficient to the same scale as the words' (at 1.0 a mark needed little weight to outvote the text).
MARK_VALUE = 0.3
# Character n-grams (2–5 within words, as scikit-learn's "char_wb"): beside the words they read spellings and
# word forms the segmentation splits differently, and held better on unseen sources (benchmarks/reading_variants.py:
# VietNews out of source F1 0.844 → 0.852, fixed validation set 0.771 → 0.848).
CHAR_RANGE = (2, 5)


@functools.lru_cache(maxsize=1 << 13)  # the common syllables; a few MB
def _word_grams(word: str) -> tuple[str, ...]:
    """The character n-grams of one lower-cased word padded with a space (a word shorter than n gives its padded
    self once). Syllables repeat (a few thousand make most of Vietnamese text), so they are cut once."""
    low, high = CHAR_RANGE
    padded = f" {word} "
    size = len(padded)
    out: list[str] = []
    for n in range(low, high + 1):
        if size <= n:
            out.append(padded)
            break
        out.extend(padded[i : i + n] for i in range(size - n + 1))
    return tuple(out)


def char_grams(text: str) -> list[str]:
    """The character n-grams of each word of `text` padded with a space, lower-cased; the same as scikit-learn's
    `analyzer="char_wb"` (a word shorter than n gives its padded self once)."""
    return [gram for word in text.lower().split() for gram in _word_grams(word)]


def char_counts(text: str) -> Counter[str]:
    """Counter(char_grams(text)), counting each distinct word's n-grams once per occurrence of the word."""
    counts: Counter[str] = Counter()
    for word, times in Counter(text.lower().split()).items():
        for gram in _word_grams(word):
            counts[gram] += times
    return counts


def split_marks(tokens: list[str]) -> tuple[list[str], set[str]]:
    return [t for t in tokens if not t.startswith(MARK)], {t for t in tokens if t.startswith(MARK)}


@dataclass(frozen=True, slots=True)
class LinearModel:
    """Unigram + bigram TF-IDF (sublinear tf, l2 norm), plus binary marks, plus (optionally) a character n-gram
    TF-IDF block of its own (l2 norm), into a logistic regression."""

    vocabulary: dict[str, int]
    idf: NDArray[np.float32]
    coef: NDArray[np.float32]  # (classes or 1, words + marks + chars)
    intercept: NDArray[np.float32]
    classes: tuple[str, ...]
    marks: tuple[str, ...] = ()  # their columns follow the vocabulary's
    mark_value: float = MARK_VALUE
    chars: dict[str, int] = field(default_factory=dict)  # character n-grams; their columns follow the marks'
    char_idf: NDArray[np.float32] = field(default_factory=lambda: np.zeros(0, dtype=np.float32))

    def vector(self, tokens: list[str], text: str = "") -> tuple[NDArray[np.int64], NDArray[np.float32]]:
        """Columns and values of the features present. `text`: what the character block reads (the headline,
        lead and reading window, NFC); a model without one ignores it."""
        tokens, present = split_marks(tokens)
        grams = Counter(tokens)
        grams.update(f"{a} {b}" for a, b in itertools.pairwise(tokens))
        cols, values = _tfidf(grams, self.vocabulary, self.idf, 0)
        marks = [len(self.vocabulary) + k for k, name in enumerate(self.marks) if name in present]
        parts_cols = [cols, np.asarray(marks, dtype=np.int64)]
        parts_values = [values, np.full(len(marks), self.mark_value, dtype=np.float32)]
        if self.chars and text:
            offset = len(self.vocabulary) + len(self.marks)
            char_cols, char_values = _tfidf(char_counts(text), self.chars, self.char_idf, offset)
            parts_cols.append(char_cols)
            parts_values.append(char_values)
        return np.concatenate(parts_cols), np.concatenate(parts_values)

    def scores(self, tokens: list[str], text: str = "") -> dict[str, float]:
        """Class probabilities."""
        cols, values = self.vector(tokens, text)
        logits = self.coef[:, cols] @ values + self.intercept
        if len(self.classes) == 2 and logits.shape[0] == 1:
            p = 1.0 / (1.0 + math.exp(-float(logits[0])))
            return {self.classes[0]: 1.0 - p, self.classes[1]: p}
        exp = np.exp(logits - logits.max())
        probs = exp / exp.sum()
        return {c: float(p) for c, p in zip(self.classes, probs, strict=True)}

    def save(self, path: Path) -> None:
        with gzip.open(path.with_suffix(".vocab.json.gz"), "wt", encoding="utf-8") as f:
            json.dump(
                {
                    "classes": list(self.classes),
                    "words": _by_column(self.vocabulary),
                    "marks": list(self.marks),
                    "mark_value": self.mark_value,
                    "chars": _by_column(self.chars),
                },
                f,
                ensure_ascii=False,
            )
        np.savez_compressed(
            path.with_suffix(".npz"), idf=self.idf, coef=self.coef, intercept=self.intercept, char_idf=self.char_idf
        )

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
            chars={g: i for i, g in enumerate(meta.get("chars", ()))},
            char_idf=arrays["char_idf"].astype(np.float32) if "char_idf" in arrays else np.zeros(0, np.float32),
        )


def _tfidf(
    counts: Counter[str], columns: dict[str, int], idf: NDArray[np.float32], offset: int
) -> tuple[NDArray[np.int64], NDArray[np.float32]]:
    """Sublinear tf × idf of the known terms, l2-normalised (scikit-learn's TfidfVectorizer), at `offset`."""
    get = columns.get
    known = [(c, n) for g, n in counts.items() if (c := get(g)) is not None]
    pairs = np.array(known, dtype=np.int64).reshape(-1, 2)
    cols = pairs[:, 0]
    tf = (1.0 + np.log(pairs[:, 1].astype(np.float64))).astype(np.float32)
    values = tf * idf[cols]
    norm = float(np.linalg.norm(values))
    return cols + offset, (values / norm if norm else values)


def _by_column(columns: dict[str, int]) -> list[str]:
    names = [""] * len(columns)
    for name, i in columns.items():
        names[i] = name
    return names
