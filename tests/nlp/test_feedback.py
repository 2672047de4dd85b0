"""Monitors' judgments become training examples (both backends): the latest judgment per article and field wins,
a confirmed story gives its labels, a story dismissed as not relevant says so while another dismissal says
nothing, a relevant article without a monitor's topic and tone is left out."""

from __future__ import annotations

import datetime as dt

from alerts.triage import correct_labels, dismiss_story, label_article
from domain.enums import TriageState
from nlp.feedback import feedback_examples
from storage.engine import Database
from storage.feedback import monitor_labels
from storage.triage import set_triage
from tests.seeding import T0, add_copy, outlet, samples

MONITOR = "giamsat@cucthads.vn"


def test_judgments_become_examples(database: Database) -> None:
    s = samples()
    minute = dt.timedelta(minutes=1)
    with database.session() as session:
        paper = outlet(session, "laodong", "Báo Lao Động")
        confirmed_copy, confirmed = add_copy(session, s["written:w4:005"], paper, at=T0)
        not_relevant_copy, not_relevant = add_copy(session, s["written:w4:006"], paper, at=T0)
        answered_copy, answered = add_copy(session, s["written:w4:001"], paper, at=T0)
        relabelled, _ = add_copy(session, s["written:w4:005"], paper, at=T0, relevant=False, suffix="-b")
        half, _ = add_copy(session, s["written:w4:006"], paper, at=T0, relevant=False, suffix="-c")
        untouched, _ = add_copy(session, s["written:w5:001"], paper, at=T0, relevant=False, suffix="-d")
        assert confirmed is not None
        assert not_relevant is not None
        assert answered is not None
        set_triage(session, confirmed.id, state=TriageState.CONFIRMED, note=None, by=MONITOR, at=T0 + minute)
        correct_labels(session, not_relevant.id, {"relevant": False}, actor=MONITOR, at=T0 + minute)
        dismiss_story(session, answered.id, reason="Đã trả lời báo năm trước", actor=MONITOR, at=T0 + minute)
        # The queue: first "not relevant", then changed minds: relevant, with a topic and a tone.
        assert relabelled.id is not None
        assert half.id is not None
        label_article(session, relabelled.id, "relevant", False, actor=MONITOR, at=T0 + minute)
        label_article(session, relabelled.id, "relevant", True, actor=MONITOR, at=T0 + 2 * minute)
        label_article(session, relabelled.id, "topic", "dau_gia_tai_san", actor=MONITOR, at=T0 + 2 * minute)
        label_article(session, relabelled.id, "sentiment", "tieu_cuc", actor=MONITOR, at=T0 + 3 * minute)
        label_article(session, half.id, "relevant", True, actor=MONITOR, at=T0 + minute)  # no topic or tone yet
        labelled = monitor_labels(session)
    found = feedback_examples(labelled)
    by_id = {e.id: e for e in found.examples}
    row = s["written:w4:005"]
    assert by_id[f"feedback:{confirmed_copy.id}"].relevant is True
    assert (by_id[f"feedback:{confirmed_copy.id}"].topic, by_id[f"feedback:{confirmed_copy.id}"].sentiment) == (
        row["topic"],
        row["sentiment"],
    )
    assert by_id[f"feedback:{confirmed_copy.id}"].title == row["title"]
    assert by_id[f"feedback:{not_relevant_copy.id}"].relevant is False
    assert f"feedback:{answered_copy.id}" not in by_id  # "already answered" is no label
    assert f"feedback:{untouched.id}" not in by_id
    again = by_id[f"feedback:{relabelled.id}"]
    assert (again.relevant, again.topic, again.sentiment, again.source) == (
        True,
        "dau_gia_tai_san",
        "tieu_cuc",
        "feedback",
    )
    assert f"feedback:{half.id}" not in by_id
    assert found.incomplete == 1
