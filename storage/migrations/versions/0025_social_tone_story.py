"""social tone and text join: a comment's tone (read by nlp.comments), a post's story found by text similarity

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-03 19:45:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    big_id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
    with op.batch_alter_table("social_comment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("tone", sa.String(length=12), nullable=True))
    with op.batch_alter_table("social_post", schema=None) as batch_op:
        batch_op.add_column(sa.Column("story_id", big_id, nullable=True))
        batch_op.add_column(sa.Column("story_score", sa.Float(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_social_post_story_id_story"), "story", ["story_id"], ["id"], ondelete="SET NULL"
        )
        batch_op.create_index(batch_op.f("ix_social_post_story_id"), ["story_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("social_post", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_social_post_story_id"))
        batch_op.drop_constraint(batch_op.f("fk_social_post_story_id_story"), type_="foreignkey")
        batch_op.drop_column("story_score")
        batch_op.drop_column("story_id")
    with op.batch_alter_table("social_comment", schema=None) as batch_op:
        batch_op.drop_column("tone")
