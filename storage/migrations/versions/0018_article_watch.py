"""post-response watch: each watched article's state (article_watch) and the edits and takedowns found
(article_change)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03 16:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_REASONS = "('gone', 'redirect_home', 'redirect_section', 'not_found_page')"


def upgrade() -> None:
    op.create_table(
        "article_watch",
        sa.Column("article_id", _ID, nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("last_checked_at", UTCDateTime(), nullable=True),
        sa.Column("last_attempt_at", UTCDateTime(), nullable=True),
        sa.Column("checked_count", sa.Integer(), nullable=False),
        sa.Column("etag", sa.String(length=500), nullable=True),
        sa.Column("last_modified", sa.String(length=100), nullable=True),
        sa.Column("takedown_reason", sa.String(length=32), nullable=True),
        sa.Column("last_problem", sa.Text(), nullable=True),
        sa.CheckConstraint("state IN ('unchanged', 'edited', 'taken_down')", name=op.f("ck_article_watch_state")),
        sa.CheckConstraint(f"takedown_reason IN {_REASONS}", name=op.f("ck_article_watch_takedown_reason")),
        sa.ForeignKeyConstraint(
            ["article_id"], ["article.id"], name=op.f("fk_article_watch_article_id_article"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("article_id", name=op.f("pk_article_watch")),
    )
    op.create_index(op.f("ix_article_watch_last_attempt_at"), "article_watch", ["last_attempt_at"], unique=False)
    op.create_table(
        "article_change",
        sa.Column("id", _ID, nullable=False),
        sa.Column("article_id", _ID, nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("http_status", sa.Integer(), nullable=True),
        sa.Column("final_url", sa.String(length=2000), nullable=True),
        sa.Column("reason", sa.String(length=32), nullable=True),
        sa.Column("snapshot_id", _ID, nullable=True),
        sa.Column("old_title", sa.Text(), nullable=False),
        sa.Column("new_title", sa.Text(), nullable=False),
        sa.Column("old_text", sa.Text(), nullable=False),
        sa.Column("new_text", sa.Text(), nullable=False),
        sa.Column("notified_at", UTCDateTime(), nullable=True),
        sa.CheckConstraint("kind IN ('edited', 'taken_down')", name=op.f("ck_article_change_kind")),
        sa.CheckConstraint(f"reason IN {_REASONS}", name=op.f("ck_article_change_reason")),
        sa.ForeignKeyConstraint(
            ["article_id"], ["article.id"], name=op.f("fk_article_change_article_id_article"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["snapshot_id"], ["snapshot.id"], name=op.f("fk_article_change_snapshot_id_snapshot"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_article_change")),
    )
    op.create_index("ix_article_change_article_at", "article_change", ["article_id", "at"], unique=False)
    op.create_index(op.f("ix_article_change_notified_at"), "article_change", ["notified_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_article_change_notified_at"), table_name="article_change")
    op.drop_index("ix_article_change_article_at", table_name="article_change")
    op.drop_table("article_change")
    op.drop_index(op.f("ix_article_watch_last_attempt_at"), table_name="article_watch")
    op.drop_table("article_watch")
