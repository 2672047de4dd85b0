"""The acknowledgement chain of urgent cases (the internal target, policy/escalation.yaml): an alert nobody
acknowledges within the policy's minutes goes on to the next step's people (the province's heads, then the central
desk, then the leader on duty), each step once, in the audit trail; an acknowledgement stops the chain.

Separate from the statutory deadlines (alerts.deadlines, alerts.workflow.run_escalate): both are shown.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from alerts import ack_links
from alerts.ack_policy import TARGET_VI, EscalationPolicy, Step
from alerts.messages import BAND, Content, case_heading, case_link, preferences_link, when_short
from alerts.notify import notify_users
from alerts.recipients import CENTRAL, central_desk, heads, leaders
from alerts.render import render
from alerts.settings import AlertSettings
from domain.enums import CaseState, NotificationKind, Role
from domain.labels import province_vi
from domain.records import Case, User
from storage.ack import AckStep, claim_case, record_step, steps_of, unacknowledged
from storage.cases import assignees, get_user, note_event
from storage.engine import Database

log = logging.getLogger(__name__)
ALERT_STEP = 0
UNACKNOWLEDGED = (CaseState.NEW, CaseState.ASSIGNED)


@dataclass(frozen=True, slots=True, kw_only=True)
class AckSla:
    """The internal target of one case as the case page shows it."""

    started_at: dt.datetime  # the alert
    acknowledge_by: dt.datetime  # the first step's time: acknowledge before it and nobody else is told
    minutes: int
    done: tuple[AckStep, ...]  # the steps taken after the alert
    next_at: dt.datetime | None  # None: acknowledged, or no step left
    next_target: str | None  # its Vietnamese name
    stopped: bool  # acknowledged (or finished): the chain goes no further


def may_acknowledge(user: User, *, assigned: bool) -> bool:
    """Who an acknowledgement link is worth sending to (the web app checks again when it is used)."""
    return user.role in (Role.ADMIN, Role.DAU_MOI) or (assigned and user.role == Role.MONITOR)


def ack_url(settings: AlertSettings, case: Case, user: User, now: dt.datetime, *, assigned: bool) -> str:
    """The user's one-click acknowledgement link for the case; empty when they may not acknowledge or no key."""
    key = settings.ack_link_key.get_secret_value().encode()
    if not key or user.id is None or not may_acknowledge(user, assigned=assigned):
        return ""
    return ack_links.link(settings.app_url, ack_links.issue(key, case_id=case.id, user_id=user.id, at=now))


def start_chain(session: Session, case: Case, users: list[User], now: dt.datetime) -> None:
    """The urgent alert went out: the chain's clock starts (once per case; a later alert does not restart it)."""
    record_step(
        session,
        AckStep(case_id=case.id, step=ALERT_STEP, at=now, target="alert", recipients=tuple(u.email for u in users)),
    )


def started_at(case: Case, steps: list[AckStep]) -> dt.datetime:
    """When the chain started: the alert's step, or (a case alerted before the chain existed) its reception."""
    return next((s.at for s in steps if s.step == ALERT_STEP), case.received_at)


def sla(case: Case, steps: list[AckStep], policy: EscalationPolicy) -> AckSla | None:
    """The case's internal target; None when its priority has no chain."""
    chain = policy.steps(case.priority)
    if not chain:
        return None
    start = started_at(case, steps)
    done = tuple(s for s in steps if s.step != ALERT_STEP)
    taken = {s.step for s in done}
    stopped = case.state not in UNACKNOWLEDGED
    pending = [(i, s) for i, s in enumerate(chain, start=1) if i not in taken]
    upcoming = None if stopped or not pending else pending[0][1]
    return AckSla(
        started_at=start,
        acknowledge_by=start + dt.timedelta(minutes=chain[0].after_min),
        minutes=chain[0].after_min,
        done=done,
        next_at=None if upcoming is None else start + dt.timedelta(minutes=upcoming.after_min),
        next_target=None if upcoming is None else TARGET_VI[upcoming.target],
        stopped=stopped,
    )


def step_people(session: Session, case: Case, step: Step, policy: EscalationPolicy, now: dt.datetime) -> list[User]:
    """Who a step tells."""
    if step.target == "truong_tinh":
        return heads(session, case.province) if case.province != CENTRAL else []
    if step.target == "van_phong_trung_uong":
        return central_desk(session)
    rostered = [get_user(session, email) for email in policy.on_duty(now)]
    on_duty = [u for u in rostered if u is not None and u.active and u.role == Role.LEADER]
    return on_duty or [u for u in leaders(session) if u.province in (None, CENTRAL)]


