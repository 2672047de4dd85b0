"""Frozen records: what the packages exchange. Timestamps are tz-aware UTC."""

from __future__ import annotations

import gzip
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Literal

from domain.enums import (
    CaseState,
    CorrectionEvidence,
    CorrectionState,
    DeadlineStatus,
    NotificationKind,
    Priority,
    ResponseKind,
    Role,
    Sentiment,
    StatementKind,
    TriageState,
)


class OutletKind(StrEnum):
    NATIONAL = "national"
    LOCAL = "local"
    MINISTRY = "ministry"
    PORTAL = "portal"


class FeedKind(StrEnum):
    RSS = "rss"
    SITEMAP = "sitemap"
    LISTING = "listing"


@dataclass(frozen=True, slots=True, kw_only=True)
class Outlet:
    """A press outlet (cơ quan báo chí) or portal."""

    slug: str
    name: str
    domain: str
    kind: OutletKind
    home_province: str | None = None  # one of the 34 current units, for local outlets
    reach_tier: int = 2  # 1 = widest reach (national dailies) … 3 = narrow
    id: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Feed:
    """One way into an outlet's news: an RSS/Atom feed, a news sitemap or a listing page."""

    outlet_id: int
    url: str
    kind: FeedKind
    poll_interval_s: int = 900
    link_pattern: str | None = None  # listing pages: regex an article link must match
    enabled: bool = True
    etag: str | None = None
    last_modified: str | None = None
    last_attempt_at: datetime | None = None
    last_success_at: datetime | None = None
    consecutive_failures: int = 0
    last_error: str | None = None
    id: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Article:
    """A stored article; `url` is canonical and unique."""

    outlet_id: int
    url: str
    title: str
    text: str
    content_hash: str  # SHA-256 hex of the normalised title + text
    fetched_at: datetime
    sapo: str = ""
    authors: tuple[str, ...] = ()
    published_at: datetime | None = None
    feed_id: int | None = None
    id: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Snapshot:
    """Evidence: the raw page as fetched, gzip-compressed, with the SHA-256 of the raw bytes."""

    article_id: int
    url: str
    fetched_at: datetime
    sha256: str
    html_gz: bytes
    content_hash: str  # of the extracted text at that fetch: a change means the outlet edited it
    http_status: int = 200
    id: int | None = None

    @property
    def html(self) -> bytes:
        """The raw page bytes as first received."""
        return gzip.decompress(self.html_gz)


@dataclass(frozen=True, slots=True, kw_only=True)
class FeedEvent:
    """One entry of a feed's crawl log: a poll or an article fetch, good or bad, with the reason."""

    feed_id: int
    at: datetime
    ok: bool
    stage: str  # "poll" | "article"
    url: str | None = None
    http_status: int | None = None
    reason: str | None = None
    items_seen: int = 0
    items_new: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class FeedActivity:
    """Raw figures for a feed's health, as storage knows them (judged by crawler.health)."""

    feed: Feed
    outlet_slug: str
    new_article_times: tuple[datetime, ...]  # fetch times of its newest articles, newest first
    articles_last_7d: int
    failures_last_7d: int
    last_problem: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Entity:
    kind: str  # body | person | location | judgment | decision | money
    text: str
    value: float | None = None  # money normalised to VND
    province: str | None = None  # bodies: the current province they belong to


