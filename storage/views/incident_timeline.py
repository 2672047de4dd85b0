"""An incident's timeline: what was published and what was done, merged in time order. Three sources:
- every article of the incident's stories (outlet, title, published time, link);
- the agency's actions recorded on the incident (statements, rebuttals, correction requests, notes);
- the cases of those stories: their responses (case_response) and their audit events (audit_event; the "respond"
  events are the responses themselves, shown once).
The reader's scope applies as everywhere (`storage.access`): a focal point sees the articles and cases of their
province, and the incident's own actions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.access import Scope, article_visible, case_visible
from storage.incidents import actions_of
from storage.tables import (
    ArticleRow,
    AuditEventRow,
    CaseRow,
    EnrichmentRow,
    IncidentStoryRow,
    OutletRow,
    ResponseRow,
)
from storage.types import as_utc


class EntryKind(StrEnum):
    """Where a timeline entry comes from; at the same instant, publications come first, then the case's
    handling, then the incident's actions."""

    PUBLICATION = "publication"
    CASE_EVENT = "case_event"
    CASE_RESPONSE = "case_response"
    ACTION = "action"


_RANK = {k: i for i, k in enumerate(EntryKind)}


@dataclass(frozen=True, slots=True, kw_only=True)
class TimelineEntry:
    """One line of the timeline. `code` is the action's, response's or audit event's kind ("" for a
    publication); `text` the article's title or what was said or done."""

    at: dt.datetime  # UTC; a publication's published time, else its fetch time
    kind: EntryKind
    code: str
    text: str
    outlet: str | None = None
    url: str | None = None
    article_id: int | None = None
    story_id: int | None = None
    case_id: int | None = None
    actor: str | None = None


def incident_timeline(
    session: Session, incident_id: int, *, scope: Scope = None, user_id: int | None = None
) -> list[TimelineEntry]:
    """Every publication and action of the incident, oldest first."""
    stories = select(IncidentStoryRow.story_id).where(IncidentStoryRow.incident_id == incident_id)
    when = func.coalesce(ArticleRow.published_at, ArticleRow.fetched_at)
    entries = [
        TimelineEntry(
            at=as_utc(at),
            kind=EntryKind.PUBLICATION,
            code="",
            text=title,
            outlet=outlet,
            url=url,
            article_id=article_id,
            story_id=story_id,
        )
        for article_id, at, title, url, outlet, story_id in session.execute(
            select(ArticleRow.id, when, ArticleRow.title, ArticleRow.url, OutletRow.name, EnrichmentRow.story_id)
            .join(EnrichmentRow, EnrichmentRow.article_id == ArticleRow.id)
            .join(OutletRow, OutletRow.id == ArticleRow.outlet_id)
            .where(EnrichmentRow.story_id.in_(stories), article_visible(scope, user_id))
            .order_by(when, ArticleRow.id)
        )
    ]
    cases = select(CaseRow.id).where(CaseRow.story_id.in_(stories), case_visible(scope, user_id))
    entries += [
        TimelineEntry(
            at=as_utc(at), kind=EntryKind.CASE_RESPONSE, code=kind, text=text, case_id=case_id, actor=by, story_id=sid
        )
        for case_id, kind, text, by, at, sid in session.execute(
            select(
                ResponseRow.case_id,
                ResponseRow.kind,
                ResponseRow.text,
                ResponseRow.by,
                ResponseRow.at,
                CaseRow.story_id,
            )
            .join(CaseRow, CaseRow.id == ResponseRow.case_id)
            .where(ResponseRow.case_id.in_(cases))
            .order_by(ResponseRow.id)
        )
    ]
    entries += [
        TimelineEntry(
            at=as_utc(at),
            kind=EntryKind.CASE_EVENT,
            code=action,
            text=note or "",
            case_id=case_id,
            actor=actor,
            story_id=sid,
        )
        for case_id, action, note, actor, at, sid in session.execute(
            select(
                AuditEventRow.case_id,
                AuditEventRow.action,
                AuditEventRow.note,
                AuditEventRow.actor,
                AuditEventRow.at,
                CaseRow.story_id,
            )
            .join(CaseRow, CaseRow.id == AuditEventRow.case_id)
            .where(AuditEventRow.case_id.in_(cases), AuditEventRow.action != "respond")
            .order_by(AuditEventRow.id)
        )
    ]
    entries += [
        TimelineEntry(at=a.at, kind=EntryKind.ACTION, code=a.kind, text=a.text, actor=a.by)
        for a in actions_of(session, incident_id)
    ]
    return sorted(entries, key=lambda e: (e.at, _RANK[e.kind]))
