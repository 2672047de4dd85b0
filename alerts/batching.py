"""Case alerts by tier (alerts/policy/tiers.yaml, each user's choice in table alert_tier): at once, held for the
hourly round-up, or left to the daily digest; and P1 batching: after a P1 alert went out at once to a user, their
further P1 alerts within `burst_window_min` are held and go out as one message when the window closes.

Held alerts (table held_alert) are released by `release_held` (job `roundup`, every minute): one message per user
and window, its outbox dedupe key naming the user and the window, so that a restarted or a second worker never
writes it twice.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from itertools import groupby
from typing import Any

from sqlalchemy.orm import Session

from alerts.ack_chain import ack_url
from alerts.messages import BAND, KIND_VI, Content, case_heading, case_link, preferences_link, when, when_short
from alerts.notify import notify_users
from alerts.render import render
from alerts.settings import AlertSettings
from alerts.tiers import TierPolicy, default_tiers
from domain.enums import FINISHED_STATES, AlertTier, NotificationKind, Priority
from domain.labels import priority_vi, province_vi
from domain.localtime import VN
from domain.records import Case, User
from storage.alert_tiers import (
    HeldAlert,
    claim_release,
    due_held,
    hold,
    last_at_once,
    mark_released,
    tier_choices_of,
)
from storage.cases import assignees, deadlines_of, get_case, get_user_by_id
from storage.engine import Database

log = logging.getLogger(__name__)


def next_hour(moment: dt.datetime) -> dt.datetime:
    """The end of the hour `moment` is in: when its round-up goes out (Viet Nam's hours start with UTC's)."""
    return moment.replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)


def tiers_of(session: Session, users: Sequence[User], priority: Priority, policy: TierPolicy) -> dict[User, AlertTier]:
    """Each user's tier for the alerts of `priority`: their choice, else the policy's default."""
    chosen = tier_choices_of(session, [u.id for u in users if u.id is not None])
    return {u: policy.tier(priority, chosen.get(u.id) if u.id is not None else None) for u in users}


def alert_case(
    session: Session,
    users: list[User],
    kind: NotificationKind,
    key: str,
    content: Content | Callable[[User], Content],
    case: Case,
    now: dt.datetime,
    *,
    channels: tuple[str, ...],
    urgent: bool = False,
    handlers: frozenset[int] = frozenset(),
    policy: TierPolicy | None = None,
) -> int:
    """Tell each user about the case as their tier for its priority says: at once (a P1 within the batching
    window after one that went out at once: held for the batch), held for the hourly round-up, or not at all (the
    daily digest lists it). Returns the users written to now.

    `handlers` (user ids): the province's focal points the case is assigned to. The statutory clock runs for them,
    so their P1 alerts wait for no window: a P1 after one that went out at once within the window is gathered
    (held, due now) and the release pass that follows the workflow sends all of a pass's gathered cases as one
    message. A burst of cases for one province becomes two messages (the first at once, the rest together), with
    no added latency; the people told of every P1 (the central desk) wait for the window's end instead."""
    policy = policy or default_tiers()
    window = dt.timedelta(minutes=policy.burst_window_min)
    now_users: list[User] = []
    for user, tier in tiers_of(session, list(dict.fromkeys(users)), case.priority, policy).items():
        if tier == AlertTier.DIGEST or user.id is None:
            continue
        if tier == AlertTier.HOURLY:
            due = next_hour(now)
            hold(session, HeldAlert(user_id=user.id, case_id=case.id, tier=tier, held_at=now, due_at=due))
            continue
        if case.priority == Priority.P1:
            opened = last_at_once(session, user.id, since=now - window)
            if opened is not None:
                due = now if user.id in handlers else opened + window
                hold(session, HeldAlert(user_id=user.id, case_id=case.id, tier=tier, held_at=now, due_at=due))
                continue
            sent = HeldAlert(
                user_id=user.id, case_id=case.id, tier=tier, held_at=now, due_at=now, released_at=now, at_once=True
            )
            hold(session, sent)
        now_users.append(user)
    return notify_users(
        session,
        now_users,
        content,
        kind=kind,
        key=key,
        now=now,
        channels=channels,
        tier=AlertTier.IMMEDIATE,
        case_id=case.id,
        urgent=urgent,
    )


# --- releasing held alerts ------------------------------------------------------------------------------------