@dataclass(frozen=True, slots=True, kw_only=True)
class Reading:
    """What the classifier reads in one text (labels of shared/domain/labeling-guide.md)."""

    relevant: bool
    relevance_score: float
    topic: str | None = None  # a code of domain/taxonomy.yaml
    topic_scores: dict[str, float] | None = None
    sentiment: Sentiment | None = None
    sentiment_score: float | None = None
    province: str | None = None
    entities: tuple[Entity, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Enrichment(Reading):
    """A reading of one stored article, by one model version, with the story it joined."""

    article_id: int
    model_version: str
    enriched_at: datetime
    story_id: int | None = None

    @classmethod
    def of(
        cls, reading: Reading, *, article_id: int, model_version: str, enriched_at: datetime, story_id: int | None
    ) -> Enrichment:
        """The enrichment that records `reading` of the article."""
        labels = {f.name: getattr(reading, f.name) for f in fields(Reading)}
        return cls(
            **labels, article_id=article_id, model_version=model_version, enriched_at=enriched_at, story_id=story_id
        )


# Where a place stood: inside a THADS body's name, the headline, the lead, the text; or the wording that spoke of
# the whole system (a nationwide result); or the outlet's home province (no place named at all).
PLACE_PARTS = ("body", "title", "lead", "text", "central", "home")


@dataclass(frozen=True, slots=True, kw_only=True)
class Term:
    """A feature and its contribution to the label (coefficient × value): `text` as a reader would say it,
    `part` where it stood ("title" for the headline and lead, "text", "mark" for a wording mark)."""

    text: str
    part: str
    weight: float


@dataclass(frozen=True, slots=True, kw_only=True)
class Place:
    text: str
    part: str  # one of PLACE_PARTS
    weight: float


@dataclass(frozen=True, slots=True, kw_only=True)
class Explanation:
    """Why an article got its labels, stored when the enrichment read it (shown to monitors)."""

    article_id: int
    relevance: tuple[Term, ...]
    topic: tuple[Term, ...]
    sentiment: tuple[Term, ...]
    places: tuple[Place, ...]
    model_version: str
    made_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class Story:
    """Copies of one story across outlets (near-duplicates and syndication)."""

    id: int
    title: str
    first_article_id: int
    first_seen_at: datetime
    last_seen_at: datetime
    size: int
    triage_state: TriageState = TriageState.PENDING  # by a monitor
    triage_note: str | None = None
    triaged_by: str | None = None
    triaged_at: datetime | None = None
    merged_into_id: int | None = None  # merged by a monitor into that story


@dataclass(frozen=True, slots=True, kw_only=True)
class User:
    """A person the system writes to or lets in: focal point (đầu mối), monitor, leader, admin."""

    email: str
    name: str
    role: Role
    province: str | None = None  # one of the 34, "toan_quoc" for the central desk, None for all
    is_head: bool = False  # head of the province's body: escalations go to them
    phone: str | None = None
    active: bool = True
    id: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Case:
    """Hồ sơ xử lý thông tin báo chí: one per flagged story."""

    id: int
    story_id: int
    title: str
    priority: Priority
    state: CaseState
    province: str
    received_at: datetime  # when the agency got the matter (the flag time): picks the deadline rules
    updated_at: datetime
    reason: str | None = None  # why it was flagged, or dismissed
    policy_version: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditEvent:
    case_id: int
    at: datetime
    actor: str
    action: str
    from_state: str | None
    to_state: str | None
    note: str | None = None
    id: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Deadline:
    case_id: int
    kind: str
    due_at: datetime
    basis: str  # the rule's legal basis, as the policy file words it
    internal: bool = False  # an internal target, not a statutory one
    status: DeadlineStatus = DeadlineStatus.OPEN
    met_at: datetime | None = None
    escalated_at: datetime | None = None
    reminders: tuple[str, ...] = ()  # reminder points already sent ("50%", "80%", "last_day")
    id: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Attachment:
    name: str
    sha256: str
    size: int
    path: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Response:
    case_id: int
    kind: ResponseKind
    text: str
    by: str
    at: datetime
    attachments: tuple[Attachment, ...] = ()
    id: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Publication:
    """A response marked for publication on the portal: its public title and text, who published it and when;
    withdrawn (`withdrawn_at` set) it leaves the feed. Published again, `published_at` is the new time."""

    response_id: int
    case_id: int
    title: str
    text: str
    published_at: datetime
    published_by: str
    updated_at: datetime
    withdrawn_at: datetime | None = None
    withdrawn_by: str | None = None

    @property
    def live(self) -> bool:
        return self.withdrawn_at is None


@dataclass(frozen=True, slots=True, kw_only=True)
class Statement:
    """A document of the agency's own (press release, statement, other document) in the communications database,
    linked to the stories it answers."""

    kind: StatementKind
    title: str
    body: str
    issued_on: date
    issuing_unit: str
    created_by: str
    created_at: datetime
    story_ids: tuple[int, ...] = ()
    attachment: Attachment | None = None
    id: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class NotificationAttachment:
    """A file sent with a message (e.g. a periodic report), stored in the outbox with it."""

    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True, slots=True, kw_only=True)
