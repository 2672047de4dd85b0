"""Scheduled workflow jobs: cases from flagged stories (run_workflow), reminders (run_remind), escalation
(run_escalate). Messages go to the outbox in the same transaction as the change that causes them."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace

from sqlalchemy.orm import Session

from alerts import messages
from alerts.ack_chain import ack_url, start_chain
from alerts.batching import alert_case
from alerts.calendar import WorkCalendar
from alerts.cases import assign
from alerts.deadlines import Policy
from alerts.notify import notify_users
from alerts.priority import PriorityRules, StoryFacts
from alerts.recipients import CENTRAL, central_desk, focal_points, heads
from alerts.settings import AlertSettings
from domain.enums import FINISHED_STATES, AlertTier, CaseState, NotificationKind, Priority, TriageState
from domain.localtime import VN
from domain.records import AuditEvent, Case, Deadline, Story, User
from storage.cases import (
    SYSTEM,
    add_deadline,
    append_audit,
    assignees,
    case_for_story,
    deadlines_of,
    get_case,
    insert_case,
    note_event,
    open_deadlines,
    update_case,
    update_deadline,
)
from storage.engine import Database
from storage.enrichments import claim_story, get_story, stories_to_review, story_enrichments
from storage.outlets import outlet_by_id
from storage.social import negative_comment_times, stories_with_comments_since

log = logging.getLogger(__name__)


@dataclass
class WorkflowSummary:
    cases: int = 0
    raised: int = 0
    reminders: int = 0
    escalations: int = 0


def story_facts(session: Session, story: Story) -> tuple[StoryFacts, str, str] | None:
    """What the priority rules read about a story, its province (of the most relevant copy) and title;
    None when no copy is relevant."""
    copies = [(a, e) for a, e in story_enrichments(session, story.id) if e.relevant]
    if not copies:
        return None
    first, best = copies[0][0], max(copies, key=lambda c: c[1].relevance_score)[1]
    outlets = {a.outlet_id: outlet_by_id(session, a.outlet_id) for a, _ in copies}
    slugs = {i: (o.slug if o else str(i)) for i, o in outlets.items()}
    facts = StoryFacts(
        topic=best.topic,
        sentiment=best.sentiment,
        relevance=best.relevance_score,
        text=f"{first.title}\n{first.sapo}\n{first.text}",
        reach_tiers=tuple(o.reach_tier for o in outlets.values() if o),
        copies=tuple((slugs[a.outlet_id], a.fetched_at) for a, _ in copies),
        negative_comments=tuple(negative_comment_times(session, story.id)),
    )
    return facts, best.province or CENTRAL, first.title


def _notify(
    session: Session,
    users: list[User],
    kind: NotificationKind,
    key: str,
    message: messages.Content | Callable[[User], messages.Content],
    case: Case,
    now: dt.datetime,
    *,
    channels: tuple[str, ...],
    urgent: bool = False,
    tier: AlertTier = AlertTier.IMMEDIATE,
) -> int:
    """One outbox row per recipient (once per key), with the HTML as it will be sent; `urgent` ignores quiet hours.
    `message` may be a function of the recipient (a message carrying their own link). Each user's rows go to the
    channels they chose for `tier` (`alerts.routing.route`)."""
    return notify_users(
        session,
        users,
        message,
        kind=kind,
        key=key,
        now=now,
        channels=channels,
        tier=tier,
        case_id=case.id,
        urgent=urgent,
    )


def open_case(
    session: Session,
    story: Story,
    *,
    rules: PriorityRules,
    policy: Policy,
    calendar: WorkCalendar,
    settings: AlertSettings,
    now: dt.datetime,
) -> Case | None:
    """Create the story's case (or raise its priority when it spread); None when no rule flags it.

    A finished case (closed, dismissed) is left as it is, and so is a story a monitor dismissed.
    """
    found = story_facts(session, story)
    if found is None:
        return None
    facts, province, title = found
    rule = rules.judge(facts)
    existing = case_for_story(session, story.id)
    if existing is not None:
        if existing.state in FINISHED_STATES:
            return existing
        if rule is not None and rule.priority.rank < existing.priority.rank:
            return set_priority(
                session,
                existing,
                rule.priority,
                note=rule.name,
                reason=rule.name,
                actor=SYSTEM,
                policy=policy,
                calendar=calendar,
                settings=settings,
                now=now,
            )
        update_case(session, replace(existing, updated_at=now))
        return existing
    if rule is None or story.triage_state == TriageState.DISMISSED:
        return None
    return create_case(
        session,
        story,
        priority=rule.priority,
        reason=rule.name,
        province=province,
        title=title,
        actor=SYSTEM,
        policy=policy,
        calendar=calendar,
        settings=settings,
        now=now,
    )


def set_priority(
    session: Session,
    case: Case,
    priority: Priority,
    *,
    note: str,
    actor: str,
    policy: Policy,
    calendar: WorkCalendar,
    settings: AlertSettings,
    now: dt.datetime,
    reason: str | None = None,
) -> Case:
    """Change a case's priority (audited); a higher one adds its deadlines, and P1 alerts the central desk.
    `reason`: the case's reason from now on (the rule that raised it), told in the alert."""
    if priority == case.priority:
        return case
    changed = update_case(
        session, replace(case, priority=priority, updated_at=now, reason=reason if reason else case.reason)
    )
    append_audit(
        session,
        AuditEvent(
            case_id=case.id,
            at=now,
            actor=actor,
            action="raise_priority" if priority.rank < case.priority.rank else "lower_priority",
            from_state=case.state,
            to_state=case.state,
            note=f"{case.priority} → {priority}: {note}",
        ),
    )
    _add_deadlines(session, changed, policy, calendar)
    if priority == Priority.P1:
        handlers = assignees(session, changed.id)
        users = handlers + central_desk(session)
        brief = messages.story_brief(session, changed, settings.app_url)
        message = _urgent_alert(changed, deadlines_of(session, changed.id), settings, now, handlers, brief)
        start_chain(session, changed, users, now)
        alert_case(
            session,
            users,
            NotificationKind.ALERT,
            f"case:{changed.id}:p1",
            message,
            changed,
            now,
            channels=settings.channels,
            urgent=True,
            handlers=_provincial(session, handlers),
        )
    return changed


