"""The labelled comments, training the comment tone model, and the figures of the comment reader.

The comment datasets are for research use and are not redistributed: the repository keeps ids and labels
(nlp/data/comments-labels*.jsonl); the texts are read by id from a folder given by `NlpSettings.comments_dir`
(layout in nlp/models/COMMENTS_CARD.md). Needs the `train` extra (scikit-learn).
"""

from __future__ import annotations

import csv
import json
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from domain.text import fold_diacritics, normalize_vietnamese
from nlp.comments import DATA_DIR, TONES, comment_tokens, normalise_comment, relevance
from nlp.linear import LinearModel
from nlp.metrics import classification_figures, relevance_figures
from nlp.train import fit

LABELS = DATA_DIR / "comments-labels.jsonl"
BLIND = DATA_DIR / "comments-labels-blind60.jsonl"
TONE_C = 1.0
SEED = 19
# dataset → files under the comments folder, by split
VICTSD = {"train": "victsd/ViCTSD_train.csv", "valid": "victsd/ViCTSD_valid.csv", "test": "victsd/ViCTSD_test.csv"}
VIHSD = {"train": "vihsd/vihsd/train.csv", "dev": "vihsd/vihsd/dev.csv", "test": "vihsd/vihsd/test.csv"}
PAGES = "pages/comments.tsv"


class CommentDataError(Exception):
    """A labelled id whose text cannot be found, or a file that is not where the card says."""


@dataclass(frozen=True, slots=True, kw_only=True)
class LabelledComment:
    id: str  # "victsd:<split>:<row id>", "vihsd:<split>:<0-based data row>", "pages:<name>"
    source: str
    text: str
    relevant: bool
    tone: str
    agency_tone: str | None

    @property
    def diacritics(self) -> bool:
        """Whether the author typed Vietnamese diacritics (else: a real undiacritised comment)."""
        return fold_diacritics(self.text) != normalize_vietnamese(self.text).lower()


def _texts(folder: Path) -> dict[str, str]:
    texts: dict[str, str] = {}
    for split, name in VICTSD.items():
        with _open(folder / name) as f:
            for row in csv.DictReader(f):
                texts[f"victsd:{split}:{row['']}"] = row["Comment"]
    for split, name in VIHSD.items():
        with _open(folder / name) as f:
            for number, row in enumerate(csv.DictReader(f)):
                texts[f"vihsd:{split}:{number}"] = row["free_text"]
    with _open(folder / PAGES) as f:
        for line in f:
            key, _, text = line.rstrip("\n").partition("\t")
            texts[key] = text
    return texts


def _open(path: Path) -> Any:
    if not path.exists():
        raise CommentDataError(f"{path} is missing: see nlp/models/COMMENTS_CARD.md for the comments folder")
    return path.open(encoding="utf-8", newline="")


def load_labelled(folder: Path, labels: Path = LABELS) -> list[LabelledComment]:
    texts = _texts(folder)
    out: list[LabelledComment] = []
    for number, line in enumerate(labels.read_text(encoding="utf-8").splitlines(), 1):
        item = json.loads(line)
        if item["id"] not in texts:
            raise CommentDataError(f"{labels}:{number}: no comment {item['id']} in {folder}")
        if item["tone"] not in TONES:
            raise CommentDataError(f"{labels}:{number}: tone {item['tone']!r} is not one of {TONES}")
        out.append(
            LabelledComment(
                id=item["id"],
                source=item["id"].split(":", 1)[0],
                text=texts[item["id"]],
                relevant=bool(item["relevant"]),
                tone=item["tone"],
                agency_tone=item.get("agency_tone"),
            )
        )
    return out


def fit_tone(comments: Sequence[LabelledComment], c: float = TONE_C) -> LinearModel:
    normalised = [normalise_comment(x.text) for x in comments]
    return fit(
        [comment_tokens(n) for n in normalised],
        [x.tone for x in comments],
        max_features=None,
        min_df=1,
        c=c,  # no character block: on 550 comments it added size, not accuracy (0.603 with, 0.607 without)
    )


def predict_tone(model: LinearModel, text: str) -> str:
    comment = normalise_comment(text)
    scores = model.scores(comment_tokens(comment), comment.folded)
    return max(scores, key=lambda k: scores[k])


