"""A story's public reaction on social media: the posts and videos that share one of its articles (their link is
the article's canonical address) or whose text is like its articles' (`social_post.story_id`, nlp/social_join.py),
their reactions, comments, shares and views, the tone of the comments (read by nlp.comments when stored), their
timeline, and the comments readers liked most (text only: commenters stay pseudonymous).

One function, `story_reactions`, serves the story and case pages, the triage queue, the digest and the report."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.localtime import VN
from storage.tables import ArticleRow, EnrichmentRow, SocialCommentRow, SocialPostRow, StoryRow
from storage.types import as_utc

TONES = ("tieu_cuc", "trung_lap", "tich_cuc")  # as nlp.comments.TONES
TONE_VI = {"tieu_cuc": "tiêu cực", "trung_lap": "trung lập", "tich_cuc": "tích cực"}
HOURLY_SPAN = dt.timedelta(hours=48)  # comments over at most this span: counted per hour, else per day
MAX_BUCKETS = 60  # the timeline keeps its latest buckets


@dataclass(frozen=True, slots=True, kw_only=True)
class ReactionPost:
    platform: str
    url: str
    text: str
    published_at: dt.datetime
    reactions: int
    comments: int
    shares: int
    views: int
    by_text: bool = False  # joined by text similarity, not by a shared link


@dataclass(frozen=True, slots=True, kw_only=True)
class ReactionComment:
    text: str
    like_count: int
    published_at: dt.datetime
    post_url: str
    tone: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class TimelineBucket:
    start: dt.datetime  # Vietnam time, start of the hour or day
    comments: int
    negative: int


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryReaction:
    story_id: int = 0
    title: str = ""
    posts: tuple[ReactionPost, ...]  # newest first
    top_comments: tuple[ReactionComment, ...]  # most liked first
    tones: dict[str, int] | None = None  # stored comments by tone (those read so far)
    timeline: tuple[TimelineBucket, ...] = ()
    hourly: bool = True  # the timeline's buckets are hours (else days)
    stored_comments: int = 0

    @property
    def reactions(self) -> int:
        return sum(p.reactions for p in self.posts)

    @property
    def comments(self) -> int:
        """Comments and replies: the platforms' counters, or the stored ones when more were stored."""
        return max(sum(p.comments for p in self.posts), self.stored_comments)

    @property
    def shares(self) -> int:
        return sum(p.shares for p in self.posts)

    @property
    def views(self) -> int:
        return sum(p.views for p in self.posts)

    @property
    def toned(self) -> int:
        return sum((self.tones or {}).values())

    def tone_percent(self, tone: str) -> int | None:
        """The share of the read comments with this tone, in whole percent; None when none was read."""
        if not self.toned:
            return None
        return round(100 * (self.tones or {}).get(tone, 0) / self.toned)

    @property
    def negative_percent(self) -> int | None:
        return self.tone_percent("tieu_cuc")

    @property
    def weight(self) -> int:
        """What orders stories by reaction: comments, reactions and shares together."""
        return self.comments + self.reactions + self.shares

    @property
    def summary(self) -> str:
        """One line in Vietnamese: "12 bình luận, 70% tiêu cực"."""
        text = f"{self.comments:,} bình luận".replace(",", ".")
        percent = self.negative_percent
        if percent is not None:
            text += f", {percent}% tiêu cực"
        return text


def story_reaction(session: Session, story_id: int, *, top: int = 5) -> StoryReaction | None:
    """The story's social reaction, or None when no post joins it."""
    return story_reactions(session, [story_id], top=top).get(story_id)


