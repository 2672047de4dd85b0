"""The enrichment stage on storage (SQLite and PostgreSQL): three copies of one story and an unrelated article."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from domain.records import Article, Outlet, OutletKind
from nlp.classify import Classifier
from nlp.enrich import run_enrich
from nlp.settings import NlpSettings
from storage.articles import add_article
from storage.engine import Database
from storage.enrichments import get_enrichment, get_story, pending_articles
from storage.explanations import get_explanation
from storage.outlets import upsert_outlet

NOW = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
SAMPLES = {
    s["id"]: s
    for s in map(json.loads, Path(__file__).with_name("samples").joinpath("boundary.jsonl").read_text().splitlines())
}


def _article(outlet_id: int, url: str, title: str, summary: str, text: str, minutes: int) -> Article:
    return Article(
        outlet_id=outlet_id,
        url=url,
        title=title,
        sapo=summary,
        text=text,
        content_hash=url[-8:] * 8,
        fetched_at=NOW + timedelta(minutes=minutes),
    )


def test_copies_form_one_story_and_unrelated_articles_are_not_relevant(database: Database) -> None:
    complaint, negative = SAMPLES["khieu-nai-an-treo"], SAMPLES["gpmb-ubnd"]
    with database.session() as s:
        outlets = [
            upsert_outlet(s, Outlet(slug=slug, name=slug, domain=f"{slug}.vn", kind=OutletKind.NATIONAL))
            for slug in ("bao-a", "bao-b", "bao-c")
        ]
        for n, outlet in enumerate(outlets):
            assert outlet.id is not None
            text = complaint["text"] + ("" if n == 0 else f"\n(Theo báo {outlet.slug})")
            add_article(
                s,
                _article(
                    outlet.id, f"https://{outlet.slug}.vn/ban-an-{n}", complaint["title"], complaint["summary"], text, n
                ),
            )
        assert outlets[0].id is not None
        add_article(
            s,
            _article(
                outlets[0].id, "https://bao-a.vn/gpmb", negative["title"], negative["summary"], negative["text"], 10
            ),
        )
    summary = run_enrich(database, Classifier.load(), NlpSettings(batch_size=2), now=lambda: NOW)
    assert summary.enriched == 4
    assert summary.relevant == 3
    assert (summary.new_stories, summary.joined_stories) == (1, 2)
    with database.session() as s:
        assert pending_articles(s, limit=10) == []
        enrichments = [get_enrichment(s, i) for i in (1, 2, 3, 4)]
        story_ids = {e.story_id for e in enrichments[:3] if e}
        assert len(story_ids) == 1
        story = get_story(s, story_ids.pop() or 0)
        assert story is not None
        assert story.size == 3
        first = enrichments[0]
        assert first is not None
        assert (first.topic, first.sentiment, first.province) == ("khieu_nai_to_cao", "tieu_cuc", "Cần Thơ")
        assert any(e.kind == "body" for e in first.entities)
        assert first.model_version.startswith("thads-nlp-")
        last = enrichments[3]
        assert last is not None
        assert not last.relevant
        assert last.story_id is None
        # why it was flagged, stored as it was read; nothing for the article that was not relevant
        why = get_explanation(s, 1)
        assert why is not None
        assert why.model_version == first.model_version
        assert why.made_at == NOW
        assert len(why.relevance) == 5
        assert all(a.weight >= b.weight > 0 for a, b in zip(why.relevance, why.relevance[1:], strict=False))
        assert (why.places[0].text, why.places[0].part) == ("thị xã Ngã Năm", "body")  # Sóc Trăng, now Cần Thơ
        assert get_explanation(s, 4) is None
    # a second run has nothing to do
    assert run_enrich(database, Classifier.load(), NlpSettings(), now=lambda: NOW).enriched == 0
