"""The triage queue's filters and counts (storage/views/queue_filters.py) on both backends, on the project's real
written articles: a count shown beside a filter value is the number of stories that choosing it lists."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest

from alerts.triage import confirm, dismiss_story
from domain.enums import TriageState
from storage.engine import Database
from storage.views.queue_filters import ALL_STATES, NO_CASE, QueueFilter, every_item, facet_counts, filtered_queue
from tests.conftest import BACKENDS, migrated_database
from tests.dashboards.web.site import workflow_config
from tests.seeding import T0, add_copy, outlet, samples

MONITOR = "giamsat@cucthads.vn"
FIELDS = {"priority": "priority", "province": "province", "topic": "topic", "sentiment": "sentiment"}


@pytest.fixture(scope="module", params=BACKENDS)
def seeded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """Seeded once per backend for the read-only tests of this module."""
    with migrated_database(request, tmp_path_factory.mktemp("queue")) as database:
        yield _seed(database)


def _seed(database: Database) -> Database:
    """Every relevant sample of six provinces as a story, in three outlets; some confirmed into cases (P1, P2,
    by the rules), some dismissed, one confirmed then its case closed by dismissal of the story."""
    rows = [
        r
        for r in samples().values()
        if r["relevant"] and r["province"] in ("Hà Nội", "Cần Thơ", "Lâm Đồng", "Gia Lai", "Hải Phòng", "toan_quoc")
    ]
    with database.session() as session:
        outlets = [
            outlet(session, slug, name)
            for slug, name in (("vnexpress", "VnExpress"), ("dantri", "Dân trí"), ("laodong", "Lao Động"))
        ]
        stories = []
        for n, row in enumerate(rows):
            _, story = add_copy(session, row, outlets[n % 3], at=T0 - dt.timedelta(hours=n))
            assert story is not None
            stories.append(story.id)
        config = workflow_config()
        for k, story_id in enumerate(stories[::4]):
            confirm(session, story_id, config=config, actor=MONITOR, now=T0, priority=("P1", "P2", None)[k % 3])
        for story_id in stories[1::7]:
            dismiss_story(session, story_id, reason="Không cần phản hồi", actor=MONITOR, at=T0)
    return database


FILTERS = [
    QueueFilter(),
    QueueFilter(province="Hà Nội"),
    QueueFilter(topic="ket_qua_hoat_dong", sort="time"),
    QueueFilter(state=TriageState.CONFIRMED),
    QueueFilter(state=ALL_STATES, sentiment="tieu_cuc"),
    QueueFilter(state=ALL_STATES, priority=NO_CASE, province="toan_quoc"),
    QueueFilter(start=T0 - dt.timedelta(hours=30), end=T0 - dt.timedelta(hours=5)),
]


@pytest.mark.parametrize("f", FILTERS)
def test_each_count_is_what_choosing_the_value_lists(seeded: Database, f: QueueFilter) -> None:
    with seeded.session() as session:
        counts = facet_counts(session, f)
        assert counts.values["province"], "the seeding puts stories under every filter tried"
        for facet, values in counts.values.items():
            for value, count in values.items():
                if facet == "outlet":
                    chosen = replace(f, outlet_id=int(value))
                elif facet == "state":
                    chosen = replace(f, state=ALL_STATES if value == ALL_STATES else TriageState(value))
                else:
                    change: dict[str, Any] = {FIELDS[facet]: value}
                    chosen = replace(f, **change)
                assert filtered_queue(session, chosen, limit=1).total == count, (facet, value)
        # and the current filter's own list: its count under every facet
        total = filtered_queue(session, f, limit=500)
        assert len(total.items) == total.total
        assert [i.story.id for i in every_item(session, f, batch=7)] == [i.story.id for i in total.items]


def test_the_default_filter_is_the_queue(seeded: Database) -> None:
    with seeded.session() as session:
        fast = filtered_queue(session, QueueFilter(), limit=500)
        slow = list(every_item(session, QueueFilter()))
    assert [i.story.id for i in fast.items] == [i.story.id for i in slow]  # same order by the general statement
    assert fast.total == len(slow)
    priorities = [i.priority for i in fast.items]
    ranked = [p for p in priorities if p is not None]
    assert ranked == sorted(ranked)  # the open cases first, most urgent first
    assert priorities[: len(ranked)] == ranked
