"""social_sources: posts, comments and polling state of the social sources (Facebook Pages, YouTube)

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-03 18:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    big_id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
    op.create_table(
        "social_source_state",
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("since_at", UTCDateTime(), nullable=True),
        sa.Column("page_token", sa.Text(), nullable=True),
        sa.Column("pass_since_at", UTCDateTime(), nullable=True),
        sa.Column("uploads_playlist", sa.String(length=64), nullable=True),
        sa.Column("quota_day", sa.String(length=10), nullable=True),
        sa.Column("quota_spent", sa.Integer(), nullable=False),
        sa.Column("resume_at", UTCDateTime(), nullable=True),
        sa.Column("problem", sa.String(length=24), nullable=True),
        sa.Column("problem_text", sa.Text(), nullable=False),
        sa.Column("problem_since_at", UTCDateTime(), nullable=True),
        sa.Column("last_success_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("slug", name=op.f("pk_social_source_state")),
    )
    op.create_table(
        "social_post",
        sa.Column("id", big_id, nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("platform_id", sa.String(length=128), nullable=False),
        sa.Column("source_slug", sa.String(length=64), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("published_at", UTCDateTime(), nullable=False),
        sa.Column("reactions", sa.Integer(), nullable=True),
        sa.Column("comments", sa.Integer(), nullable=True),
        sa.Column("shares", sa.Integer(), nullable=True),
        sa.Column("views", sa.BigInteger(), nullable=True),
        sa.Column("shared_url", sa.Text(), nullable=True),
        sa.Column("comments_cursor", sa.Text(), nullable=True),
        sa.Column("case_id", big_id, nullable=True),
        sa.Column("fetched_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["press_case.id"], name=op.f("fk_social_post_case_id_press_case"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_social_post")),
        sa.UniqueConstraint("platform", "platform_id", name="uq_social_post_platform_id"),
    )
    op.create_index(op.f("ix_social_post_source_slug"), "social_post", ["source_slug"], unique=False)
    op.create_index(op.f("ix_social_post_published_at"), "social_post", ["published_at"], unique=False)
    op.create_table(
        "social_comment",
        sa.Column("id", big_id, nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("platform_id", sa.String(length=128), nullable=False),
        sa.Column("post_id", big_id, nullable=False),
        sa.Column("parent_platform_id", sa.String(length=128), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("published_at", UTCDateTime(), nullable=False),
        sa.Column("like_count", sa.Integer(), nullable=False),
        sa.Column("author_pseudonym", sa.String(length=64), nullable=False),
        sa.Column("author_name", sa.Text(), nullable=True),
        sa.Column("author_platform_id", sa.String(length=128), nullable=True),
        sa.Column("fetched_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["post_id"], ["social_post.id"], name=op.f("fk_social_comment_post_id_social_post"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_social_comment")),
        sa.UniqueConstraint("platform", "platform_id", name="uq_social_comment_platform_id"),
    )
    op.create_index(op.f("ix_social_comment_post_id"), "social_comment", ["post_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_social_comment_post_id"), table_name="social_comment")
    op.drop_table("social_comment")
    op.drop_index(op.f("ix_social_post_published_at"), table_name="social_post")
    op.drop_index(op.f("ix_social_post_source_slug"), table_name="social_post")
    op.drop_table("social_post")
    op.drop_table("social_source_state")
