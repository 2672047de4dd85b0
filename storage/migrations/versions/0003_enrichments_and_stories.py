"""enrichments and stories

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 12:18:24.485538
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "story",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("first_article_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("first_seen_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["first_article_id"], ["article.id"], name=op.f("fk_story_first_article_id_article"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_story")),
    )
    with op.batch_alter_table("story", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_story_last_seen_at"), ["last_seen_at"], unique=False)

    op.create_table(
        "enrichment",
        sa.Column("article_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("relevant", sa.Boolean(), nullable=False),
        sa.Column("relevance_score", sa.Float(), nullable=False),
        sa.Column("topic", sa.String(length=32), nullable=True),
        sa.Column("topic_scores", sa.JSON(), nullable=True),
        sa.Column("sentiment", sa.String(length=16), nullable=True),
        sa.Column("sentiment_score", sa.Float(), nullable=True),
        sa.Column("province", sa.String(length=64), nullable=True),
        sa.Column("entities", sa.JSON(), nullable=False),
        sa.Column("model_version", sa.String(length=64), nullable=False),
        sa.Column("enriched_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("story_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("signature", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(
            ["article_id"], ["article.id"], name=op.f("fk_enrichment_article_id_article"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["story_id"], ["story.id"], name=op.f("fk_enrichment_story_id_story"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("article_id", name=op.f("pk_enrichment")),
    )
    with op.batch_alter_table("enrichment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_enrichment_province"), ["province"], unique=False)
        batch_op.create_index("ix_enrichment_relevant_at", ["relevant", "enriched_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_enrichment_story_id"), ["story_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_enrichment_topic"), ["topic"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("enrichment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_enrichment_topic"))
        batch_op.drop_index(batch_op.f("ix_enrichment_story_id"))
        batch_op.drop_index("ix_enrichment_relevant_at")
        batch_op.drop_index(batch_op.f("ix_enrichment_province"))

    op.drop_table("enrichment")
    with op.batch_alter_table("story", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_story_last_seen_at"))

    op.drop_table("story")
