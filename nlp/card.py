"""The model card, written by `nlp train` next to the models it describes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SOURCE_NAMES = {
    "vietnews": "real news 2016–2019 (VietNews: tuoitre, vnexpress, nguoiduatin)",
    "news2026": "real news Jan–Feb 2026 (24h, vnexpress, dantri, thanhnien, tuoitre …)",
    "legalqa": "real legal Q&A explainers (not news)",
    "written": "written for the project",
    "augmented": "real articles re-worded into another period's vocabulary",
    "background": "general news (background negatives)",
    "feedback": "monitors' corrections and confirmations",
}


def _rows(*paths: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for path in paths for line in path.read_text(encoding="utf-8").splitlines() if line]


def blind_agreement(labels: Path | list[Path], blind: Path) -> dict[str, Any]:
    """Agreement of a blind re-labelling with the labels, per field."""
    first = {r["id"]: r for r in _rows(*(labels if isinstance(labels, list) else [labels]))}
    again = _rows(blind)
    both = [(first[r["id"]], r) for r in again if r["id"] in first]
    relevant = [(a, b) for a, b in both if a["relevant"] and b["relevant"]]
    return {
        "n": len(both),
        "relevant": sum(a["relevant"] == b["relevant"] for a, b in both),
        "either_relevant": sum(a["relevant"] or b["relevant"] for a, b in both),
        "both_relevant": len(relevant),
        **{f: sum(a[f] == b[f] for a, b in relevant) for f in ("topic", "sentiment", "province")},
    }


def blind_agreements(data_dir: Path) -> dict[str, dict[str, Any]]:
    """Every blind second pass kept beside its labels (`labels-X-blind*.jsonl` next to `labels-X.jsonl`)."""
    out: dict[str, dict[str, Any]] = {}
    for blind in sorted(data_dir.glob("labels-*-blind*.jsonl")):
        labels = data_dir / (blind.name.split("-blind")[0] + ".jsonl")
        if labels.exists():
            out[labels.name] = blind_agreement(labels, blind)
    written = data_dir / "blind-written-articles.jsonl"  # a sample of the written articles, read again blind
    if written.exists():
        out["written-*.jsonl"] = blind_agreement(sorted(data_dir.glob("written-*.jsonl")), written)
    return out


def _rel_row(name: str, source: str, r: dict[str, Any]) -> str:
    return (
        f"| {name} | {source} | {r['n']} | {r['relevant']} | **{r['f1']:.3f}** | {r['precision']:.3f} | "
        f"{r['recall']:.3f} | {r['false_positives']} | {r['false_negatives']} |"
    )


def _label_rows(field: str, m: dict[str, Any]) -> list[str]:
    rows = []
    for name, title in (("cv", "5-fold CV, real"), ("out_of_source", "out of source, real"), ("written", "written")):
        r = m[field].get(name, {})
        if r.get("n"):
            rows.append(f"| {field} | {title} | {r['n']} | **{r['accuracy']:.3f}** | {r['macro_f1']:.3f} |")
    return rows


def _per_class(field: str, m: dict[str, Any]) -> list[str]:
    r = m[field]["out_of_source"].get("per_class", {})
    cv = m[field]["cv"].get("per_class", {})
    return [
        f"| {field} | {c} | {v['n']} | {v['precision']:.2f} / {v['recall']:.2f} | "
        f"{cv.get(c, {}).get('precision', 0):.2f} / {cv.get(c, {}).get('recall', 0):.2f} |"
        for c, v in r.items()
    ]


def _library_section(lib: dict[str, Any] | None) -> str:
    """Real agency and enforcement news of 2005–2026 from 73 outlets, never trained on (nlp/library_set.py)."""
    if not lib:
        return ""
    rows = [
        f"| {field} | {lib[field]['n']} | **{lib[field]['accuracy']:.3f}** | {lib[field]['macro_f1']:.3f} | "
        + ", ".join(f"{c} {v['precision']:.2f} / {v['recall']:.2f}" for c, v in lib[field]["per_class"].items())
        + " |"
        for field in ("topic", "sentiment")
    ]
    periods = ", ".join(
        f"{name} (n={p['n']}): topic {p['topic']:.2f}, tone {p['sentiment']:.2f}"
        for name, p in lib["by_period"].items()
    )
    nl = "\n"
    return f"""## Real news of other outlets and years (the library set, never trained on)

{lib["pages"]} of the {lib["labelled"]} pages of `nlp/data/labels-province-pages.jsonl` (real agency and enforcement
news of 2005–2026, 73 outlets; texts read in the reference library, given to `nlp train --library-pages`, not in the
repository): relevance {lib["caught"]}/{lib["relevant"]} relevant caught, {lib["flagged"]}/{lib["negatives"]} negatives
flagged (the set was found by searching for enforcement news: it measures recall). Accuracy per period of the
wording: {periods}. Province {lib["province"]:.3f} with the outlet's address, {lib["province_without_address"]:.3f}
without.

| label | articles | accuracy | macro-F1 | per class, precision / recall |
|---|---|---|---|---|
{nl.join(rows)}

