"""incidents: communication incidents (incident), the stories they group (incident_story) and what the agency did
(incident_action)

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-03 16:40:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = "0020"
# The chain is 0017 → 0018 → 0019 → 0020 once the branches that write 0018 and 0019 are merged; until then this
# branch follows 0017 (the reviewer sets "0019" at the merge).
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "incident",
        sa.Column("id", _ID, nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("severity", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=8), nullable=False),
        sa.Column("owner_id", _ID, nullable=False),
        sa.Column("declared_by", sa.String(length=254), nullable=False),
        sa.Column("declared_at", UTCDateTime(), nullable=False),
        sa.Column("closed_by", sa.String(length=254), nullable=True),
        sa.Column("closed_at", UTCDateTime(), nullable=True),
        sa.Column("closing_summary", sa.Text(), nullable=True),
        sa.Column("spike_alert_id", _ID, nullable=True),
        sa.CheckConstraint("severity IN ('low', 'medium', 'high', 'critical')", name=op.f("ck_incident_severity")),
        sa.CheckConstraint("state IN ('open', 'closed')", name=op.f("ck_incident_state")),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["app_user.id"], name=op.f("fk_incident_owner_id_app_user"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["spike_alert_id"],
            ["spike_alert.id"],
            name=op.f("fk_incident_spike_alert_id_spike_alert"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident")),
    )
    op.create_index(op.f("ix_incident_owner_id"), "incident", ["owner_id"], unique=False)
    op.create_index(op.f("ix_incident_declared_at"), "incident", ["declared_at"], unique=False)
    op.create_index(op.f("ix_incident_closed_at"), "incident", ["closed_at"], unique=False)
    op.create_table(
        "incident_story",
        sa.Column("incident_id", _ID, nullable=False),
        sa.Column("story_id", _ID, nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incident.id"], name=op.f("fk_incident_story_incident_id_incident"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["story_id"], ["story.id"], name=op.f("fk_incident_story_story_id_story"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("incident_id", "story_id", name=op.f("pk_incident_story")),
    )
    op.create_index(op.f("ix_incident_story_story_id"), "incident_story", ["story_id"], unique=False)
    op.create_table(
        "incident_action",
        sa.Column("id", _ID, nullable=False),
        sa.Column("incident_id", _ID, nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("by", sa.String(length=254), nullable=False),
        sa.CheckConstraint(
            "kind IN ('statement', 'rebuttal', 'correction_request', 'note')", name=op.f("ck_incident_action_kind")
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incident.id"], name=op.f("fk_incident_action_incident_id_incident"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_action")),
    )
    op.create_index(op.f("ix_incident_action_incident_id"), "incident_action", ["incident_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_incident_action_incident_id"), table_name="incident_action")
    op.drop_table("incident_action")
    op.drop_index(op.f("ix_incident_story_story_id"), table_name="incident_story")
    op.drop_table("incident_story")
    op.drop_index(op.f("ix_incident_closed_at"), table_name="incident")
    op.drop_index(op.f("ix_incident_declared_at"), table_name="incident")
    op.drop_index(op.f("ix_incident_owner_id"), table_name="incident")
    op.drop_table("incident")
