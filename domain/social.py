"""Social media items read through the platforms' official APIs: the vocabulary and the records exchanged between
the social connectors (crawler/social), storage (storage/social.py) and the health message (alerts)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Platform(StrEnum):
    FACEBOOK = "facebook"
    YOUTUBE = "youtube"


class SocialSourceKind(StrEnum):
    """What one registry entry of the `social:` list reads."""

    FACEBOOK_PAGE = "facebook_page"  # a Facebook Page: its posts, their comments and reactions
    YOUTUBE_CHANNEL = "youtube_channel"  # a YouTube channel's new uploads and their comment threads
    YOUTUBE_SEARCH = "youtube_search"  # YouTube videos found by watch terms and their comment threads

    @property
    def platform(self) -> Platform:
        return Platform.FACEBOOK if self is SocialSourceKind.FACEBOOK_PAGE else Platform.YOUTUBE


class SocialProblem(StrEnum):
    """Why a social source could not be read; each is told to the administrators in words (`label`)."""

    TOKEN_EXPIRED = "token_expired"  # Graph API error 190: the Page token expired or was revoked
    TOKEN_MISSING = "token_missing"  # no token / API key configured for the source
    PERMISSION = "permission"  # Graph API error 10/200: the app lacks the permission to read this page
    QUOTA = "quota"  # YouTube quota exhausted (answer quotaExceeded, or the daily budget setting reached)
    RATE_LIMITED = "rate_limited"  # the platform asked us to slow down; polling resumes after the wait
    NOT_FOUND = "not_found"  # the page, channel or video does not exist (any more)
    FAILED = "failed"  # anything else: a network error, an unexpected answer

    @property
    def label(self) -> str:
        return PROBLEM_VI[self]


PROBLEM_VI: dict[SocialProblem, str] = {
    SocialProblem.TOKEN_EXPIRED: "mã truy cập (access token) đã hết hạn hoặc bị thu hồi",
    SocialProblem.TOKEN_MISSING: "chưa cấu hình mã truy cập hoặc khóa API",
    SocialProblem.PERMISSION: "ứng dụng không có quyền đọc nguồn này",
    SocialProblem.QUOTA: "đã hết hạn mức (quota) YouTube trong ngày",
    SocialProblem.RATE_LIMITED: "nền tảng yêu cầu giảm tần suất truy vấn",
    SocialProblem.NOT_FOUND: "không tìm thấy trang, kênh hoặc video",
    SocialProblem.FAILED: "lỗi khi gọi API",
}

# Problems the administrators are told about (a rate limit passes by itself and is only logged and shown).
TOLD_PROBLEMS = frozenset(
    {
        SocialProblem.TOKEN_EXPIRED,
        SocialProblem.TOKEN_MISSING,
        SocialProblem.PERMISSION,
        SocialProblem.QUOTA,
        SocialProblem.NOT_FOUND,
        SocialProblem.FAILED,
    }
)


@dataclass(frozen=True, slots=True, kw_only=True)
class SocialSourceState:
    """What polling remembers of one social source between polls (table social_source_state)."""

    slug: str
    kind: SocialSourceKind
    since_at: datetime | None = None  # newest item time seen by a completed pass (the next pass asks from there)
    page_token: str | None = None  # where an interrupted pass resumes (Graph `after` cursor, YouTube pageToken)
    pass_since_at: datetime | None = None  # the `since` of the interrupted pass
    uploads_playlist: str | None = None  # YouTube: the channel's uploads playlist (asked once, 1 unit)
    quota_day: str | None = None  # the YouTube quota day (Pacific time, ISO date) `quota_spent` counts
    quota_spent: int = 0  # units this source spent on `quota_day`
    resume_at: datetime | None = None  # no call before this time (rate limit, exhausted quota)
    problem: SocialProblem | None = None  # the last poll's problem; None when it went well
    problem_text: str = ""  # in Vietnamese, with the platform's own message
    problem_since_at: datetime | None = None
    last_success_at: datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SocialPost:
    """A Facebook post or a YouTube video."""

    platform: Platform
    platform_id: str
    source_slug: str
    url: str
    text: str
    published_at: datetime
    reactions: int | None = None  # Facebook reactions (total), YouTube likes
    comments: int | None = None
    shares: int | None = None
    views: int | None = None
    shared_url: str | None = None  # the link the post shares (an article, usually)
    id: int | None = None
    comments_cursor: str | None = None  # where the next comment poll of this post starts
    case_id: int | None = None  # linked to a case as evidence: its commenters may be kept in clear (setting)


@dataclass(frozen=True, slots=True, kw_only=True)
class SocialComment:
    """A comment or reply; the author is a pseudonym (HMAC-SHA256 of the platform's user id with a secret key).
    The clear name and id are kept only for a post linked to a case as evidence, when the setting allows it."""

    platform: Platform
    platform_id: str
    post_platform_id: str
    parent_platform_id: str | None
    text: str
    published_at: datetime
    like_count: int = 0
    author_pseudonym: str = ""
    author_name: str | None = None
    author_platform_id: str | None = None
