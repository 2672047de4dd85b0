"""Entity quality: precision and recall per kind of nlp.entities against a hand-labelled gold set, and the time
per article, with the entities found as the classifier finds them (headline, lead and text; NER as configured).

The gold set (tests/nlp/samples/entities-gold.jsonl) holds, for 50 relevant articles of the VietNews pool drawn
at random (seed 13, articles up to 4,000 characters), every person named in full (two syllables or more; photo
and byline credits left out), every civil-judgment-enforcement body named with its place (or the national
bodies), and judgment and decision numbers: their kind, text and character span in "headline\\nlead\\ntext"
(normalised). Money amounts are not labelled. A found entity counts when its kind and text (case aside; spaces
aside for numbers) equal a labelled one of the same article.

The rules of nlp/entities.py were written while looking at those 50 articles' errors: their figures are in
sample. tests/nlp/samples/entities-heldout.jsonl labels the next 10 articles of the same draw, labelled after the
rules were written and not used to tune them (`--gold` that file): the figure to expect on new articles.

    .venv/bin/python benchmarks/entities.py --corpus ../shared/corpus [--no-ner]
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import time
from collections import defaultdict
from pathlib import Path

from domain.text import normalize_vietnamese
from nlp.entities import find_entities, ner_people

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO / "tests" / "nlp" / "samples" / "entities-gold.jsonl"
KINDS = ("person", "body", "judgment", "decision")


def key(kind: str, text: str) -> tuple[str, str]:
    text = normalize_vietnamese(text).casefold()
    return kind, "".join(text.split()) if kind in ("judgment", "decision") else text


def load_gold(path: Path = GOLD) -> dict[str, set[tuple[str, str]]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return {row["id"]: {key(e["kind"], e["text"]) for e in row["entities"]} for row in rows}


def load_articles(corpus: Path, ids: set[str]) -> dict[str, tuple[str, str, str]]:
    found: dict[str, tuple[str, str, str]] = {}
    with gzip.open(corpus / "vietnews-thads-pool.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            if row["id"] in ids:
                found[row["id"]] = (row["title"], row.get("summary", ""), row["text"])
    return found


def predicted(title: str, summary: str, text: str, *, ner: bool) -> set[tuple[str, str]]:
    """The entities as nlp.classify.Classifier finds them."""
    title, summary, text = (normalize_vietnamese(x) for x in (title, summary, text))
    entities = find_entities(f"{title}\n{summary}\n{text}", people=ner_people if ner else None, lead=title)
    return {key(e.kind, e.text) for e in entities if e.kind in KINDS}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--no-ner", action="store_true", help="without underthesea NER")
    parser.add_argument("--show", action="store_true", help="print every wrong and every missed entity")
    args = parser.parse_args()
    gold = load_gold(args.gold)
    articles = load_articles(args.corpus, set(gold))
    # the models and the gazetteer loaded before the clock starts
    predicted("Khởi động", "", "Ông Nguyễn Văn An, Cục THADS tỉnh Lạng Sơn", ner=not args.no_ner)
    right: dict[str, int] = defaultdict(int)
    found: dict[str, int] = defaultdict(int)
    labelled: dict[str, int] = defaultdict(int)
    times = []
    for article_id, expected in gold.items():
        start = time.perf_counter()
        got = predicted(*articles[article_id], ner=not args.no_ner)
        times.append(time.perf_counter() - start)
        for kind, _ in got:
            found[kind] += 1
        for kind, _ in expected:
            labelled[kind] += 1
        for kind, _ in got & expected:
            right[kind] += 1
        if args.show:
            for kind, text in sorted(got - expected):
                print(f"  wrong   {article_id} {kind:<9} {text}")
            for kind, text in sorted(expected - got):
                print(f"  missed  {article_id} {kind:<9} {text}")
    print(f"{len(gold)} articles, NER {'off' if args.no_ner else 'on'}")
    print(f"{'kind':<10} {'found':>6} {'right':>6} {'labelled':>9} {'precision':>10} {'recall':>8}")
    for kind in KINDS:
        precision = right[kind] / found[kind] if found[kind] else float("nan")
        recall = right[kind] / labelled[kind] if labelled[kind] else float("nan")
        print(f"{kind:<10} {found[kind]:>6} {right[kind]:>6} {labelled[kind]:>9} {precision:>10.1%} {recall:>8.1%}")
    print(
        f"time per article: median {statistics.median(times) * 1000:.0f} ms, "
        f"mean {statistics.mean(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
