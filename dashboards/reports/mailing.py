"""The weekly and monthly report e-mailed to leaders (`run_report`, run by the scheduler): one outbox message
per leader with the DOCX and the XLSX attached; a leader of a province gets that province's report, the others
the national one. A message's dedupe key is the period and the recipient, so a run repeated, or run again later
the same week or month, never sends one twice."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from alerts.messages import Content, ReportFacts, report
from alerts.notify import notify
from alerts.recipients import leaders as leaders_of
from dashboards.reports import numbers, wording
from dashboards.reports.build import render
from dashboards.reports.figures import ALL, ReportFigures, collect_figures
from dashboards.reports.inputs import report_filename, resolve_province
from dashboards.reports.periods import Period, PeriodKind, ReportError, containing
from dashboards.reports.settings import ReportSettings
from dashboards.reports.wording import DOCX_TYPE, XLSX_TYPE
from domain.enums import NotificationKind, Priority
from domain.localtime import VN
from domain.records import Message, NotificationAttachment, User
from storage.engine import Database
from storage.outbox import existing_dedupe_keys

log = logging.getLogger(__name__)
KIND = NotificationKind.REPORT
CATCH_UP_DAYS = 7  # a week's report is due all that week; a month's during its first seven days


@dataclass
class ReportRun:
    reports: int = 0  # reports built
    messages: int = 0  # messages written to the outbox
    already_sent: int = 0  # leaders who had this period's report already


def due_periods(settings: ReportSettings, now: dt.datetime) -> list[Period]:
    """The periods whose report is due at `now`: last week from Monday at the send hour, last month from the 1st
    at the send hour, each switched off by its setting. A report stays due for CATCH_UP_DAYS (a run missed on
    Monday or on the 1st is made up later; the dedupe keys keep it to one message each)."""
    local = now.astimezone(VN)
    due = []
    starts = []
    if settings.weekly:
        starts.append((PeriodKind.WEEK, local.date() - dt.timedelta(days=local.weekday())))
    if settings.monthly:
        starts.append((PeriodKind.MONTH, local.date().replace(day=1)))
    for kind, first in starts:
        sending = dt.datetime.combine(first, dt.time(settings.send_hour), VN)
        if sending <= local < dt.datetime.combine(first + dt.timedelta(days=CATCH_UP_DAYS), dt.time(0), VN):
            due.append(containing(kind, first).previous())
    return due


def dedupe_key(period: Period, user: User) -> str:
    return f"report:{period.code}:{user.email}"


def scope_of(user: User) -> str | None:
    """The province whose report a leader gets; None: the national one."""
    try:
        return resolve_province(user.province)
    except ReportError:
        log.warning("leader %s has province %r, not one of the 34: the national report goes", user.email, user.province)
        return None


def message(figures: ReportFigures, user: User, app_url: str | None) -> Content:
    """The e-mail that carries the report: its figures written as the report writes them, its words from the
    alerts templates."""
    period, counts = figures.period, figures.counts
    overall = next((t for t in figures.timeliness if t.province == ALL), None)
    facts = ReportFacts(
        product=wording.PRODUCT,
        period=period.name,
        span=period.span,
        previous=figures.previous.name,
        province=figures.province,
        articles=numbers.integer(counts.articles),
        change=numbers.change(counts.articles, figures.previous_counts.articles),
        negative=numbers.integer(counts.negative),
        negative_share=numbers.percent(counts.negative / counts.articles) if counts.articles else numbers.NONE,
        cases=numbers.integer(len(figures.cases)),
        urgent=numbers.integer(sum(c.case.priority == Priority.P1 for c in figures.cases)),
        overdue=numbers.integer(sum(c.overdue for c in figures.cases)),
        statutory_met=numbers.ratio(overall.statutory_met, overall.statutory_total) if overall else None,
    )
    return report(facts, user.name, app_url)


def run_report(
    database: Database,
    settings: ReportSettings,
    now: Callable[[], dt.datetime],
    *,
    app_url: str | None = None,
) -> ReportRun:
    """Write the due reports to the outbox, one message per leader not yet served; each report is built once per
    scope (the nation, a province) and written with its messages in one transaction."""
    run = ReportRun()
    moment = now()
    for period in due_periods(settings, moment):
        with database.session() as session:
            leaders = leaders_of(session)
            sent = existing_dedupe_keys(session, [dedupe_key(period, u) for u in leaders])
        run.already_sent += len(sent)
        scopes: dict[str | None, list[User]] = defaultdict(list)
        for user in leaders:
            if dedupe_key(period, user) not in sent:
                scopes[scope_of(user)].append(user)
        for province, users in scopes.items():
            with database.session() as session:
                figures = collect_figures(session, period, province=province, now=moment)
                files = render(figures, ("docx", "xlsx"), settings=settings, app_url=app_url)
                attachments = (
                    NotificationAttachment(
                        filename=report_filename(period, province, "docx"), content_type=DOCX_TYPE, data=files["docx"]
                    ),
                    NotificationAttachment(
                        filename=report_filename(period, province, "xlsx"), content_type=XLSX_TYPE, data=files["xlsx"]
                    ),
                )
                run.reports += 1
                for user in users:
                    content = message(figures, user, app_url)
                    run.messages += notify(
                        session,
                        Message(
                            kind=KIND,
                            recipient=user,
                            subject=content.subject,
                            text=content.text,
                            html=content.html,
                            links=content.links,
                            created_at=moment,
                            dedupe_key=dedupe_key(period, user),
                            attachments=attachments,
                        ),
                    )
    if run.messages:
        log.info("report: %d messages, %d reports built", run.messages, run.reports)
    return run
