"""A story's public reaction on social media: the posts and videos that share one of its articles (their link is
the article's canonical address), their reactions, comments, shares and views, and the comments readers liked most
(text only: commenters stay pseudonymous)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.tables import ArticleRow, EnrichmentRow, SocialCommentRow, SocialPostRow
from storage.types import as_utc


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


@dataclass(frozen=True, slots=True, kw_only=True)
class ReactionComment:
    text: str
    like_count: int
    published_at: dt.datetime
    post_url: str


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryReaction:
    posts: tuple[ReactionPost, ...]  # newest first
    top_comments: tuple[ReactionComment, ...]  # most liked first

    @property
    def reactions(self) -> int:
        return sum(p.reactions for p in self.posts)

    @property
    def comments(self) -> int:
        return sum(p.comments for p in self.posts)

    @property
    def shares(self) -> int:
        return sum(p.shares for p in self.posts)


def story_reaction(session: Session, story_id: int, *, top: int = 5) -> StoryReaction | None:
    """The story's social reaction, or None when no post shares its articles (two queries)."""
    rows = session.scalars(
        select(SocialPostRow)
        .join(ArticleRow, ArticleRow.url == SocialPostRow.shared_url)
        .join(EnrichmentRow, EnrichmentRow.article_id == ArticleRow.id)
        .where(EnrichmentRow.story_id == story_id)
        .order_by(SocialPostRow.published_at.desc(), SocialPostRow.id)
    ).all()
    if not rows:
        return None
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
        )
        for r in rows
    )
    urls = {r.id: r.url for r in rows}
    liked = session.scalars(
        select(SocialCommentRow)
        .where(SocialCommentRow.post_id.in_(list(urls)))
        .order_by(SocialCommentRow.like_count.desc(), SocialCommentRow.published_at, SocialCommentRow.id)
        .limit(top)
    )
    comments = tuple(
        ReactionComment(
            text=c.text, like_count=c.like_count, published_at=as_utc(c.published_at), post_url=urls[c.post_id]
        )
        for c in liked
    )
    return StoryReaction(posts=posts, top_comments=comments)
