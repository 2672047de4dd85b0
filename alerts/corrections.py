"""The correction loop (QĐ 2862 §2.4.2): a response of kind "yêu cầu cải chính" opens a watch on each outlet of
the story; the watch looks for the outlet's correction — a correction note added to the article, the article edited,
or taken down (as the post-response re-check, crawler/recheck.py, found it), or a new article of the outlet that
corrects it (same story, or the same headline words, with a correction marker) — until the deadline of the press
rules (policy/corrections.yaml). Found: recorded with its evidence, the focal points told, and the case may close.
Not found by the deadline: the case reopens, the focal points are reminded, and the matter counts as not corrected
in the timeliness and ND 244 annual figures."""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from alerts.messages import Content, case_heading, case_link, plain_html, when
from alerts.notify import notify_users
from alerts.policy_files import load_policy
from alerts.recipients import focal_points
from alerts.settings import AlertSettings
from domain.enums import CaseState, CorrectionEvidence, CorrectionState, NotificationKind, WatchState
from domain.labels import correction_evidence_vi, takedown_reason_vi
from domain.localtime import VN
from domain.records import Article, AuditEvent, Case, CorrectionWatch, Response, User
from domain.text import fold_diacritics
from storage.articles import get_article
from storage.cases import append_audit, assignees, get_case, update_case
from storage.corrections import add_watch, outlet_articles_since, settle_watch, waiting_watches
from storage.engine import Database
from storage.enrichments import story_articles
from storage.outlets import outlet_by_id
from storage.watch import changes_of

log = logging.getLogger(__name__)


