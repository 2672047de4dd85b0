"""An enrichment is a reading of a stored article: it has every label of the reading, built without copying."""

from __future__ import annotations

import datetime as dt
from dataclasses import fields

from domain.enums import Sentiment
from domain.records import Enrichment, Entity, Reading


def test_an_enrichment_keeps_every_label_of_its_reading() -> None:
    reading = Reading(
        relevant=True,
        relevance_score=0.91,
        topic="dau_gia_tai_san",
        topic_scores={"dau_gia_tai_san": 0.8, "khac": 0.2},
        sentiment=Sentiment.TIEU_CUC,
        sentiment_score=0.7,
        province="Cần Thơ",
        entities=(Entity(kind="money", text="5,6 tỷ đồng", value=5.6e9),),
    )
    at = dt.datetime(2026, 11, 16, 1, 40, tzinfo=dt.UTC)
    enrichment = Enrichment.of(reading, article_id=7, model_version="thads-nlp-test", enriched_at=at, story_id=3)
    assert {f.name for f in fields(Reading)} < {f.name for f in fields(Enrichment)}
    assert all(getattr(enrichment, f.name) == getattr(reading, f.name) for f in fields(Reading))
    assert (enrichment.article_id, enrichment.model_version, enrichment.enriched_at, enrichment.story_id) == (
        7,
        "thads-nlp-test",
        at,
        3,
    )
