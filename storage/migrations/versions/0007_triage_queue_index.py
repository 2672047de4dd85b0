"""triage queue index: pending stories newest first

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 20:10:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("story", schema=None) as batch_op:
        batch_op.create_index(
            "ix_story_triage_queue", ["triage_state", "merged_into_id", "last_seen_at", "id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("story", schema=None) as batch_op:
        batch_op.drop_index("ix_story_triage_queue")
