"""The daily digest: for each user with it on, the relevant articles enriched since their last digest, grouped
by priority (their story's case, then "chưa có hồ sơ") and province, and the open cases with deadline
countdowns, overdue first. Written to the outbox in the same transaction that moves `last_digest_at`."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import groupby

from sqlalchemy.orm import Session

from alerts.messages import BAND, KIND_VI, Content, preferences_link, when
from alerts.notify import notify
from alerts.preferences import scope_of
from alerts.render import render
from alerts.settings import AlertSettings
from domain.enums import NotificationKind, priority_rank
from domain.labels import priority_vi, province_vi, sentiment_vi, state_vi, topic_vi
from domain.localtime import VN
from domain.provinces import NATIONWIDE
from domain.records import ArticleBrief, Case, Deadline, Message, Preferences, User
from domain.text import fold_diacritics
from storage.engine import Database
from storage.preferences import digest_recipients, record_digest
from storage.views.digest import open_cases, relevant_articles
from storage.views.social_reaction import StoryReaction, story_reactions

log = logging.getLogger(__name__)
NO_CASE = "Chưa có hồ sơ"
FIRST_PERIOD = dt.timedelta(hours=24)  # a user's first digest looks back this far
SOCIAL_LINES = 10  # stories with the most social reaction in a digest


@dataclass(frozen=True, slots=True, kw_only=True)
class ArticleLine:
    title: str
    outlet: str
    time: str
    topic: str
    tone: str
    link: str
    case_id: int | None


@dataclass(frozen=True, slots=True, kw_only=True)
class ProvinceGroup:
    name: str
    articles: tuple[ArticleLine, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class PriorityGroup:
    priority: str | None
    label: str
    count: int
    provinces: tuple[ProvinceGroup, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class CaseLine:
    id: int
    priority: str
    province: str
    state: str
    title: str
    deadline: str  # the nearest open deadline, or "" when none is running
    due: str
    countdown: str
    overdue: bool
    link: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SocialLine:
    """A story's reaction on social media: "12 bình luận, 70% tiêu cực" and the rest."""

    title: str
    summary: str
    posts: int
    reactions: int
    shares: int
    link: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Digest:
    recipient: str
    name: str
    scope: str
    day: str
    since: str
    until: str
    articles: int
    groups: tuple[PriorityGroup, ...]
    cases: tuple[CaseLine, ...]
    overdue: int = field(default=0)
    social: tuple[SocialLine, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.articles and not self.cases

    @property
    def subject(self) -> str:
        news = f"{self.articles} bài mới" if self.articles else "không có bài mới"
        late = f", {self.overdue} hồ sơ quá hạn" if self.overdue else ""
        return f"Điểm tin THADS ngày {self.day} – {self.scope}: {news}{late}"


def local_time(moment: dt.datetime) -> str:
    return f"{moment.astimezone(VN):%H:%M %d/%m/%Y}"


def countdown(due: dt.datetime, now: dt.datetime) -> tuple[str, bool]:
    """("còn 2 ngày 3 giờ", False) or ("quá hạn 5 giờ 10 phút", True): days and hours, minutes within a day."""
    overdue = due < now
    minutes = int(abs((due - now).total_seconds()) // 60)
    days, hours, rest = minutes // 1440, minutes % 1440 // 60, minutes % 60
    if days:
        span = f"{days} ngày" + (f" {hours} giờ" if hours else "")
    elif hours:
        span = f"{hours} giờ" + (f" {rest} phút" if rest else "")
    else:
        span = f"{rest} phút"
    return (f"quá hạn {span}", True) if overdue else (f"còn {span}", False)


def _province_key(name: str) -> tuple[int, str]:
    first = {province_vi(NATIONWIDE): 0, province_vi(None): 2}
    return first.get(name, 1), fold_diacritics(name)


def _group(articles: list[ArticleBrief], app_url: str) -> tuple[PriorityGroup, ...]:
    base = app_url.rstrip("/")

    def moment(a: ArticleBrief) -> dt.datetime:
        return a.published_at or a.fetched_at

    ordered = sorted(
        articles,
        key=lambda a: (
            priority_rank(a.case_priority),
            _province_key(province_vi(a.province)),
            -moment(a).timestamp(),
            a.article_id,
        ),
    )
    groups = []
    for priority, in_priority in groupby(ordered, key=lambda a: a.case_priority):
        provinces = []
        count = 0
        for province, in_province in groupby(in_priority, key=lambda a: province_vi(a.province)):
            lines = tuple(
                ArticleLine(
                    title=a.title,
                    outlet=a.outlet,
                    time=local_time(moment(a)),
                    topic=topic_vi(a.topic),
                    tone=sentiment_vi(a.sentiment),
                    link=f"{base}/bai-viet/{a.article_id}",
                    case_id=a.case_id,
                )
                for a in in_province
            )
            count += len(lines)
            provinces.append(ProvinceGroup(name=province, articles=lines))
        label = priority_vi(priority, missing=NO_CASE)
        groups.append(PriorityGroup(priority=priority, label=label, count=count, provinces=tuple(provinces)))
    return tuple(groups)


def _cases(cases: list[tuple[Case, list[Deadline]]], now: dt.datetime, app_url: str) -> tuple[CaseLine, ...]:
    lines = []
    for case, deadlines in cases:
        nearest = min(deadlines, key=lambda d: (d.due_at, d.id or 0), default=None)
        text, overdue = countdown(nearest.due_at, now) if nearest else ("không còn thời hạn đang chạy", False)
        lines.append(
            (
                (0 if overdue else 1 if nearest else 2, nearest.due_at if nearest else now, case.id),
                CaseLine(
                    id=case.id,
                    priority=case.priority,
                    province=province_vi(case.province),
                    state=state_vi(case.state),
                    title=case.title,
                    deadline=KIND_VI.get(nearest.kind, nearest.kind) if nearest else "",
                    due=when(nearest.due_at) if nearest else "",
                    countdown=text,
                    overdue=overdue,
                    link=f"{app_url.rstrip('/')}/ho-so/{case.id}",
                ),
            )
        )
    return tuple(line for _, line in sorted(lines, key=lambda pair: pair[0]))


def compose(
    user: User,
    scope: str | None,
    articles: list[ArticleBrief],
    cases: list[tuple[Case, list[Deadline]]],
    *,
    since: dt.datetime,
    now: dt.datetime,
    app_url: str,
    reactions: Sequence[StoryReaction] = (),
) -> Digest:
    """The digest's content from its data (no I/O): the same data and `now` give the same digest."""
    case_lines = _cases(cases, now, app_url)
    base = app_url.rstrip("/")
    ranked = sorted(reactions, key=lambda r: (-r.weight, r.story_id))[:SOCIAL_LINES]
    social = tuple(
        SocialLine(
            title=r.title,
            summary=r.summary,
            posts=len(r.posts),
            reactions=r.reactions,
            shares=r.shares,
            link=f"{base}/phan-loai/{r.story_id}",
        )
        for r in ranked
    )
    return Digest(
        recipient=user.email,
        name=user.name,
        scope=scope or "toàn quốc",
        day=f"{now.astimezone(VN):%d/%m/%Y}",
        since=local_time(since),
        until=local_time(now),
        articles=len(articles),
        groups=_group(articles, app_url),
        cases=case_lines,
        overdue=sum(c.overdue for c in case_lines),
        social=social,
    )


def render_digest(digest: Digest, app_url: str) -> Content:
    link = preferences_link(app_url)
    text = render("digest.txt", d=digest, preferences_link=link)
    html = render(
        "digest.html",
        d=digest,
        title=digest.subject,
        band=f"{BAND} · Điểm tin ngày {digest.day}",
        urgent=False,
        preferences_link=link,
    )
    return Content(digest.subject, text, html, (f"{app_url.rstrip('/')}/",) if app_url else ())


def build_digest(
    session: Session, user: User, preferences: Preferences, *, now: dt.datetime, app_url: str
) -> tuple[Digest, Content]:
    """The user's digest as of `now`: what came since their last digest (the last 24 hours for the first)."""
    scope = scope_of(user, preferences)
    since = preferences.last_digest_at or now - FIRST_PERIOD
    articles = relevant_articles(session, since=since, until=now, province=scope)
    cases = open_cases(session, province=scope)
    story_ids = {a.story_id for a in articles if a.story_id is not None} | {c.story_id for c, _ in cases}
    reactions = list(story_reactions(session, story_ids, top=0).values())
    digest = compose(user, scope, articles, cases, since=since, now=now, app_url=app_url, reactions=reactions)
    return digest, render_digest(digest, app_url)


def dedupe_key(user: User, now: dt.datetime) -> str:
    return f"digest:{user.email}:{now.astimezone(VN):%Y-%m-%d}"


def due_since(now: dt.datetime, settings: AlertSettings) -> dt.datetime | None:
    """Local midnight of today (UTC) once today's digest time has passed, else None: users who have had no
    digest since then are due."""
    local = now.astimezone(VN)
    hours, minutes = (int(x) for x in settings.digest_time.split(":"))
    if local.time() < dt.time(hours, minutes):
        return None
    return dt.datetime.combine(local.date(), dt.time(0), tzinfo=VN).astimezone(dt.UTC)


@dataclass
class DigestSummary:
    written: int = 0
    skipped: int = 0  # nothing new, and `digest_send_empty` is off
    previews: list[tuple[str, Content]] = field(default_factory=list)  # dry run: (recipient, message)


def run_digest(
    database: Database,
    settings: AlertSettings,
    *,
    now: Callable[[], dt.datetime],
    email: str | None = None,
    force: bool = False,
    dry_run: bool = False,
) -> DigestSummary:
    """Write today's digest of every user who is due (today's digest time has passed, none yet today).

    `force`: do not wait for the digest time (the CLI's `digest send`); `email`: only that user; `dry_run`:
    build the digest of every user with it on (due or not) as of now and return them, write nothing.

    One transaction per user: the outbox row and the move of `last_digest_at` commit together (users locked
    with SKIP LOCKED on PostgreSQL: parallel runs write each digest once; the dedupe key digest:EMAIL:DATE is
    the last guard).
    """
    summary = DigestSummary()
    moment = now()
    since = due_since(moment, settings)
    if since is None and not force:
        return summary
    midnight = dt.datetime.combine(moment.astimezone(VN).date(), dt.time(0), tzinfo=VN).astimezone(dt.UTC)
    not_since = None if dry_run else since or midnight  # a dry run shows anyone's digest as of now
    with database.session() as session:
        due = [u.email for u, _ in digest_recipients(session, not_since=not_since, email=email)]
    for address in due:
        with database.session() as session:
            claimed = digest_recipients(session, not_since=not_since, email=address, claim=not dry_run)
            if not claimed:
                continue  # another run took this user
            user, preferences = claimed[0]
            at = now()
            digest, message = build_digest(session, user, preferences, now=at, app_url=settings.app_url)
            if digest.empty and not settings.digest_send_empty:
                summary.skipped += 1
                if not dry_run:
                    record_digest(session, user.email, at)  # nothing in the period: the next digest starts here
                continue
            if dry_run:
                summary.previews.append((user.email, message))
                continue
            added = notify(
                session,
                Message(
                    kind=NotificationKind.DIGEST,
                    recipient=user,
                    subject=message.subject,
                    text=message.text,
                    html=message.html,
                    links=message.links,
                    created_at=at,
                    dedupe_key=dedupe_key(user, at),
                ),
                settings.channels,
            )
            if not added:
                log.warning("digest: %s already has today's digest (%s)", user.email, dedupe_key(user, at))
            record_digest(session, user.email, at)
            summary.written += added
    if summary.written or summary.skipped:
        log.info("digest: %d written, %d skipped (nothing new)", summary.written, summary.skipped)
    return summary
