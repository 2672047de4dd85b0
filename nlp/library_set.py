"""The reading models on the library set: real agency and enforcement news of 2005–2026 from 73 outlets (national,
legal and provincial papers, provincial broadcasters, the THADS portals), never trained on.

The labels (`nlp/data/labels-province-pages.jsonl`: relevance and province, and for the relevant pages topic and
tone, by reading with the guide) are the project's own. The pages are public pages read in the reference library
and are not redistributed, so their text comes from outside the repository: a JSON Lines file of
{"url", "title", "text"} (the address as in the labels file; the headline, or none when it is the text's first
line; the text or its opening). Pages the file lacks are counted and skipped.

This set stands in for the held-back real articles the issue measures: it is another source and period than the
training data, so methods may be chosen on it (never trained on).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from nlp.classify import Classifier, Document
from nlp.dataset import DATA_DIR
from nlp.metrics import classification_figures

LABELS = DATA_DIR / "labels-province-pages.jsonl"


def period(year: int | None) -> str:
    if year is None:
        return "unknown"
    return "before 2009" if year < 2009 else ("2009–2024" if year < 2025 else "since 2025")


def _read(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def split_page(page: dict[str, Any]) -> tuple[str, str, str]:
    """Headline, lead and body of a page's text: the first short line is the headline where none is given."""
    lines = [x.strip() for x in page["text"].split("\n") if x.strip()]
    title = page.get("title") or ""
    if not title and lines and len(lines[0]) < 250:
        title, lines = lines[0], lines[1:]
    summary = lines[0] if lines and len(lines[0]) < 400 else ""
    return title, summary, "\n".join(lines[1:] if summary else lines)


def measure(classifier: Classifier, pages_path: Path, labels_path: Path = LABELS) -> dict[str, Any]:
    """Relevance recall and negatives flagged; topic and tone figures with their confusions; province accuracy
    with and without the outlet's address; topic and tone accuracy per period of the wording."""
    pages = {p["url"]: p for p in _read(pages_path) if p.get("text")}
    labels = _read(labels_path)
    rows: list[tuple[dict[str, Any], Any, Any]] = []
    for label in labels:
        page = pages.get(label["url"])
        if page is None:
            continue
        title, summary, body = split_page(page)
        read = [
            classifier.classify(
                Document(id=url or "-", title=title, summary=summary, text=body, url=url), read_all=True
            )
            for url in (label["url"], "")
        ]
        rows.append((label, read[0], read[1]))
    relevant = [(lab, r, bare) for lab, r, bare in rows if lab["relevant"]]
    negatives = [r for lab, r, _ in rows if not lab["relevant"]]
    result: dict[str, Any] = {
        "pages": len(rows),
        "labelled": len(labels),
        "relevant": len(relevant),
        "caught": sum(r.relevant for _, r, _ in relevant),
        "negatives": len(negatives),
        "flagged": sum(r.relevant for r in negatives),
    }
    for field in ("topic", "sentiment"):
        scored = [(lab[field], getattr(r, field)) for lab, r, _ in relevant if lab.get(field)]
        figures = classification_figures([t for t, _ in scored], [g for _, g in scored])
        figures["confused"] = [[t, g, n] for (t, g), n in Counter((t, g) for t, g in scored if t != g).most_common(6)]
        result[field] = figures
    by_period: dict[str, dict[str, Any]] = {}
    for name in sorted({period(lab.get("year")) for lab, _, _ in relevant}):
        part = [(lab, r) for lab, r, _ in relevant if period(lab.get("year")) == name]
        by_period[name] = {
            "n": len(part),
            "topic": round(sum(lab.get("topic") == r.topic for lab, r in part) / len(part), 3),
            "sentiment": round(sum(lab.get("sentiment") == r.sentiment for lab, r in part) / len(part), 3),
        }
    result["by_period"] = by_period
    n = max(len(relevant), 1)
    result["province"] = round(sum(lab["province"] == r.province for lab, r, _ in relevant) / n, 3)
    result["province_without_address"] = round(sum(lab["province"] == b.province for lab, _, b in relevant) / n, 3)
    return result