class Notification:
    """One message in the outbox, for one channel: written with the event that causes it, delivered by the outbox
    worker through its channel. `recipient` is the user's e-mail (their key; the e-mail channel's address)."""

    kind: NotificationKind
    recipient: str
    subject: str
    text: str
    created_at: datetime
    dedupe_key: str  # one message per key and channel, ever
    channel: str = "mail"  # the name of the alerts channel that delivers it
    html: str | None = None
    case_id: int | None = None
    status: str = "pending"  # pending | sending | sent | failed
    attempts: int = 0
    next_attempt_at: datetime | None = None  # not before (retry backoff, quiet hours)
    sent_at: datetime | None = None
    sending_at: datetime | None = None  # handed to the SMTP server at; sent_at not yet recorded
    last_error: str | None = None
    message_id: str | None = None
    urgent: bool = False  # P1 alerts and escalations: delivered during quiet hours too
    attachments: tuple[NotificationAttachment, ...] = ()
    id: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Preferences:
    """A user's e-mail preferences: the daily digest, its scope, quiet hours for non-urgent messages."""

    email: str
    digest_enabled: bool = True
    digest_scope: str | None = None  # None: the user's province (all when they have none); "toan_quoc": all
    quiet_start: str | None = None  # "HH:MM" Asia/Ho_Chi_Minh; both or neither
    quiet_end: str | None = None
    last_digest_at: datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ArticleBrief:
    """A relevant article as lists and digests show it: where it ran, what the NLP read, its case if any."""

    article_id: int
    title: str
    url: str
    outlet: str  # the outlet's name
    fetched_at: datetime
    enriched_at: datetime
    published_at: datetime | None = None
    topic: str | None = None
    sentiment: Sentiment | None = None
    province: str | None = None
    story_id: int | None = None
    case_id: int | None = None  # the story's case, unless it was dismissed
    case_priority: Priority | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Message:
    """One message to one person, as composed for every channel: what it is about (kind, case), who it is for
    (the user: each channel finds its own address for them), the words (subject, plain text, HTML where a channel
    shows it), the links it points to, and its dedupe key (one message per key and channel, ever)."""

    kind: NotificationKind
    recipient: User
    subject: str
    text: str
    created_at: datetime
    dedupe_key: str
    html: str | None = None  # None: laid out from the text by the channels that need HTML
    links: tuple[str, ...] = ()  # the pages the message points to, first the main one
    case_id: int | None = None
    urgent: bool = False  # P1 alerts and escalations: delivered during quiet hours too
    attachments: tuple[NotificationAttachment, ...] = ()


FeedState = Literal["ok", "failing", "silent", "new", "disabled"]


@dataclass(frozen=True, slots=True, kw_only=True)
class FeedHealth:
    """How a feed is doing, as the crawler judges it and the feed-health message tells the administrators."""

    feed_id: int
    outlet_slug: str
    url: str
    state: FeedState
    last_success_at: datetime | None
    last_new_article_at: datetime | None
    items_per_day: float
    consecutive_failures: int
    usual_gap: timedelta | None
    problem: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class CorrectionWatch:
    """A correction request to an outlet and the watch for its correction (QĐ 2862 §2.4.2): opened when a response
    of kind "yêu cầu cải chính" is recorded, due by the press rules, closed when the correction is found (with its
    evidence) or the deadline passes."""

    case_id: int
    response_id: int
    article_id: int  # the article whose correction was requested
    outlet_id: int
    requested_at: datetime
    due_at: datetime
    basis: str  # the rule's legal basis, as the policy file words it
    hash_at_request: str = ""  # the article's content hash when the request was made: a change is an edit
    markers_at_request: int = 0  # correction notes the article carried already when the request was made
    state: CorrectionState = CorrectionState.WAITING
    found_at: datetime | None = None
    evidence: CorrectionEvidence | None = None
    evidence_article_id: int | None = None  # the correcting article (a new one, or the article itself)
    evidence_text: str = ""  # the passage that corrects, as published
    id: int | None = None
