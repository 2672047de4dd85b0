"""One poll of the social sources: each enabled source of the registry read incrementally through its API, what
is new stored once, and the source's state (cursors, quota, problem) written after every page, so that a poll cut
short resumes where it stopped. Problems are recorded in the state, in Vietnamese; the administrators are told
about them by alerts (alerts/social_health.py), which reads that state: the crawler writes no message."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import httpx

from crawler.social.api import ApiProblem, Authors, with_author
from crawler.social.facebook import Graph
from crawler.social.quota import BudgetSpent, Quota, next_reset, quota_day
from crawler.social.settings import SocialSettings
from crawler.social.youtube_poll import poll_youtube_source
from crawler.sources import SocialSpec
from domain.localtime import VN
from domain.social import Platform, SocialProblem, SocialSourceKind, SocialSourceState
from storage.engine import Database
from storage.social import (
    all_states,
    load_state,
    posts_of,
    purge_social,
    quota_spent,
    save_state,
    set_comments_cursor,
    store_comment,
    store_post,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True, kw_only=True)
class SourcePoll:
    """What one poll of one source did."""

    slug: str
    posts_new: int = 0
    comments_new: int = 0
    units: int = 0  # YouTube quota units spent
    problem: SocialProblem | None = None
    text: str = ""  # the problem, or why the source was not polled, in Vietnamese


@dataclass
class Counter:
    posts: int = 0
    comments: int = 0


class Poll:
    """The shared pieces of one poll: database, settings, the clock, the HTTP client, the authors' pseudonyms."""

    def __init__(self, database: Database, settings: SocialSettings, client: httpx.Client, now: datetime) -> None:
        self.database, self.settings, self.client, self.now = database, settings, client, now
        key = settings.pseudonym_key.get_secret_value()
        self.authors = Authors(key.encode()) if key else None
        if self.authors is None:
            log.warning("social.pseudonym_key is empty: comments are not stored (posts are)")

    def save(self, state: SocialSourceState) -> None:
        with self.database.session() as session:
            save_state(session, state)

    def recent_posts(self, slug: str) -> list[tuple[str, str | None, bool]]:
        """(platform id, comments cursor, linked to a case) of the source's posts within the comment window."""
        since = self.now - timedelta(days=self.settings.comment_window_days)
        with self.database.session() as session:
            return [
                (p.platform_id, p.comments_cursor, p.case_id is not None)
                for p in posts_of(session, slug, published_after=since)
            ]


def poll_social(
    database: Database,
    sources: Sequence[SocialSpec],
    settings: SocialSettings,
    *,
    now: datetime,
    client: httpx.Client | None = None,
) -> list[SourcePoll]:
    """Poll every enabled social source once; returns what each did (or why it was not polled)."""
    enabled = [spec for spec in sources if spec.enabled]
    if not enabled:
        return []
    own_client = client is None
    http = client or httpx.Client(timeout=settings.timeout_s, follow_redirects=False)
    try:
        poll = Poll(database, settings, http, now)
        with database.session() as session:
            day = quota_day(now)
            quota = Quota(day=day, spent=quota_spent(session, day), budget=settings.youtube_daily_budget)
        return [_poll_source(poll, spec, quota) for spec in enabled]
    finally:
        if own_client:
            http.close()


def _poll_source(poll: Poll, spec: SocialSpec, quota: Quota) -> SourcePoll:
    with poll.database.session() as session:
        state = load_state(session, spec.slug, spec.kind)
        youtube_states = [s for s in all_states(session) if s.kind.platform is Platform.YOUTUBE]
    now = poll.now
    if state.resume_at is not None and now < state.resume_at:
        until = f"{state.resume_at.astimezone(VN):%H:%M ngày %d/%m/%Y}"
        return SourcePoll(slug=spec.slug, text=f"tạm dừng đến {until}: {state.problem_text}")
    if spec.kind.platform is Platform.YOUTUBE:
        blocked = next(
            (s for s in youtube_states if s.problem is SocialProblem.QUOTA and s.resume_at and now < s.resume_at), None
        )
        if blocked is not None:
            return SourcePoll(
                slug=spec.slug, text="đã hết hạn mức YouTube trong ngày: chờ ngày mới (giờ Thái Bình Dương)"
            )
    counter = Counter()
    spent_before = quota.spent_now
    if state.quota_day != quota.day:
        state = replace(state, quota_day=quota.day, quota_spent=0)
    try:
        if spec.kind is SocialSourceKind.FACEBOOK_PAGE:
            state = _poll_facebook(poll, spec, state, counter)
        else:
            key = poll.settings.youtube_api_key.get_secret_value()
            if not key:
                raise ApiProblem(
                    SocialProblem.TOKEN_MISSING,
                    "Chưa cấu hình khóa API YouTube (thiết lập social.youtube_api_key).",
                )
            state = poll_youtube_source(poll, spec, state, counter, quota, key)
    except (KeyError, TypeError, ValueError) as exc:  # an answer not in the documented shape
        return _stop(poll, spec, quota, spent_before, counter, _malformed(exc))
    except (ApiProblem, BudgetSpent) as exc:
        problem = exc if isinstance(exc, ApiProblem) else _budget_problem(poll.settings)
        return _stop(poll, spec, quota, spent_before, counter, problem)
    state = replace(
        _spent(state, quota, spent_before),
        problem=None,
        problem_text="",
        problem_since_at=None,
        resume_at=None,
        last_success_at=now,
    )
    poll.save(state)
    return SourcePoll(
        slug=spec.slug, posts_new=counter.posts, comments_new=counter.comments, units=quota.spent_now - spent_before
    )


