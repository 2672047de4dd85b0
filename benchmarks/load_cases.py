"""Cases of the benchmark data (see load_articles.py): every flagged story gets one.

Which stories are flagged, with which priority, is decided by the real priority rules on the story's facts;
deadlines come from the real policy and calendar; routing follows alerts.workflow.route. The newest `real`
flagged stories go through the real alerts functions (open_case, acknowledge, respond, close, dismiss:
outbox messages included); the others are written as bulk rows that follow the same rules: case, audit trail,
assignees, deadlines met or missed as the state says, responses.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, update

from alerts import cases as workflow
from alerts.calendar import WorkCalendar
from alerts.cases import MEETS
from alerts.deadlines import Policy
from alerts.priority import PriorityRule, PriorityRules, StoryFacts
from alerts.settings import AlertSettings
from alerts.workflow import CENTRAL, SYSTEM, open_case
from domain.labels import response_kind_vi
from domain.records import Outlet, User
from storage.cases import assignees, list_users
from storage.engine import Database
from storage.enrichments import get_story
from storage.tables import AuditEventRow, CaseAssigneeRow, CaseRow, DeadlineRow, ResponseRow, StoryRow

if TYPE_CHECKING:
    from load_articles import Group, Labels

MONITOR = "theodoi1@thads.example.vn"
DISMISS_REASON = "Thông tin đã được cơ quan chức năng giải quyết, không cần phản hồi thêm."
RESPONSE_TEXT = "Cơ quan thi hành án dân sự đã kiểm tra, xác minh và cung cấp thông tin cho cơ quan báo chí."


@dataclass(frozen=True, slots=True)
class CaseCounts:
    bulk: int
    real: int


@dataclass(frozen=True, slots=True)
class Steps:
    """What happens to a case after it is assigned, with when; None: not (yet) by the end of the data."""

    dismissed_at: datetime | None
    acknowledged_at: datetime | None
    responded_at: datetime | None
    closed_at: datetime | None


def plan(received_at: datetime, end: datetime, rng: random.Random) -> Steps:
    def by_end(at: datetime | None) -> datetime | None:
        return at if at is not None and at < end else None

    if rng.random() < 0.1:
        return Steps(by_end(received_at + timedelta(hours=rng.uniform(1, 48))), None, None, None)
    stalls = rng.random() < 0.15
    ack = by_end(received_at + timedelta(hours=rng.uniform(0.5, 30)))
    responded = by_end(ack + timedelta(hours=rng.uniform(2, 150))) if ack and not stalls else None
    closed = by_end(responded + timedelta(days=rng.uniform(1, 10))) if responded else None
    return Steps(None, ack, responded, closed)


def route(users: Sequence[User], province: str) -> list[User]:
    """alerts.workflow.route on a list in memory."""
    local = [u for u in users if u.province == province and u.role == "dau_moi"] if province != CENTRAL else []
    staff = [u for u in local if not u.is_head]
    return staff or local or [u for u in users if u.province == CENTRAL]


def flag(
    groups: Sequence[Group],
    labels: Sequence[Labels],
    corpus: Sequence[tuple[str, str, str, str]],
    outlets: Mapping[int, Outlet],
    rules: PriorityRules,
) -> list[tuple[Group, PriorityRule]]:
    flagged = []
    for group in groups:
        if group.story_id is None:
            continue
        label = labels[group.corpus_index]
        _, title, sapo, body = corpus[group.corpus_index]
        facts = StoryFacts(
            topic=label.topic,
            sentiment=label.sentiment,
            relevance=0.9,
            text=f"{title}\n{sapo}\n{body}",
            reach_tiers=tuple(outlets[o].reach_tier for o in group.outlet_ids),
            copies=tuple((outlets[o].slug, at) for o, at in zip(group.outlet_ids, group.times, strict=True)),
        )
        rule = rules.judge(facts)
        if rule is not None:
            flagged.append((group, rule))
    flagged.sort(key=lambda item: item[0].times[-1])
    return flagged


def load_cases(
    database: Database,
    groups: Sequence[Group],
    labels: Sequence[Labels],
    corpus: Sequence[tuple[str, str, str, str]],
    outlets: Mapping[int, Outlet],
    *,
    end: datetime,
    real: int,
    rng: random.Random,
) -> CaseCounts:
    from load_articles import bulk_insert, reset_sequences

    rules, policy, calendar = PriorityRules.load(), Policy.load(), WorkCalendar.load()
    settings = AlertSettings()
    flagged = flag(groups, labels, corpus, outlets, rules)
    bulk, recent = flagged[: max(0, len(flagged) - real)], flagged[max(0, len(flagged) - real) :]
    with database.session() as session:
        users = list_users(session)
    rows: dict[str, list[dict[str, Any]]] = {"case": [], "audit": [], "assignee": [], "deadline": [], "response": []}
    triage: list[dict[str, Any]] = []
    for case_id, (group, rule) in enumerate(bulk, 1):
        label = labels[group.corpus_index]
        province = label.province or CENTRAL
        received = group.times[-1] + timedelta(minutes=rng.uniform(3, 15))
        steps = plan(received, end, rng)
        assigned = route(users, province)
        events: list[tuple[datetime, str, str, str | None, str, str | None]] = [
            (received, SYSTEM, "create", None, "new", f"{rule.priority}: {rule.name}"),
            (received, SYSTEM, "assign", "new", "assigned", ", ".join(u.email for u in assigned)),
        ]
        deadlines = [
            {
                "case_id": case_id,
                "kind": r.kind,
                "due_at": due,
                "basis": r.basis,
                "internal": r.internal,
                "status": "open",
                "met_at": None,
                "escalated_at": None,
                "reminders": [],
            }
            for r, due in policy.deadlines(calendar, priority=rule.priority, received_at=received)
        ]

        def meet(kinds: set[str], at: datetime, deadlines: list[dict[str, Any]] = deadlines) -> None:
            for d in deadlines:
                if d["kind"] in kinds and d["status"] == "open":
                    d["status"], d["met_at"] = ("met" if at <= d["due_at"] else "missed"), at

        state, actor = "assigned", assigned[0].email
        if steps.dismissed_at:
            events.append((steps.dismissed_at, MONITOR, "dismiss", state, "dismissed", DISMISS_REASON))
            state = "dismissed"
            for d in deadlines:
                d["status"] = "void" if d["status"] == "open" else d["status"]
        if steps.acknowledged_at:
            events.append((steps.acknowledged_at, actor, "acknowledge", state, "acknowledged", None))
            state = "acknowledged"
            meet({"xac_nhan_noi_bo"}, steps.acknowledged_at)
        if steps.responded_at:
            kind = "thong_tin_ban_dau" if rule.priority == "P1" else "van_ban_tra_loi"
            note = f"{response_kind_vi(kind)}: {RESPONSE_TEXT}"
            events.append((steps.responded_at, actor, "respond", state, "responded", note))
            state = "responded"
            meet({k for k, kinds in MEETS.items() if kind in kinds}, steps.responded_at)
            rows["response"].append(
                {
                    "case_id": case_id,
                    "kind": kind,
                    "text": RESPONSE_TEXT,
                    "by": actor,
                    "at": steps.responded_at,
                    "attachments": [],
                }
            )
        if steps.closed_at:
            events.append((steps.closed_at, MONITOR, "close", state, "closed", None))
            state = "closed"
        last = events[-1][0]
        rows["case"].append(
            {
                "id": case_id,
                "story_id": group.story_id,
                "title": corpus[group.corpus_index][1],
                "priority": rule.priority,
                "state": state,
                "province": province,
                "received_at": received,
                "updated_at": last,
                "reason": DISMISS_REASON if state == "dismissed" else rule.name,
                "policy_version": policy.version_at(received).name,
            }
        )
        rows["audit"] += [
            {
                "case_id": case_id,
                "at": at,
                "actor": who,
                "action": action,
                "from_state": before,
                "to_state": after,
                "note": note,
            }
            for at, who, action, before, after, note in events
        ]
        rows["assignee"] += [{"case_id": case_id, "user_id": u.id} for u in assigned]
        rows["deadline"] += deadlines
        if state != "assigned":
            triage.append(
                {
                    "story_id": group.story_id,
                    "state": "dismissed" if state == "dismissed" else "confirmed",
                    "by": MONITOR,
                    "at": events[2][0],
                }
            )
    with database.engine.begin() as conn:
        bulk_insert(conn, CaseRow.__table__, rows["case"])  # type: ignore[arg-type]
        bulk_insert(conn, AuditEventRow.__table__, rows["audit"])  # type: ignore[arg-type]
        bulk_insert(conn, CaseAssigneeRow.__table__, rows["assignee"])  # type: ignore[arg-type]
        bulk_insert(conn, DeadlineRow.__table__, rows["deadline"])  # type: ignore[arg-type]
        bulk_insert(conn, ResponseRow.__table__, rows["response"])  # type: ignore[arg-type]
        if triage:
            conn.execute(
                update(StoryRow)
                .where(StoryRow.id == bindparam("story_id"))
                .values(triage_state=bindparam("state"), triaged_by=bindparam("by"), triaged_at=bindparam("at")),
                triage,
            )
        reset_sequences(conn, ("press_case", "audit_event", "deadline", "case_response"))
    for group, _ in recent:
        real_case(database, group, rules, policy, calendar, settings, end, rng)
    return CaseCounts(bulk=len(bulk), real=len(recent))


def real_case(
    database: Database,
    group: Group,
    rules: PriorityRules,
    policy: Policy,
    calendar: WorkCalendar,
    settings: AlertSettings,
    end: datetime,
    rng: random.Random,
) -> None:
    received = group.times[-1] + timedelta(minutes=rng.uniform(3, 15))
    with database.session() as session:
        assert group.story_id is not None
        story = get_story(session, group.story_id)
        assert story is not None
        case = open_case(session, story, rules=rules, policy=policy, calendar=calendar, settings=settings, now=received)
        if case is None or case.state != "assigned":
            return
        steps = plan(received, end, rng)
        actor = next(iter(u.email for u in assignees(session, case.id)), MONITOR)
        if steps.dismissed_at:
            workflow.dismiss(session, case.id, actor=MONITOR, at=steps.dismissed_at, reason=DISMISS_REASON)
            return
        if steps.acknowledged_at:
            workflow.acknowledge(session, case.id, actor=actor, at=steps.acknowledged_at)
        if steps.responded_at:
            kind = "thong_tin_ban_dau" if case.priority == "P1" else "van_ban_tra_loi"
            workflow.respond(session, case.id, kind=kind, text=RESPONSE_TEXT, actor=actor, at=steps.responded_at)
        if steps.closed_at:
            workflow.close(session, case.id, actor=MONITOR, at=steps.closed_at)
