"""Communication incidents on both backends: declared from three real stories, the agency's actions recorded, the
timeline merging publications, case handling and actions in time order, closing with a summary, the province scope,
the incidents of a report period, and the refusals."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from alerts import cases as workflow
from alerts import incidents, triage
from alerts.cases import NotFoundError, WorkflowError
from domain.enums import IncidentSeverity, IncidentState
from storage.engine import Database
from storage.incidents import get_incident, incident_provinces, incidents_of_period, list_incidents
from storage.views.incident_timeline import EntryKind, incident_timeline
from tests.dashboards.web.site import workflow_config
from tests.seeding import T0, add_copy, outlet, samples, seed_users

H = dt.timedelta(hours=1)
MONITOR = "giamsat@cucthads.vn"


@dataclass(frozen=True)
class Seeded:
    stories: tuple[int, int, int]  # Cần Thơ (two outlets), Hà Nội, Bắc Ninh
    titles: tuple[str, str, str]
    hanoi_case: int


def seed(database: Database) -> Seeded:
    """Three real stories published over a morning; Hà Nội's confirmed into a case that its focal point answers."""
    s = samples()
    with database.session() as session:
        seed_users(session)
        laodong, thanhnien = outlet(session, "laodong", "Báo Lao Động"), outlet(session, "thanhnien", "Báo Thanh Niên")
        _, cantho = add_copy(session, s["written:w4:005"], laodong, at=T0)
        add_copy(session, s["written:w4:005"], thanhnien, at=T0 + 3 * H, story=cantho)
        _, hanoi = add_copy(session, s["written:w4:006"], thanhnien, at=T0 + H)
        _, bacninh = add_copy(session, s["written:w4:007"], laodong, at=T0 + 5 * H)
    assert cantho is not None
    assert hanoi is not None
    assert bacninh is not None
    with database.session() as session:
        case = triage.confirm(session, hanoi.id, config=workflow_config(), actor=MONITOR, now=T0 + 2 * H)
        workflow.respond(
            session,
            case.id,
            kind="thong_tin_ban_dau",
            text="Cục THADS Hà Nội đã cung cấp thông tin ban đầu cho báo.",
            actor="daumoi.hanoi@thads.vn",
            at=T0 + 4 * H,
        )
    titles = (s["written:w4:005"]["title"], s["written:w4:006"]["title"], s["written:w4:007"]["title"])
    return Seeded(stories=(cantho.id, hanoi.id, bacninh.id), titles=titles, hanoi_case=case.id)


def declare(database: Database, seeded: Seeded) -> int:
    with database.session() as session:
        incident = incidents.declare(
            session,
            title="Phản ánh chậm thi hành án dân sự trên nhiều báo",
            summary="Ba tin cùng phản ánh chậm thi hành bản án.",
            severity="high",
            owner_email="vanphong@cucthads.vn",
            story_ids=seeded.stories,
            actor=MONITOR,
            at=T0 + 5 * H + dt.timedelta(minutes=30),
        )
    return incident.id


def test_an_incident_from_three_stories_with_its_timeline_in_order(database: Database) -> None:
    seeded = seed(database)
    incident_id = declare(database, seeded)
    with database.session() as session:
        incidents.record_action(
            session,
            incident_id,
            kind="rebuttal",
            text="Cục đã phát ngôn bác bỏ thông tin sai về số tiền phải thi hành.",
            actor="vanphong@cucthads.vn",
            at=T0 + 2 * H + dt.timedelta(minutes=30),  # between the publications: the timeline interleaves them
        )
        incidents.record_action(
            session,
            incident_id,
            kind="correction_request",
            text="Đề nghị Báo Lao Động cải chính thông tin về thời hạn thi hành.",
            actor=MONITOR,
            at=T0 + 6 * H,
        )
    with database.session() as session:
        incident = get_incident(session, incident_id)
        assert incident is not None
        assert incident.story_ids == tuple(sorted(seeded.stories))
        assert (incident.severity, incident.state, incident.owner_name) == (
            IncidentSeverity.HIGH,
            IncidentState.OPEN,
            "Văn phòng Cục",
        )
        assert incident_provinces(session, incident_id) == ["Bắc Ninh", "Cần Thơ", "Hà Nội"]
        timeline = incident_timeline(session, incident_id)
    got = [(e.at - T0, e.kind, e.code or e.outlet) for e in timeline]
    assert got == [
        (0 * H, EntryKind.PUBLICATION, "Báo Lao Động"),
        (1 * H, EntryKind.PUBLICATION, "Báo Thanh Niên"),
        (2 * H, EntryKind.CASE_EVENT, "create"),
        (2 * H, EntryKind.CASE_EVENT, "assign"),
        (2 * H, EntryKind.CASE_EVENT, "confirm"),
        (2 * H + dt.timedelta(minutes=30), EntryKind.ACTION, "rebuttal"),
        (3 * H, EntryKind.PUBLICATION, "Báo Thanh Niên"),
        (4 * H, EntryKind.CASE_RESPONSE, "thong_tin_ban_dau"),
        (5 * H, EntryKind.PUBLICATION, "Báo Lao Động"),
        (6 * H, EntryKind.ACTION, "correction_request"),
    ], got
    assert [e.text for e in timeline if e.kind == EntryKind.PUBLICATION] == [
        seeded.titles[0],
        seeded.titles[1],
        seeded.titles[0],
        seeded.titles[2],
    ]
    assert all(e.url and e.url.startswith("https://") for e in timeline if e.kind == EntryKind.PUBLICATION)
    assert [e.at for e in timeline] == sorted(e.at for e in timeline)


