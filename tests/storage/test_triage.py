"""The triage queue and story merging on both backends, on real articles: order (case priority, then recency),
what leaves the queue, the labels and copies shown, and what a merge moves."""

from __future__ import annotations

import datetime as dt

from domain.enums import TriageState
from domain.records import Case
from storage.cases import insert_case
from storage.engine import Database
from storage.enrichments import get_enrichment, get_story
from storage.triage import merge_stories, move_case, set_triage
from storage.views.queue import story_copies, triage_queue
from tests.seeding import T0, add_copy, outlet, samples


def _case(story_id: int, priority: str, state: str = "new") -> Case:
    return Case(
        id=0,
        story_id=story_id,
        title="hồ sơ",
        priority=priority,
        state=state,
        province="Hà Nội",
        received_at=T0,
        updated_at=T0,
    )


def test_queue_is_most_urgent_then_newest_and_leaves_out_what_is_done(database: Database) -> None:
    s = samples()
    hour = dt.timedelta(hours=1)
    with database.session() as session:
        pl = outlet(session, "phapluat", "Báo Pháp luật Việt Nam", tier=1)
        tt, dt_ = outlet(session, "tuoitre", "Tuổi Trẻ"), outlet(session, "dantri", "Dân trí")
        _, cantho = add_copy(session, s["written:w4:005"], pl, at=T0 + 5 * hour)  # no case, newest
        add_copy(session, s["written:w4:005"], tt, at=T0 + 6 * hour, story=cantho)
        _, hanoi = add_copy(session, s["written:w4:006"], dt_, at=T0)  # P1, oldest
        _, results = add_copy(session, s["written:w1:005"], pl, at=T0 + hour)  # P3
        _, older = add_copy(session, s["written:w6:002"], tt, at=T0 - 24 * hour)  # no case, older
        _, dismissed = add_copy(session, s["written:w3:006"], tt, at=T0 + 7 * hour)
        _, closed = add_copy(session, s["written:w3:034"], tt, at=T0 + 7 * hour)
        add_copy(session, s["written:w5:001"], tt, at=T0 + 8 * hour)  # not relevant: no story
        assert cantho
        assert hanoi
        assert results
        assert older
        assert dismissed
        assert closed
        insert_case(session, _case(hanoi.id, "P1"))
        insert_case(session, _case(results.id, "P3", "assigned"))
        insert_case(session, _case(closed.id, "P1", "closed"))
        set_triage(session, dismissed.id, state=TriageState.DISMISSED, note="tin cũ", by="giamsat@cucthads.vn", at=T0)
    with database.session() as session:
        page = triage_queue(session, limit=10)
        assert [i.story.id for i in page.items] == [hanoi.id, results.id, cantho.id, older.id]
        assert page.total == 4
        first = page.items[2]
        assert first.copies == 2
        assert (first.lead.outlet_name, first.lead.topic, first.lead.sentiment, first.lead.province) == (
            "Báo Pháp luật Việt Nam",
            "khieu_nai_to_cao",
            "tieu_cuc",
            "Cần Thơ",
        )
        assert first.lead.title == s["written:w4:005"]["title"]
        assert first.lead.at == T0 + 5 * hour
        assert (page.items[0].priority, page.items[0].case_state) == ("P1", "new")
        second = triage_queue(session, limit=2, offset=2)
        assert [i.story.id for i in second.items] == [cantho.id, older.id]
        assert second.total == 4


def test_merge_moves_the_copies_and_the_case(database: Database) -> None:
    s = samples()
    with database.session() as session:
        pl, tt = outlet(session, "phapluat", "Báo Pháp luật Việt Nam"), outlet(session, "tuoitre", "Tuổi Trẻ")
        # The same news reported twice, kept apart by clustering (two different samples stand in for it).
        first_copy, source = add_copy(session, s["written:w3:015"], pl, at=T0)
        add_copy(session, s["written:w3:015"], tt, at=T0 + dt.timedelta(hours=1), story=source)
        _, target = add_copy(session, s["written:w5:089"], tt, at=T0 + dt.timedelta(hours=3))
        assert source
        assert target
        case = insert_case(session, _case(source.id, "P2"))
        merged = merge_stories(session, source.id, target.id, note="trùng tin", by="giamsat@cucthads.vn", at=T0)
        move_case(session, case.id, target.id)
    assert merged.size == 3
    assert merged.first_article_id == first_copy.id  # the earliest copy leads
    assert (merged.first_seen_at, merged.last_seen_at) == (source.first_seen_at, target.last_seen_at)
    with database.session() as session:
        gone = get_story(session, source.id)
        assert gone is not None
        assert (gone.merged_into_id, gone.size) == (target.id, 0)
        assert len(story_copies(session, target.id)) == 3
        assert story_copies(session, source.id) == []
        enrichment = get_enrichment(session, first_copy.id or 0)
        assert enrichment is not None
        assert enrichment.story_id == target.id
        page = triage_queue(session)
        assert [i.story.id for i in page.items] == [target.id]
        assert page.items[0].case_id == case.id
