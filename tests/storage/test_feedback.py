"""Label feedback on both backends: rows kept for retraining, corrected labels applied to every copy."""

from __future__ import annotations

import datetime as dt

import pytest

from storage.engine import Database
from storage.enrichments import get_enrichment
from storage.feedback import LabelFeedback, add_feedback, list_feedback, relabel_story
from tests.seeding import T0, add_copy, outlet, samples


def test_feedback_rows_and_relabelling_every_copy(database: Database) -> None:
    s = samples()
    with database.session() as session:
        pl, tt = outlet(session, "phapluat", "Báo Pháp luật Việt Nam"), outlet(session, "tuoitre", "Tuổi Trẻ")
        first, story = add_copy(session, s["written:w4:005"], pl, at=T0)
        second, _ = add_copy(session, s["written:w4:005"], tt, at=T0, story=story, province="Hà Nội")
        other, _ = add_copy(session, s["written:w4:006"], tt, at=T0)
        assert story is not None
        assert first.id
        assert second.id
        assert other.id
        add_feedback(
            session,
            LabelFeedback(
                article_id=first.id,
                field="province",
                old_value="Hà Nội",
                new_value="Cần Thơ",
                by="giamsat@cucthads.vn",
                at=T0 + dt.timedelta(hours=1),
            ),
        )
        add_feedback(
            session,
            LabelFeedback(
                article_id=first.id,
                field="sentiment",
                old_value="tieu_cuc",
                new_value="trung_lap",
                by="giamsat@cucthads.vn",
                at=T0,
            ),
        )
        assert relabel_story(session, story.id, {"province": "Cần Thơ", "sentiment": "trung_lap"}) == 2
        with pytest.raises(ValueError, match="label field"):
            add_feedback(
                session, LabelFeedback(article_id=first.id, field="title", old_value=None, new_value="x", by="a", at=T0)
            )
    with database.session() as session:
        assert [f.field for f in list_feedback(session)] == ["sentiment", "province"]  # oldest first
        assert list_feedback(session, article_id=other.id) == []
        for article_id in (first.id, second.id):
            enrichment = get_enrichment(session, article_id)
            assert enrichment is not None
            assert (enrichment.province, enrichment.sentiment) == ("Cần Thơ", "trung_lap")
        untouched = get_enrichment(session, other.id)
        assert untouched is not None
        assert untouched.province == "Hà Nội"
