"""preferences, sign-in, triage, label feedback, outbox attachments, job runs, scheduler store

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 18:37:31.147945
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "apscheduler_jobs",
        sa.Column("id", sa.String(length=191), nullable=False),
        sa.Column("next_run_time", sa.Float(precision=25), nullable=True),
        sa.Column("job_state", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_apscheduler_jobs")),
    )
    with op.batch_alter_table("apscheduler_jobs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_apscheduler_jobs_next_run_time"), ["next_run_time"], unique=False)

    op.create_table(
        "job_run",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("job", sa.String(length=64), nullable=False),
        sa.Column("host", sa.String(length=200), nullable=False),
        sa.Column("started_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("ok", sa.Boolean(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_run")),
    )
    with op.batch_alter_table("job_run", schema=None) as batch_op:
        batch_op.create_index("ix_job_run_job_started", ["job", "started_at"], unique=False)

    op.create_table(
        "login_attempt",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("ip", sa.String(length=64), nullable=False),
        sa.Column("at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_attempt")),
    )
    with op.batch_alter_table("login_attempt", schema=None) as batch_op:
        batch_op.create_index("ix_login_attempt_email_at", ["email", "at"], unique=False)
        batch_op.create_index("ix_login_attempt_ip_at", ["ip", "at"], unique=False)

    op.create_table(
        "label_feedback",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("article_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("field", sa.String(length=16), nullable=False),
        sa.Column("old_value", sa.String(length=64), nullable=True),
        sa.Column("new_value", sa.String(length=64), nullable=True),
        sa.Column("by", sa.String(length=254), nullable=False),
        sa.Column("at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"], ["article.id"], name=op.f("fk_label_feedback_article_id_article"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_label_feedback")),
    )
    with op.batch_alter_table("label_feedback", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_label_feedback_article_id"), ["article_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_label_feedback_at"), ["at"], unique=False)

    op.create_table(
        "notification_attachment",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("notification_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["notification_id"],
            ["notification.id"],
            name=op.f("fk_notification_attachment_notification_id_notification"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_attachment")),
    )
    with op.batch_alter_table("notification_attachment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_notification_attachment_notification_id"), ["notification_id"], unique=False
        )

    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("password_hash", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("digest_enabled", sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column("digest_scope", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("quiet_start", sa.String(length=5), nullable=True))
        batch_op.add_column(sa.Column("quiet_end", sa.String(length=5), nullable=True))
        batch_op.add_column(sa.Column("last_digest_at", storage.types.UTCDateTime(timezone=True), nullable=True))

    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.add_column(sa.Column("urgent", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column("sending_at", storage.types.UTCDateTime(timezone=True), nullable=True))

    with op.batch_alter_table("story", schema=None) as batch_op:
        batch_op.add_column(sa.Column("triage_state", sa.String(length=16), server_default="pending", nullable=False))
        batch_op.add_column(sa.Column("triage_note", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("triaged_by", sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column("triaged_at", storage.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("merged_into_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True)
        )
        batch_op.create_index(batch_op.f("ix_story_triage_state"), ["triage_state"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_story_merged_into_id_story"), "story", ["merged_into_id"], ["id"], ondelete="SET NULL"
        )
        batch_op.create_check_constraint(
            op.f("ck_story_triage_state"), "triage_state IN ('pending', 'confirmed', 'dismissed')"
        )


def downgrade() -> None:
    with op.batch_alter_table("story", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_story_triage_state"), type_="check")
        batch_op.drop_constraint(batch_op.f("fk_story_merged_into_id_story"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_story_triage_state"))
        batch_op.drop_column("merged_into_id")
        batch_op.drop_column("triaged_at")
        batch_op.drop_column("triaged_by")
        batch_op.drop_column("triage_note")
        batch_op.drop_column("triage_state")

    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_column("sending_at")
        batch_op.drop_column("urgent")

    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.drop_column("last_digest_at")
        batch_op.drop_column("quiet_end")
        batch_op.drop_column("quiet_start")
        batch_op.drop_column("digest_scope")
        batch_op.drop_column("digest_enabled")
        batch_op.drop_column("password_hash")

    with op.batch_alter_table("notification_attachment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notification_attachment_notification_id"))

    op.drop_table("notification_attachment")
    with op.batch_alter_table("label_feedback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_label_feedback_at"))
        batch_op.drop_index(batch_op.f("ix_label_feedback_article_id"))

    op.drop_table("label_feedback")
    with op.batch_alter_table("login_attempt", schema=None) as batch_op:
        batch_op.drop_index("ix_login_attempt_ip_at")
        batch_op.drop_index("ix_login_attempt_email_at")

    op.drop_table("login_attempt")
    with op.batch_alter_table("job_run", schema=None) as batch_op:
        batch_op.drop_index("ix_job_run_job_started")

    op.drop_table("job_run")
    with op.batch_alter_table("apscheduler_jobs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_apscheduler_jobs_next_run_time"))

    op.drop_table("apscheduler_jobs")
