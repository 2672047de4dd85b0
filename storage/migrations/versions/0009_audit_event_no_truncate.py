"""audit_event refuses TRUNCATE on PostgreSQL (append-only, like UPDATE and DELETE)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 15:35:00.000000

TRUNCATE fires no row-level trigger, so the triggers of 0004 let it empty the table; a statement-level
BEFORE TRUNCATE trigger refuses it. SQLite has no TRUNCATE: its `DELETE FROM audit_event` fires the row
triggers of 0004 (a table with triggers is never emptied by the truncate optimisation).
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_event")
