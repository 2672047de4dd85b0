"""Recorded article pages and their expected fields (gold), and how an extraction is scored against them.

Each `tests/crawler/gold/<page>.json` was written by reading the page in ../shared/fixtures (the page itself is
read from there, never copied here): title, lead, body paragraphs, authors, published time, the outlet's slug in
the registry (null for an outlet the registry does not follow) and a note on what was judged and why.
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from tests.conftest import shared_path

GOLD_DIR = Path(__file__).parent / "gold"
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True, kw_only=True)
class Gold:
    name: str
    page: str  # path under ../shared
    outlet: str | None
    url: str | None
    title: str
    lead: str
    paragraphs: tuple[str, ...]
    authors: tuple[str, ...]
    published_at: str | None  # ISO; a bare date when the page gives the day only
    note: str = ""

    def html(self) -> bytes:
        body = shared_path(*self.page.split("/")).read_bytes()
        return gzip.decompress(body) if body[:2] == b"\x1f\x8b" else body

    def published_matches(self, got: datetime | None) -> bool:
        if self.published_at is None or got is None:
            return self.published_at is None and got is None
        expected = datetime.fromisoformat(self.published_at) if "T" in self.published_at else None
        if expected is None:
            local = got.astimezone(datetime.fromisoformat("2000-01-01T00:00:00+07:00").tzinfo)
            return local.date() == date.fromisoformat(self.published_at)
        return got == expected


def load_golds() -> list[Gold]:
    golds = []
    for path in sorted(GOLD_DIR.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        golds.append(
            Gold(
                name=path.stem,
                page=data["page"],
                outlet=data["outlet"],
                url=data["url"],
                title=data["title"],
                lead=data["lead"],
                paragraphs=tuple(data["paragraphs"]),
                authors=tuple(data["authors"]),
                published_at=data["published_at"],
                note=data.get("note", ""),
            )
        )
    return golds


def words(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFC", text).lower())


def token_f1(got: str, expected: str) -> float:
    """Bag-of-words F1 of the extracted body against the gold body (trafilatura's evaluation measure)."""
    a, b = Counter(words(got)), Counter(words(expected))
    common = sum((a & b).values())
    if not common:
        return 0.0
    precision, recall = common / sum(a.values()), common / sum(b.values())
    return 2 * precision * recall / (precision + recall)


def _flat(text: str) -> str:
    return " ".join(words(text))


def leaks(lines: list[str], gold: Gold) -> list[str]:
    """Extracted lines that are not article text: not within the title, lead and body paragraphs read in order
    (a line that runs over two consecutive paragraphs is not a leak)."""
    article = " ".join(_flat(t) for t in (gold.title, gold.lead, *gold.paragraphs))
    return [line for line in lines if _flat(line) and _flat(line) not in article]


def missing(text: str, gold: Gold) -> list[str]:
    """Gold paragraphs whose words do not appear, in order and together, in the extracted body."""
    flat = _flat(text)
    return [p for p in gold.paragraphs if _flat(p) not in flat]
