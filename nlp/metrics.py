"""The figures every evaluation reports, computed one way (training, the model card, validation)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support


def relevance_figures(truth: NDArray[np.bool_], predicted: NDArray[np.bool_]) -> dict[str, Any]:
    truth, predicted = np.asarray(truth, dtype=bool), np.asarray(predicted, dtype=bool)  # an empty group too
    tp = int(np.sum(truth & predicted))
    fp = int(np.sum(~truth & predicted))
    fn = int(np.sum(truth & ~predicted))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "n": len(truth),
        "relevant": int(np.sum(truth)),
        "f1": round(f1, 3),
        "precision": round(precision, 3),
        "recall": round(recall, 3),
        "false_positives": fp,
        "false_negatives": fn,
    }


def classification_figures(truth: Sequence[str], guess: Sequence[str]) -> dict[str, Any]:
    if not truth:
        return {"n": 0}
    classes = sorted(set(truth) | set(guess))
    precision, recall, _, support = precision_recall_fscore_support(truth, guess, labels=classes, zero_division=0)
    return {
        "n": len(truth),
        "accuracy": round(float(accuracy_score(truth, guess)), 3),
        "macro_f1": round(
            float(f1_score(truth, guess, labels=sorted(set(truth)), average="macro", zero_division=0)), 3
        ),
        "per_class": {
            c: {"precision": round(float(p), 3), "recall": round(float(r), 3), "n": int(s)}
            for c, p, r, s in zip(classes, precision, recall, support, strict=True)
        },
    }