def create_case(
    session: Session,
    story: Story,
    *,
    priority: Priority,
    reason: str,
    province: str,
    title: str,
    actor: str,
    policy: Policy,
    calendar: WorkCalendar,
    settings: AlertSettings,
    now: dt.datetime,
) -> Case:
    """A new case for the story: its deadlines from the policy, routed to the province's focal points, who
    are told (and the central desk too for P1)."""
    version = policy.version_at(now)
    case = insert_case(
        session,
        Case(
            id=0,
            story_id=story.id,
            title=title,
            priority=priority,
            state=CaseState.NEW,
            province=province,
            received_at=now,
            updated_at=now,
            reason=reason,
            policy_version=version.name,
        ),
    )
    append_audit(
        session,
        AuditEvent(
            case_id=case.id,
            at=now,
            actor=actor,
            action="create",
            from_state=None,
            to_state=CaseState.NEW,
            note=f"{priority}: {reason}",
        ),
    )
    deadlines = _add_deadlines(session, case, policy, calendar)
    users = focal_points(session, province)
    if users:
        case = assign(session, case.id, users, actor=actor, at=now)
    recipients = users + (central_desk(session) if priority == Priority.P1 else [])
    story_brief = messages.story_brief(session, case, settings.app_url)
    message: messages.Content | Callable[[User], messages.Content] = messages.new_case(
        case, deadlines, settings.app_url, story=story_brief
    )
    if priority == Priority.P1:
        message = _urgent_alert(case, deadlines, settings, now, users, story_brief)
        start_chain(session, case, recipients, now)
    alert_case(  # by each recipient's tier: at once, held for the hourly round-up or the P1 batch, or digest only
        session,
        recipients,
        NotificationKind.ALERT if priority == Priority.P1 else NotificationKind.CASE,
        f"case:{case.id}:new",
        message,
        case,
        now,
        channels=settings.channels,
        urgent=priority == Priority.P1,
        handlers=_provincial(session, users),
    )
    return case


def _provincial(session: Session, handlers: list[User]) -> frozenset[int]:
    """The case's handlers who are not the central desk: their P1 alerts are never batched (alerts.batching); the
    central desk, told of every P1 and the handler of those of provinces without a focal point, is."""
    desk = {u.id for u in central_desk(session)}
    return frozenset(u.id for u in handlers if u.id is not None and u.id not in desk)


def _urgent_alert(
    case: Case,
    deadlines: list[Deadline],
    settings: AlertSettings,
    now: dt.datetime,
    handlers: list[User],
    story: messages.StoryBrief | None = None,
) -> Callable[[User], messages.Content]:
    """The urgent alert, each recipient's with their own one-click acknowledgement link (alerts.ack_chain)."""
    assigned = {u.id for u in handlers}

    def compose(user: User) -> messages.Content:
        link = ack_url(settings, case, user, now, assigned=user.id in assigned)
        return messages.new_case(case, deadlines, settings.app_url, link, story)

    return compose


def _add_deadlines(session: Session, case: Case, policy: Policy, calendar: WorkCalendar) -> list[Deadline]:
    have = {d.kind for d in deadlines_of(session, case.id)}
    for rule, due in policy.deadlines(calendar, priority=case.priority, received_at=case.received_at):
        if rule.kind not in have:
            add_deadline(
                session, Deadline(case_id=case.id, kind=rule.kind, due_at=due, basis=rule.basis, internal=rule.internal)
            )
    return deadlines_of(session, case.id)


def run_workflow(
    database: Database,
    *,
    rules: PriorityRules,
    policy: Policy,
    calendar: WorkCalendar,
    settings: AlertSettings,
    now: Callable[[], dt.datetime],
) -> WorkflowSummary:
    summary = WorkflowSummary()
    with database.session() as session:
        stories = stories_to_review(session)
    for story in stories:
        with database.session() as session:
            if not claim_story(session, story.id):
                continue  # another workflow worker is on it
            _judge(session, story, summary, rules=rules, policy=policy, calendar=calendar, settings=settings, now=now())
    return summary


