"""Classification benchmark.

Prints, in one run: model load time; throughput on the 20,000-article sample (the real mix, mostly irrelevant)
in one process and with two; on the 640 pool candidates, the cost per article against bare underthesea
word_tokenize of the same texts; peak memory (and the bare interpreter + underthesea baseline).

    .venv/bin/python benchmarks/classify.py --corpus ../shared/corpus [--models DIR]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import resource
import time
from multiprocessing import Pool
from pathlib import Path
from typing import Any

from underthesea import word_tokenize

from domain.text import normalize_vietnamese
from nlp.classify import MODEL_DIR, Classifier, Document

_classifier: Classifier | None = None


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _load(path: Path, limit: int | None = None) -> list[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    return rows[:limit] if limit else rows


def _doc(item: dict[str, Any]) -> Document:
    return Document(id=item["id"], title=item["title"], summary=item.get("summary", ""), text=item["text"])


def _init(models: Path) -> None:
    global _classifier
    _classifier = Classifier.load(models)


def _classify(item: dict[str, Any]) -> bool:
    assert _classifier is not None
    return _classifier.classify(_doc(item)).relevant


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    parser.add_argument("--models", type=Path, default=MODEL_DIR, help="model directory (default: the shipped one)")
    args = parser.parse_args()
    word_tokenize("khởi động")  # the baseline's own model load, outside its timing
    baseline_mb = _rss_mb()

    start = time.perf_counter()
    classifier = Classifier.load(args.models)
    classifier.classify(Document(id="0", title="Thi hành án", text="Chấp hành viên kê biên tài sản."))
    load_s = time.perf_counter() - start

    sample = _load(args.corpus / "vietnews-sample.jsonl.gz")
    start = time.perf_counter()
    relevant = sum(classifier.classify(_doc(item)).relevant for item in sample)
    one = len(sample) / (time.perf_counter() - start)
    start = time.perf_counter()
    with Pool(2, initializer=_init, initargs=(args.models,)) as pool:
        pool.map(_classify, sample, chunksize=64)
    two = len(sample) / (time.perf_counter() - start)

    candidate = re.compile(r"thi hành án|thads|chấp hành viên|thừa phát lại|cục thi hành|cơ quan thi hành", re.I)
    pool_items = _load(args.corpus / "vietnews-thads-pool.jsonl.gz")
    candidates = [
        i for i in pool_items if candidate.search(normalize_vietnamese(f"{i['title']} {i['summary']} {i['text']}"))
    ]
    texts = [
        (normalize_vietnamese(i["title"]), normalize_vietnamese(i["summary"]), normalize_vietnamese(i["text"]))
        for i in candidates
    ]
    start = time.perf_counter()
    for parts in texts:
        for part in parts:
            word_tokenize(part)
    bare_ms = (time.perf_counter() - start) / len(texts) * 1000
    start = time.perf_counter()
    for item in candidates:
        classifier.classify(_doc(item))
    ours_ms = (time.perf_counter() - start) / len(candidates) * 1000

    print(f"model load                 {load_s:.2f} s  (target <= 3)")
    print(f"sample                     {len(sample)} articles, {relevant} judged relevant")
    print(f"throughput, 1 process      {one:.0f} articles/s")
    print(f"throughput, 2 processes    {two:.0f} articles/s  (target >= 100)")
    print(f"candidates                 {len(candidates)}")
    print(f"bare word_tokenize         {bare_ms:.1f} ms per article")
    print(f"classify                   {ours_ms:.1f} ms per article")
    print(f"ratio                      {ours_ms / bare_ms:.2f}  (target <= 1.3)")
    print(f"peak memory                {_rss_mb():.0f} MB (target <= 500)")
    print(f"  interpreter + underthesea alone: {baseline_mb:.0f} MB")


if __name__ == "__main__":
    main()
