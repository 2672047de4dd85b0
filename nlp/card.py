"""The model card, written by `nlp train` next to the models it describes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def blind_agreement(labels: Path, blind: Path) -> dict[str, Any]:
    """Agreement of a blind re-labelling with the labels, per field."""
    first = {r["id"]: r for r in map(json.loads, labels.read_text(encoding="utf-8").splitlines()) if r}
    again = [r for r in map(json.loads, blind.read_text(encoding="utf-8").splitlines()) if r]
    both = [(first[r["id"]], r) for r in again if r["id"] in first]
    relevant = [(a, b) for a, b in both if a["relevant"] and b["relevant"]]
    return {
        "n": len(both),
        "relevant": sum(a["relevant"] == b["relevant"] for a, b in both),
        "both_relevant": len(relevant),
        **{f: sum(a[f] == b[f] for a, b in relevant) for f in ("topic", "sentiment", "province")},
    }


def write_card(meta: dict[str, Any], agreement: dict[str, Any], path: Path) -> None:
    m = meta["metrics"]
    rel = m["relevance"]
    rows = []
    for field in ("topic", "sentiment"):
        for group in ("real", "written"):
            r = m[field][group]
            rows.append(f"| {field} | {group} (n={r['n']}) | {r['accuracy']:.3f} | {r['macro_f1']:.3f} |")
    prov = m["province"]
    text = f"""# Model card: {meta["version"]}

Trained {meta["trained_at"]} by `thads-monitor nlp train` (this file is written by that command).

## Data

- **Labels, the project's own**: all {meta["counts"]["pool"]} articles of the VietNews pool
  (`nlp/data/labels-vietnews-pool.jsonl`, {meta["counts"]["relevant_pool"]} relevant), each read and judged
  with `shared/domain/labeling-guide.md`. Blind re-labelling of a random {agreement["n"]}: relevance
  {agreement["relevant"]}/{agreement["n"]}; of the {agreement["both_relevant"]} both judged relevant, topic
  {agreement["topic"]}, sentiment {agreement["sentiment"]}, province {agreement["province"]} agree.
- **Written samples, the project's own**: {meta["counts"]["written"]} articles written for the project
  (`nlp/data/written-samples.jsonl`) where VietNews is thin: results and commendations, organisation after
  the 2025 reform, law and Q&A columns, administrative judgments, all 34 current provinces under old and
  new names, and hard negatives (criminal sentences, land clearance, State auctions, verdicts only).
- **Background negatives**: the first {meta["counts"]["background"]} articles of the corpus sample, which by
  construction of the pool mention no enforcement term.

## Method

Text normalised (NFC, one tone-mark convention), segmented with underthesea's `word_tokenize`. A cheap gate
skips segmentation for articles with no enforcement-related stem (gate recall on every labelled relevant
article: {m["gate_recall"]:.4f}). Relevance: {rel["method"]}, plus binary marks for wording of civil and of
criminal enforcement (the guide's commonest boundary), threshold {rel["threshold"]} chosen by
cross-validation. Topic and sentiment: the same features over headline, lead and the first 400 words, one
logistic regression each, trained on relevant articles. Province: rules over a gazetteer of current and
former provinces and districts (underthesea's 2025 address data) weighted by position, THADS body names
first; the outlet's home province as a weak prior. Entities: THADS bodies, judgment and decision numbers,
money in VND, people (honorific patterns over the text, and underthesea NER on the headline).

Models are stored as arrays (vocabulary, idf, coefficients), loaded without pickles.

## Cross-validated figures (5 folds)

Relevance on the pool (hard negatives throughout; written samples and background negatives only ever in the
training folds): F1 **{rel["f1"]:.3f}**, precision {rel["precision"]:.3f}, recall {rel["recall"]:.3f}.
Baselines on the same folds, F1: {", ".join(f"{k} {v:.3f}" for k, v in rel["baselines_f1"].items())}.

| label | test articles | accuracy | macro-F1 |
|---|---|---|---|
{chr(10).join(rows)}

Sentiment macro-F1 on real articles is low because VietNews has almost no positive article about the
agency; the written samples carry that class. Province (rules, no training): real {prov["real"]["accuracy"]:.3f}
(n={prov["real"]["n"]}), written {prov["written"]["accuracy"]:.3f} (n={prov["written"]["n"]}).

## Limits

VietNews is 2016–2019 and three outlets; relevance errors concentrate on articles where enforcement is a
side remark of a trial or a business story, where the guide itself calls for judgement. Written samples are
realistic but not real; their scores are an upper bound. Retrain with monitors' label corrections
(label feedback) as they accumulate.
"""
    path.write_text(text, encoding="utf-8")
