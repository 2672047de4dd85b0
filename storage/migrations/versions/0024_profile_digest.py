"""watch_profile.digest and last_digest_at: each profile's digest schedule and when its last digest was written

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-03 19:45:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("watch_profile") as batch:
        batch.add_column(sa.Column("digest", sa.String(length=16), nullable=False, server_default="daily"))
        batch.add_column(sa.Column("last_digest_at", UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("watch_profile") as batch:
        batch.drop_column("last_digest_at")
        batch.drop_column("digest")
