"""story merges recorded with the copies they moved, so that a merge can be undone (split)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 15:50:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "story_merge",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("source_id", BIG_ID, nullable=False),
        sa.Column("target_id", BIG_ID, nullable=False),
        sa.Column("article_ids", sa.JSON(), nullable=False),
        sa.Column("moved_case_id", BIG_ID, nullable=True),
        sa.Column("by", sa.String(length=254), nullable=False),
        sa.Column("at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("undone_by", sa.String(length=254), nullable=True),
        sa.Column("undone_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["source_id"], ["story.id"], name=op.f("fk_story_merge_source_id_story"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["target_id"], ["story.id"], name=op.f("fk_story_merge_target_id_story"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_story_merge")),
    )
    with op.batch_alter_table("story_merge", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_story_merge_source_id"), ["source_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_story_merge_target_id"), ["target_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("story_merge", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_story_merge_target_id"))
        batch_op.drop_index(batch_op.f("ix_story_merge_source_id"))
    op.drop_table("story_merge")