def story_reactions(
    session: Session,
    story_ids: Iterable[int] | None = None,
    *,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    top: int = 5,
) -> dict[int, StoryReaction]:
    """The social reaction of each story given that has one (story id → reaction). Without `story_ids`: every
    story with a post published in [since, until). `since`/`until` also keep to the posts published then."""
    ids = None if story_ids is None else sorted(set(story_ids))
    if ids == []:
        return {}
    by_link = (
        select(SocialPostRow, EnrichmentRow.story_id)
        .join(ArticleRow, ArticleRow.url == SocialPostRow.shared_url)
        .join(EnrichmentRow, EnrichmentRow.article_id == ArticleRow.id)
        .where(EnrichmentRow.story_id.is_not(None))
    )
    by_text = select(SocialPostRow, SocialPostRow.story_id).where(SocialPostRow.story_id.is_not(None))
    if ids is not None:
        by_link = by_link.where(EnrichmentRow.story_id.in_(ids))
        by_text = by_text.where(SocialPostRow.story_id.in_(ids))
    if since is not None:
        by_link = by_link.where(SocialPostRow.published_at >= since)
        by_text = by_text.where(SocialPostRow.published_at >= since)
    if until is not None:
        by_link = by_link.where(SocialPostRow.published_at < until)
        by_text = by_text.where(SocialPostRow.published_at < until)
    members: dict[int, dict[int, tuple[SocialPostRow, bool]]] = defaultdict(dict)
    for row, story_id in session.execute(by_link):
        if story_id is not None:
            members[story_id][row.id] = (row, False)
    for row, story_id in session.execute(by_text):
        if story_id is not None:
            members[story_id].setdefault(row.id, (row, True))
    if not members:
        return {}
    post_ids = {post_id for posts in members.values() for post_id in posts}
    comments: dict[int, list[SocialCommentRow]] = defaultdict(list)
    for comment in session.scalars(select(SocialCommentRow).where(SocialCommentRow.post_id.in_(sorted(post_ids)))):
        comments[comment.post_id].append(comment)
    titles = {
        i: t for i, t in session.execute(select(StoryRow.id, StoryRow.title).where(StoryRow.id.in_(list(members))))
    }
    return {
        story_id: _reaction(story_id, titles.get(story_id, ""), list(posts.values()), comments, top)
        for story_id, posts in sorted(members.items())
    }


def _reaction(
    story_id: int,
    title: str,
    rows: list[tuple[SocialPostRow, bool]],
    comments: dict[int, list[SocialCommentRow]],
    top: int,
) -> StoryReaction:
    rows.sort(key=lambda r: (-as_utc(r[0].published_at).timestamp(), r[0].id))
    posts = tuple(
        ReactionPost(
            platform=r.platform,
            url=r.url,
            text=r.text,
            published_at=as_utc(r.published_at),
            reactions=r.reactions or 0,
            comments=r.comments or 0,
            shares=r.shares or 0,
            views=r.views or 0,
            by_text=by_text,
        )
        for r, by_text in rows
    )
    urls = {r.id: r.url for r, _ in rows}
    everything = [c for r, _ in rows for c in comments.get(r.id, [])]
    tones = {tone: 0 for tone in TONES}
    for c in everything:
        if c.tone in tones:
            tones[c.tone] += 1
    liked = sorted(everything, key=lambda c: (-c.like_count, as_utc(c.published_at), c.id))[:top]
    timeline, hourly = _timeline(everything)
    return StoryReaction(
        story_id=story_id,
        title=title,
        posts=posts,
        top_comments=tuple(
            ReactionComment(
                text=c.text,
                like_count=c.like_count,
                published_at=as_utc(c.published_at),
                post_url=urls[c.post_id],
                tone=c.tone,
            )
            for c in liked
        ),
        tones=tones,
        timeline=timeline,
        hourly=hourly,
        stored_comments=len(everything),
    )


def _timeline(comments: list[SocialCommentRow]) -> tuple[tuple[TimelineBucket, ...], bool]:
    """Comments per hour (over at most two days) or per day, in Vietnam time, empty buckets included."""
    if not comments:
        return (), True
    times = sorted(as_utc(c.published_at).astimezone(VN) for c in comments)
    hourly = times[-1] - times[0] <= HOURLY_SPAN
    step = dt.timedelta(hours=1) if hourly else dt.timedelta(days=1)

    def floor(at: dt.datetime) -> dt.datetime:
        return (
            at.replace(minute=0, second=0, microsecond=0)
            if hourly
            else at.replace(hour=0, minute=0, second=0, microsecond=0)
        )

    counts: dict[dt.datetime, list[int]] = defaultdict(lambda: [0, 0])
    for c in comments:
        bucket = counts[floor(as_utc(c.published_at).astimezone(VN))]
        bucket[0] += 1
        bucket[1] += c.tone == "tieu_cuc"
    start, last = floor(times[0]), floor(times[-1])
    buckets: list[TimelineBucket] = []
    while start <= last:
        total, negative = counts.get(start, (0, 0))
        buckets.append(TimelineBucket(start=start, comments=total, negative=negative))
        start = (start + step).astimezone(VN)
        if not hourly:
            start = floor(start)
    return tuple(buckets[-MAX_BUCKETS:]), hourly
