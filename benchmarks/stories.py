"""Story clustering benchmark: does nlp.stories put real copies of one article in one story, and keep different
articles on the same event apart?

Reads the labelled pairs of nlp/data/story-pairs.jsonl (`copy`: syndicated, republished or updated versions of
one article; `same_event`: independently written articles on one event, which must never be merged), with their
texts from ../shared/corpus (and ../shared/fixtures for ids "fixture:<path>"). For every pair it computes the
exact containment of the two shingle sets (nlp.stories.shingles: shared over the smaller set) and its MinHash
estimate (nlp.stories.containment), and, for each threshold, whether a StoryIndex(threshold) holding `a` returns
`a`'s story for `b` (LSH candidate and estimate at or above the threshold; a too_short page is never merged).

Reports the pairs the method was chosen on, each fresh labelled batch ("batch" in the file; never used to choose
the method) and all pairs apart. Prints, per threshold 0.50 … 0.95 (or the one given): bands × rows, pairwise copy
precision / recall / F1 (copies merged against same-event pairs merged), the same-event pairs merged (of which
follow-ups: a later article that reuses the earlier one's paragraphs), recall per copy subkind, and what a perfect
estimator (exact containment of the texts and of their openings at or above the thresholds) would give;
then the distribution of exact containment for copies and same-event pairs.

    .venv/bin/python benchmarks/stories.py [--threshold 0.5] [--misses]
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nlp.stories import (
    JACCARD_FLOOR,
    OPENING_THRESHOLD,
    Fingerprint,
    StoryIndex,
    candidate_probability,
    containment,
    opening_containment,
    opening_shingles,
    shingles,
    signature,
    too_short,
)

REPO = Path(__file__).resolve().parent.parent
SUBKINDS = ("syndicated", "republished", "updated")
THRESHOLDS = [round(0.50 + 0.05 * i, 2) for i in range(10)]


@dataclass
class Pair:
    a: str
    b: str
    kind: str
    subkind: str
    note: str
    batch: str = ""  # "" for the pairs the method was chosen on; "2026-12-03" for the fresh test batch
    exact: float = 0.0  # containment of the shingle sets: shared over the smaller set
    jaccard: float = 0.0  # Jaccard of the shingle sets
    estimate: float = 0.0  # MinHash estimate of the containment
    opening: float = 0.0  # MinHash estimate of the containment of the two openings (nlp.stories.OPENING)
    exact_opening: float = 0.0  # containment of the two openings' shingle sets
    short: bool = False  # one side too short to cluster

    @property
    def follow_up(self) -> bool:
        return self.subkind == "follow_up" or self.note.startswith("follow-up")


def load_pairs(path: Path) -> list[Pair]:
    with path.open(encoding="utf-8") as f:
        return [
            Pair(**{k: row[k] for k in ("a", "b", "kind", "subkind", "note")}, batch=row.get("batch", ""))
            for row in map(json.loads, f)
        ]


def load_fixture(fixtures: Path, relative: str) -> dict[str, str]:
    path = fixtures / relative
    data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    if ".json" in path.name:
        gold = next(iter(json.loads(data).values()))  # the fundus gold format: summary, sections of paragraphs
        body = gold["body"]
        lines = [*body.get("summary", []), *(p for s in body.get("sections", []) for p in s.get("paragraphs", []))]
        return {"title": gold["title"], "text": "\n".join(lines)}
    from crawler.extract import extract  # only for recorded pages

    page = extract(data)
    return {"title": page.title, "text": "\n".join(filter(None, (page.lead, page.text)))}


def load_texts(ids: set[str], corpus: Path, fixtures: Path) -> dict[str, dict[str, str]]:
    texts: dict[str, dict[str, str]] = {}
    wanted = {i for i in ids if not i.startswith("fixture:")}
    for path in sorted(corpus.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                head = line[:80]  # each line opens with its id: parse only the lines wanted
                if not any(f'"{i}"' in head for i in wanted):
                    continue
                item: dict[str, Any] = json.loads(line)
                if item["id"] in ids:
                    texts[item["id"]] = {"title": item["title"], "text": item["text"]}
    for id_ in ids:
        if id_.startswith("fixture:"):
            texts[id_] = load_fixture(fixtures, id_.removeprefix("fixture:"))
    missing = ids - texts.keys()
    assert not missing, f"texts not found: {sorted(missing)[:5]}"
    return texts


def merged(pair: Pair, threshold: float, signatures: dict[str, Fingerprint]) -> bool:
    """Whether an index holding `a` (story 1) puts `b` in story 1, as the pipeline would."""
    if pair.short:
        return False
    index = StoryIndex(threshold)
    index.add(1, 1, signatures[pair.a])
    match = index.match(signatures[pair.b])
    return match is not None and match[0] == 1


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def report(pairs: list[Pair], thresholds: list[float], signatures: dict[str, Fingerprint], misses: bool) -> None:
    copies = [p for p in pairs if p.kind == "copy"]
    events = [p for p in pairs if p.kind == "same_event"]
    per_sub = {s: [p for p in copies if p.subkind == s] for s in SUBKINDS}
    head = (
        f"{'thr':>5} {'b×r':>7} {'P(cand)':>7} | {'P':>5} {'R':>5} {'F1':>5} {'SE':>4} {'f-up':>4} | "
        + " ".join(f"{s[:5]:>5}" for s in SUBKINDS)
        + f" | {'exact R':>7} {'exact SE':>8}"
    )
    print(head)
    print("-" * len(head))
    for t in thresholds:
        index = StoryIndex(t)
        bands, rows = index.params
        hit = {id(p): merged(p, t, signatures) for p in pairs}
        tp = sum(hit[id(p)] for p in copies)
        fp_pairs = [p for p in events if hit[id(p)]]
        precision, recall, f1 = prf(tp, len(fp_pairs), len(copies) - tp)
        sub = " ".join(
            f"{sum(hit[id(p)] for p in ps) / len(ps):5.2f}" if ps else f"{'–':>5}" for ps in per_sub.values()
        )
        exact_hit = {id(p): p.exact >= t and p.exact_opening >= OPENING_THRESHOLD and not p.short for p in pairs}
        exact_r = sum(exact_hit[id(p)] for p in copies) / len(copies)
        exact_se = sum(exact_hit[id(p)] for p in events)
        print(
            f"{t:5.2f} {bands:>3}×{rows:<3} {candidate_probability(JACCARD_FLOOR, bands, rows):7.3f} | "
            f"{precision:5.3f} {recall:5.3f} {f1:5.3f} {len(fp_pairs):>4} {sum(p.follow_up for p in fp_pairs):>4} | "
            f"{sub} | {exact_r:7.3f} {exact_se:>8}"
        )
        if misses and len(thresholds) == 1:
            for p in copies:
                if not hit[id(p)]:
                    print(
                        f"  missed copy   J={p.exact:.2f} est={p.estimate:.2f} open={p.opening:.2f} "
                        f"{p.subkind:<11} {p.a} {p.b}  {p.note}"
                    )
            for p in fp_pairs:
                print(
                    f"  merged event  J={p.exact:.2f} est={p.estimate:.2f} open={p.opening:.2f} {p.a} {p.b}  {p.note}"
                )
    print(
        f"\nP(cand): probability that LSH returns a pair at the Jaccard floor {JACCARD_FLOOR}; "
        "SE: same-event pairs merged "
        "(f-up: of which follow-ups reusing paragraphs);\nexact R / exact SE: the same with exact Jaccard ≥ threshold "
        "and exact opening containment ≥ OPENING_THRESHOLD (no MinHash or LSH error);\n"
        "thresholds are on containment (shared shingles over the shorter text's)."
    )


def distribution(pairs: list[Pair]) -> None:
    groups = {
        "copy: syndicated": [p for p in pairs if p.kind == "copy" and p.subkind == "syndicated"],
        "copy: republished": [p for p in pairs if p.kind == "copy" and p.subkind == "republished"],
        "copy: updated": [p for p in pairs if p.kind == "copy" and p.subkind == "updated"],
        "copy: all": [p for p in pairs if p.kind == "copy"],
        "same event: independent": [p for p in pairs if p.kind == "same_event" and not p.follow_up],
        "same event: follow-up": [p for p in pairs if p.kind == "same_event" and p.follow_up],
        "same event: all": [p for p in pairs if p.kind == "same_event"],
    }
    edges = [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01]
    print("\nExact containment of the shingle sets (shared over the smaller set)")
    head = f"{'':<24} {'n':>4} {'min':>5} {'p10':>5} {'median':>6} {'p90':>5} {'max':>5} | " + " ".join(
        f"{'≥' + format(e, '.1f'):>5}" for e in edges[:-1]
    )
    print(head)
    print("-" * len(head))
    for name, ps in groups.items():
        if not ps:
            continue
        values = sorted(p.exact for p in ps)
        deciles = statistics.quantiles(values, n=10) if len(values) > 1 else values * 9
        bins = Counter(next(i for i in range(10) if edges[i] <= v < edges[i + 1]) for v in values)
        print(
            f"{name:<24} {len(values):>4} {values[0]:5.2f} {deciles[0]:5.2f} {statistics.median(values):6.2f} "
            f"{deciles[-1]:5.2f} {values[-1]:5.2f} | " + " ".join(f"{bins.get(i, 0):>5}" for i in range(10))
        )
    errors = [abs(p.estimate - p.exact) for p in pairs]
    print(f"\nMinHash estimate − exact containment: mean |error| {statistics.mean(errors):.3f}, max {max(errors):.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=Path, default=REPO / "nlp/data/story-pairs.jsonl")
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    parser.add_argument("--fixtures", type=Path, default=Path("../shared/fixtures"))
    parser.add_argument("--threshold", type=float, help="one threshold instead of 0.50 … 0.95")
    parser.add_argument("--misses", action="store_true", help="with --threshold: list missed copies and merges")
    args = parser.parse_args()

    start = time.perf_counter()
    pairs = load_pairs(args.pairs)
    texts = load_texts({i for p in pairs for i in (p.a, p.b)}, args.corpus, args.fixtures)
    signatures = {i: signature(t["title"], t["text"]) for i, t in texts.items()}
    shingle_sets = {i: shingles(t["title"], t["text"]) for i, t in texts.items()}
    for p in pairs:
        x, y = shingle_sets[p.a], shingle_sets[p.b]
        p.exact = len(x & y) / max(1, min(len(x), len(y)))
        p.jaccard = len(x & y) / len(x | y)
        p.estimate = containment(signatures[p.a], signatures[p.b])
        p.opening = opening_containment(signatures[p.a], signatures[p.b]) or 0.0
        x, y = opening_shingles(texts[p.a]["text"]), opening_shingles(texts[p.b]["text"])
        p.exact_opening = len(x & y) / max(1, min(len(x), len(y)))
        p.short = too_short(texts[p.a]["text"]) or too_short(texts[p.b]["text"])
    kinds = Counter(p.kind if p.kind == "same_event" else f"copy/{p.subkind}" for p in pairs)
    print(
        f"{len(pairs)} pairs ({', '.join(f'{k} {n}' for k, n in sorted(kinds.items()))}); "
        f"{sum(p.short for p in pairs)} with a too-short side\n"
    )
    thresholds = [args.threshold] if args.threshold is not None else THRESHOLDS
    batches = sorted({p.batch for p in pairs} - {""})
    for name, subset in [
        ("pairs the method was chosen on (no batch)", [p for p in pairs if not p.batch]),
        *((f"fresh test batch {b}", [p for p in pairs if p.batch == b]) for b in batches),
        ("all pairs", pairs),
    ]:
        kinds = Counter(p.kind if p.kind == "same_event" else f"copy/{p.subkind}" for p in subset)
        print(f"== {name}: {len(subset)} pairs ({', '.join(f'{k} {n}' for k, n in sorted(kinds.items()))})")
        report(subset, thresholds, signatures, args.misses)
        print()
    distribution(pairs)
    print(f"\n{time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
