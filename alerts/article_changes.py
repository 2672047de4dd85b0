"""Telling a case's focal points that one of its articles was edited or taken down (the changes the re-check of
watched articles kept, crawler/recheck.py): one message per change and case, a line in the case's history, the
change marked as told, all in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from alerts import messages
from alerts.ack_chain import SYSTEM
from alerts.notify import notify_users
from alerts.recipients import focal_points
from domain.enums import CaseState, NotificationKind, WatchState
from domain.labels import takedown_reason_vi
from domain.records import AuditEvent
from domain.watch import ArticleChange
from storage.articles import get_article
from storage.cases import append_audit, assignees
from storage.engine import Database
from storage.outlets import outlet_by_id
from storage.watch import cases_of_article, mark_notified, unnotified_changes

AUDIT_ACTION = {WatchState.EDITED: "article_edited", WatchState.TAKEN_DOWN: "article_taken_down"}


@dataclass
class ChangeSummary:
    changes: int = 0
    messages: int = 0


def _note(change: ArticleChange, outlet: str) -> str:
    if change.kind == WatchState.EDITED:
        diff = change.text_diff()
        return f"{outlet}: bỏ {diff.deleted} chữ, thêm {diff.inserted} chữ"
    return f"{outlet}: {takedown_reason_vi(change.reason.value if change.reason else None)}"


def notify_article_changes(
    database: Database, *, now: Callable[[], dt.datetime], app_url: str, channels: tuple[str, ...] = ("mail",)
) -> ChangeSummary:
    """Every change nobody was told of yet: to the focal points of each case carrying the article (its assignees,
    else the province's focal points), and in the case's history. A dismissed case is not told."""
    summary = ChangeSummary()
    with database.session() as session:
        moment = now()
        for change in unnotified_changes(session):
            assert change.id is not None
            article = get_article(session, change.article_id)
            outlet = outlet_by_id(session, article.outlet_id) if article else None
            name = outlet.name if outlet else "—"
            for case in cases_of_article(session, change.article_id):
                if case.state == CaseState.DISMISSED:
                    continue
                content = messages.article_change(
                    case, change, outlet=name, url=article.url if article else "", app_url=app_url
                )
                users = assignees(session, case.id) or focal_points(session, case.province)
                summary.messages += notify_users(
                    session,
                    users,
                    content,
                    kind=NotificationKind.ARTICLE_CHANGE,
                    key=f"article_change:{change.id}:case:{case.id}",
                    now=moment,
                    channels=channels,
                    case_id=case.id,
                )
                append_audit(
                    session,
                    AuditEvent(
                        case_id=case.id,
                        at=change.at,
                        actor=SYSTEM,
                        action=AUDIT_ACTION[change.kind],
                        from_state=case.state,
                        to_state=case.state,
                        note=_note(change, name),
                    ),
                )
            mark_notified(session, change.id, moment)
            summary.changes += 1
    return summary
