"""Comment reader benchmark: tone and relevance of short informal Vietnamese comments and posts.

Reads the hand-labelled real comments (nlp/data/comments-labels.jsonl: ids and labels; texts from the comment
datasets' folder, `NlpSettings.comments_dir`) and prints, as JSON, every figure of nlp/models/COMMENTS_CARD.md:
tone cross-validated (5 folds), on the real undiacritised comments, on diacritic-stripped copies, and across
datasets (trained on ViCTSD, tested on ViHSD and the reverse); relevance of the rule on the labelled comments and
on the labelled news headlines + leads as short posts (as written and diacritics stripped); the blind second
pass's agreement. `--write` retrains the shipped tone model on all labelled comments.

    .venv/bin/python benchmarks/comments.py --comments ../comments-data --corpus ../shared/corpus [--write]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from nlp.comments import TONE_MODEL
from nlp.comments_train import figures, fit_tone, load_labelled, relevance_on_posts
from nlp.dataset import load_real

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=Path, default=REPO.parent / "comments-data")
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--write", action="store_true", help="retrain and save the shipped tone model")
    args = parser.parse_args()
    result = figures(args.comments)
    posts = [
        (f"{e.title}. {e.summary}", e.relevant) for e in load_real(args.corpus) if e.source in ("vietnews", "news2026")
    ]
    result["relevance_posts"] = {"n": len(posts), **relevance_on_posts(posts)}
    if args.write:
        fit_tone(load_labelled(args.comments)).save(TONE_MODEL)
        result["written"] = str(TONE_MODEL)
    json.dump(result, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
