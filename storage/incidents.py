"""Queries of communication incidents (sự cố truyền thông): the incident, the stories it groups, the agency's
actions, and the incidents a user may see or a report covers. The rules (who may, which state allows what) are
`alerts.incidents`; these functions read and write records."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import ColumnElement, exists, func, or_, select, true
from sqlalchemy.orm import Session

from domain.enums import IncidentActionKind, IncidentSeverity, IncidentState
from storage.tables import (
    CaseRow,
    EnrichmentRow,
    IncidentActionRow,
    IncidentRow,
    IncidentStoryRow,
    SpikeAlertRow,
    StoryRow,
    UserRow,
)
from storage.types import as_utc


@dataclass(frozen=True, slots=True, kw_only=True)
class Incident:
    """An incident as stored, with its owner's name and the ids of its stories (ascending)."""

    id: int
    title: str
    summary: str
    severity: IncidentSeverity
    state: IncidentState
    owner_id: int
    owner_name: str
    owner_email: str
    declared_by: str
    declared_at: dt.datetime
    story_ids: tuple[int, ...]
    closed_by: str | None = None
    closed_at: dt.datetime | None = None
    closing_summary: str | None = None
    spike_alert_id: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class NewIncident:
    """What declaring an incident stores."""

    title: str
    summary: str
    severity: IncidentSeverity
    owner_id: int
    declared_by: str
    declared_at: dt.datetime
    story_ids: tuple[int, ...]
    spike_alert_id: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class IncidentAction:
    """Something the agency did during an incident."""

    id: int
    incident_id: int
    kind: IncidentActionKind
    text: str
    at: dt.datetime
    by: str


def incident_visible(scope: str | None) -> ColumnElement[bool]:
    """SQL condition on IncidentRow: one of its stories touches the scope's province (a relevant article of it
    labelled with the province, or its case there); None sees every incident."""
    if scope is None:
        return true()
    labelled = exists().where(
        IncidentStoryRow.incident_id == IncidentRow.id,
        EnrichmentRow.story_id == IncidentStoryRow.story_id,
        EnrichmentRow.relevant.is_(True),
        EnrichmentRow.province == scope,
    )
    in_case = exists().where(
        IncidentStoryRow.incident_id == IncidentRow.id,
        CaseRow.story_id == IncidentStoryRow.story_id,
        CaseRow.province == scope,
    )
    return or_(labelled, in_case)


def add_incident(session: Session, new: NewIncident) -> Incident:
    row = IncidentRow(
        title=new.title,
        summary=new.summary,
        severity=new.severity.value,
        state=IncidentState.OPEN.value,
        owner_id=new.owner_id,
        declared_by=new.declared_by,
        declared_at=new.declared_at,
        spike_alert_id=new.spike_alert_id,
    )
    session.add(row)
    session.flush()
    for story_id in sorted(set(new.story_ids)):
        session.add(IncidentStoryRow(incident_id=row.id, story_id=story_id))
    session.flush()
    found = get_incident(session, row.id)
    assert found is not None
    return found


def existing_stories(session: Session, story_ids: tuple[int, ...]) -> set[int]:
    """Which of these ids are stories."""
    return set(session.scalars(select(StoryRow.id).where(StoryRow.id.in_(story_ids)))) if story_ids else set()


def get_incident(
    session: Session, incident_id: int, *, scope: str | None = None, lock: bool = False
) -> Incident | None:
    """The incident if it exists and the scope may see it."""
    query = select(IncidentRow).where(IncidentRow.id == incident_id, incident_visible(scope))
    row = session.scalar(query.with_for_update() if lock else query)
    return None if row is None else _records(session, [row])[0]


def list_incidents(session: Session, *, scope: str | None = None, state: IncidentState | None = None) -> list[Incident]:
    """The incidents the scope may see, open ones first, then the newest declared first."""
    query = select(IncidentRow).where(incident_visible(scope))
    if state is not None:
        query = query.where(IncidentRow.state == state.value)
    query = query.order_by((IncidentRow.state == IncidentState.OPEN.value).desc(), IncidentRow.declared_at.desc())
    return _records(session, list(session.scalars(query)))


def incidents_of_period(
    session: Session, *, start: dt.datetime, end: dt.datetime, province: str | None = None
) -> list[Incident]:
    """The incidents active in [start, end): declared before its end and not closed before its start; in the
    province's scope when one is given. Oldest declared first."""
    query = (
        select(IncidentRow)
        .where(
            IncidentRow.declared_at < end,
            or_(IncidentRow.closed_at.is_(None), IncidentRow.closed_at >= start),
            incident_visible(province),
        )
        .order_by(IncidentRow.declared_at, IncidentRow.id)
    )
    return _records(session, list(session.scalars(query)))


def incidents_of_story(session: Session, story_id: int) -> list[Incident]:
    query = (
        select(IncidentRow)
        .join(IncidentStoryRow, IncidentStoryRow.incident_id == IncidentRow.id)
        .where(IncidentStoryRow.story_id == story_id)
        .order_by(IncidentRow.declared_at)
    )
    return _records(session, list(session.scalars(query)))


