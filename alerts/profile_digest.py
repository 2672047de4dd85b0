"""The digest of each watch profile (domain/profiles.py) to its recipients: the articles the profile matched
since its last digest, grouped by province (the country as a whole first, "not known" last), newest first, each
with headline, outlet, time, lead and link. Daily, or weekly on Mondays, after the digest time of the alert
settings; never for the THADS watch (it has the daily digest of alerts.digest and the case workflow).

Nothing is sent for a period in which the profile matched nothing: its recipients asked for news of one area, and
a daily "không có tin mới" would teach them to skip these mails (the THADS digest differs: it also counts down
open cases). The period still closes, so the next digest starts where this one would have.

Exactly once per period: one transaction per profile (its row locked with SKIP LOCKED on PostgreSQL) writes the
outbox rows and moves `last_digest_at` together, so a run killed mid-way wrote nothing and the next run does it;
a second run sees the period done; the dedupe key profile-digest:CODE:PERIOD:EMAIL is the last guard. Delivery is
the outbox sender's (alerts.sender), which sends each row once."""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import groupby

from sqlalchemy.orm import Session

from alerts.messages import BAND, Content
from alerts.notify import notify_users
from alerts.render import render
from alerts.settings import AlertSettings
from domain.enums import NotificationKind, Role
from domain.labels import province_vi
from domain.localtime import VN
from domain.profiles import DigestArticle, DigestSchedule, Profile
from domain.provinces import NATIONWIDE
from domain.records import User
from domain.text import fold_diacritics
from storage.cases import get_user
from storage.engine import Database
from storage.profiles import claim_profile, digest_matches, list_profiles, record_profile_digest

log = logging.getLogger(__name__)
LEAD_CHARS = 300
NO_PROVINCE = "Chưa xác định tỉnh/thành"
FIRST_LOOK_BACK = {DigestSchedule.DAILY: dt.timedelta(days=1), DigestSchedule.WEEKLY: dt.timedelta(days=7)}


@dataclass(frozen=True, slots=True)
class Period:
    """The period a digest closes: its key (a local date, or an ISO week) and the UTC start of the day it is due."""

    key: str
    start: dt.datetime


def current_period(schedule: DigestSchedule, now: dt.datetime, digest_time: str) -> Period | None:
    """The period whose digest is due at `now`: today's once the digest time has passed (daily), this week's
    once Monday's digest time has passed (weekly); None before that or when the profile sends none."""
    if schedule == DigestSchedule.OFF:
        return None
    local = now.astimezone(VN)
    day = local.date()
    if schedule == DigestSchedule.WEEKLY:
        day -= dt.timedelta(days=local.weekday())
        year, week, _ = day.isocalendar()
        key = f"{year}-W{week:02d}"
    else:
        key = day.isoformat()
    hours, minutes = (int(x) for x in digest_time.split(":"))
    if local < dt.datetime.combine(day, dt.time(hours, minutes), tzinfo=VN):
        return None
    return Period(key, dt.datetime.combine(day, dt.time(0), tzinfo=VN).astimezone(dt.UTC))


def is_due(profile: Profile, now: dt.datetime, digest_time: str) -> Period | None:
    if not profile.sends_digest:
        return None
    period = current_period(profile.digest, now, digest_time)
    if period is None or (profile.last_digest_at is not None and profile.last_digest_at >= period.start):
        return None
    return period