class CorrectionVersion(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    effective_from: dt.date
    period_hours: int = Field(ge=1, le=24 * 30)
    basis: str = Field(min_length=1)


class CorrectionPolicy(BaseModel):
    """The correction deadlines by the date of the request, the correction markers, the headline overlap."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    versions: tuple[CorrectionVersion, ...] = Field(min_length=1)
    markers: tuple[str, ...] = Field(min_length=1)
    title_overlap: float = Field(gt=0, le=1)

    def version(self, requested_at: dt.datetime) -> CorrectionVersion:
        """The version in force on the day of the request (Viet Nam time); the earliest before any."""
        day = requested_at.astimezone(VN).date()
        ordered = sorted(self.versions, key=lambda v: v.effective_from)
        return next((v for v in reversed(ordered) if v.effective_from <= day), ordered[0])

    @functools.cached_property
    def pattern(self) -> re.Pattern[str]:
        words = sorted((re.escape(_fold(m)) for m in self.markers), key=len, reverse=True)
        return re.compile(r"(?<!\w)(" + "|".join(words) + r")(?!\w)")


def load_correction_policy(path: Path | None = None) -> CorrectionPolicy:
    return load_policy("corrections.yaml", CorrectionPolicy, path)


@functools.cache
def default_correction_policy() -> CorrectionPolicy:
    return load_correction_policy()


def _fold(text: str) -> str:
    return fold_diacritics(text).lower()


def markers_in(article: Article, policy: CorrectionPolicy) -> int:
    """How many correction markers the article carries (headline, lead, text)."""
    return len(policy.pattern.findall(_fold(f"{article.title}\n{article.sapo}\n{article.text}")))


def open_watches(
    session: Session, case: Case, response: Response, *, policy: CorrectionPolicy | None = None
) -> list[CorrectionWatch]:
    """One watch per outlet of the case's story (its first article there), due by the rules of the request's day."""
    policy = policy or default_correction_policy()
    version = policy.version(response.at)
    firsts: dict[int, Article] = {}
    for article in sorted(story_articles(session, case.story_id), key=lambda a: a.published_at or a.fetched_at):
        firsts.setdefault(article.outlet_id, article)
    opened = []
    for outlet_id, article in firsts.items():
        if article.id is None or response.id is None:
            continue
        opened.append(
            add_watch(
                session,
                CorrectionWatch(
                    case_id=case.id,
                    response_id=response.id,
                    article_id=article.id,
                    outlet_id=outlet_id,
                    requested_at=response.at,
                    due_at=response.at + dt.timedelta(hours=version.period_hours),
                    basis=version.basis,
                    hash_at_request=article.content_hash,
                    markers_at_request=markers_in(article, policy),
                ),
            )
        )
    return opened


@dataclass(frozen=True, slots=True)
class Found:
    evidence: CorrectionEvidence
    at: dt.datetime
    article_id: int | None
    text: str


def _passage(text: str, policy: CorrectionPolicy, limit: int = 400) -> str:
    """The sentence (or line) of `text` that carries the first correction marker, as published."""
    for part in re.split(r"(?<=[.!?])\s+|\n+", text):
        if policy.pattern.search(_fold(part)):
            return part.strip()[:limit]
    return ""


def _words(title: str) -> set[str]:
    return {w for w in re.findall(r"\w+", _fold(title)) if len(w) > 1}


def find_correction(
    session: Session, watch: CorrectionWatch, story_id: int, *, now: dt.datetime, policy: CorrectionPolicy
) -> Found | None:
    """The outlet's correction, if it has appeared since the request."""
    article = get_article(session, watch.article_id)
    taken_down = [
        c
        for c in changes_of(session, [watch.article_id])
        if c.kind == WatchState.TAKEN_DOWN and c.at >= watch.requested_at
    ]
    if taken_down:  # the post-response watch found it gone (404/410, a redirect home, the outlet's not-found page)
        change = taken_down[0]
        text = takedown_reason_vi(change.reason) if change.reason else ""
        return Found(CorrectionEvidence.TAKEN_DOWN, change.at, watch.article_id, text)
    if article is not None:
        if markers_in(article, policy) > watch.markers_at_request:
            text = _passage(f"{article.title}\n{article.sapo}\n{article.text}", policy)
            return Found(CorrectionEvidence.NOTE, now, article.id, text)
        if watch.hash_at_request and article.content_hash != watch.hash_at_request:
            return Found(CorrectionEvidence.EDITED, now, article.id, article.title)
    original = _words(article.title) if article is not None else set()
    for candidate, candidate_story in outlet_articles_since(
        session, watch.outlet_id, since=watch.requested_at, until=now, exclude=watch.article_id
    ):
        opening = f"{candidate.title}\n{candidate.sapo}\n{candidate.text[:600]}"
        if not policy.pattern.search(_fold(opening)):
            continue
        words = _words(candidate.title)
        shared = len(words & original) / min(len(words), len(original)) if words and original else 0.0
        if candidate_story == story_id or shared >= policy.title_overlap:
            at = candidate.published_at or candidate.fetched_at
            return Found(CorrectionEvidence.NEW_ARTICLE, at, candidate.id, candidate.title)
    return None


def _message(case: Case, watch: CorrectionWatch, outlet: str, found: Found | None, app_url: str) -> Content:
    link = case_link(app_url, case)
    if found is not None:
        subject = f"Hồ sơ #{case.id}: {outlet} đã cải chính"
        lines = [
            f"{outlet} đã cải chính sau yêu cầu cải chính ngày {when(watch.requested_at)}.",
            f"Hồ sơ: {case_heading(case)}",
            f"Căn cứ: {correction_evidence_vi(found.evidence)}" + (f" – “{found.text}”" if found.text else ""),
            "Hồ sơ có thể được đóng nếu không còn việc cần xử lý.",
            f"Xem hồ sơ: {link}",
        ]
    else:
        subject = f"Hồ sơ #{case.id}: {outlet} chưa cải chính đúng hạn – hồ sơ được mở lại"
        lines = [
            f"Đến {when(watch.due_at)}, {outlet} chưa đăng cải chính theo yêu cầu ngày {when(watch.requested_at)}.",
            f"Hồ sơ: {case_heading(case)}",
            f"Căn cứ pháp lý: {watch.basis}",
            "Hồ sơ đã được mở lại; đề nghị đầu mối đôn đốc cơ quan báo chí hoặc báo cáo cơ quan có thẩm quyền.",
            f"Xem hồ sơ: {link}",
        ]
    text = "\n".join(lines)
    return Content(subject, text, plain_html(subject, text, app_url, urgent=found is None), (link,))


def _recipients(session: Session, case: Case) -> list[User]:
    return assignees(session, case.id) or focal_points(session, case.province)


def _reopen(session: Session, case: Case, note: str, at: dt.datetime) -> Case:
    """Back to "acknowledged" from "responded" or "closed" (an open case stays as it is); logged either way."""
    target = CaseState.ACKNOWLEDGED if case.state in (CaseState.RESPONDED, CaseState.CLOSED) else case.state
    changed = replace(case, state=target, updated_at=at)
    if target != case.state:
        update_case(session, changed)
    append_audit(
        session,
        AuditEvent(
            case_id=case.id,
            at=at,
            actor="hệ thống",
            action="correction_missed",
            from_state=case.state,
            to_state=target,
            note=note,
        ),
    )
    return changed


@dataclass
class CorrectionSummary:
    corrected: int = 0
    not_corrected: int = 0
    waiting: int = 0


def run_corrections(
    database: Database,
    settings: AlertSettings,
    *,
    now: dt.datetime,
    claim: bool = False,
    policy: CorrectionPolicy | None = None,
) -> CorrectionSummary:
    """Settle every waiting watch whose correction has appeared or whose deadline has passed."""
    policy = policy or default_correction_policy()
    summary = CorrectionSummary()
    with database.session() as session:
        for watch in waiting_watches(session, claim=claim):
            case = get_case(session, watch.case_id, lock=True)
            if case is None:
                continue
            outlet = outlet_by_id(session, watch.outlet_id)
            outlet_name = outlet.name if outlet else "Cơ quan báo chí"
            found = find_correction(session, watch, case.story_id, now=now, policy=policy)
            if found is None and now < watch.due_at:
                summary.waiting += 1
                continue
            if found is not None:
                settled = settle_watch(
                    session,
                    replace(
                        watch,
                        state=CorrectionState.CORRECTED,
                        found_at=found.at,
                        evidence=found.evidence,
                        evidence_article_id=found.article_id,
                        evidence_text=found.text,
                    ),
                )
                append_audit(
                    session,
                    AuditEvent(
                        case_id=case.id,
                        at=now,
                        actor="hệ thống",
                        action="correction_found",
                        from_state=case.state,
                        to_state=case.state,
                        note=f"{outlet_name}: {correction_evidence_vi(found.evidence)}",
                    ),
                )
                summary.corrected += 1
            else:
                settled = settle_watch(session, replace(watch, state=CorrectionState.NOT_CORRECTED))
                case = _reopen(session, case, f"{outlet_name} chưa cải chính trước {when(watch.due_at)}", now)
                summary.not_corrected += 1
            notify_users(
                session,
                _recipients(session, case),
                _message(case, settled, outlet_name, found, settings.app_url),
                kind=NotificationKind.CORRECTION if found else NotificationKind.REMINDER,
                key=f"correction:{settled.id}:{settled.state}",
                now=now,
                channels=settings.channels,
                case_id=case.id,
                urgent=found is None,
            )
    if summary.corrected or summary.not_corrected:
        log.info("corrections: %d found, %d not by the deadline", summary.corrected, summary.not_corrected)
    return summary


def correction_counts(watches: Iterable[CorrectionWatch]) -> tuple[int, int, int]:
    """Matters (cases) with a correction request: (requested, corrected, not corrected by the deadline). A case is
    corrected when every outlet asked corrected; not corrected when any outlet let its deadline pass."""
    by_case: dict[int, list[CorrectionState]] = {}
    for w in watches:
        by_case.setdefault(w.case_id, []).append(w.state)
    corrected = sum(all(s == CorrectionState.CORRECTED for s in states) for states in by_case.values())
    missed = sum(any(s == CorrectionState.NOT_CORRECTED for s in states) for states in by_case.values())
    return len(by_case), corrected, missed
