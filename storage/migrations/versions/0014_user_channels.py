"""user channels: the channels each user chose per alert tier, and their chat addresses (Telegram, Zalo)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 10:45:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "user_channel",
        sa.Column("user_id", _ID, nullable=False),
        sa.Column("tier", sa.String(length=16), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.CheckConstraint("tier IN ('immediate', 'hourly', 'digest')", name=op.f("ck_user_channel_tier")),
        sa.CheckConstraint("channel IN ('mail', 'telegram', 'zalo')", name=op.f("ck_user_channel_channel")),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_user_channel_user_id_app_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "tier", "channel", name=op.f("pk_user_channel")),
    )
    op.create_table(
        "user_address",
        sa.Column("user_id", _ID, nullable=False),
        sa.Column("telegram_chat_id", sa.String(length=64), nullable=True),
        sa.Column("zalo_user_id", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_user_address_user_id_app_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_user_address")),
    )


def downgrade() -> None:
    op.drop_table("user_address")
    op.drop_table("user_channel")
