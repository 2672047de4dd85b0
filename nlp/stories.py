"""Story clustering: copies of one story (syndication, light edits) share a Story.

MinHash signatures of 5-syllable shingles, indexed with LSH (datasketch); a new article joins the story of
its most similar recent article when their estimated Jaccard similarity reaches the threshold. Different
articles on the same event share phrases but few 5-syllable runs, and stay apart.

The LSH bands × rows are derived from the threshold so that a pair at the threshold is a candidate with
probability ≥ CANDIDATE_RECALL (the banding is tilted towards recall; the signature comparison after it keeps
precision). A fixed 16 × 8 found a pair at 0.65 only 40 % of the time. Near-empty pages (a placeholder
"Đang cập nhật", a headline alone) have too few shingles to tell copies from chance and are never clustered.
"""

from __future__ import annotations

import re

import numpy as np
from datasketch import MinHash, MinHashLSH

from storage.text import fold_diacritics

NUM_PERM = 128
SCHEME = "affine32"  # datasketch's hashing scheme; stored signatures are only comparable within one
SHINGLE = 5
CANDIDATE_RECALL = 0.97
MIN_SYLLABLES = 40  # fewer in the text: a placeholder or a stub, its own story
_SYLLABLE = re.compile(r"\w+")


def shingles(title: str, text: str) -> set[bytes]:
    syllables = _SYLLABLE.findall(fold_diacritics(f"{title}\n{text}"))
    if len(syllables) < SHINGLE:
        return {" ".join(syllables).encode()}
    return {" ".join(syllables[i : i + SHINGLE]).encode() for i in range(len(syllables) - SHINGLE + 1)}


def too_short(text: str) -> bool:
    """A page with too little text to cluster ("Đang cập nhật", a video page with a caption)."""
    return len(_SYLLABLE.findall(fold_diacritics(text))) < MIN_SYLLABLES


def lsh_params(threshold: float, num_perm: int = NUM_PERM, recall: float = CANDIDATE_RECALL) -> tuple[int, int]:
    """(bands, rows): the most rows (fewest chance candidates) whose bands find a pair at `threshold` with
    probability ≥ `recall`; one row per band if none does."""
    for rows in range(num_perm, 0, -1):
        bands = num_perm // rows
        if candidate_probability(threshold, bands, rows) >= recall:
            return bands, rows
    return num_perm, 1


def candidate_probability(similarity: float, bands: int, rows: int) -> float:
    """Probability that LSH with these bands × rows returns a pair of this Jaccard similarity."""
    return float(1.0 - (1.0 - similarity**rows) ** bands)


def signature(title: str, text: str) -> MinHash:
    minhash = MinHash(num_perm=NUM_PERM, scheme=SCHEME)
    minhash.update_batch(list(shingles(title, text)))
    return minhash


def to_bytes(minhash: MinHash) -> bytes:
    return np.asarray(minhash.hashvalues, dtype=np.uint64).tobytes()


def from_bytes(data: bytes) -> MinHash:
    return MinHash(num_perm=NUM_PERM, hashvalues=np.frombuffer(data, dtype=np.uint64), scheme=SCHEME)


class StoryIndex:
    """The recent articles' signatures and the story each belongs to."""

    def __init__(self, threshold: float = 0.65) -> None:
        self.threshold = threshold
        self.params = lsh_params(threshold)
        self._lsh = MinHashLSH(num_perm=NUM_PERM, params=self.params)
        self._signatures: dict[int, MinHash] = {}
        self._story_of: dict[int, int] = {}

    def add(self, article_id: int, story_id: int, minhash: MinHash) -> None:
        if article_id in self._signatures:
            return
        self._lsh.insert(article_id, minhash)
        self._signatures[article_id] = minhash
        self._story_of[article_id] = story_id

    def match(self, minhash: MinHash) -> tuple[int, float] | None:
        """(story id, similarity) of the most similar indexed article at or above the threshold."""
        best: tuple[int, float] | None = None
        for article_id in self._lsh.query(minhash):
            similarity = float(minhash.jaccard(self._signatures[article_id]))
            if similarity >= self.threshold and (best is None or similarity > best[1]):
                best = (self._story_of[article_id], similarity)
        return best

    def __len__(self) -> int:
        return len(self._signatures)
