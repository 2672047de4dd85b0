"""feed events

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 11:58:32.745752
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "feed_event",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("feed_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=True),
        sa.Column("http_status", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("items_seen", sa.Integer(), nullable=False),
        sa.Column("items_new", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["feed_id"], ["feed.id"], name=op.f("fk_feed_event_feed_id_feed"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feed_event")),
    )
    with op.batch_alter_table("feed_event", schema=None) as batch_op:
        batch_op.create_index("ix_feed_event_feed_at", ["feed_id", "at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("feed_event", schema=None) as batch_op:
        batch_op.drop_index("ix_feed_event_feed_at")

    op.drop_table("feed_event")
