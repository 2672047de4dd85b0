"""acknowledgement chain of urgent cases (steps once per case) and used one-click acknowledgement links

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 10:45:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "ack_step",
        sa.Column("case_id", BigId, nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("target", sa.String(length=32), nullable=False),
        sa.Column("recipients", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["press_case.id"], name=op.f("fk_ack_step_case_id_press_case"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("case_id", "step", name=op.f("pk_ack_step")),
    )
    op.create_table(
        "ack_token_use",
        sa.Column("nonce", sa.String(length=64), nullable=False),
        sa.Column("case_id", BigId, nullable=False),
        sa.Column("user_id", BigId, nullable=False),
        sa.Column("used_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["press_case.id"], name=op.f("fk_ack_token_use_case_id_press_case"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_ack_token_use_user_id_app_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("nonce", name=op.f("pk_ack_token_use")),
    )
    with op.batch_alter_table("ack_token_use", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ack_token_use_case_id"), ["case_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("ack_token_use", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ack_token_use_case_id"))
    op.drop_table("ack_token_use")
    op.drop_table("ack_step")
