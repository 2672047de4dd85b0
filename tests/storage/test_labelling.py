"""The active-learning queue's query (both backends): least sure first — relevance near the threshold, a near tie
between two topics, a tone near a tie —; sure articles, articles a monitor labelled and copies of triaged stories
are not offered."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from domain.enums import TriageState
from storage.engine import Database
from storage.enrichments import get_enrichment, save_enrichment
from storage.feedback import LabelFeedback, add_feedback
from storage.labelling import uncertain_articles
from storage.triage import set_triage
from tests.seeding import T0, add_copy, outlet, samples


def test_least_sure_first_and_labelled_ones_left_out(database: Database) -> None:
    s = samples()
    with database.session() as session:
        paper = outlet(session, "dantri", "Báo Dân trí")

        def seeded(key: str, suffix: str, relevant: bool, **labels: object) -> int:
            article, _ = add_copy(session, s[key], paper, at=T0, relevant=relevant, suffix=suffix)
            assert article.id is not None
            read = get_enrichment(session, article.id)
            assert read is not None
            save_enrichment(session, replace(read, **labels))  # type: ignore[arg-type]
            return article.id

        sure_topics = {"khieu_nai_to_cao": 0.9, "khac": 0.05}
        near_threshold = seeded("written:w4:001", "-a", False, relevance_score=0.47)
        topic_tie = seeded(
            "written:w4:002", "-b", True, topic_scores={"khieu_nai_to_cao": 0.41, "khac": 0.39}, sentiment_score=0.9
        )
        tone_tie = seeded("written:w4:003", "-c", True, topic_scores=sure_topics, sentiment_score=0.52)
        sure = seeded("written:w4:004", "-d", True, topic_scores=sure_topics, sentiment_score=0.95)
        labelled = seeded("written:w4:007", "-e", False, relevance_score=0.5)
        confirmed = seeded("written:w4:005", "-f", True, topic_scores={"khac": 0.5, "khieu_nai_to_cao": 0.5})
        add_feedback(
            session,
            LabelFeedback(article_id=labelled, field="relevant", old_value="false", new_value="false", by="gs", at=T0),
        )
        story = get_enrichment(session, confirmed)
        assert story is not None
        assert story.story_id is not None
        set_triage(session, story.story_id, state=TriageState.CONFIRMED, note=None, by="gs", at=T0)
        doubts = uncertain_articles(session, threshold=0.5, since=T0 - dt.timedelta(days=1))
    assert [(d.article.article_id, d.reason) for d in doubts] == [
        (topic_tie, "topic"),
        (tone_tie, "sentiment"),
        (near_threshold, "relevant"),
    ]
    assert doubts[0].margin == 0.02
    assert sure not in {d.article.article_id for d in doubts}
