"""The triage queue filtered and sorted as a monitor asks (priority, province, topic, tone, outlet, date range,
triage state; by priority, time or spread), the count of stories for every value of every filter, and the whole
filtered list for export.

The unfiltered queue in its default order keeps its own faster path (`storage.views.queue.triage_queue`); a filter
reads the stories that match it in one statement. A story is described by its first article (outlet, labels,
time), as the queue shows it; its priority is that of its open case (none when it has no open case).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any, Literal, TypeVar

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select
from sqlalchemy.orm import Session

from domain.enums import FINISHED_STATES, TriageState
from storage.tables import ArticleRow, CaseRow, EnrichmentRow, OutletRow, StoryRow
from storage.views.queue import TriageItem, TriagePage, queue_columns, queue_item, triage_queue

Sort = Literal["priority", "time", "spread"]
NO_CASE = "none"  # the priority filter's value for stories without an open case
AllStates = Literal["all"]
ALL_STATES: AllStates = "all"  # the state filter's value for every triage state
AnySelect = TypeVar("AnySelect", bound="Select[*tuple[Any, ...]]")


@dataclass(frozen=True, slots=True, kw_only=True)
class QueueFilter:
    """What the monitor asked for; empty fields filter nothing. `start`/`end` bound the first article's time
    (end excluded), tz-aware UTC."""

    priority: str = ""  # P1 | P2 | P3 | NO_CASE
    province: str = ""
    topic: str = ""
    sentiment: str = ""
    outlet_id: int | None = None
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    state: TriageState | AllStates = TriageState.PENDING
    sort: Sort = "priority"

    @property
    def default(self) -> bool:
        """The plain queue: the fast path of `triage_queue` serves it."""
        return self == QueueFilter()


@dataclass(frozen=True, slots=True, kw_only=True)
class FacetCounts:
    """Stories per value of each filter, each counted under the other filters (so that a count says how many
    stories choosing that value would show)."""

    values: dict[str, dict[str, int]] = field(default_factory=dict)
    outlets: dict[str, str] = field(default_factory=dict)  # outlet id (as text) → name

    def of(self, facet: str, value: str) -> int:
        return self.values.get(facet, {}).get(value, 0)


def _open_priority() -> ColumnElement[Any]:
    return case((CaseRow.state.not_in(FINISHED_STATES), CaseRow.priority), else_=None)


def _when() -> ColumnElement[Any]:
    return func.coalesce(ArticleRow.published_at, ArticleRow.fetched_at)


def _state(value: TriageState | AllStates) -> list[ColumnElement[bool]]:
    if value == ALL_STATES:
        return [StoryRow.merged_into_id.is_(None)]
    clauses = [StoryRow.triage_state == TriageState(value), StoryRow.merged_into_id.is_(None)]
    if value == TriageState.PENDING:  # as the queue: a story whose case finished is not waiting
        clauses.append(or_(CaseRow.id.is_(None), CaseRow.state.not_in(FINISHED_STATES)))
    return clauses


def _conditions(f: QueueFilter, *, skip: str | None = None) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = [EnrichmentRow.relevant.is_(True)]
    if skip != "state":
        clauses += _state(f.state)
    if f.priority and skip != "priority":
        clauses.append(_open_priority().is_(None) if f.priority == NO_CASE else _open_priority() == f.priority)
    if f.province and skip != "province":
        clauses.append(EnrichmentRow.province == f.province)
    if f.topic and skip != "topic":
        clauses.append(EnrichmentRow.topic == f.topic)
    if f.sentiment and skip != "sentiment":
        clauses.append(EnrichmentRow.sentiment == f.sentiment)
    if f.outlet_id is not None and skip != "outlet":
        clauses.append(OutletRow.id == f.outlet_id)
    if f.start is not None:
        clauses.append(_when() >= f.start)
    if f.end is not None:
        clauses.append(_when() < f.end)
    return clauses


def _joined(statement: AnySelect) -> AnySelect:
    return (
        statement.select_from(StoryRow)
        .join(ArticleRow, ArticleRow.id == StoryRow.first_article_id)
        .join(OutletRow, OutletRow.id == ArticleRow.outlet_id)
        .join(EnrichmentRow, EnrichmentRow.article_id == ArticleRow.id)
        .outerjoin(CaseRow, CaseRow.story_id == StoryRow.id)
    )


def _order(sort: Sort) -> list[Any]:
    recent: list[Any] = [StoryRow.last_seen_at.desc(), StoryRow.id.desc()]
    if sort == "time":
        return recent
    if sort == "spread":
        return [StoryRow.size.desc(), *recent]
    priority = _open_priority()
    return [case((priority.is_(None), 1), else_=0), priority, *recent]


def filtered_queue(session: Session, f: QueueFilter, *, limit: int = 30, offset: int = 0) -> TriagePage:
    """One page of the stories that match `f`, in its order, and how many match."""
    if f.default:
        return triage_queue(session, limit=limit, offset=offset)
    where = _conditions(f)
    total = int(session.scalar(_joined(select(func.count())).where(*where)) or 0)
    rows = session.execute(
        _joined(select(*queue_columns(_open_priority())))
        .where(*where)
        .order_by(*_order(f.sort))
        .limit(limit)
        .offset(offset)
    ).all()
    return TriagePage(items=tuple(queue_item(r) for r in rows), total=total)


def every_item(session: Session, f: QueueFilter, *, batch: int = 1000) -> Iterator[TriageItem]:
    """Every story that matches `f`, in its order (for export: no cap): one statement, its rows streamed
    `batch` at a time (a server-side cursor on PostgreSQL) within the caller's transaction."""
    statement = _joined(select(*queue_columns(_open_priority()))).where(*_conditions(f)).order_by(*_order(f.sort))
    for rows in session.execute(statement.execution_options(yield_per=batch)).partitions():
        yield from (queue_item(r) for r in rows)


