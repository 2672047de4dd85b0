"""Every recorded page against its gold (tests/crawler/gold), and every outlet of the registry held to account.

Like fundus's publisher coverage: an outlet in crawler/sources.yaml has a recorded real article page with its
expected fields, or says in the registry why it has none (`recorded: "none, <why>"`). The quality gate is
pinned: no boilerplate line, no gold paragraph missing, token F1 ≥ 0.97 on every page.
"""

from __future__ import annotations

import json

import pytest

from crawler.extract import extract
from crawler.sources import load_registry
from tests.crawler.recorded import GOLD_DIR, Gold, leaks, load_golds, missing, read_page, token_f1, visible_text

GOLDS = load_golds()
REGISTRY = load_registry()
F1_FLOOR = 0.97  # issue 16's acceptance; every page is at 1.000 today (benchmarks/extract_gold.py)


@pytest.mark.parametrize("gold", GOLDS, ids=[g.name for g in GOLDS])
def test_page_matches_its_gold(gold: Gold) -> None:
    got = extract(gold.html(), gold.url)
    lines = got.text.split("\n")
    assert got.title == gold.title
    assert got.lead == gold.lead
    assert leaks(lines, gold) == []
    assert missing(got.text, gold) == []
    assert token_f1(got.text, "\n".join(gold.paragraphs)) >= F1_FLOOR
    assert list(got.authors) == list(gold.authors)
    assert gold.published_matches(got.published_at), got.published_at


def test_gold_files_hold_places_in_the_page_not_its_text() -> None:
    """The article text stays in ../shared: a gold field is a [start, end) span of the page's visible text, and
    each span is whole words (it neither starts nor ends inside a word)."""
    for path in sorted(GOLD_DIR.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        text = visible_text(read_page(data["page"]))
        fields = [data["title"], data["lead"], *data["paragraphs"], *data["authors"]]
        for span in [s for f in fields if f is not None for s in (f if isinstance(f[0], list) else [f])]:
            start, end = span
            assert isinstance(start, int)
            assert isinstance(end, int)
            assert 0 <= start < end <= len(text), (path.name, span)
            assert not (start > 0 and text[start - 1].isalnum() and text[start].isalnum()), (path.name, span)
            assert not (end < len(text) and text[end - 1].isalnum() and text[end].isalnum()), (path.name, span)


def test_gold_files_point_at_outlets_of_the_registry() -> None:
    slugs = {o.slug for o in REGISTRY.outlets}
    assert len(GOLDS) >= 16
    assert {g.outlet for g in GOLDS if g.outlet is not None} <= slugs


@pytest.mark.parametrize("slug", [o.slug for o in REGISTRY.outlets])
def test_every_outlet_has_a_recorded_page_or_says_why_not(slug: str) -> None:
    outlet = REGISTRY.get(slug)
    assert outlet is not None
    pages = [g.name for g in GOLDS if g.outlet == slug]
    if outlet.recorded is None:
        assert pages, f"{slug}: no recorded page in tests/crawler/gold and no `recorded: none, <why>` in the registry"
    else:
        assert not pages, f"{slug}: has recorded pages {pages}; remove its `recorded: none`"


def test_outlets_without_a_recorded_page_are_listed() -> None:
    """The closing count of issue 16: outlets with a page, outlets that say why they have none."""
    without = sorted(o.slug for o in REGISTRY.outlets if o.recorded is not None)
    with_page = sorted({g.outlet for g in GOLDS if g.outlet is not None})
    assert with_page == ["dantri", "nld", "thanhnien", "vnexpress", "znews"]
    assert len(without) + len(with_page) == len(REGISTRY.outlets)
    assert "baophapluat" in without  # no page of it among ../shared/fixtures: the gap is said, not hidden
