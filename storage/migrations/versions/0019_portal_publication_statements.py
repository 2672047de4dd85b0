"""portal and communications database: responses marked for publication on the portal (response_publication), the
agency's own press releases and statements (press_statement) and the stories they answer (press_statement_story)

Revision ID: 0019
Revises: 0018 (0017 until the branch that writes 0018 is merged)
Create Date: 2026-12-03 16:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = "0019"
# 0018 is another branch's; until it is merged this branch runs alone on 0017 (the reviewer sets "0018").
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "response_publication",
        sa.Column("response_id", _ID, nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("published_at", UTCDateTime(), nullable=False),
        sa.Column("published_by", sa.String(length=254), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("withdrawn_at", UTCDateTime(), nullable=True),
        sa.Column("withdrawn_by", sa.String(length=254), nullable=True),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["case_response.id"],
            name=op.f("fk_response_publication_response_id_case_response"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("response_id", name=op.f("pk_response_publication")),
    )
    op.create_index(
        "ix_response_publication_feed", "response_publication", ["withdrawn_at", "published_at"], unique=False
    )
    op.create_table(
        "press_statement",
        sa.Column("id", _ID, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("issuing_unit", sa.String(length=300), nullable=False),
        sa.Column("attachment", sa.JSON(), nullable=True),
        sa.Column("created_by", sa.String(length=254), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("search_key", sa.Text(), nullable=False),
        sa.CheckConstraint("kind IN ('thong_cao', 'phat_ngon', 'van_ban')", name=op.f("ck_press_statement_kind")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_press_statement")),
    )
    op.create_index(op.f("ix_press_statement_issued_on"), "press_statement", ["issued_on"], unique=False)
    op.create_table(
        "press_statement_story",
        sa.Column("statement_id", _ID, nullable=False),
        sa.Column("story_id", _ID, nullable=False),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["press_statement.id"],
            name=op.f("fk_press_statement_story_statement_id_press_statement"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["story_id"], ["story.id"], name=op.f("fk_press_statement_story_story_id_story"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("statement_id", "story_id", name=op.f("pk_press_statement_story")),
    )
    op.create_index(op.f("ix_press_statement_story_story_id"), "press_statement_story", ["story_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_press_statement_story_story_id"), table_name="press_statement_story")
    op.drop_table("press_statement_story")
    op.drop_index(op.f("ix_press_statement_issued_on"), table_name="press_statement")
    op.drop_table("press_statement")
    op.drop_index("ix_response_publication_feed", table_name="response_publication")
    op.drop_table("response_publication")