@dataclass(frozen=True, slots=True, kw_only=True)
class Line:
    title: str
    outlet: str
    time: str
    lead: str
    link: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Group:
    name: str
    articles: tuple[Line, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class ProfileDigest:
    profile: str
    code: str
    weekly: bool
    day: str
    since: str
    until: str
    articles: int
    groups: tuple[Group, ...]
    profile_link: str

    @property
    def subject(self) -> str:
        every = "tuần" if self.weekly else "ngày"
        return f"Điểm tin {every} {self.day} – chủ đề “{self.profile}”: {self.articles} bài mới"


def _local(moment: dt.datetime) -> str:
    return f"{moment.astimezone(VN):%H:%M %d/%m/%Y}"


def _lead(article: DigestArticle) -> str:
    """The sapo, else the text's opening, cut at a word within LEAD_CHARS."""
    text = " ".join((article.sapo or article.opening).split())
    if len(text) <= LEAD_CHARS:
        return text
    return text[:LEAD_CHARS].rsplit(" ", 1)[0] + " …"


def _province_key(province: str | None) -> tuple[int, str]:
    if province == NATIONWIDE:
        return 0, ""
    return (2, "") if not province else (1, fold_diacritics(province))


def compose(
    profile: Profile, articles: list[DigestArticle], *, since: dt.datetime, now: dt.datetime, app_url: str
) -> ProfileDigest:
    """The digest's content from its data (no I/O)."""
    base = app_url.rstrip("/")
    ordered = sorted(articles, key=lambda a: (_province_key(a.province), -a.at.timestamp(), a.article_id))
    groups = tuple(
        Group(
            name=province_vi(province) if province else NO_PROVINCE,
            articles=tuple(
                Line(
                    title=a.title,
                    outlet=a.outlet,
                    time=_local(a.at),
                    lead=_lead(a),
                    link=f"{base}/bai-viet/{a.article_id}",
                )
                for a in in_province
            ),
        )
        for province, in_province in groupby(ordered, key=lambda a: a.province)
    )
    weekly = profile.digest == DigestSchedule.WEEKLY
    local = now.astimezone(VN)
    monday = local.date() - dt.timedelta(days=local.weekday())
    return ProfileDigest(
        profile=profile.name,
        code=profile.code,
        weekly=weekly,
        day=f"{monday:%d/%m/%Y}" if weekly else f"{local:%d/%m/%Y}",
        since=_local(since),
        until=_local(now),
        articles=len(articles),
        groups=groups,
        profile_link=f"{base}/chu-de-theo-doi/{profile.code}",
    )


def render_digest(digest: ProfileDigest, name: str) -> Content:
    text = render("profile_digest.txt", d=digest, name=name)
    html = render(
        "profile_digest.html", d=digest, name=name, title=digest.subject, band=BAND, urgent=False, preferences_link=""
    )
    return Content(digest.subject, text, html, (digest.profile_link,))


def _words(digest: ProfileDigest, user: User) -> Content:
    return render_digest(digest, user.name)


def _recipient(session: Session, address: str) -> User:
    """A recipient is any address the admin typed: a user of the system by their name, anyone else by address."""
    return get_user(session, address) or User(email=address.lower(), name=address, role=Role.MONITOR)


def dedupe_prefix(profile: Profile, period: Period) -> str:
    return f"profile-digest:{profile.code}:{period.key}"


@dataclass
class ProfileDigestSummary:
    written: int = 0  # messages
    profiles: int = 0  # profiles whose digest was written
    empty: int = 0  # profiles due that matched nothing in the period (none sent)
    codes: list[str] = field(default_factory=list)


def run_profile_digests(
    database: Database, settings: AlertSettings, *, now: Callable[[], dt.datetime]
) -> ProfileDigestSummary:
    """Write the digest of every profile that is due (module docstring), one transaction per profile."""
    summary = ProfileDigestSummary()
    moment = now()
    with database.session() as session:
        due = [p.code for p in list_profiles(session) if is_due(p, moment, settings.digest_time)]
    for code in due:
        with database.session() as session:
            at = now()
            profile = claim_profile(session, code)
            period = is_due(profile, at, settings.digest_time) if profile is not None else None
            if profile is None or profile.id is None or period is None:
                continue  # another run holds it or has done it
            since = profile.last_digest_at or at - FIRST_LOOK_BACK[profile.digest]
            articles = digest_matches(session, profile.id, since=since, until=at)
            if articles:
                digest = compose(profile, articles, since=since, now=at, app_url=settings.app_url)
                recipients = [_recipient(session, a) for a in profile.recipients]
                summary.written += notify_users(
                    session,
                    recipients,
                    functools.partial(_words, digest),
                    kind=NotificationKind.DIGEST,
                    key=dedupe_prefix(profile, period),
                    now=at,
                    channels=("mail",),
                )
                summary.profiles += 1
                summary.codes.append(code)
            else:
                summary.empty += 1
            record_profile_digest(session, profile.id, at)
    if summary.profiles or summary.empty:
        log.info(
            "profile digest: %d messages for %d profiles, %d profiles with nothing new",
            summary.written,
            summary.profiles,
            summary.empty,
        )
    return summary
