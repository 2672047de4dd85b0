"""correction_watch: a correction request and the watch for the outlet's correction

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-03 17:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    big_id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
    op.create_table(
        "correction_watch",
        sa.Column("id", big_id, nullable=False),
        sa.Column("case_id", big_id, nullable=False),
        sa.Column("response_id", big_id, nullable=False),
        sa.Column("article_id", big_id, nullable=False),
        sa.Column("outlet_id", big_id, nullable=False),
        sa.Column("requested_at", UTCDateTime(), nullable=False),
        sa.Column("due_at", UTCDateTime(), nullable=False),
        sa.Column("basis", sa.Text(), nullable=False),
        sa.Column("hash_at_request", sa.String(length=64), nullable=False),
        sa.Column("markers_at_request", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=24), nullable=False),
        sa.Column("found_at", UTCDateTime(), nullable=True),
        sa.Column("evidence", sa.String(length=24), nullable=True),
        sa.Column("evidence_article_id", big_id, nullable=True),
        sa.Column("evidence_text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["press_case.id"], name=op.f("fk_correction_watch_case_id_press_case"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["case_response.id"],
            name=op.f("fk_correction_watch_response_id_case_response"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["article_id"], ["article.id"], name=op.f("fk_correction_watch_article_id_article"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["outlet_id"], ["outlet.id"], name=op.f("fk_correction_watch_outlet_id_outlet"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["evidence_article_id"],
            ["article.id"],
            name=op.f("fk_correction_watch_evidence_article_id_article"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_correction_watch")),
        sa.UniqueConstraint("response_id", "outlet_id", name="uq_correction_watch_response_outlet"),
    )
    op.create_index(op.f("ix_correction_watch_case_id"), "correction_watch", ["case_id"], unique=False)
    op.create_index("ix_correction_watch_state_due", "correction_watch", ["state", "due_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_correction_watch_state_due", table_name="correction_watch")
    op.drop_index(op.f("ix_correction_watch_case_id"), table_name="correction_watch")
    op.drop_table("correction_watch")