def _who(steps: list[AckStep]) -> list[str]:
    """ "HH:MM ngày …: whom" for every earlier step, the alert first."""
    return [f"{when_short(s.at)} – {TARGET_VI[s.target]}: {', '.join(s.recipients) or 'không có ai'}" for s in steps]


def message(
    case: Case, step_no: int, total: int, start: dt.datetime, before: list[AckStep], now: dt.datetime, app_url: str
) -> Callable[[str], Content]:
    """The step's message, given the recipient's acknowledgement link (empty: none)."""
    minutes = int((now - start).total_seconds() // 60)
    subject = f"CHƯA XÁC NHẬN sau {minutes} phút: hồ sơ #{case.id} – {case_heading(case)}"

    def compose(ack: str) -> Content:
        link = case_link(app_url, case)
        context = {
            "title": subject,
            "band": BAND + " · CHƯA XÁC NHẬN",
            "urgent": True,
            "preferences_link": preferences_link(app_url),
            "link": link,
            "case": case,
            "province": province_vi(case.province),
            "since": when_short(start),
            "minutes": minutes,
            "step_no": step_no,
            "total": total,
            "before": _who(before),
            "ack_url": ack,
        }
        text, html = render("ack_escalation.txt", **context), render("ack_escalation.html", **context)
        return Content(subject, text, html, (link,))

    return compose


def _take_step(
    session: Session,
    case: Case,
    index: int,
    step: Step,
    *,
    policy: EscalationPolicy,
    settings: AlertSettings,
    now: dt.datetime,
) -> bool:
    """Record the step and tell its people, unless another worker did; whether this call did it."""
    steps = steps_of(session, case.id)
    users = step_people(session, case, step, policy, now)
    if not record_step(
        session,
        AckStep(case_id=case.id, step=index, at=now, target=step.target, recipients=tuple(u.email for u in users)),
    ):
        return False
    compose = message(
        case, index, len(policy.steps(case.priority)), started_at(case, steps), steps, now, settings.app_url
    )
    handlers = {u.id for u in assignees(session, case.id)}
    notify_users(
        session,
        users,
        lambda user: compose(ack_url(settings, case, user, now, assigned=user.id in handlers)),
        kind=NotificationKind.ACK_ESCALATION,
        key=f"case:{case.id}:ack:{index}",
        now=now,
        channels=settings.channels,
        case_id=case.id,
        urgent=True,
    )
    who = ", ".join(u.email for u in users) or "không có người nhận"
    note = f"bước {index}: chưa xác nhận sau {step.after_min} phút → {TARGET_VI[step.target]}: {who}"
    note_event(session, case, "ack_escalate", at=now, note=note)
    return True


def escalate_case(
    session: Session, case_id: int, *, policy: EscalationPolicy, settings: AlertSettings, now: dt.datetime
) -> int:
    """The due steps of one case not yet taken (in order); the number taken by this call."""
    case = claim_case(session, case_id)
    if case is None or case.state not in UNACKNOWLEDGED:
        return 0  # another worker holds it, or it was acknowledged meanwhile
    steps = steps_of(session, case.id)
    start, taken = started_at(case, steps), {s.step for s in steps}
    done = 0
    for index, step in enumerate(policy.steps(case.priority), start=1):
        if start + dt.timedelta(minutes=step.after_min) > now:
            break
        if index not in taken:
            done += _take_step(session, case, index, step, policy=policy, settings=settings, now=now)
    return done


def run_ack_chain(
    database: Database,
    *,
    policy: EscalationPolicy,
    settings: AlertSettings,
    now: Callable[[], dt.datetime],
) -> int:
    """Every urgent case nobody acknowledged: take its due steps. Each case in its own transaction, its row
    claimed (FOR UPDATE SKIP LOCKED on PostgreSQL) and each step recorded once (the key of `ack_step`), so that
    parallel workers take every step exactly once. Returns the steps taken."""
    if not policy.priorities:
        return 0
    with database.session() as session:
        cases = [c.id for c in unacknowledged(session, policy.priorities)]
    taken = 0
    for case_id in cases:
        with database.session() as session:
            taken += escalate_case(session, case_id, policy=policy, settings=settings, now=now())
    if taken:
        log.info("ack chain: %d steps taken", taken)
    return taken