def run_social_priority(
    database: Database,
    *,
    rules: PriorityRules,
    policy: Policy,
    calendar: WorkCalendar,
    settings: AlertSettings,
    now: Callable[[], dt.datetime],
    since: dt.datetime,
) -> WorkflowSummary:
    """The stories whose social posts got comments stored since `since` judged again by the priority rules (their
    negative comments counted): a rule such as "a burst of negative comments" raises the story's case (alerting
    once, as any raise to P1 does), or opens one. Run after each social poll, once the comments' tone is read."""
    summary = WorkflowSummary()
    with database.session() as session:
        story_ids = stories_with_comments_since(session, since)
    for story_id in story_ids:
        with database.session() as session:
            story = get_story(session, story_id)
            if story is None or story.merged_into_id is not None or not claim_story(session, story_id):
                continue
            _judge(session, story, summary, rules=rules, policy=policy, calendar=calendar, settings=settings, now=now())
    return summary


def _judge(
    session: Session,
    story: Story,
    summary: WorkflowSummary,
    *,
    rules: PriorityRules,
    policy: Policy,
    calendar: WorkCalendar,
    settings: AlertSettings,
    now: dt.datetime,
) -> None:
    """Open or re-prioritise the story's case (a claimed story), counting what changed."""
    before = case_for_story(session, story.id)
    case = open_case(session, story, rules=rules, policy=policy, calendar=calendar, settings=settings, now=now)
    if case is not None and before is None:
        summary.cases += 1
    elif case is not None and before is not None and case.priority != before.priority:
        summary.raised += 1


def _log(session: Session, case: Case, action: str, note: str, at: dt.datetime) -> None:
    """A system action on a case that does not change its state, in the audit trail."""
    note_event(session, case, action, at=at, note=note)


def _last_working_day(calendar: WorkCalendar, due: dt.datetime) -> dt.date:
    day = (due.astimezone(VN) - dt.timedelta(microseconds=1)).date()
    while not calendar.is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


def run_remind(
    database: Database, *, calendar: WorkCalendar, settings: AlertSettings, now: Callable[[], dt.datetime]
) -> WorkflowSummary:
    """Due-soon reminders at the configured fractions of the time and on the last working day."""
    summary = WorkflowSummary()
    with database.session() as session:
        for deadline in open_deadlines(session, claim=True):
            moment = now()
            case = get_case(session, deadline.case_id)
            if case is None or case.state in FINISHED_STATES or moment >= deadline.due_at:
                continue
            span = (deadline.due_at - case.received_at).total_seconds() or 1
            elapsed = (moment - case.received_at).total_seconds() / span
            points = [f"{int(p * 100)}%" for p in settings.reminder_points if elapsed >= p]
            if moment.astimezone(VN).date() == _last_working_day(calendar, deadline.due_at):
                points.append("ngày làm việc cuối")
            new = [p for p in points if p not in deadline.reminders]
            if not new:
                continue
            message = messages.reminder(case, deadline, new[-1], settings.app_url)
            users = assignees(session, case.id) or focal_points(session, case.province)
            summary.reminders += _notify(
                session,
                users,
                NotificationKind.REMINDER,
                f"deadline:{deadline.id}:remind:{new[-1]}",
                message,
                case,
                moment,
                channels=settings.channels,
            )
            update_deadline(session, replace(deadline, reminders=(*deadline.reminders, *new)))
            _log(
                session,
                case,
                "remind",
                f"{messages.KIND_VI.get(deadline.kind, deadline.kind)}: {', '.join(new)}",
                moment,
            )
    return summary


def run_escalate(
    database: Database, *, settings: AlertSettings, now: Callable[[], dt.datetime], batch: int = 100
) -> WorkflowSummary:
    """Overdue deadlines → the province head(s) and the central desk, once per breach.

    Rows are claimed with FOR UPDATE SKIP LOCKED on PostgreSQL and marked in the same transaction, so that
    parallel workers never escalate one breach twice.
    """
    summary = WorkflowSummary()
    with database.session() as session:
        moment = now()
        for deadline in open_deadlines(session, due_before=moment, unescalated=True, claim=True)[:batch]:
            case = get_case(session, deadline.case_id)
            if case is None or case.state in FINISHED_STATES:
                continue
            users = heads(session, case.province) + central_desk(session)
            message = messages.escalation(case, deadline, settings.app_url)
            _notify(
                session,
                users,
                NotificationKind.ESCALATION,
                f"deadline:{deadline.id}:escalate",
                message,
                case,
                moment,
                channels=settings.channels,
                urgent=True,
            )
            update_deadline(session, replace(deadline, escalated_at=moment))
            _log(session, case, "escalate", f"quá hạn {messages.KIND_VI.get(deadline.kind, deadline.kind)}", moment)
            summary.escalations += 1
    if summary.escalations:
        log.info("escalate: %d overdue deadlines", summary.escalations)
    return summary
