"""The closed sets of codes the packages share, each with its order and its subsets, defined once.

The codes are what storage keeps (plain text columns); a `StrEnum` member is its code (`CaseState.NEW == "new"`),
so it goes into queries, JSON and templates as it is. The words users read for them are in `domain.labels`.
"""

from __future__ import annotations

from enum import StrEnum


class CaseState(StrEnum):
    """A case's state: new → assigned → acknowledged → responded → closed; dismissed from an open state."""

    NEW = "new"
    ASSIGNED = "assigned"
    ACKNOWLEDGED = "acknowledged"
    RESPONDED = "responded"
    CLOSED = "closed"
    DISMISSED = "dismissed"

    @property
    def is_open(self) -> bool:
        return self in OPEN_STATES


# In the order of the workflow.
OPEN_STATES: tuple[CaseState, ...] = (
    CaseState.NEW,
    CaseState.ASSIGNED,
    CaseState.ACKNOWLEDGED,
    CaseState.RESPONDED,
)
FINISHED_STATES: tuple[CaseState, ...] = (CaseState.CLOSED, CaseState.DISMISSED)


class Priority(StrEnum):
    """How urgent a case is; P1 first."""

    P1 = "P1"
    P2 = "P2"
    P3 = "P3"

    @property
    def rank(self) -> int:
        """1 for the most urgent: a lower rank comes first and a case only ever moves to a lower one on its own."""
        return _RANK[self]


_RANK: dict[Priority, int] = {p: i for i, p in enumerate(Priority, start=1)}


def priority_rank(value: str | None) -> int:
    """The rank of a priority code, for sorting; no priority (no case) after every priority."""
    return Priority(value).rank if value else len(_RANK) + 1


class Role(StrEnum):
    """What a user does in the system."""

    ADMIN = "admin"
    MONITOR = "monitor"
    DAU_MOI = "dau_moi"  # the focal point (đầu mối) of a province, or of the central desk
    LEADER = "leader"


class Sentiment(StrEnum):
    """The tone of an article towards the enforcement bodies (shared/domain/labeling-guide.md)."""

    TIEU_CUC = "tieu_cuc"
    TRUNG_LAP = "trung_lap"
    TICH_CUC = "tich_cuc"


class NotificationKind(StrEnum):
    """Why a message was written (the outbox keeps one per event and recipient)."""

    ALERT = "alert"  # a P1 case: urgent, to the focal points and the central desk
    CASE = "case"  # a new P2/P3 case, to its focal points
    REMINDER = "reminder"
    ESCALATION = "escalation"
    DIGEST = "digest"
    REPORT = "report"
    FEED = "feed"  # a feed's health changed
    ROUNDUP = "roundup"  # the hourly round-up of the alerts a user chose to receive that way
    ACK_ESCALATION = "ack_escalation"  # a P1 alert not acknowledged in time: the next step of the chain
    SPIKE = "spike"  # a topic, province or story far above its usual volume
    CORRECTION = "correction"  # the outlet corrected (or did not, by the deadline) after a correction request
    ARTICLE_CHANGE = "article_change"  # a watched article of a case was edited or taken down


class AlertTier(StrEnum):
    """When a user receives the alerts of one priority: at once, in the hourly round-up, or only in the daily
    digest."""

    IMMEDIATE = "immediate"
    HOURLY = "hourly"
    DIGEST = "digest"


class ChannelName(StrEnum):
    """The channels a message can go out on (the outbox's channel column)."""

    MAIL = "mail"
    WEBHOOK = "webhook"
    TELEGRAM = "telegram"
    ZALO = "zalo"


class TriageState(StrEnum):
    """A story's triage by a monitor: pending until confirmed (a case is made or kept) or dismissed."""

    PENDING = "pending"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"


# A monitor has decided: the story no longer waits in the queue.
TRIAGED_STATES: tuple[TriageState, ...] = (TriageState.CONFIRMED, TriageState.DISMISSED)


class DeadlineStatus(StrEnum):
    """A deadline's status: open until a response meets it (met, or missed if late) or its case is dismissed
    (void: no longer owed, neither met nor missed)."""

    OPEN = "open"
    MET = "met"
    MISSED = "missed"
    VOID = "void"


# A response came, in time or late: what the timeliness figures count.
ANSWERED_STATUSES: tuple[DeadlineStatus, ...] = (DeadlineStatus.MET, DeadlineStatus.MISSED)


class ResponseKind(StrEnum):
    """What a case's response was (Quy chế phát ngôn): the first information to the press, the written answer,
    a request for correction, a report."""

    THONG_TIN_BAN_DAU = "thong_tin_ban_dau"
    VAN_BAN_TRA_LOI = "van_ban_tra_loi"
    YEU_CAU_CAI_CHINH = "yeu_cau_cai_chinh"
    BAO_CAO = "bao_cao"


class StatementKind(StrEnum):
    """A document of the agency's own in the communications database: a press release, a spokesperson's
    statement, another document (official letter, notice)."""

    THONG_CAO = "thong_cao"
    PHAT_NGON = "phat_ngon"
    VAN_BAN = "van_ban"


# A written answer to the outlet: what the reports count as answered in writing.
WRITTEN_RESPONSES: tuple[ResponseKind, ...] = (ResponseKind.VAN_BAN_TRA_LOI, ResponseKind.YEU_CAU_CAI_CHINH)


class CorrectionState(StrEnum):
    """Where a correction request stands: the outlet's correction awaited, found, or not found by the deadline."""

    WAITING = "cho_cai_chinh"
    CORRECTED = "da_cai_chinh"
    NOT_CORRECTED = "khong_cai_chinh"


class CorrectionEvidence(StrEnum):
    """How the outlet's correction was found."""

    NOTE = "ghi_chu"  # a "đính chính" / "cải chính" note added to the article
    EDITED = "sua_bai"  # the article edited after the request
    TAKEN_DOWN = "go_bai"  # the article taken down after the request
    NEW_ARTICLE = "bai_moi"  # a new article of the same outlet that corrects it


class IncidentSeverity(StrEnum):
    """How serious a communication incident (sự cố truyền thông) is; the most serious last."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class IncidentState(StrEnum):
    """An incident is open while the agency handles it, closed with a closing summary."""

    OPEN = "open"
    CLOSED = "closed"


class IncidentActionKind(StrEnum):
    """What the agency did during an incident: a statement, a rebuttal of inaccurate information, a request for
    correction to an outlet, or an internal note."""

    STATEMENT = "statement"
    REBUTTAL = "rebuttal"
    CORRECTION_REQUEST = "correction_request"
    NOTE = "note"


class WatchState(StrEnum):
    """What the re-check of a case's article found (crawler/recheck.py): the text as first captured, edited since,
    or taken down by the outlet."""

    UNCHANGED = "unchanged"
    EDITED = "edited"
    TAKEN_DOWN = "taken_down"


class TakedownReason(StrEnum):
    """The evidence that an article was taken down: an HTTP status saying it is gone (404, 410), a redirect to the
    outlet's home page or to a section page, or the outlet's own "not found" page."""

    GONE = "gone"
    REDIRECT_HOME = "redirect_home"
    REDIRECT_SECTION = "redirect_section"
    NOT_FOUND_PAGE = "not_found_page"
