"""The shipped reading models on real agency and enforcement news of 2005–2026 from 73 outlets, never trained on.

The labels (`nlp/data/labels-province-pages.jsonl`: relevance, province, topic, tone, by reading with the guide)
are the project's own; the pages are public pages read in the reference library and are not redistributed, so
their text is given from outside the repository: a JSON Lines file of {"url", "title", "text"} (the page's
address as in the labels file, its headline and its text, or the opening of it). Pages absent from that file are
counted and skipped.

Prints relevance recall (and the negatives flagged), topic accuracy and macro-F1 with the confusions, tone
macro-F1, and province accuracy with and without the outlet's address, per period of the wording.

    .venv/bin/python benchmarks/library_set.py --pages /path/to/pages.jsonl [--models DIR]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path
from typing import Any

from nlp.classify import MODEL_DIR, Classifier, Document
from nlp.dataset import DATA_DIR
from nlp.metrics import classification_figures

LABELS = DATA_DIR / "labels-province-pages.jsonl"


def _period(year: int | None) -> str:
    if year is None:
        return "năm không rõ"
    return "trước 2009" if year < 2009 else ("2009–2024" if year < 2025 else "từ 2025")


def _read(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=Path, required=True)
    parser.add_argument("--models", type=Path, default=MODEL_DIR)
    args = parser.parse_args()
    pages = {p["url"]: p for p in _read(args.pages) if p.get("text")}
    labels = _read(LABELS)
    classifier = Classifier.load(args.models, use_ner=False)
    rows: list[tuple[dict[str, Any], Any, Any]] = []
    missing = 0
    for label in labels:
        page = pages.get(label["url"])
        if page is None:
            missing += 1
            continue
        lines = [x.strip() for x in page["text"].split("\n") if x.strip()]
        summary = lines[0] if lines and len(lines[0]) < 400 else ""
        body = "\n".join(lines[1:] if summary else lines)

        def read(url: str, page: dict[str, Any] = page, summary: str = summary, body: str = body) -> Any:
            doc = Document(id=page["url"], title=page.get("title", ""), summary=summary, text=body, url=url)
            return classifier.classify(doc, read_all=True)

        rows.append((label, read(label["url"]), read("")))
    print(f"model {classifier.version}; pages read {len(rows)} of {len(labels)} ({missing} without text)")
    relevant = [(lab, r, bare) for lab, r, bare in rows if lab["relevant"]]
    negatives = [r for lab, r, _ in rows if not lab["relevant"]]
    caught = sum(r.relevant for _, r, _ in relevant)
    flagged = sum(r.relevant for r in negatives)
    print(
        f"relevance: {caught}/{len(relevant)} relevant caught (recall {caught / max(len(relevant), 1):.3f}); "
        f"{flagged}/{len(negatives)} negatives flagged"
    )
    for name, field in (("topic", "topic"), ("tone", "sentiment")):
        scored = [(lab[field], getattr(r, field)) for lab, r, _ in relevant if lab.get(field)]
        if not scored:
            print(f"{name}: no labels")
            continue
        figures = classification_figures([t for t, _ in scored], [g for _, g in scored])
        print(f"{name}: n={figures['n']} accuracy {figures['accuracy']:.3f} macro-F1 {figures['macro_f1']:.3f}")
        for cls, f in figures["per_class"].items():
            print(f"    {cls:24} P {f['precision']:.2f} R {f['recall']:.2f} n {f['n']}")
        confusions = Counter((t, g) for t, g in scored if t != g).most_common(8)
        print("    most confused: " + "; ".join(f"{t}→{g} {n}" for (t, g), n in confusions))
    for period in sorted({_period(lab.get("year")) for lab, _, _ in relevant}):
        part = [(lab, r) for lab, r, _ in relevant if _period(lab.get("year")) == period]
        topic = sum(lab.get("topic") == r.topic for lab, r in part)
        tone = sum(lab.get("sentiment") == r.sentiment for lab, r in part)
        print(f"  {period}: n={len(part)} topic {topic / len(part):.3f} tone acc {tone / len(part):.3f}")
    with_url = sum(lab["province"] == r.province for lab, r, _ in relevant)
    without = sum(lab["province"] == bare.province for lab, _, bare in relevant)
    n = max(len(relevant), 1)
    print(f"province: {with_url / n:.3f} with the outlet's address, {without / n:.3f} without (n={len(relevant)})")


if __name__ == "__main__":
    main()
