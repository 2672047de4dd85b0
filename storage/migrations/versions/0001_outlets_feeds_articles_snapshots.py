"""outlets, feeds, articles, snapshots

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-22 11:44:44.359249
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "outlet",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("domain", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("home_province", sa.String(length=64), nullable=True),
        sa.Column("reach_tier", sa.Integer(), nullable=False),
        sa.CheckConstraint("kind IN ('national', 'local', 'ministry', 'portal')", name=op.f("ck_outlet_kind")),
        sa.CheckConstraint("reach_tier BETWEEN 1 AND 3", name=op.f("ck_outlet_reach_tier")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outlet")),
        sa.UniqueConstraint("slug", name=op.f("uq_outlet_slug")),
    )
    with op.batch_alter_table("outlet", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outlet_domain"), ["domain"], unique=False)

    op.create_table(
        "feed",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("outlet_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("poll_interval_s", sa.Integer(), nullable=False),
        sa.Column("link_pattern", sa.String(length=500), nullable=True),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("etag", sa.String(length=500), nullable=True),
        sa.Column("last_modified", sa.String(length=100), nullable=True),
        sa.Column("last_attempt_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_success_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("consecutive_failures", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.CheckConstraint("kind IN ('rss', 'sitemap', 'listing')", name=op.f("ck_feed_kind")),
        sa.CheckConstraint("poll_interval_s > 0", name=op.f("ck_feed_poll_interval_s")),
        sa.ForeignKeyConstraint(
            ["outlet_id"], ["outlet.id"], name=op.f("fk_feed_outlet_id_outlet"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feed")),
        sa.UniqueConstraint("url", name=op.f("uq_feed_url")),
    )
    with op.batch_alter_table("feed", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_feed_outlet_id"), ["outlet_id"], unique=False)

    op.create_table(
        "article",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("outlet_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("feed_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("sapo", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("authors", sa.JSON(), nullable=False),
        sa.Column("published_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("fetched_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["feed_id"], ["feed.id"], name=op.f("fk_article_feed_id_feed"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(
            ["outlet_id"], ["outlet.id"], name=op.f("fk_article_outlet_id_outlet"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_article")),
        sa.UniqueConstraint("url", name=op.f("uq_article_url")),
    )
    with op.batch_alter_table("article", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_article_content_hash"), ["content_hash"], unique=False)
        batch_op.create_index(batch_op.f("ix_article_feed_id"), ["feed_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_article_fetched_at"), ["fetched_at"], unique=False)
        batch_op.create_index("ix_article_outlet_published", ["outlet_id", "published_at"], unique=False)

    op.create_table(
        "snapshot",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("article_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("fetched_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("http_status", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("html_gz", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"], ["article.id"], name=op.f("fk_snapshot_article_id_article"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_snapshot")),
        sa.UniqueConstraint("article_id", "sha256", name="uq_snapshot_article_sha256"),
    )
    with op.batch_alter_table("snapshot", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_snapshot_article_id"), ["article_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("snapshot", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_snapshot_article_id"))

    op.drop_table("snapshot")
    with op.batch_alter_table("article", schema=None) as batch_op:
        batch_op.drop_index("ix_article_outlet_published")
        batch_op.drop_index(batch_op.f("ix_article_fetched_at"))
        batch_op.drop_index(batch_op.f("ix_article_feed_id"))
        batch_op.drop_index(batch_op.f("ix_article_content_hash"))

    op.drop_table("article")
    with op.batch_alter_table("feed", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feed_outlet_id"))

    op.drop_table("feed")
    with op.batch_alter_table("outlet", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outlet_domain"))

    op.drop_table("outlet")