FACET_KEYS = ("priority", "province", "topic", "sentiment", "outlet", "state")


def _chosen(f: QueueFilter) -> tuple[Any, ...]:
    """The filter's value per facet of FACET_KEYS, as the counting pass returns it; None: no filter (the
    state's "all" is none)."""
    return (
        f.priority or None,
        f.province or None,
        f.topic or None,
        f.sentiment or None,
        f.outlet_id,
        None if f.state == ALL_STATES else f.state,
    )


def facet_counts(session: Session, f: QueueFilter) -> FacetCounts:
    """Stories per value of each filter, under the other filters.

    One grouped pass over the stories within the dates (every combination of priority, province, topic, tone,
    outlet and state with its count; a waiting story whose case finished is in no state, as in the queue), then
    each facet summed here over the combinations the other filters let through: a statement per facet cost
    six passes."""
    state = case(
        (and_(StoryRow.triage_state == TriageState.PENDING, CaseRow.state.in_(FINISHED_STATES)), None),
        else_=StoryRow.triage_state,
    )
    keys = (
        func.coalesce(_open_priority(), NO_CASE),
        EnrichmentRow.province,
        EnrichmentRow.topic,
        EnrichmentRow.sentiment,
        OutletRow.id,
        state,
    )
    dates = _conditions(replace(f, state=ALL_STATES, priority="", province="", topic="", sentiment="", outlet_id=None))
    rows = session.execute(_joined(select(*keys, func.count())).where(*dates).group_by(*keys)).all()
    chosen = _chosen(f)
    active = [k for k, value in enumerate(chosen) if value is not None]
    tallies: list[dict[Any, int]] = [defaultdict(int) for _ in FACET_KEYS]
    for row in rows:
        if row[5] is None:  # a waiting story with a finished case: not in the queue
            continue
        missed = [k for k in active if row[k] != chosen[k]]
        count = int(row[6])
        if not missed:  # under every filter: counted for every facet
            for k in range(len(FACET_KEYS)):
                tallies[k][row[k]] += count
        elif len(missed) == 1:  # fails one filter: counted for that facet only (the others hold)
            tallies[missed[0]][row[missed[0]]] += count
    values = {
        facet: {str(v): n for v, n in tally.items() if v is not None}
        for facet, tally in zip(FACET_KEYS, tallies, strict=True)
    }
    values["state"][ALL_STATES] = sum(n for v, n in values["state"].items() if v != ALL_STATES)
    outlets: dict[str, str] = {}
    if values["outlet"]:
        ids = [int(i) for i in values["outlet"]]
        named = session.execute(select(OutletRow.id, OutletRow.name).where(OutletRow.id.in_(ids))).all()
        outlets = {str(i): name for i, name in sorted(named, key=lambda r: r[1])}
    return FacetCounts(values=values, outlets=outlets)
