"""Queries on the social sources: their polling state, their posts and comments (stored once per platform id),
and the purge that keeps them no longer than the retention setting says."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from domain.social import Platform, SocialComment, SocialPost, SocialProblem, SocialSourceKind, SocialSourceState
from storage.tables import ArticleRow, EnrichmentRow, SocialCommentRow, SocialPostRow, SocialSourceStateRow
from storage.types import as_utc

_STATE_FIELDS = [f.name for f in dataclasses.fields(SocialSourceState) if f.name not in ("slug", "kind", "problem")]


def load_state(session: Session, slug: str, kind: SocialSourceKind) -> SocialSourceState:
    """The remembered state of a source (a fresh one for a source never polled)."""
    row = session.get(SocialSourceStateRow, slug)
    if row is None:
        return SocialSourceState(slug=slug, kind=kind)
    return _state(row)


def _state(row: SocialSourceStateRow) -> SocialSourceState:
    return SocialSourceState(
        slug=row.slug,
        kind=SocialSourceKind(row.kind),
        problem=SocialProblem(row.problem) if row.problem else None,
        **{name: getattr(row, name) for name in _STATE_FIELDS},
    )


def save_state(session: Session, state: SocialSourceState) -> None:
    row = session.get(SocialSourceStateRow, state.slug)
    if row is None:
        row = SocialSourceStateRow(slug=state.slug)
        session.add(row)
    row.kind = state.kind.value
    row.problem = state.problem.value if state.problem else None
    for name in _STATE_FIELDS:
        setattr(row, name, getattr(state, name))
    session.flush()


def all_states(session: Session) -> list[SocialSourceState]:
    return [_state(r) for r in session.scalars(select(SocialSourceStateRow).order_by(SocialSourceStateRow.slug))]


def quota_spent(session: Session, day: str) -> int:
    """YouTube units spent on the quota day `day` by every source (one API key, one project, one quota)."""
    rows = session.scalars(select(SocialSourceStateRow).where(SocialSourceStateRow.quota_day == day))
    return sum(r.quota_spent for r in rows)


def _insert_once(session: Session, table: type[SocialPostRow | SocialCommentRow], values: dict[str, object]) -> bool:
    make = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = make(table).values(**values).on_conflict_do_nothing(index_elements=["platform", "platform_id"])
    return session.scalar(statement.returning(table.id)) is not None


def store_post(session: Session, post: SocialPost, *, now: datetime) -> bool:
    """Store a post once (by platform and platform id); a known post gets its metrics updated. True: new."""
    values = {f.name: getattr(post, f.name) for f in dataclasses.fields(SocialPost) if f.name not in ("id",)}
    values["platform"] = post.platform.value
    values.pop("case_id")
    values.pop("comments_cursor")
    if _insert_once(session, SocialPostRow, {**values, "fetched_at": now}):
        return True
    row = _post_row(session, post.platform, post.platform_id)
    for name in ("reactions", "comments", "shares", "views", "text"):
        setattr(row, name, getattr(post, name))
    return False


def _post_row(session: Session, platform: Platform, platform_id: str) -> SocialPostRow:
    row = session.scalar(
        select(SocialPostRow).where(SocialPostRow.platform == platform.value, SocialPostRow.platform_id == platform_id)
    )
    if row is None:
        raise LookupError(f"social post {platform}:{platform_id} is not stored")
    return row


def _post(row: SocialPostRow) -> SocialPost:
    return SocialPost(
        platform=Platform(row.platform),
        platform_id=row.platform_id,
        source_slug=row.source_slug,
        url=row.url,
        text=row.text,
        published_at=row.published_at,
        reactions=row.reactions,
        comments=row.comments,
        shares=row.shares,
        views=row.views,
        shared_url=row.shared_url,
        id=row.id,
        comments_cursor=row.comments_cursor,
        case_id=row.case_id,
    )


def known_post_ids(session: Session, platform: Platform, platform_ids: Iterable[str]) -> set[str]:
    ids = list(platform_ids)
    if not ids:
        return set()
    return set(
        session.scalars(
            select(SocialPostRow.platform_id).where(
                SocialPostRow.platform == platform.value, SocialPostRow.platform_id.in_(ids)
            )
        )
    )


def posts_of(session: Session, source_slug: str, *, published_after: datetime | None = None) -> list[SocialPost]:
    """A source's stored posts, newest first (those published after `published_after` when given)."""
    query = select(SocialPostRow).where(SocialPostRow.source_slug == source_slug)
    if published_after is not None:
        query = query.where(SocialPostRow.published_at > published_after)
    return [_post(r) for r in session.scalars(query.order_by(SocialPostRow.published_at.desc(), SocialPostRow.id))]


