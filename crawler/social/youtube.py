"""YouTube Data API v3 with an API key: a channel's new uploads (its uploads playlist: 1 unit a page, far cheaper
than search), videos found by watch terms (search: 100 units a page), their details (videos.list) and their
comment threads, top-level comments and replies (commentThreads.list, comments.list for the replies beyond the
five a thread carries). Every call is charged to the quota before it is made (crawler.social.quota).

Error answers follow the API reference: 403 quotaExceeded / dailyLimitExceeded (stop for the quota day),
429 or rateLimitExceeded (wait as Retry-After says), 400 keyInvalid (the key), 403 commentsDisabled (a video
without comments: skipped), 404 (no such channel, playlist or video).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx

from crawler.social.api import ApiProblem, get_json, parse_time, rfc3339
from crawler.social.quota import Quota
from domain.social import Platform, SocialComment, SocialPost, SocialProblem

QUOTA_REASONS = frozenset({"quotaExceeded", "dailyLimitExceeded"})
RATE_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded"})
KEY_REASONS = frozenset({"keyInvalid", "keyExpired", "accessNotConfigured"})
DEFAULT_RETRY_S = 60.0


class CommentsDisabled(Exception):
    """The video's comments are turned off: nothing to read, not a problem of the source."""


@dataclass(frozen=True, slots=True)
class ListPage:
    items: tuple[dict[str, Any], ...]
    next_token: str | None


class YouTube:
    """The Data API calls the connector makes, each charged to `quota` first."""

    def __init__(self, client: httpx.Client, base_url: str, key: str, quota: Quota) -> None:
        self.client, self.base_url, self.key, self.quota = client, base_url.rstrip("/"), key, quota

    def call(self, method: str, **params: str) -> ListPage:
        self.quota.charge(method)
        answer = get_json(self.client, f"{self.base_url}/{method}", {**params, "key": self.key})
        try:
            body = answer.json()
        except ValueError:
            body = None
        if answer.status_code == 200 and isinstance(body, dict):
            return ListPage(tuple(body.get("items", [])), body.get("nextPageToken"))
        raise youtube_problem(answer.status_code, body, answer.headers)

    def uploads_playlist(self, channel_id: str) -> str:
        page = self.call("channels", part="contentDetails", id=channel_id)
        if not page.items:
            raise ApiProblem(SocialProblem.NOT_FOUND, f"Không tìm thấy kênh YouTube {channel_id}.")
        return str(page.items[0]["contentDetails"]["relatedPlaylists"]["uploads"])

    def videos(self, ids: list[str], source_slug: str) -> list[SocialPost]:
        posts: list[SocialPost] = []
        for start in range(0, len(ids), 50):
            page = self.call("videos", part="snippet,statistics", id=",".join(ids[start : start + 50]))
            posts.extend(_video(item, source_slug) for item in page.items)
        return posts

    def search(self, terms: tuple[str, ...], *, since: datetime | None, page_token: str | None) -> ListPage:
        params = {"part": "snippet", "type": "video", "order": "date", "maxResults": "50"}
        params["q"] = "|".join(f'"{t}"' if " " in t else t for t in terms)
        if since is not None:
            params["publishedAfter"] = rfc3339(since)
        if page_token:
            params["pageToken"] = page_token
        return self.call("search", **params)

    def threads(self, video_id: str, page_token: str | None) -> ListPage:
        params = {"part": "snippet,replies", "videoId": video_id, "order": "time", "maxResults": "100"}
        params["textFormat"] = "plainText"
        if page_token:
            params["pageToken"] = page_token
        try:
            return self.call("commentThreads", **params)
        except ApiProblem as problem:
            if problem.problem is SocialProblem.NOT_FOUND or "commentsDisabled" in problem.reasons:
                raise CommentsDisabled(video_id) from problem
            raise

    def replies(self, parent_id: str, page_token: str | None) -> ListPage:
        params = {"part": "snippet", "parentId": parent_id, "maxResults": "100", "textFormat": "plainText"}
        if page_token:
            params["pageToken"] = page_token
        return self.call("comments", **params)


def _video(item: dict[str, Any], source_slug: str) -> SocialPost:
    snippet, stats = item.get("snippet", {}), item.get("statistics", {})
    video_id = str(item["id"])
    text = "\n\n".join(p for p in (snippet.get("title", ""), snippet.get("description", "")) if p)
    return SocialPost(
        platform=Platform.YOUTUBE,
        platform_id=video_id,
        source_slug=source_slug,
        url=f"https://www.youtube.com/watch?v={video_id}",
        text=text,
        published_at=parse_time(snippet["publishedAt"]),
        reactions=_int(stats.get("likeCount")),
        comments=_int(stats.get("commentCount")),
        views=_int(stats.get("viewCount")),
    )


def _int(value: Any) -> int | None:
    return int(value) if value is not None else None


def comment(video_id: str, item: dict[str, Any], parent_id: str | None) -> SocialComment:
    """A comment resource (a thread's top-level comment or a reply) as a record, author still in clear."""
    snippet = item["snippet"]
    author = (snippet.get("authorChannelId") or {}).get("value")
    return SocialComment(
        platform=Platform.YOUTUBE,
        platform_id=str(item["id"]),
        post_platform_id=video_id,
        parent_platform_id=parent_id,
        text=snippet.get("textOriginal") or snippet.get("textDisplay") or "",
        published_at=parse_time(snippet["publishedAt"]),
        like_count=int(snippet.get("likeCount") or 0),
        author_name=snippet.get("authorDisplayName"),
        author_platform_id=str(author) if author else None,
    )


def youtube_problem(status: int, body: Any, headers: httpx.Headers) -> ApiProblem:
    """The problem a Data API error answer means, in Vietnamese with the API's own message."""
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return ApiProblem(SocialProblem.FAILED, f"YouTube API trả lời HTTP {status} không có nội dung lỗi")
    reasons = {str(e.get("reason")) for e in error.get("errors", []) if isinstance(e, dict)}
    said = f"YouTube API lỗi {status} ({', '.join(sorted(reasons)) or '—'}): {error.get('message', '')}"
    if reasons & QUOTA_REASONS:
        return ApiProblem(SocialProblem.QUOTA, f"Đã hết hạn mức (quota) YouTube trong ngày. {said}")
    if status == 429 or reasons & RATE_REASONS:
        try:
            wait = float(headers.get("retry-after", DEFAULT_RETRY_S))
        except ValueError:
            wait = DEFAULT_RETRY_S
        return ApiProblem(
            SocialProblem.RATE_LIMITED,
            f"YouTube yêu cầu giảm tần suất; tạm dừng {wait:.0f} giây. {said}",
            retry_after_s=wait,
        )
    if "commentsDisabled" in reasons:
        return ApiProblem(SocialProblem.FAILED, f"Video đã tắt bình luận. {said}", reasons=frozenset(reasons))
    if reasons & KEY_REASONS or (status == 400 and "API key" in str(error.get("message", ""))):
        return ApiProblem(SocialProblem.TOKEN_EXPIRED, f"Khóa API YouTube không dùng được. {said}")
    if status == 404:
        return ApiProblem(SocialProblem.NOT_FOUND, f"Không tìm thấy kênh, danh sách phát hoặc video. {said}")
    return ApiProblem(SocialProblem.FAILED, said)