def _stop(
    poll: Poll, spec: SocialSpec, quota: Quota, spent_before: int, counter: Counter, problem: ApiProblem
) -> SourcePoll:
    """The poll of a source stopped on a problem: kept in its state with what it spent (what the connector stored
    and the paging it saved after its last good page stay), for the next poll and the administrators."""
    with poll.database.session() as session:
        state = load_state(session, spec.slug, spec.kind)
    if state.quota_day != quota.day:
        state = replace(state, quota_day=quota.day, quota_spent=0)
    state = _failed(_spent(state, quota, spent_before), problem, poll.now)
    poll.save(state)
    log.warning("social source %s: %s", spec.slug, problem.text)
    return SourcePoll(
        slug=spec.slug,
        posts_new=counter.posts,
        comments_new=counter.comments,
        units=quota.spent_now - spent_before,
        problem=problem.problem,
        text=problem.text,
    )


def _malformed(exc: Exception) -> ApiProblem:
    return ApiProblem(SocialProblem.FAILED, f"API trả lời không đúng dạng mong đợi ({type(exc).__name__}: {exc})")


def _spent(state: SocialSourceState, quota: Quota, before: int) -> SocialSourceState:
    return replace(state, quota_day=quota.day, quota_spent=state.quota_spent + quota.spent_now - before)


def _budget_problem(settings: SocialSettings) -> ApiProblem:
    return ApiProblem(
        SocialProblem.QUOTA,
        f"Đã dùng hết ngân sách {settings.youtube_daily_budget} đơn vị quota YouTube của ngày "
        "(thiết lập social.youtube_daily_budget).",
    )


def _failed(state: SocialSourceState, problem: ApiProblem, now: datetime) -> SocialSourceState:
    resume_at: datetime | None = None
    if problem.problem is SocialProblem.QUOTA:
        resume_at = next_reset(now)
    elif problem.retry_after_s is not None:
        resume_at = now + timedelta(seconds=problem.retry_after_s)
    since = state.problem_since_at if state.problem is problem.problem and state.problem_since_at else now
    return replace(
        state, problem=problem.problem, problem_text=problem.text, problem_since_at=since, resume_at=resume_at
    )


def _poll_facebook(poll: Poll, spec: SocialSpec, state: SocialSourceState, counter: Counter) -> SocialSourceState:
    assert spec.page_id is not None
    settings = poll.settings
    token = settings.facebook_page_tokens.get(spec.slug)
    secret = token.get_secret_value() if token else ""
    if not secret and not spec.own:
        secret = settings.facebook_app_token.get_secret_value()
    if not secret:
        raise ApiProblem(
            SocialProblem.TOKEN_MISSING,
            f"Chưa có mã truy cập Trang cho nguồn {spec.slug} (thiết lập social.facebook_page_tokens).",
        )
    graph = Graph(poll.client, settings.graph_url, secret)
    since = state.pass_since_at if state.page_token else state.since_at
    resume = state.page_token
    for _ in range(settings.max_pages):
        page = graph.feed(spec.page_id, since=since, resume=resume)
        newest = max((p.published_at for p in page.posts), default=None)
        with poll.database.session() as session:
            for post in page.posts:
                counter.posts += store_post(session, replace(post, source_slug=spec.slug), now=poll.now)
        if newest is not None and (state.since_at is None or newest > state.since_at):
            state = replace(state, since_at=newest)
        resume = page.next_query
        state = replace(state, page_token=resume, pass_since_at=since if resume else None)
        poll.save(state)
        if resume is None:
            break
    if poll.authors is not None:
        for post_id, cursor, evidence in poll.recent_posts(spec.slug):
            _facebook_comments(poll, graph, post_id, cursor, evidence, counter)
    return state


def _facebook_comments(
    poll: Poll, graph: Graph, post_id: str, cursor: str | None, evidence: bool, counter: Counter
) -> None:
    assert poll.authors is not None
    keep = evidence and poll.settings.keep_evidence_authors
    for _ in range(poll.settings.max_pages):
        page = graph.comments(post_id, after=cursor)
        with poll.database.session() as session:
            for comment in page.comments:
                stored = with_author(comment, poll.authors, keep_clear=keep)
                counter.comments += store_comment(session, stored, now=poll.now)
            if page.after:
                cursor = page.after
                set_comments_cursor(session, Platform.FACEBOOK, post_id, cursor)
        if not page.more:
            break


def purge_expired(database: Database, settings: SocialSettings, *, now: datetime) -> tuple[int, int]:
    """Delete the posts and comments older than the retention setting (those linked to a case stay)."""
    with database.session() as session:
        return purge_social(session, before=now - timedelta(days=settings.retention_days))