def set_comments_cursor(session: Session, platform: Platform, platform_id: str, cursor: str | None) -> None:
    _post_row(session, platform, platform_id).comments_cursor = cursor


def link_post_to_case(session: Session, platform: Platform, platform_id: str, case_id: int | None) -> None:
    """Mark a post as evidence of a case (its commenters may then be kept in clear, if the setting allows)."""
    _post_row(session, platform, platform_id).case_id = case_id


def store_comment(session: Session, comment: SocialComment, *, now: datetime) -> bool:
    """Store a comment once (by platform and platform id); its post must be stored. True: new."""
    post = _post_row(session, comment.platform, comment.post_platform_id)
    values: dict[str, object] = {
        "platform": comment.platform.value,
        "platform_id": comment.platform_id,
        "post_id": post.id,
        "parent_platform_id": comment.parent_platform_id,
        "text": comment.text,
        "published_at": comment.published_at,
        "like_count": comment.like_count,
        "author_pseudonym": comment.author_pseudonym,
        "author_name": comment.author_name,
        "author_platform_id": comment.author_platform_id,
        "fetched_at": now,
    }
    return _insert_once(session, SocialCommentRow, values)


def comments_of(session: Session, platform: Platform, post_platform_id: str) -> list[SocialComment]:
    """A post's stored comments and replies, oldest first."""
    rows = session.execute(
        select(SocialCommentRow, SocialPostRow.platform_id)
        .join(SocialPostRow, SocialPostRow.id == SocialCommentRow.post_id)
        .where(SocialPostRow.platform == platform.value, SocialPostRow.platform_id == post_platform_id)
        .order_by(SocialCommentRow.published_at, SocialCommentRow.id)
    )
    return [
        SocialComment(
            platform=Platform(c.platform),
            platform_id=c.platform_id,
            post_platform_id=post_id,
            parent_platform_id=c.parent_platform_id,
            text=c.text,
            published_at=c.published_at,
            like_count=c.like_count,
            author_pseudonym=c.author_pseudonym,
            author_name=c.author_name,
            author_platform_id=c.author_platform_id,
        )
        for c, post_id in rows
    ]


def purge_social(session: Session, *, before: datetime) -> tuple[int, int]:
    """Delete the comments, then the posts, published before `before`, except the posts linked to a case (kept
    as evidence, with their comments). Returns (posts, comments) deleted."""
    kept = select(SocialPostRow.id).where(SocialPostRow.case_id.is_not(None))
    comments = _count(
        session.execute(
            delete(SocialCommentRow).where(
                SocialCommentRow.published_at < before, SocialCommentRow.post_id.not_in(kept)
            )
        )
    )
    old_posts = select(SocialPostRow.id).where(SocialPostRow.published_at < before, SocialPostRow.case_id.is_(None))
    comments += _count(session.execute(delete(SocialCommentRow).where(SocialCommentRow.post_id.in_(old_posts))))
    posts = _count(
        session.execute(
            delete(SocialPostRow).where(SocialPostRow.published_at < before, SocialPostRow.case_id.is_(None))
        )
    )
    return posts, comments


