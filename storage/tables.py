"""ORM rows. They stay inside `storage`: query functions convert them to records."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from domain.enums import (
    DeadlineStatus,
    IncidentActionKind,
    IncidentSeverity,
    IncidentState,
    StatementKind,
    TakedownReason,
    TriageState,
    WatchState,
)
from domain.records import FeedKind, OutletKind
from storage.types import UTCDateTime

# Stable constraint names, so that migrations can refer to them on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# SQLite only auto-increments INTEGER PRIMARY KEY; BigInteger elsewhere.
BigId = BigInteger().with_variant(Integer(), "sqlite")


def _in(column: str, values: type[StrEnum]) -> str:
    return f"{column} IN ({', '.join(repr(v.value) for v in values)})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class OutletRow(Base):
    __tablename__ = "outlet"
    __table_args__ = (
        CheckConstraint(_in("kind", OutletKind), name="kind"),
        CheckConstraint("reach_tier BETWEEN 1 AND 3", name="reach_tier"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    domain: Mapped[str] = mapped_column(String(200), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    home_province: Mapped[str | None] = mapped_column(String(64))
    reach_tier: Mapped[int] = mapped_column(Integer, default=2)


class FeedRow(Base):
    __tablename__ = "feed"
    __table_args__ = (
        CheckConstraint(_in("kind", FeedKind), name="kind"),
        CheckConstraint("poll_interval_s > 0", name="poll_interval_s"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    outlet_id: Mapped[int] = mapped_column(ForeignKey("outlet.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(2000), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    poll_interval_s: Mapped[int] = mapped_column(Integer, default=900)
    link_pattern: Mapped[str | None] = mapped_column(String(500))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    etag: Mapped[str | None] = mapped_column(String(500))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)


class FeedEventRow(Base):
    """What happened when a feed was polled or one of its articles fetched: the crawl log of feed health."""

    __tablename__ = "feed_event"
    __table_args__ = (Index("ix_feed_event_feed_at", "feed_id", "at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    feed_id: Mapped[int] = mapped_column(ForeignKey("feed.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    ok: Mapped[bool] = mapped_column(Boolean)
    stage: Mapped[str] = mapped_column(String(16))  # poll | article
    url: Mapped[str | None] = mapped_column(String(2000))
    http_status: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str | None] = mapped_column(Text)
    items_seen: Mapped[int] = mapped_column(Integer, default=0)
    items_new: Mapped[int] = mapped_column(Integer, default=0)


class ArticleRow(Base):
    __tablename__ = "article"
    __table_args__ = (Index("ix_article_outlet_published", "outlet_id", "published_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    outlet_id: Mapped[int] = mapped_column(ForeignKey("outlet.id", ondelete="RESTRICT"))
    feed_id: Mapped[int | None] = mapped_column(ForeignKey("feed.id", ondelete="SET NULL"), index=True)
    url: Mapped[str] = mapped_column(String(2000), unique=True)
    title: Mapped[str] = mapped_column(Text)
    sapo: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text)
    authors: Mapped[list[str]] = mapped_column(JSON, default=list)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)


class StoryRow(Base):
    __tablename__ = "story"
    __table_args__ = (
        CheckConstraint(_in("triage_state", TriageState), name="triage_state"),
        # The triage queue: waiting stories, newest first, counted and paged off the index.
        Index("ix_story_triage_queue", "triage_state", "merged_into_id", "last_seen_at", "id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    first_article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"))
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    size: Mapped[int] = mapped_column(Integer, default=1)
    # Triage by a monitor: pending until confirmed (a case is made or kept) or dismissed with a reason.
    triage_state: Mapped[str] = mapped_column(
        String(16), default=TriageState.PENDING.value, server_default=TriageState.PENDING.value, index=True
    )
    triage_note: Mapped[str | None] = mapped_column(Text)
    triaged_by: Mapped[str | None] = mapped_column(String(254))
    triaged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A story merged by a monitor into another one: its copies now belong to that story.
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("story.id", ondelete="SET NULL"))


class EnrichmentRow(Base):
    __tablename__ = "enrichment"
    __table_args__ = (Index("ix_enrichment_relevant_at", "relevant", "enriched_at"),)

    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"), primary_key=True)
    relevant: Mapped[bool] = mapped_column(Boolean)
    relevance_score: Mapped[float] = mapped_column(Float)
    topic: Mapped[str | None] = mapped_column(String(32), index=True)
    topic_scores: Mapped[dict[str, float] | None] = mapped_column(JSON)
    sentiment: Mapped[str | None] = mapped_column(String(16))
    sentiment_score: Mapped[float | None] = mapped_column(Float)
    province: Mapped[str | None] = mapped_column(String(64), index=True)
    entities: Mapped[list[dict[str, object]]] = mapped_column(JSON, default=list)
    model_version: Mapped[str] = mapped_column(String(64))
    enriched_at: Mapped[datetime] = mapped_column(UTCDateTime)
    story_id: Mapped[int | None] = mapped_column(ForeignKey("story.id", ondelete="SET NULL"), index=True)
    signature: Mapped[bytes | None] = mapped_column(LargeBinary)  # MinHash of the text, for story clustering


class UserRow(Base):
    __tablename__ = "app_user"
    __table_args__ = (CheckConstraint("role IN ('admin', 'monitor', 'dau_moi', 'leader')", name="role"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    province: Mapped[str | None] = mapped_column(String(64), index=True)
    is_head: Mapped[bool] = mapped_column(Boolean, default=False)
    phone: Mapped[str | None] = mapped_column(String(40))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    password_hash: Mapped[str | None] = mapped_column(String(200))  # argon2; None: cannot sign in
    # Preferences for e-mail: the daily digest, its scope, quiet hours for non-urgent messages.
    digest_enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    digest_scope: Mapped[str | None] = mapped_column(String(64))  # None: the user's province; "toan_quoc": all
    quiet_start: Mapped[str | None] = mapped_column(String(5))  # "HH:MM", Asia/Ho_Chi_Minh
    quiet_end: Mapped[str | None] = mapped_column(String(5))
    last_digest_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class UserChannelRow(Base):
    """The channels a user chose for the alerts of one tier (no row for a tier: e-mail alone)."""

    __tablename__ = "user_channel"
    __table_args__ = (
        CheckConstraint("tier IN ('immediate', 'hourly', 'digest')", name="tier"),
        CheckConstraint("channel IN ('mail', 'telegram', 'zalo')", name="channel"),
    )

    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), primary_key=True)
    tier: Mapped[str] = mapped_column(String(16), primary_key=True)
    channel: Mapped[str] = mapped_column(String(32), primary_key=True)


class AlertTierRow(Base):
    """When a user receives the case alerts of one priority (no row: the default of alerts/policy/tiers.yaml)."""

    __tablename__ = "alert_tier"
    __table_args__ = (
        CheckConstraint("priority IN ('P1', 'P2', 'P3')", name="priority"),
        CheckConstraint("tier IN ('immediate', 'hourly', 'digest')", name="tier"),
    )

    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), primary_key=True)
    priority: Mapped[str] = mapped_column(String(2), primary_key=True)
    tier: Mapped[str] = mapped_column(String(16))


class UserAddressRow(Base):
    """Where a user's chat messages go: a Telegram chat id, a Zalo OA follower id (the phone for ZNS is
    app_user.phone)."""

    __tablename__ = "user_address"

    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), primary_key=True)
    telegram_chat_id: Mapped[str | None] = mapped_column(String(64))
    zalo_user_id: Mapped[str | None] = mapped_column(String(64))


class LoginAttemptRow(Base):
    """Sign-in attempts, for throttling by account and by address."""

    __tablename__ = "login_attempt"
    __table_args__ = (Index("ix_login_attempt_email_at", "email", "at"), Index("ix_login_attempt_ip_at", "ip", "at"))

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    ip: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    ok: Mapped[bool] = mapped_column(Boolean)


class StoryMergeRow(Base):
    """A monitor's merge of one story into another, with the copies it moved: what undoing it (a split) needs."""

    __tablename__ = "story_merge"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("story.id", ondelete="CASCADE"), index=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("story.id", ondelete="CASCADE"), index=True)
    article_ids: Mapped[list[int]] = mapped_column(JSON)
    moved_case_id: Mapped[int | None] = mapped_column(BigId)  # the source's case, moved to the target
    by: Mapped[str] = mapped_column(String(254))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    undone_by: Mapped[str | None] = mapped_column(String(254))
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class WebSessionRow(Base):
    """A signed-in session of the web app, kept server-side so that it can be ended: sign-out, a password
    change, an administrator's "sign out everywhere". The cookie carries a random token; only its SHA-256 is
    stored here."""

    __tablename__ = "web_session"

    token_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class LabelFeedbackRow(Base):
    """A monitor's correction of a label the NLP gave an article: material for retraining."""

    __tablename__ = "label_feedback"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"), index=True)
    field: Mapped[str] = mapped_column(String(16))  # relevant | topic | sentiment | province
    old_value: Mapped[str | None] = mapped_column(String(64))
    new_value: Mapped[str | None] = mapped_column(String(64))
    by: Mapped[str] = mapped_column(String(254))
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class CaseRow(Base):
    __tablename__ = "press_case"
    __table_args__ = (
        CheckConstraint("priority IN ('P1', 'P2', 'P3')", name="priority"),
        CheckConstraint(
            "state IN ('new', 'assigned', 'acknowledged', 'responded', 'closed', 'dismissed')", name="state"
        ),
        Index("ix_press_case_state_province", "state", "province"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("story.id", ondelete="RESTRICT"), unique=True)
    title: Mapped[str] = mapped_column(Text)
    priority: Mapped[str] = mapped_column(String(2))
    state: Mapped[str] = mapped_column(String(16))
    province: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reason: Mapped[str | None] = mapped_column(Text)
    policy_version: Mapped[str] = mapped_column(String(100), default="")


class CaseAssigneeRow(Base):
    __tablename__ = "case_assignee"

    case_id: Mapped[int] = mapped_column(ForeignKey("press_case.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), primary_key=True)


class AuditEventRow(Base):
    """Append-only: the application never updates or deletes these rows (guards in storage.cases and triggers)."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("press_case.id", ondelete="RESTRICT"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(32))
    from_state: Mapped[str | None] = mapped_column(String(16))
    to_state: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)


class DeadlineRow(Base):
    __tablename__ = "deadline"
    __table_args__ = (
        UniqueConstraint("case_id", "kind", name="uq_deadline_case_kind"),
        Index("ix_deadline_status_due", "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("press_case.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    basis: Mapped[str] = mapped_column(Text)
    internal: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(8), default=DeadlineStatus.OPEN.value)
    met_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminders: Mapped[list[str]] = mapped_column(JSON, default=list)


class ResponseRow(Base):
    __tablename__ = "case_response"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("press_case.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    text: Mapped[str] = mapped_column(Text)
    by: Mapped[str] = mapped_column(String(254))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    attachments: Mapped[list[dict[str, object]]] = mapped_column(JSON, default=list)


class PublicationRow(Base):
    """A response marked for publication on the portal (migration 0019); withdrawn: `withdrawn_at` set."""

    __tablename__ = "response_publication"
    __table_args__ = (Index("ix_response_publication_feed", "withdrawn_at", "published_at"),)

    response_id: Mapped[int] = mapped_column(ForeignKey("case_response.id", ondelete="CASCADE"), primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime)
    published_by: Mapped[str] = mapped_column(String(254))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_by: Mapped[str | None] = mapped_column(String(254))


class StatementRow(Base):
    """The agency's own press releases, statements and documents: the communications database (migration 0019).
    `search_key`: the folded words of title, unit and body between spaces (` thi hanh an `), for search."""

    __tablename__ = "press_statement"
    __table_args__ = (CheckConstraint(_in("kind", StatementKind), name="kind"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    issued_on: Mapped[date] = mapped_column(Date, index=True)
    issuing_unit: Mapped[str] = mapped_column(String(300))
    attachment: Mapped[dict[str, object] | None] = mapped_column(JSON)
    created_by: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    search_key: Mapped[str] = mapped_column(Text)


class StatementStoryRow(Base):
    """Which stories a statement answers."""

    __tablename__ = "press_statement_story"

    statement_id: Mapped[int] = mapped_column(ForeignKey("press_statement.id", ondelete="CASCADE"), primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("story.id", ondelete="CASCADE"), primary_key=True, index=True)


class NotificationRow(Base):
    __tablename__ = "notification"
    __table_args__ = (
        Index("ix_notification_status_next", "status", "next_attempt_at"),
        UniqueConstraint("channel", "dedupe_key", name="uq_notification_channel_dedupe_key"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    html: Mapped[str | None] = mapped_column(Text)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("press_case.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    channel: Mapped[str] = mapped_column(String(32), default="mail", server_default="mail")  # alerts.channels
    dedupe_key: Mapped[str] = mapped_column(String(300))  # one message per key and channel
    status: Mapped[str] = mapped_column(String(8), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    message_id: Mapped[str | None] = mapped_column(String(300))
    urgent: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())  # ignores quiet hours
    sending_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # handed to the SMTP server at (status sending)


class NotificationAttachmentRow(Base):
    """A file sent with a message (a periodic report), stored with it so that the outbox stays transactional."""

    __tablename__ = "notification_attachment"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    notification_id: Mapped[int] = mapped_column(ForeignKey("notification.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    data: Mapped[bytes] = mapped_column(LargeBinary)


class JobRunRow(Base):
    """One run of a scheduled job or worker: when, how it ended, what it did."""

    __tablename__ = "job_run"
    __table_args__ = (Index("ix_job_run_job_started", "job", "started_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    job: Mapped[str] = mapped_column(String(64))
    host: Mapped[str] = mapped_column(String(200))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ok: Mapped[bool | None] = mapped_column(Boolean)
    summary: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)


class SchedulerJobRow(Base):
    """APScheduler's persistent job store (SQLAlchemyJobStore, table `apscheduler_jobs`), created by migration."""

    __tablename__ = "apscheduler_jobs"

    id: Mapped[str] = mapped_column(String(191), primary_key=True)
    next_run_time: Mapped[float | None] = mapped_column(Float(25), index=True)
    job_state: Mapped[bytes] = mapped_column(LargeBinary)


class SnapshotRow(Base):
    __tablename__ = "snapshot"
    __table_args__ = (UniqueConstraint("article_id", "sha256", name="uq_snapshot_article_sha256"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(2000))
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime)
    http_status: Mapped[int] = mapped_column(Integer, default=200)
    sha256: Mapped[str] = mapped_column(String(64))
    content_hash: Mapped[str] = mapped_column(String(64))
    html_gz: Mapped[bytes] = mapped_column(LargeBinary)


class ModelVersionRow(Base):
    """A trained version of the classifier: where its files are, its validation figures, whether it is the one in
    use (exactly one row is active once any exists)."""

    __tablename__ = "model_version"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    version: Mapped[str] = mapped_column(String(64), unique=True)
    path: Mapped[str] = mapped_column(Text)  # the model folder; "" for the models shipped in the package
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    metrics: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    active: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    promoted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    promoted_by: Mapped[str | None] = mapped_column(String(254))


class ExplanationRow(Base):
    """Why an article was flagged, as the enrichment read it: the terms that weighed most for relevance, topic and
    tone (coefficient × feature value of the linear models) and the places that decided the province (JSON lists
    of storage.explanations records)."""

    __tablename__ = "explanation"

    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"), primary_key=True)
    relevance: Mapped[list[dict[str, object]]] = mapped_column(JSON, default=list)
    topic: Mapped[list[dict[str, object]]] = mapped_column(JSON, default=list)
    sentiment: Mapped[list[dict[str, object]]] = mapped_column(JSON, default=list)
    places: Mapped[list[dict[str, object]]] = mapped_column(JSON, default=list)
    model_version: Mapped[str] = mapped_column(String(64))
    made_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SpikeAlertRow(Base):
    """A spike alert (alerts/spikes.py): one per dimension (topic, province, story), key and window, whoever
    checks it; the articles it counted, its figures and its drivers as the message named them."""

    __tablename__ = "spike_alert"
    __table_args__ = (UniqueConstraint("dimension", "key", "window_end", name="uq_spike_alert_window"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    dimension: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(200))
    window_start: Mapped[datetime] = mapped_column(UTCDateTime)
    window_end: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    count: Mapped[int] = mapped_column(Integer)
    baseline_mean: Mapped[float] = mapped_column(Float)
    p_value: Mapped[float] = mapped_column(Float)
    article_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    drivers: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AckStepRow(Base):
    """The acknowledgement chain of an urgent case (alerts.ack_chain): step 0 is the alert itself (the chain's
    start), steps 1… the people told after it went unacknowledged. The key (case, step) makes each step happen
    once, whichever worker gets there first."""

    __tablename__ = "ack_step"

    case_id: Mapped[int] = mapped_column(ForeignKey("press_case.id", ondelete="CASCADE"), primary_key=True)
    step: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    target: Mapped[str] = mapped_column(String(32))  # alert | a target code of alerts/policy/escalation.yaml
    recipients: Mapped[list[str]] = mapped_column(JSON, default=list)  # e-mail addresses told


class AckTokenUseRow(Base):
    """A one-click acknowledgement link that was used (alerts.ack_links): its nonce is the key, so it works once."""

    __tablename__ = "ack_token_use"

    nonce: Mapped[str] = mapped_column(String(64), primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("press_case.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"))
    used_at: Mapped[datetime] = mapped_column(UTCDateTime)


class HeldAlertRow(Base):
    """A case alert held for one user (alerts.batching): for the hourly round-up (tier `hourly`), or a P1 alert
    within the batching window after one went out at once (tier `immediate`); released as one message per user at
    `due_at`. A P1 alert that went out at once is kept too (`at_once`, released when held): it opens the window."""

    __tablename__ = "held_alert"
    __table_args__ = (
        CheckConstraint("tier IN ('immediate', 'hourly')", name="tier"),
        UniqueConstraint("user_id", "case_id", "tier", name="uq_held_alert_user_case_tier"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"))
    case_id: Mapped[int] = mapped_column(ForeignKey("press_case.id", ondelete="CASCADE"), index=True)
    tier: Mapped[str] = mapped_column(String(16))
    held_at: Mapped[datetime] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    at_once: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class CorrectionWatchRow(Base):
    """A correction request and the watch for the outlet's correction (domain.records.CorrectionWatch)."""

    __tablename__ = "correction_watch"
    __table_args__ = (
        Index("ix_correction_watch_state_due", "state", "due_at"),
        UniqueConstraint("response_id", "outlet_id", name="uq_correction_watch_response_outlet"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("press_case.id", ondelete="CASCADE"), index=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("case_response.id", ondelete="CASCADE"))
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"))
    outlet_id: Mapped[int] = mapped_column(ForeignKey("outlet.id", ondelete="CASCADE"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    basis: Mapped[str] = mapped_column(Text)
    hash_at_request: Mapped[str] = mapped_column(String(64), default="")
    markers_at_request: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[str] = mapped_column(String(24))
    found_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    evidence: Mapped[str | None] = mapped_column(String(24))
    evidence_article_id: Mapped[int | None] = mapped_column(ForeignKey("article.id", ondelete="SET NULL"))
    evidence_text: Mapped[str] = mapped_column(Text, default="")


class IncidentRow(Base):
    """A communication incident (sự cố truyền thông): stories across outlets grouped under an owner, a severity and
    a timeline, declared by a monitor (or from a spike alert) and closed with a summary for the periodic report."""

    __tablename__ = "incident"
    __table_args__ = (
        CheckConstraint(_in("severity", IncidentSeverity), name="severity"),
        CheckConstraint(_in("state", IncidentState), name="state"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text, default="")
    severity: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(8), default=IncidentState.OPEN.value)
    owner_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="RESTRICT"), index=True)
    declared_by: Mapped[str] = mapped_column(String(254))
    declared_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    closed_by: Mapped[str | None] = mapped_column(String(254))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    closing_summary: Mapped[str | None] = mapped_column(Text)
    spike_alert_id: Mapped[int | None] = mapped_column(ForeignKey("spike_alert.id", ondelete="SET NULL"))


class IncidentStoryRow(Base):
    """A story grouped under an incident."""

    __tablename__ = "incident_story"

    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id", ondelete="CASCADE"), primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("story.id", ondelete="CASCADE"), primary_key=True, index=True)


class IncidentActionRow(Base):
    """What the agency did during an incident (statement, rebuttal, correction request, note): who, when, what."""

    __tablename__ = "incident_action"
    __table_args__ = (CheckConstraint(_in("kind", IncidentActionKind), name="kind"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    by: Mapped[str] = mapped_column(String(254))


class ArticleWatchRow(Base):
    """The post-response watch of one article (crawler/recheck.py): what the last re-check found, when, and the
    validators of its answer for the next conditional GET."""

    __tablename__ = "article_watch"
    __table_args__ = (
        CheckConstraint(_in("state", WatchState), name="state"),
        CheckConstraint(_in("takedown_reason", TakedownReason), name="takedown_reason"),
    )

    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"), primary_key=True)
    state: Mapped[str] = mapped_column(String(16), default=WatchState.UNCHANGED.value)
    last_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    checked_count: Mapped[int] = mapped_column(Integer, default=0)
    etag: Mapped[str | None] = mapped_column(String(500))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    takedown_reason: Mapped[str | None] = mapped_column(String(32))
    last_problem: Mapped[str | None] = mapped_column(Text)


class ArticleChangeRow(Base):
    """An edit or a takedown the watch found, kept with its evidence; `notified_at` once the case's focal points
    were told (alerts/article_changes.py)."""

    __tablename__ = "article_change"
    __table_args__ = (
        CheckConstraint("kind IN ('edited', 'taken_down')", name="kind"),
        CheckConstraint(_in("reason", TakedownReason), name="reason"),
        Index("ix_article_change_article_at", "article_id", "at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(String(16))
    http_status: Mapped[int | None] = mapped_column(Integer)
    final_url: Mapped[str | None] = mapped_column(String(2000))
    reason: Mapped[str | None] = mapped_column(String(32))
    snapshot_id: Mapped[int | None] = mapped_column(ForeignKey("snapshot.id", ondelete="SET NULL"))
    old_title: Mapped[str] = mapped_column(Text, default="")
    new_title: Mapped[str] = mapped_column(Text, default="")
    old_text: Mapped[str] = mapped_column(Text, default="")
    new_text: Mapped[str] = mapped_column(Text, default="")
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)


class SocialSourceStateRow(Base):
    """What polling remembers of one social source (domain.social.SocialSourceState)."""

    __tablename__ = "social_source_state"

    slug: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(24))
    since_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    page_token: Mapped[str | None] = mapped_column(Text)
    pass_since_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    uploads_playlist: Mapped[str | None] = mapped_column(String(64))
    quota_day: Mapped[str | None] = mapped_column(String(10))
    quota_spent: Mapped[int] = mapped_column(Integer, default=0)
    resume_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    problem: Mapped[str | None] = mapped_column(String(24))
    problem_text: Mapped[str] = mapped_column(Text, default="")
    problem_since_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SocialPostRow(Base):
    """A Facebook post or YouTube video read through the official API (domain.social.SocialPost)."""

    __tablename__ = "social_post"
    __table_args__ = (UniqueConstraint("platform", "platform_id", name="uq_social_post_platform_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    platform_id: Mapped[str] = mapped_column(String(128))
    source_slug: Mapped[str] = mapped_column(String(64), index=True)
    url: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    reactions: Mapped[int | None] = mapped_column(Integer)
    comments: Mapped[int | None] = mapped_column(Integer)
    shares: Mapped[int | None] = mapped_column(Integer)
    views: Mapped[int | None] = mapped_column(BigInteger)
    shared_url: Mapped[str | None] = mapped_column(Text)
    comments_cursor: Mapped[str | None] = mapped_column(Text)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("press_case.id", ondelete="SET NULL"))
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # A post that shares no article's link joins a story when its text is similar to the story's articles
    # (nlp/social_join.py): the story, and the score; story_score None: not compared yet.
    story_id: Mapped[int | None] = mapped_column(ForeignKey("story.id", ondelete="SET NULL"), index=True)
    story_score: Mapped[float | None] = mapped_column(Float)


class SocialCommentRow(Base):
    """A comment or reply on a social post; the author pseudonymised (domain.social.SocialComment)."""

    __tablename__ = "social_comment"
    __table_args__ = (UniqueConstraint("platform", "platform_id", name="uq_social_comment_platform_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    platform_id: Mapped[str] = mapped_column(String(128))
    post_id: Mapped[int] = mapped_column(ForeignKey("social_post.id", ondelete="CASCADE"), index=True)
    parent_platform_id: Mapped[str | None] = mapped_column(String(128))
    text: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[datetime] = mapped_column(UTCDateTime)
    like_count: Mapped[int] = mapped_column(Integer, default=0)
    author_pseudonym: Mapped[str] = mapped_column(String(64))
    author_name: Mapped[str | None] = mapped_column(Text)
    author_platform_id: Mapped[str | None] = mapped_column(String(128))
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime)
    tone: Mapped[str | None] = mapped_column(String(12))  # tieu_cuc, trung_lap, tich_cuc (nlp.comments); None: unread


class WatchProfileRow(Base):
    """A watch profile (domain/profiles.py): a saved query owned by a unit; `version` counts its edits."""

    __tablename__ = "watch_profile"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(16))
    unit: Mapped[str] = mapped_column(String(100), index=True)
    query: Mapped[str] = mapped_column(Text)
    outlets: Mapped[list[str]] = mapped_column(JSON, default=list)
    provinces: Mapped[list[str]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    opens_cases: Mapped[bool] = mapped_column(Boolean, default=False)
    recipients: Mapped[list[str]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_by: Mapped[str] = mapped_column(String(254))
    version: Mapped[int] = mapped_column(Integer, default=1)
    digest: Mapped[str] = mapped_column(String(16), default="daily", server_default="daily")  # DigestSchedule
    last_digest_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # a draft-law profile (kind du_thao): its drafting body and consultation window (migration 0026)
    drafting_body: Mapped[str] = mapped_column(String(300), default="", server_default="")
    consultation_start: Mapped[date | None] = mapped_column(Date, nullable=True)
    consultation_end: Mapped[date | None] = mapped_column(Date, nullable=True)


class ProfileMatchRow(Base):
    """An article a watch profile matched: written once per new article, rewritten by a backfill."""

    __tablename__ = "profile_match"
    __table_args__ = (Index("ix_profile_match_profile_at", "profile_id", "matched_at"),)

    profile_id: Mapped[int] = mapped_column(ForeignKey("watch_profile.id", ondelete="CASCADE"), primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"), primary_key=True, index=True)
    matched_at: Mapped[datetime] = mapped_column(UTCDateTime)
