"""spike_alert: one spike alert per dimension, key and window

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03 10:50:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    big_id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
    op.create_table(
        "spike_alert",
        sa.Column("id", big_id, nullable=False),
        sa.Column("dimension", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("window_start", UTCDateTime(), nullable=False),
        sa.Column("window_end", UTCDateTime(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("baseline_mean", sa.Float(), nullable=False),
        sa.Column("p_value", sa.Float(), nullable=False),
        sa.Column("article_ids", sa.JSON(), nullable=False),
        sa.Column("drivers", sa.JSON(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_spike_alert")),
        sa.UniqueConstraint("dimension", "key", "window_end", name="uq_spike_alert_window"),
    )
    op.create_index(op.f("ix_spike_alert_window_end"), "spike_alert", ["window_end"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_spike_alert_window_end"), table_name="spike_alert")
    op.drop_table("spike_alert")