def test_closing_with_a_summary_and_what_a_closed_incident_refuses(database: Database) -> None:
    seeded = seed(database)
    incident_id = declare(database, seeded)
    with database.session() as session, pytest.raises(WorkflowError, match="cần tóm tắt"):
        incidents.close(session, incident_id, summary="  ", actor=MONITOR, at=T0 + 8 * H)
    with database.session() as session:
        closed = incidents.close(
            session, incident_id, summary="Các báo đã cải chính; dư luận lắng xuống.", actor=MONITOR, at=T0 + 30 * H
        )
    assert (closed.state, closed.closing_summary, closed.closed_at) == (
        IncidentState.CLOSED,
        "Các báo đã cải chính; dư luận lắng xuống.",
        T0 + 30 * H,
    )
    with database.session() as session, pytest.raises(WorkflowError, match="đã kết thúc"):
        incidents.record_action(session, incident_id, kind="note", text="Muộn", actor=MONITOR, at=T0 + 31 * H)
    with database.session() as session, pytest.raises(WorkflowError, match="đã kết thúc"):
        incidents.close(session, incident_id, summary="Lần nữa", actor=MONITOR, at=T0 + 31 * H)
    # the periods it was active in: declared on day 0, closed on day 1
    with database.session() as session:
        assert [i.id for i in incidents_of_period(session, start=T0 - 24 * H, end=T0 + 48 * H)] == [incident_id]
        assert incidents_of_period(session, start=T0 + 31 * H, end=T0 + 48 * H) == []
        assert incidents_of_period(session, start=T0 - 48 * H, end=T0) == []


def test_province_scope_and_refusals(database: Database) -> None:
    seeded = seed(database)
    with database.session() as session:
        single = incidents.declare(
            session,
            title="Một tin ở Cần Thơ",
            summary="",
            severity="low",
            owner_email=MONITOR,
            story_ids=(seeded.stories[0],),
            actor=MONITOR,
            at=T0 + 6 * H,
        )
    incident_id = declare(database, seeded)
    with database.session() as session:
        assert {i.id for i in list_incidents(session)} == {single.id, incident_id}
        assert [i.id for i in list_incidents(session, scope="Hà Nội")] == [incident_id]
        assert {i.id for i in list_incidents(session, scope="Cần Thơ")} == {single.id, incident_id}
        assert list_incidents(session, scope="Huế") == []
        assert get_incident(session, single.id, scope="Hà Nội") is None
        # Hà Nội's focal point sees Hà Nội's publications and case, not the other provinces' articles
        lines = incident_timeline(session, incident_id, scope="Hà Nội")
        assert {e.outlet for e in lines if e.kind == EntryKind.PUBLICATION} == {"Báo Thanh Niên"}
        assert {e.story_id for e in lines if e.story_id is not None} == {seeded.stories[1]}
    refusals: list[tuple[dict[str, Any], type[Exception], str]] = [
        ({"story_ids": ()}, WorkflowError, "ít nhất một tin"),
        ({"story_ids": (999999,)}, NotFoundError, "không tìm thấy tin số 999999"),
        ({"title": "  "}, WorkflowError, "tiêu đề"),
        ({"severity": "urgent"}, WorkflowError, "mức độ 'urgent'"),
        ({"owner_email": "lanhdao@cucthads.vn"}, WorkflowError, "người phụ trách"),
        ({"owner_email": "daumoi.hanoi@thads.vn"}, WorkflowError, "người phụ trách"),
    ]
    for change, error, message in refusals:
        form: dict[str, Any] = {
            "title": "Sự cố",
            "summary": "",
            "severity": "medium",
            "owner_email": MONITOR,
            "story_ids": seeded.stories,
            **change,
        }
        with database.session() as session, pytest.raises(error, match=message):
            incidents.declare(session, actor=MONITOR, at=T0, **form)
    with database.session() as session, pytest.raises(NotFoundError):
        incidents.record_action(session, 999999, kind="note", text="x", actor=MONITOR, at=T0)
    with database.session() as session, pytest.raises(WorkflowError, match="loại hoạt động"):
        incidents.record_action(session, incident_id, kind="tweet", text="x", actor=MONITOR, at=T0)
