"""The stored linear models: the character block reads as scikit-learn's analyzer does, and survives a round trip."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from domain.text import normalize_vietnamese
from nlp.dataset import read_jsonl
from nlp.linear import CHAR_RANGE, LinearModel, char_grams
from nlp.tokens import words
from nlp.train import fit
from tests.conftest import shared_path


@pytest.fixture(scope="module")
def articles() -> list[tuple[str, str]]:
    """(headline, opening) of thirty real 2026 articles."""
    rows = itertools.islice(read_jsonl(shared_path("corpus", "news-2026-sample.jsonl.gz")), 30)
    return [(normalize_vietnamese(item["title"]), normalize_vietnamese(item["text"][:1500])) for _, item in rows]


def test_character_grams_are_scikit_learns_char_wb(articles: list[tuple[str, str]]) -> None:
    reference = TfidfVectorizer(analyzer="char_wb", ngram_range=CHAR_RANGE).build_analyzer()
    for title, text in articles:
        assert char_grams(f"{title}\n{text}") == reference(f"{title}\n{text}")
    assert "hành" in char_grams("Cục THI HÀNH án")  # lower-cased
    assert "thi h" not in char_grams("Cục THI HÀNH án")  # within words only
    assert " án " in char_grams("Cục THI HÀNH án")


def test_a_model_with_a_character_block_scores_the_same_after_a_round_trip(
    articles: list[tuple[str, str]], tmp_path: Path
) -> None:
    docs = [words(f"{title} {text}") for title, text in articles]
    texts = [f"{title}\n{text}" for title, text in articles]
    labels = [str(i % 2 == 0) for i in range(len(docs))]
    model = fit(docs, labels, max_features=5000, min_df=1, c=1.0, binary=True, texts=texts)
    assert model.chars
    assert len(model.char_idf) == len(model.chars)
    assert model.coef.shape[1] == len(model.vocabulary) + len(model.marks) + len(model.chars)
    model.save(tmp_path / "relevance")
    again = LinearModel.load(tmp_path / "relevance")
    for doc, text in zip(docs, texts, strict=True):
        assert again.scores(doc, text)["True"] == pytest.approx(model.scores(doc, text)["True"], abs=1e-6)
    # the character block counts: without its text the score moves
    moved = [abs(model.scores(d, t)["True"] - model.scores(d)["True"]) for d, t in zip(docs, texts, strict=True)]
    assert max(moved) > 1e-3
    cols, values = model.vector(docs[0], texts[0])
    assert cols.max() >= len(model.vocabulary) + len(model.marks)
    char_part = values[cols >= len(model.vocabulary) + len(model.marks)]
    assert float(np.linalg.norm(char_part)) == pytest.approx(1.0, abs=1e-5)  # its own l2 norm
