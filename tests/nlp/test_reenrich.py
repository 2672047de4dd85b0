"""Re-enrichment after a promotion (both backends): labels and scores come from the new model, a monitor's
corrections and the labels of a confirmed story stay, stories stay."""

from __future__ import annotations

import datetime as dt

import pytest

from alerts.triage import correct_labels, label_article
from nlp.classify import Classifier, Document
from nlp.enrich import run_reenrich
from nlp.settings import NlpSettings
from storage.engine import Database
from storage.enrichments import get_enrichment
from storage.explanations import get_explanation
from storage.feedback import relabel_article
from tests.seeding import T0, add_copy, outlet, samples

MONITOR = "giamsat@cucthads.vn"


def test_a_monitor_corrected_field_survives_reenrichment(database: Database) -> None:
    s = samples()
    classifier = Classifier.load(use_ner=False)
    with database.session() as session:
        paper, other = outlet(session, "laodong", "Báo Lao Động"), outlet(session, "thanhnien", "Báo Thanh Niên")
        lead, story = add_copy(session, s["written:w4:005"], paper, at=T0)
        copy, _ = add_copy(session, s["written:w4:005"], other, at=T0, story=story)
        loose, _ = add_copy(session, s["written:w4:006"], paper, at=T0, relevant=False, suffix="-x")
        assert story is not None
        assert lead.id is not None
        assert copy.id is not None
        assert loose.id is not None
        correct_labels(session, story.id, {"province": "Cà Mau"}, actor=MONITOR, at=T0)  # the story's copies
        label_article(session, loose.id, "sentiment", "tich_cuc", actor=MONITOR, at=T0)
        # What an older model had said, which the new one must replace where no monitor spoke.
        relabel_article(session, lead.id, {"topic": "khac"})
        relabel_article(session, loose.id, {"topic": "khac", "relevant": True})
    expected = {
        a.id: classifier.classify(Document(id="", title=a.title, summary=a.sapo, text=a.text))
        for a in (lead, loose)
        if a.id is not None
    }
    done = run_reenrich(database, classifier, NlpSettings(), now=T0 + dt.timedelta(days=2))
    assert done.read == 3
    with database.session() as session:
        read_lead, read_copy, read_loose = (get_enrichment(session, a.id) for a in (lead, copy, loose) if a.id)
    assert read_lead is not None
    assert read_copy is not None
    assert read_loose is not None
    assert (read_lead.province, read_copy.province) == ("Cà Mau", "Cà Mau")  # corrected on the story: kept
    assert read_lead.topic == expected[lead.id].topic != "khac"  # no monitor gave it: the model's
    assert read_lead.story_id == story.id
    assert read_copy.story_id == story.id
    assert read_lead.model_version == classifier.version
    assert read_loose.sentiment == "tich_cuc"  # the monitor's, whatever the model says
    assert read_loose.relevant is expected[loose.id].relevant
    assert read_lead.relevance_score == expected[lead.id].relevance_score
    # why flagged, read again with the new model (the explanations the seeding did not make)
    with database.session() as session:
        why = get_explanation(session, lead.id)
    assert why is not None
    assert (why.model_version, why.made_at) == (classifier.version, T0 + dt.timedelta(days=2))
    reasons = expected[lead.id].reasons
    assert reasons is not None
    assert [(t.text, t.part) for t in why.relevance] == [(t.text, t.part) for t in reasons.relevance]
    assert [t.weight for t in why.relevance] == pytest.approx([t.weight for t in reasons.relevance], abs=1e-4)
    assert [(p.text, p.part) for p in why.places] == [(p.text, p.part) for p in reasons.places]