def _count(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


def untoned_comments(session: Session, *, limit: int = 1000) -> list[tuple[int, str]]:
    """(id, text) of stored comments whose tone has not been read yet, oldest first."""
    rows = session.execute(
        select(SocialCommentRow.id, SocialCommentRow.text)
        .where(SocialCommentRow.tone.is_(None))
        .order_by(SocialCommentRow.id)
        .limit(limit)
    )
    return [(i, t) for i, t in rows]


def set_tones(session: Session, tones: dict[int, str]) -> None:
    """Record the tone read of each comment (by id)."""
    for comment_id, tone in tones.items():
        session.execute(update(SocialCommentRow).where(SocialCommentRow.id == comment_id).values(tone=tone))


def unjoined_posts(session: Session, *, published_after: datetime) -> list[tuple[int, str, datetime]]:
    """(id, text, published at) of the posts published after `published_after` that share no link and were
    not yet compared with the stories (text similarity, nlp/social_join.py)."""
    rows = session.execute(
        select(SocialPostRow.id, SocialPostRow.text, SocialPostRow.published_at)
        .where(
            SocialPostRow.shared_url.is_(None),
            SocialPostRow.story_score.is_(None),
            SocialPostRow.published_at > published_after,
        )
        .order_by(SocialPostRow.id)
    )
    return [(i, t, p) for i, t, p in rows]


def join_post_to_story(session: Session, post_id: int, story_id: int | None, score: float) -> None:
    """A post compared with the stories: the story it joins (None: none similar enough) and the best score."""
    session.execute(
        update(SocialPostRow).where(SocialPostRow.id == post_id).values(story_id=story_id, story_score=score)
    )


def negative_comment_times(session: Session, story_id: int, *, since: datetime | None = None) -> list[datetime]:
    """When the negative comments (tone read as tiêu cực) on the story's posts published since `since` were
    written: the posts sharing one of the story's articles or joined to it by text."""
    linked = (
        select(SocialPostRow.id)
        .join(ArticleRow, ArticleRow.url == SocialPostRow.shared_url)
        .join(EnrichmentRow, EnrichmentRow.article_id == ArticleRow.id)
        .where(EnrichmentRow.story_id == story_id)
    )
    joined = select(SocialPostRow.id).where(SocialPostRow.story_id == story_id)
    rows = session.scalars(
        select(SocialCommentRow.published_at).where(
            SocialCommentRow.tone == "tieu_cuc",
            SocialCommentRow.published_at >= (since or datetime.min.replace(tzinfo=UTC)),
            SocialCommentRow.post_id.in_(linked.union(joined)),
        )
    )
    return sorted(as_utc(t) for t in rows)


def stories_with_comments_since(session: Session, since: datetime) -> list[int]:
    """The stories whose posts (by shared link or text) got comments stored since `since`."""
    fresh = select(SocialCommentRow.post_id).where(SocialCommentRow.fetched_at >= since)
    linked = session.scalars(
        select(EnrichmentRow.story_id)
        .join(ArticleRow, ArticleRow.id == EnrichmentRow.article_id)
        .join(SocialPostRow, SocialPostRow.shared_url == ArticleRow.url)
        .where(SocialPostRow.id.in_(fresh), EnrichmentRow.story_id.is_not(None))
    )
    joined = session.scalars(
        select(SocialPostRow.story_id).where(SocialPostRow.id.in_(fresh), SocialPostRow.story_id.is_not(None))
    )
    return sorted({s for s in [*linked, *joined] if s is not None})


def recent_leads(session: Session, since: datetime) -> list[tuple[int, str, str]]:
    """(story id, headline, lead) of the relevant articles fetched since `since`: what a post quotes most often,
    and what the stored signatures (of the headline and the body) leave out."""
    rows = session.execute(
        select(EnrichmentRow.story_id, ArticleRow.title, ArticleRow.sapo)
        .join(ArticleRow, ArticleRow.id == EnrichmentRow.article_id)
        .where(EnrichmentRow.relevant.is_(True), EnrichmentRow.story_id.is_not(None), ArticleRow.fetched_at >= since)
    )
    return [(s, t or "", p or "") for s, t, p in rows if s is not None]
