"""Story clustering: copies of one story (syndication, republication under a new headline, updates) share a Story.

MinHash signatures of 4-syllable shingles, indexed with LSH (datasketch); a new article joins the story of its
most similar recent article when their estimated containment — the shingles they share over those of the
shorter one — reaches the threshold. Containment, not Jaccard: a copy trimmed to its first paragraphs, or an
update that added three, shares most of the shorter text but little of the union (on the project's labelled
real pairs, `nlp/data/story-pairs.jsonl`, Jaccard at its best threshold found half the copies; see
`benchmarks/stories.py`). Different articles on the same event share phrases but few 4-syllable runs.

A follow-up — a later article that opens with its own news and reuses an earlier one's paragraphs further down —
can share as much of the shorter text as a copy does; a copy, though, mostly keeps the opening (first OPENING
syllables of the text) and a follow-up replaces it. So a match also needs the two openings, a second small
MinHash, to share OPENING_THRESHOLD of their shingles (chosen on the labelled pairs before batch 2026-12-03; the
fresh batch is reported apart by the benchmark). It costs updated copies that open with a new paragraph (on those
pairs 3 of 13 updates were lost, and 5 of 7 follow-ups kept apart). Signatures stored before it (FORMAT 4, no
opening) are compared on the whole text alone until they age out of the window.

Containment is estimated from the MinHash Jaccard J and the two shingle counts: shared = J/(1+J)·(|A|+|B|).
LSH gathers candidates at a low Jaccard floor (a trimmed copy can have J ≈ 0.25), with bands × rows derived
from it so that a pair at the floor is a candidate with probability ≥ CANDIDATE_RECALL; the estimate after it
keeps precision. Near-empty pages (a placeholder "Đang cập nhật", a headline alone) have too few shingles to
tell copies from chance and are never clustered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash, MinHashLSH

from domain.text import fold_diacritics

NUM_PERM = 128
SCHEME = "affine32"  # datasketch's hashing scheme; stored signatures are only comparable within one
SHINGLE = 4
FORMAT = 5  # stored with the signature: 5 adds the opening's MinHash; 4 (without it) is still read
OPENING = 60  # syllables of the text (headline left out) whose shingles make the opening signature
OPENING_THRESHOLD = 0.2  # estimated containment of the two openings for a copy (chosen on the pre-2026-12-03 pairs)
CANDIDATE_RECALL = 0.97
JACCARD_FLOOR = 0.25  # LSH candidates: copies trimmed to a quarter of the longer text still found
MIN_SYLLABLES = 40  # fewer in the text: a placeholder or a stub, its own story
_SYLLABLE = re.compile(r"\w+")


def shingles(title: str, text: str) -> set[bytes]:
    return _grams(_SYLLABLE.findall(fold_diacritics(f"{title}\n{text}")))


def opening_shingles(text: str) -> set[bytes]:
    """The shingles of the text's first OPENING syllables: its lead, which a copy keeps (republished, syndicated
    or updated, often under a new headline) and a follow-up replaces with its own news."""
    return _grams(_SYLLABLE.findall(fold_diacritics(text))[:OPENING])


def _grams(syllables: list[str]) -> set[bytes]:
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


@dataclass(frozen=True, slots=True)
class Fingerprint:
    minhash: MinHash
    size: int  # number of distinct shingles
    opening: MinHash | None = None  # of opening_shingles; None in a signature stored in format 4
    opening_size: int = 0


_PERMUTATIONS = MinHash(num_perm=NUM_PERM, scheme=SCHEME).permutations  # seed 1: drawn once, not per signature


def _minhash(grams: set[bytes] | None = None, hashvalues: np.ndarray | None = None) -> MinHash:
    minhash = MinHash(num_perm=NUM_PERM, scheme=SCHEME, permutations=_PERMUTATIONS, hashvalues=hashvalues)
    if grams is None:
        return minhash
    minhash.update_batch(list(grams))
    return minhash


def signature(title: str, text: str) -> Fingerprint:
    grams, lead = shingles(title, text), opening_shingles(text)
    return Fingerprint(_minhash(grams), len(grams), _minhash(lead), len(lead))


def _containment(a: MinHash, b: MinHash, size_a: int, size_b: int) -> float:
    jaccard = float(a.jaccard(b))
    shared = jaccard / (1.0 + jaccard) * (size_a + size_b)
    return min(1.0, shared / max(1, min(size_a, size_b)))


def containment(a: Fingerprint, b: Fingerprint) -> float:
    """Estimated share of the shorter text's shingles that the other one has too."""
    return _containment(a.minhash, b.minhash, a.size, b.size)


