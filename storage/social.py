"""Queries on the social sources: their polling state, their posts and comments (stored once per platform id),
and the purge that keeps them no longer than the retention setting says."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from domain.social import Platform, SocialComment, SocialPost, SocialProblem, SocialSourceKind, SocialSourceState
from storage.tables import SocialCommentRow, SocialPostRow, SocialSourceStateRow

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
