"""Story clustering: copies of one story (syndication, light edits) share a Story.

MinHash signatures of 5-syllable shingles, indexed with LSH (datasketch); a new article joins the story of
its most similar recent article when their estimated Jaccard similarity reaches the threshold. Different
articles on the same event share phrases but few 5-syllable runs, and stay apart.
"""

from __future__ import annotations

import re

import numpy as np
from datasketch import MinHash, MinHashLSH

from storage.text import fold_diacritics

NUM_PERM = 128
SCHEME = "affine32"  # datasketch's hashing scheme; stored signatures are only comparable within one
SHINGLE = 5
_SYLLABLE = re.compile(r"\w+")


def shingles(title: str, text: str) -> set[bytes]:
    syllables = _SYLLABLE.findall(fold_diacritics(f"{title}\n{text}"))
    if len(syllables) < SHINGLE:
        return {" ".join(syllables).encode()}
    return {" ".join(syllables[i : i + SHINGLE]).encode() for i in range(len(syllables) - SHINGLE + 1)}


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
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
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