def opening_containment(a: Fingerprint, b: Fingerprint) -> float | None:
    """Estimated share of the shorter opening's shingles that the other opening has too; None when one
    fingerprint was stored without its opening (format 4)."""
    if a.opening is None or b.opening is None:
        return None
    return _containment(a.opening, b.opening, a.opening_size, b.opening_size)


def is_copy(a: Fingerprint, b: Fingerprint, threshold: float) -> float | None:
    """The containment of a copy: the whole texts share at least `threshold` of the shorter one's shingles and
    their openings at least OPENING_THRESHOLD (a follow-up that reuses an earlier article's paragraphs under its
    own lead shares the first but not the second); None otherwise."""
    similarity = containment(a, b)
    if similarity < threshold:
        return None
    opening = opening_containment(a, b)
    if opening is not None and opening < OPENING_THRESHOLD:
        return None
    return similarity


def to_bytes(fingerprint: Fingerprint) -> bytes:
    assert fingerprint.opening is not None, "a fingerprint read from format 4 is not stored again"
    values = np.concatenate(
        [
            np.asarray(fingerprint.minhash.hashvalues, dtype=np.uint64),
            np.asarray(fingerprint.opening.hashvalues, dtype=np.uint64),
            np.asarray([fingerprint.size, fingerprint.opening_size, FORMAT], dtype=np.uint64),
        ]
    )
    return values.astype(np.uint64).tobytes()


def from_bytes(data: bytes) -> Fingerprint | None:
    """The stored fingerprint; one of format 4 without its opening (compared on the whole text alone); None for
    an older format (not comparable: it ages out of the window)."""
    values = np.frombuffer(data, dtype=np.uint64)
    if len(values) == NUM_PERM + 2 and int(values[-1]) == 4:
        return Fingerprint(_minhash(hashvalues=values[:NUM_PERM]), int(values[-2]))
    if len(values) != 2 * NUM_PERM + 3 or int(values[-1]) != FORMAT:
        return None
    return Fingerprint(
        _minhash(hashvalues=values[:NUM_PERM]),
        int(values[-3]),
        _minhash(hashvalues=values[NUM_PERM : 2 * NUM_PERM]),
        int(values[-2]),
    )


class StoryIndex:
    """The recent articles' fingerprints and the story each belongs to."""

    def __init__(self, threshold: float = 0.8) -> None:
        self.threshold = threshold
        self.params = lsh_params(JACCARD_FLOOR)
        self._lsh = MinHashLSH(num_perm=NUM_PERM, params=self.params)
        self._fingerprints: dict[int, Fingerprint] = {}
        self._story_of: dict[int, int] = {}

    def add(self, article_id: int, story_id: int, fingerprint: Fingerprint) -> None:
        if article_id in self._fingerprints:
            return
        self._lsh.insert(article_id, fingerprint.minhash)
        self._fingerprints[article_id] = fingerprint
        self._story_of[article_id] = story_id

    def match(self, fingerprint: Fingerprint) -> tuple[int, float] | None:
        """(story id, containment) of the most similar indexed article at or above the threshold."""
        best: tuple[int, float] | None = None
        for article_id in self._lsh.query(fingerprint.minhash):
            similarity = is_copy(fingerprint, self._fingerprints[article_id], self.threshold)
            if similarity is not None and (best is None or similarity > best[1]):
                best = (self._story_of[article_id], similarity)
        return best

    def __len__(self) -> int:
        return len(self._fingerprints)


def similar_stories(
    own: list[Fingerprint], others: list[tuple[int, Fingerprint]], *, limit: int = 5, floor: float = 0.1
) -> list[tuple[int, float]]:
    """The stories most similar to a story (merge suggestions): for each other story the highest containment
    between one of its articles and one of `own`, at least `floor`, highest first. Vectorised over the others
    (a page asks it: thousands of recent articles in milliseconds)."""
    if not own or not others:
        return []
    matrix = np.stack([np.asarray(f.minhash.hashvalues, dtype=np.uint64) for _, f in others])
    sizes = np.asarray([f.size for _, f in others], dtype=np.float64)
    best = np.zeros(len(others))
    for mine in own:
        jaccard = (matrix == np.asarray(mine.minhash.hashvalues, dtype=np.uint64)).mean(axis=1)
        shared = jaccard / (1.0 + jaccard) * (sizes + mine.size)
        best = np.maximum(best, np.minimum(1.0, shared / np.maximum(1.0, np.minimum(sizes, mine.size))))
    per_story: dict[int, float] = {}
    for (story_id, _), value in zip(others, best.tolist(), strict=True):
        per_story[story_id] = max(per_story.get(story_id, 0.0), value)
    ranked = sorted(((s, v) for s, v in per_story.items() if v >= floor), key=lambda sv: (-sv[1], sv[0]))
    return ranked[:limit]
