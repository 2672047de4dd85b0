"""watch_profile draft fields: a draft-law profile (kind du_thao) names its drafting body and consultation window

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-03 20:10:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("watch_profile") as batch:
        batch.add_column(sa.Column("drafting_body", sa.String(length=300), nullable=False, server_default=""))
        batch.add_column(sa.Column("consultation_start", sa.Date(), nullable=True))
        batch.add_column(sa.Column("consultation_end", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("watch_profile") as batch:
        batch.drop_column("consultation_end")
        batch.drop_column("consultation_start")
        batch.drop_column("drafting_body")