def close_incident(session: Session, incident_id: int, *, summary: str, by: str, at: dt.datetime) -> Incident:
    row = session.get(IncidentRow, incident_id)
    assert row is not None
    row.state, row.closing_summary, row.closed_by, row.closed_at = IncidentState.CLOSED.value, summary, by, at
    session.flush()
    found = get_incident(session, incident_id)
    assert found is not None
    return found


def add_action(
    session: Session, incident_id: int, *, kind: IncidentActionKind, text: str, by: str, at: dt.datetime
) -> IncidentAction:
    row = IncidentActionRow(incident_id=incident_id, kind=kind.value, text=text, by=by, at=at)
    session.add(row)
    session.flush()
    return _action(row)


def actions_of(session: Session, incident_id: int) -> list[IncidentAction]:
    """The incident's actions in time order."""
    rows = session.scalars(
        select(IncidentActionRow)
        .where(IncidentActionRow.incident_id == incident_id)
        .order_by(IncidentActionRow.at, IncidentActionRow.id)
    )
    return [_action(r) for r in rows]


def incident_provinces(session: Session, incident_id: int) -> list[str]:
    """The provinces its stories touch (articles labelled, cases), in name order."""
    stories = select(IncidentStoryRow.story_id).where(IncidentStoryRow.incident_id == incident_id)
    labelled = select(EnrichmentRow.province).where(
        EnrichmentRow.story_id.in_(stories), EnrichmentRow.province.is_not(None), EnrichmentRow.relevant.is_(True)
    )
    cases = select(CaseRow.province).where(CaseRow.story_id.in_(stories))
    return sorted({p for p in session.scalars(labelled.union(cases)) if p})


def _action(row: IncidentActionRow) -> IncidentAction:
    return IncidentAction(
        id=row.id,
        incident_id=row.incident_id,
        kind=IncidentActionKind(row.kind),
        text=row.text,
        at=as_utc(row.at),
        by=row.by,
    )


def _records(session: Session, rows: list[IncidentRow]) -> list[Incident]:
    """Rows as records: their owners and stories read in two queries, whatever the number of rows."""
    if not rows:
        return []
    ids = [r.id for r in rows]
    stories: dict[int, list[int]] = defaultdict(list)
    for incident_id, story_id in session.execute(
        select(IncidentStoryRow.incident_id, IncidentStoryRow.story_id)
        .where(IncidentStoryRow.incident_id.in_(ids))
        .order_by(IncidentStoryRow.story_id)
    ):
        stories[incident_id].append(story_id)
    owners = {
        i: (name, email)
        for i, name, email in session.execute(
            select(UserRow.id, UserRow.name, UserRow.email).where(UserRow.id.in_({r.owner_id for r in rows}))
        )
    }
    return [
        Incident(
            id=r.id,
            title=r.title,
            summary=r.summary,
            severity=IncidentSeverity(r.severity),
            state=IncidentState(r.state),
            owner_id=r.owner_id,
            owner_name=owners.get(r.owner_id, ("", ""))[0],
            owner_email=owners.get(r.owner_id, ("", ""))[1],
            declared_by=r.declared_by,
            declared_at=as_utc(r.declared_at),
            story_ids=tuple(stories.get(r.id, ())),
            closed_by=r.closed_by,
            closed_at=as_utc(r.closed_at) if r.closed_at is not None else None,
            closing_summary=r.closing_summary,
            spike_alert_id=r.spike_alert_id,
        )
        for r in rows
    ]


@dataclass(frozen=True, slots=True, kw_only=True)
class SpikeChoice:
    """A spike alert as the incident pages offer it: declare an incident with its stories."""

    id: int
    dimension: str
    key: str
    window_end: dt.datetime
    count: int
    story_ids: tuple[int, ...]  # the stories of the articles it counted (a merged story as the one it joined)


def spike_choices(session: Session, *, since: dt.datetime, spike_id: int | None = None) -> list[SpikeChoice]:
    """The spike alerts whose window ended after `since` (or the one `spike_id`), newest first."""
    query = select(SpikeAlertRow).order_by(SpikeAlertRow.window_end.desc(), SpikeAlertRow.id.desc())
    query = (
        query.where(SpikeAlertRow.id == spike_id)
        if spike_id is not None
        else query.where(SpikeAlertRow.window_end > since)
    )
    rows = list(session.scalars(query.limit(50)))
    article_ids = {int(a) for r in rows for a in r.article_ids}
    story_of = {
        a: s
        for a, s in session.execute(
            select(EnrichmentRow.article_id, func.coalesce(StoryRow.merged_into_id, StoryRow.id))
            .join(StoryRow, StoryRow.id == EnrichmentRow.story_id)
            .where(EnrichmentRow.article_id.in_(article_ids))
        )
    }
    return [
        SpikeChoice(
            id=r.id,
            dimension=r.dimension,
            key=r.key,
            window_end=as_utc(r.window_end),
            count=r.count,
            story_ids=tuple(sorted({story_of[int(a)] for a in r.article_ids if int(a) in story_of})),
        )
        for r in rows
    ]
