"""The reading models on the library set of real agency and enforcement news of 2005–2026 (nlp/library_set.py):
relevance recall, topic and tone figures with their confusions, province with and without the outlet's address,
per period of the wording. The page texts are given from outside the repository (see nlp/library_set.py).

    .venv/bin/python benchmarks/library_set.py --pages /path/to/pages.jsonl [--models DIR]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from nlp.classify import MODEL_DIR, Classifier
from nlp.library_set import measure


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=Path, required=True)
    parser.add_argument("--models", type=Path, default=MODEL_DIR)
    args = parser.parse_args()
    classifier = Classifier.load(args.models, use_ner=False)
    m = measure(classifier, args.pages)
    print(f"model {classifier.version}; pages read {m['pages']} of {m['labelled']}")
    print(
        f"relevance: {m['caught']}/{m['relevant']} relevant caught (recall {m['caught'] / max(m['relevant'], 1):.3f});"
        f" {m['flagged']}/{m['negatives']} negatives flagged"
    )
    for field in ("topic", "sentiment"):
        f = m[field]
        print(f"{field}: n={f['n']} accuracy {f['accuracy']:.3f} macro-F1 {f['macro_f1']:.3f}")
        for cls, c in f["per_class"].items():
            print(f"    {cls:24} P {c['precision']:.2f} R {c['recall']:.2f} n {c['n']}")
        print("    most confused: " + "; ".join(f"{t}→{g} {n}" for t, g, n in f["confused"]))
    for name, p in m["by_period"].items():
        print(f"  {name}: n={p['n']} topic {p['topic']:.3f} tone accuracy {p['sentiment']:.3f}")
    print(f"province: {m['province']:.3f} with the outlet's address, {m['province_without_address']:.3f} without")


if __name__ == "__main__":
    main()