def roundup_message(
    cases: Sequence[Case],
    user: User,
    tier: AlertTier,
    due: dt.datetime,
    settings: AlertSettings,
    now: dt.datetime,
    *,
    session: Session,
    window_min: int,
    gathered: bool = False,
) -> Content:
    """The one message listing a user's held cases: the hourly round-up, or the P1 batch (each case with the
    user's acknowledgement link; `gathered`: the cases assigned to the user in one pass, see `alert_case`)."""
    urgent = tier == AlertTier.IMMEDIATE
    if urgent and gathered:
        subject = f"[P1] {len(cases)} hồ sơ khẩn mới được giao lúc {due.astimezone(VN):%H:%M}"
        heading = f"{len(cases)} hồ sơ khẩn mới được giao cho anh/chị lúc {when_short(due)}"
    elif urgent:
        start = due - dt.timedelta(minutes=window_min)
        span = f"{start.astimezone(VN):%H:%M}–{due.astimezone(VN):%H:%M}"
        subject = f"[P1] {len(cases)} hồ sơ khẩn mới trong {window_min} phút ({span})"
        heading = f"{len(cases)} hồ sơ khẩn mới từ {when_short(start)} đến {due.astimezone(VN):%H:%M}"
    else:
        start = due - dt.timedelta(hours=1)
        span = f"{start.astimezone(VN):%H:%M}–{due.astimezone(VN):%H:%M} ngày {due.astimezone(VN):%d/%m/%Y}"
        subject = f"Tổng hợp cảnh báo {span}: {len(cases)} hồ sơ mới"
        heading = f"{len(cases)} hồ sơ mới trong giờ {span}"
    items: list[dict[str, Any]] = []
    for case in cases:
        handlers = {u.id for u in assignees(session, case.id)}
        deadlines = sorted(deadlines_of(session, case.id), key=lambda d: d.due_at)
        first = next((d for d in deadlines if not d.internal), deadlines[0] if deadlines else None)
        items.append(
            {
                "case": case,
                "heading": case_heading(case),
                "priority_label": priority_vi(case.priority),
                "province": province_vi(case.province),
                "received": when_short(case.received_at),
                "deadline": (
                    f"{KIND_VI.get(first.kind, first.kind)}: {when(first.due_at)} ({first.basis})" if first else ""
                ),
                "link": case_link(settings.app_url, case),
                "ack_url": ack_url(settings, case, user, now, assigned=user.id in handlers) if urgent else "",
            }
        )
    link = f"{settings.app_url.rstrip('/')}/ho-so"
    context: dict[str, Any] = {
        "title": subject,
        "band": BAND + (" · KHẨN" if urgent else " · TỔNG HỢP HẰNG GIỜ"),
        "urgent": urgent,
        "preferences_link": preferences_link(settings.app_url),
        "link": link,
        "heading": heading,
        "name": user.name,
        "items": items,
    }
    return Content(subject, render("roundup.txt", **context), render("roundup.html", **context), (link,))


def release_held(
    database: Database,
    settings: AlertSettings,
    *,
    now: dt.datetime,
    claim: bool = False,
    policy: TierPolicy | None = None,
) -> int:
    """Send every held alert whose time has come: one message per user and window (the hourly round-up, kind
    `roundup`; the P1 batch, kind `alert`, urgent). Cases closed or dismissed meanwhile are left out. Returns the
    messages written."""
    policy = policy or default_tiers()
    written = 0
    with database.session() as session:
        for user_id in dict.fromkeys(h.user_id for h in due_held(session, now=now, claim=claim)):
            if not claim_release(session, user_id):
                continue  # another worker is releasing this user's alerts now
            # Read again under the lock: what another worker released meanwhile is gone, all of a batch is there.
            mine = sorted(due_held(session, now=now, user_id=user_id), key=lambda h: (h.tier, h.due_at))
            for (tier, due_at), group in groupby(mine, key=lambda h: (h.tier, h.due_at)):
                written += _release(session, settings, policy, [*group], tier, due_at, now)
    if written:
        log.info("roundup: %d messages of held alerts", written)
    return written


def _release(
    session: Session,
    settings: AlertSettings,
    policy: TierPolicy,
    held: list[HeldAlert],
    tier: AlertTier,
    due_at: dt.datetime,
    now: dt.datetime,
) -> int:
    """One user's held alerts of one tier and window: their one message (unless no case is left open or the user
    left), then marked released. Returns the messages written (0 or 1)."""
    written = 0
    user = get_user_by_id(session, held[0].user_id)
    cases = [c for c in (get_case(session, h.case_id) for h in held) if c is not None]
    cases = [c for c in cases if c.state not in FINISHED_STATES]
    if user is not None and user.active and cases:
        batch = tier == AlertTier.IMMEDIATE
        gathered = batch and all(h.held_at == h.due_at for h in held)
        content = roundup_message(
            cases,
            user,
            tier,
            due_at,
            settings,
            now,
            session=session,
            window_min=policy.burst_window_min,
            gathered=gathered,
        )
        # To the second: two passes of the workflow within one minute gather two batches.
        window = due_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S")
        written = notify_users(
            session,
            [user],
            content,
            kind=NotificationKind.ALERT if batch else NotificationKind.ROUNDUP,
            key=f"{'p1batch' if batch else 'roundup'}:{window}",
            now=now,
            channels=settings.channels,
            tier=tier,
            case_id=cases[0].id if len(cases) == 1 else None,
            urgent=batch,
        )
    mark_released(session, [h.id for h in held if h.id is not None], at=now)
    return written