def cross_validated(
    comments: Sequence[LabelledComment], folds: int = 5, c: float = TONE_C, view: Callable[[str], str] = str
) -> list[str]:
    """Tone predicted for every comment by a model that did not see it (`view`: what the model is shown)."""
    order = list(range(len(comments)))
    random.Random(SEED).shuffle(order)
    guess = [""] * len(comments)
    for k in range(folds):
        held = set(order[k::folds])
        model = fit_tone([x for i, x in enumerate(comments) if i not in held], c)
        for i in held:
            guess[i] = predict_tone(model, view(comments[i].text))
    return guess


def figures(folder: Path, c: float = TONE_C) -> dict[str, Any]:
    """Every figure of the card: tone (cross-validated, across datasets, undiacritised, folded copies), relevance
    (labelled comments; and labelled news headlines as short posts), second-pass agreement."""
    comments = load_labelled(folder)
    truth = [x.tone for x in comments]
    cv = cross_validated(comments, c=c)
    folded = cross_validated(comments, c=c, view=fold_diacritics)
    plain = [i for i, x in enumerate(comments) if not x.diacritics]
    across = {}
    for train_source, test_source in (("victsd", "vihsd"), ("vihsd", "victsd")):
        model = fit_tone([x for x in comments if x.source == train_source], c)
        test = [x for x in comments if x.source == test_source]
        across[f"{train_source}→{test_source}"] = classification_figures(
            [x.tone for x in test], [predict_tone(model, x.text) for x in test]
        )
    rules = [relevance(normalise_comment(x.text)) for x in comments]
    return {
        "comments": len(comments),
        "by_source": _tally(x.source for x in comments),
        "undiacritised": len(plain),
        "tones": _tally(truth),
        "tone_cv": classification_figures(truth, cv),
        "tone_cv_undiacritised": classification_figures([truth[i] for i in plain], [cv[i] for i in plain]),
        "tone_cv_folded_copies": classification_figures(truth, folded),
        "tone_across_datasets": across,
        "relevance_comments": relevance_figures(
            np.array([x.relevant for x in comments]), np.array([r for r, _ in rules])
        ),
        "relevance_rule_hits": _tally(rule for _, rule in rules),
        "agreement": agreement(comments),
    }


def relevance_on_posts(items: Sequence[tuple[str, bool]]) -> dict[str, Any]:
    """The relevance rule on short posts (headline + lead), as written and with diacritics stripped."""
    truth = np.array([r for _, r in items])
    written = np.array([relevance(normalise_comment(t))[0] for t, _ in items])
    stripped = np.array([relevance(normalise_comment(fold_diacritics(t)))[0] for t, _ in items])
    return {"as_written": relevance_figures(truth, written), "diacritics_stripped": relevance_figures(truth, stripped)}


def agreement(comments: Sequence[LabelledComment], blind: Path = BLIND) -> dict[str, Any]:
    """The blind second pass: agreement and Cohen's kappa on tone and relevance."""
    first = {x.id: x for x in comments}
    second = [json.loads(line) for line in blind.read_text(encoding="utf-8").splitlines()]
    a = [first[x["id"]].tone for x in second]
    b = [x["tone"] for x in second]
    same_relevance = sum(first[x["id"]].relevant == x["relevant"] for x in second)
    return {
        "n": len(second),
        "tone_agreement": round(sum(p == q for p, q in zip(a, b, strict=True)) / len(second), 3),
        "tone_kappa": round(_kappa(a, b), 3),
        "relevance_agreement": round(same_relevance / len(second), 3),
    }


def _kappa(a: Sequence[str], b: Sequence[str]) -> float:
    n = len(a)
    observed = sum(p == q for p, q in zip(a, b, strict=True)) / n
    expected = sum((a.count(c) / n) * (b.count(c) / n) for c in set(a) | set(b))
    return (observed - expected) / (1 - expected) if expected < 1 else 1.0


def _tally(values: Any) -> dict[str, int]:
    out: dict[str, int] = {}
    for v in values:
        out[str(v)] = out.get(str(v), 0) + 1
    return dict(sorted(out.items()))