"""


def write_card(meta: dict[str, Any], agreements: dict[str, dict[str, Any]], path: Path) -> None:
    m, counts = meta["metrics"], meta["counts"]
    rel = m["relevance"]
    data_rows = [
        f"| {s} | {SOURCE_NAMES.get(s, s)} | {c['articles']} | {c['relevant']} | "
        f"{', '.join(f'{k} {v}' for k, v in c['topic'].items())} | "
        f"{', '.join(f'{k} {v}' for k, v in c['sentiment'].items())} |"
        for s, c in counts.items()
        if isinstance(c, dict)
    ]
    agree_rows = [
        f"| {name} | {a['n']} | {a['relevant']}/{a['n']} | {a['both_relevant']} (of {a['either_relevant']} judged "
        f"relevant by either) | {a['topic']}/{a['both_relevant']} | {a['sentiment']}/{a['both_relevant']} | "
        f"{a['province']}/{a['both_relevant']} |"
        for name, a in agreements.items()
    ]
    rel_rows = [
        _rel_row(name, source, rel[key][source])
        for key, name in (("cv", "5-fold CV"), ("out_of_source", "out of source"))
        for source in ("vietnews", "news2026", "legalqa", "all")
        if source in rel[key]
    ]
    val = m.get("validation", {})
    val_line = (
        f"relevance F1 {val['relevance']['f1']:.3f} (P {val['relevance']['precision']:.3f} / R "
        f"{val['relevance']['recall']:.3f}, n={val['relevance']['n']}, {val['relevance']['relevant']} relevant); "
        f"topic accuracy {val['topic'].get('accuracy', 0):.3f}; tone macro-F1 {val['sentiment'].get('macro_f1', 0):.3f}"
        if val
        else "no validation set"
    )
    prov_rows = [f"| {s} | {p['n']} | {p['accuracy']:.3f} |" for s, p in m["province"].items()]
    nl = "\n"
    text = f"""# Model card: {meta["version"]}

Trained {meta["trained_at"]} by `thads-monitor nlp train` (this file is written by that command).
Settings: {json.dumps(meta.get("config", {}))}; relevance threshold {meta["threshold"]}.

## Data

Every label was given by reading the article with `shared/domain/labeling-guide.md` (never by keyword
rules); texts of real articles stay in the corpus folder and are read by id. Licence and provenance of the
real sources: see `../shared/corpus/README.md` (VietNews: research corpus of Nguyen et al. 2019, public
repository ThanhChinhBK/vietnews; news 2026: public repository leduchuy20/crawl_news; legal Q&A: public
repository tnt305/tai_lieu_noi_bo; none carries a licence file: used to train and test, not redistributed).
Written articles are the project's own (written after reading real articles of each kind for style, never
copied); augmented ones are made at training time.

Articles used for training (real sources less the validation set below):

| source | what | articles | relevant | topics (relevant) | tones (relevant) |
|---|---|---|---|---|---|
{nl.join(data_rows)}

Fixed validation set (never trained on; a retrained model must not do worse on it): {counts["validation"]}
real articles, {counts["validation_relevant"]} relevant.

Blind second pass (another labeller, labels unseen, on a random sample):

| labels | re-labelled | relevance agrees | both relevant | topic | tone | province |
|---|---|---|---|---|---|---|
{nl.join(agree_rows)}

## Method

Text normalised (NFC, one tone-mark convention), segmented with underthesea's `word_tokenize` over what a
reader reads: the opening 2,500 characters and the passages around enforcement words beyond them. A cheap
gate skips segmentation for articles with no enforcement-related stem (its recall on every labelled relevant
article: {m["gate_recall"]:.4f}). Relevance: TF-IDF of words (1–2 grams, headline and lead marked) with marks
for wording of the bodies in all three period vocabularies, the parties, enforcement acts, the laws, criminal
sentences and coercion by other authorities — marks are features the model weighs, regularised like the
words, never overrides — and, in a block of its own, TF-IDF of character 2–5-grams within words (they read
spellings and word forms the segmentation splits differently; chosen out of source with
`benchmarks/reading_variants.py`: VietNews F1 0.844 → 0.852, fixed validation set 0.771 → 0.848 on the data
before the written boundary articles `e` and `f`), into a logistic regression. Threshold chosen on the
out-of-source predictions for the news (where their F1 is best). Topic: the same words over headline, lead and
the first 400 words; tone: the whole reading window with its marks (it held better out of source); one logistic
regression each, trained on relevant articles (topic classes weighted equally, tone classes by their share of the
data: both chosen out of source with `benchmarks/reading_variants.py`). Province: rules over a gazetteer (underthesea's
2025 address data plus former units and press spellings), THADS body names first; the body concerned decides
local or nationwide.
Models are stored as arrays (vocabulary, idf, coefficients), loaded without pickles.

## Relevance

"Out of source": each real source predicted by a model trained without it (the other real sources, the
written articles, and augmented variants of the other sources only) — the figure to expect on outlets and
years the model has not seen. "5-fold CV": ordinary cross-validation over the real articles (grouped by
article; written and augmented always in training).

| validation | source | articles | relevant | F1 | precision | recall | false pos. | false neg. |
|---|---|---|---|---|---|---|---|---|
{nl.join(rel_rows)}

On the fixed validation set, the shipped model: {val_line}.

## Topic and tone (relevant articles)

| label | validation | articles | accuracy | macro-F1 |
|---|---|---|---|---|
{nl.join(_label_rows("topic", m) + _label_rows("sentiment", m))}

Per class, precision / recall:

| label | class | real articles | out of source | 5-fold CV |
|---|---|---|---|---|
{nl.join(_per_class("topic", m) + _per_class("sentiment", m))}

{_library_section(m.get("library"))}## Province (rules; relevant articles)

| source | articles | accuracy |
|---|---|---|
{nl.join(prov_rows)}

## Limits

The real relevant news is mostly VietNews (2016–2019, three outlets): the written and augmented articles carry
the classes and vocabularies it lacks (results, organisation, law, positive tone, the 2025 bodies); their own
scores are an upper bound. Retrain with monitors' corrections as they accumulate (`thads-monitor nlp train`).
"""
    path.write_text(text, encoding="utf-8")
