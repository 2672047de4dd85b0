"""outbox per channel: a message's channel (mail, and a chat or webhook beside it), one message per channel and
dedupe key

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 08:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.add_column(sa.Column("channel", sa.String(length=32), server_default="mail", nullable=False))
        batch_op.drop_constraint("uq_notification_dedupe_key", type_="unique")
        batch_op.create_unique_constraint("uq_notification_channel_dedupe_key", ["channel", "dedupe_key"])


def downgrade() -> None:
    op.execute("DELETE FROM notification WHERE channel <> 'mail'")
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_constraint("uq_notification_channel_dedupe_key", type_="unique")
        batch_op.create_unique_constraint("uq_notification_dedupe_key", ["dedupe_key"])
        batch_op.drop_column("channel")
