"""watch_profile and profile_match: watch profiles as data and the articles each one matched

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-03 17:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    big_id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
    op.create_table(
        "watch_profile",
        sa.Column("id", big_id, nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("unit", sa.String(length=100), nullable=False),
        sa.Column("query", sa.Text(), nullable=False),
        sa.Column("outlets", sa.JSON(), nullable=False),
        sa.Column("provinces", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("opens_cases", sa.Boolean(), nullable=False),
        sa.Column("recipients", sa.JSON(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=254), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watch_profile")),
        sa.UniqueConstraint("code", name=op.f("uq_watch_profile_code")),
    )
    op.create_index(op.f("ix_watch_profile_unit"), "watch_profile", ["unit"], unique=False)
    op.create_table(
        "profile_match",
        sa.Column("profile_id", big_id, nullable=False),
        sa.Column("article_id", big_id, nullable=False),
        sa.Column("matched_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["watch_profile.id"],
            name=op.f("fk_profile_match_profile_id_watch_profile"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["article_id"], ["article.id"], name=op.f("fk_profile_match_article_id_article"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("profile_id", "article_id", name=op.f("pk_profile_match")),
    )
    op.create_index(op.f("ix_profile_match_article_id"), "profile_match", ["article_id"], unique=False)
    op.create_index("ix_profile_match_profile_at", "profile_match", ["profile_id", "matched_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_profile_match_profile_at", table_name="profile_match")
    op.drop_index(op.f("ix_profile_match_article_id"), table_name="profile_match")
    op.drop_table("profile_match")
    op.drop_index(op.f("ix_watch_profile_unit"), table_name="watch_profile")
    op.drop_table("watch_profile")
