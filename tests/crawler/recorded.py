"""Recorded article pages and their expected fields (gold), and how an extraction is scored against them.

Each `tests/crawler/gold/<page>.json` was written by reading the page in ../shared/fixtures: title, lead, body
paragraphs and authors, the published time, the outlet's slug in the registry (null for an outlet the registry does
not follow) and a note on what was judged and why. The page and its words stay in ../shared: a gold file holds
no article text, only where each field is in the page's visible text (`visible_text`: [start, end) character
offsets; a field over several blocks is a list of spans), and the text is read from the page when the gold is
loaded. A gold file is our reading of the page (the labels); the page is the shared fixture's.
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

from lxml import html

from tests.conftest import shared_path

GOLD_DIR = Path(__file__).parent / "gold"
_WORD = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")
_BLOCKS = (
    *("p", "div", "br", "li", "ul", "ol", "dl", "dt", "dd", "table", "tr", "td", "th", "blockquote", "pre", "hr"),
    *("h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "header", "footer", "aside", "nav", "main"),
    *("figure", "figcaption", "title", "form", "address"),
)


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
        return read_page(self.page)

    def published_matches(self, got: datetime | None) -> bool:
        if self.published_at is None or got is None:
            return self.published_at is None and got is None
        expected = datetime.fromisoformat(self.published_at) if "T" in self.published_at else None
        if expected is None:
            local = got.astimezone(datetime.fromisoformat("2000-01-01T00:00:00+07:00").tzinfo)
            return local.date() == date.fromisoformat(self.published_at)
        return got == expected


def read_page(page: str) -> bytes:
    body = shared_path(*page.split("/")).read_bytes()
    return gzip.decompress(body) if body[:2] == b"\x1f\x8b" else body


def visible_text(page: bytes) -> str:
    """The page's text as a reader sees it, for locating the gold fields: every text node outside scripts and
    styles, in document order, a space where a block or line break starts or ends, NFC, runs of white space as one
    space."""
    tree = html.fromstring(page.decode("utf-8"))
    hidden: list[html.HtmlElement] = list(tree.iter("script", "style", "noscript"))
    for node in hidden:
        node.drop_tree()
    for block in tree.iter(*_BLOCKS):
        block.text = " " + (block.text or "")
        block.tail = " " + (block.tail or "")
    return _SPACE.sub(" ", unicodedata.normalize("NFC", "".join(str(t) for t in tree.itertext())))


Span = list[int]  # [start, end) in the visible text


def _at(text: str, span: Span | list[Span] | None) -> str:
    """A field's text; a field the page splits over several blocks (list items the extraction joins as one
    line) is a list of spans joined as they are."""
    if span is None:
        return ""
    if isinstance(span[0], list):
        return "".join(text[start:end] for start, end in span)
    return text[span[0] : span[1]]


def load_golds() -> list[Gold]:
    golds = []
    for path in sorted(GOLD_DIR.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        text = visible_text(read_page(data["page"]))
        golds.append(
            Gold(
                name=path.stem,
                page=data["page"],
                outlet=data["outlet"],
                url=data["url"],
                title=_at(text, data["title"]),
                lead=_at(text, data["lead"]),
                paragraphs=tuple(_at(text, span) for span in data["paragraphs"]),
                authors=tuple(_at(text, span) for span in data["authors"]),
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
