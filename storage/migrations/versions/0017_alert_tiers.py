"""alert tiers: each user's tier per priority (alert_tier), and the case alerts held for an hourly round-up or a
P1 batch (held_alert)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 13:10:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "alert_tier",
        sa.Column("user_id", _ID, nullable=False),
        sa.Column("priority", sa.String(length=2), nullable=False),
        sa.Column("tier", sa.String(length=16), nullable=False),
        sa.CheckConstraint("priority IN ('P1', 'P2', 'P3')", name=op.f("ck_alert_tier_priority")),
        sa.CheckConstraint("tier IN ('immediate', 'hourly', 'digest')", name=op.f("ck_alert_tier_tier")),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_alert_tier_user_id_app_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "priority", name=op.f("pk_alert_tier")),
    )
    op.create_table(
        "held_alert",
        sa.Column("id", _ID, nullable=False),
        sa.Column("user_id", _ID, nullable=False),
        sa.Column("case_id", _ID, nullable=False),
        sa.Column("tier", sa.String(length=16), nullable=False),
        sa.Column("held_at", UTCDateTime(), nullable=False),
        sa.Column("due_at", UTCDateTime(), nullable=False),
        sa.Column("released_at", UTCDateTime(), nullable=True),
        sa.Column("at_once", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.CheckConstraint("tier IN ('immediate', 'hourly')", name=op.f("ck_held_alert_tier")),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_held_alert_user_id_app_user"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["press_case.id"], name=op.f("fk_held_alert_case_id_press_case"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_held_alert")),
        sa.UniqueConstraint("user_id", "case_id", "tier", name="uq_held_alert_user_case_tier"),
    )
    op.create_index(op.f("ix_held_alert_due_at"), "held_alert", ["due_at"], unique=False)
    op.create_index(op.f("ix_held_alert_case_id"), "held_alert", ["case_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_held_alert_case_id"), table_name="held_alert")
    op.drop_index(op.f("ix_held_alert_due_at"), table_name="held_alert")
    op.drop_table("held_alert")
    op.drop_table("alert_tier")
