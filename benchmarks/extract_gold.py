"""Extraction quality on the recorded pages with gold (tests/crawler/gold), against bare trafilatura.

For each page: token F1 of the body against the gold paragraphs for the project's extraction and for bare
`trafilatura.extract` on the whole page, boilerplate lines that leaked, gold paragraphs missing, and whether
title, lead, authors and published time are right; then the mean F1 of both and the time per page.

    .venv/bin/python benchmarks/extract_gold.py
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import trafilatura

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the tests package holds the gold

from crawler.extract import extract
from tests.crawler.recorded import leaks, load_golds, missing, token_f1


def main() -> None:
    ours_f1: list[float] = []
    bare_f1: list[float] = []
    ours_s = bare_s = 0.0
    fields_right = fields = total_leaks = total_missing = 0
    print(f"{'page':<24} {'F1':>6} {'bare':>6} {'leaks':>5} {'miss':>4}  title lead authors time")
    for gold in load_golds():
        page = gold.html()
        started = time.perf_counter()
        got = extract(page, gold.url)
        ours_s += time.perf_counter() - started
        started = time.perf_counter()
        bare = trafilatura.extract(page.decode("utf-8", "replace")) or ""
        bare_s += time.perf_counter() - started
        expected = "\n".join(gold.paragraphs)
        f1, f1_bare = token_f1(got.text, expected), token_f1(bare, expected)
        ours_f1.append(f1)
        bare_f1.append(f1_bare)
        leaked, lost = leaks(got.text.split("\n"), gold), missing(got.text, gold)
        total_leaks += len(leaked)
        total_missing += len(lost)
        checks = [
            got.title == gold.title,
            got.lead == gold.lead,
            list(got.authors) == list(gold.authors),
            gold.published_matches(got.published_at),
        ]
        fields += len(checks)
        fields_right += sum(checks)
        marks = "  ".join("ok" if c else "--" for c in checks)
        print(f"{gold.name:<24} {f1:6.3f} {f1_bare:6.3f} {len(leaked):5} {len(lost):4}  {marks}")
    pages = len(ours_f1)
    print(f"\n{pages} pages: token F1 {statistics.mean(ours_f1):.3f} (bare trafilatura {statistics.mean(bare_f1):.3f})")
    print(f"leaked lines {total_leaks}, missing paragraphs {total_missing}, fields right {fields_right}/{fields}")
    print(f"time per page: {1000 * ours_s / pages:.1f} ms (bare trafilatura {1000 * bare_s / pages:.1f} ms)")


if __name__ == "__main__":
    main()
