"""Facebook Pages through the Graph API: a page's posts (feed edge, reactions and comment counts as summaries)
and their comments (comments edge, chronological), read incrementally.

A pass asks the feed `since` the newest post of the last complete pass; its paging is remembered after each page
(the query of `paging.next` without the token), so that a pass cut short (rate limit, expired token, crash)
resumes where it stopped. Comments of each recent post are read after the `after` cursor of the last page read.
Error answers follow the Graph API reference: 190 (token expired or invalid), 4/17/32/613 (rate limits, with the
`X-App-Usage` / `X-Business-Use-Case-Usage` headers), 10 and 200-299 (permissions), 100/803 (no such object).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx

from crawler.social.api import ApiProblem, get_json, parse_time
from crawler.urls import canonical_url
from domain.social import Platform, SocialComment, SocialPost, SocialProblem

POST_FIELDS = (
    "id,message,created_time,permalink_url,attachments{unshimmed_url,url},shares,"
    "reactions.summary(total_count).limit(0),comments.summary(total_count).limit(0)"
)
COMMENT_FIELDS = "id,message,created_time,from{id,name},like_count,parent{id}"
RATE_LIMIT_CODES = frozenset({4, 17, 32, 613})
DEFAULT_BACKOFF_S = 15 * 60


@dataclass(frozen=True, slots=True)
class FeedPage:
    posts: tuple[SocialPost, ...]
    next_query: str | None  # the query of `paging.next` without the token; None: last page


@dataclass(frozen=True, slots=True)
class CommentPage:
    comments: tuple[SocialComment, ...]
    after: str | None  # the `after` cursor of this page (where the next poll starts)
    more: bool  # a `paging.next` follows


class Graph:
    """The Graph API calls the connector makes, with one token."""

    def __init__(self, client: httpx.Client, base_url: str, token: str) -> None:
        self.client, self.base_url, self.token = client, base_url.rstrip("/"), token

    def _get(self, path: str, params: dict[str, str]) -> dict[str, Any]:
        answer = get_json(self.client, f"{self.base_url}/{path}", {**params, "access_token": self.token})
        try:
            body = answer.json()
        except ValueError:
            body = None
        if answer.status_code == 200 and isinstance(body, dict) and "error" not in body:
            return body
        raise graph_problem(answer.status_code, body, answer.headers)

    def feed(self, page_id: str, *, since: datetime | None, resume: str | None, limit: int = 25) -> FeedPage:
        if resume is not None:
            params = dict(parse_qsl(resume))
        else:
            params = {"fields": POST_FIELDS, "limit": str(limit)}
            if since is not None:
                params["since"] = str(int(since.timestamp()))
        body = self._get(f"{page_id}/feed", params)
        posts = tuple(_post(item) for item in body.get("data", []))
        next_url = (body.get("paging") or {}).get("next")
        return FeedPage(posts, _query_without_token(next_url) if next_url else None)

    def comments(self, post_id: str, *, after: str | None, limit: int = 100) -> CommentPage:
        params = {
            "fields": COMMENT_FIELDS,
            "filter": "stream",
            "order": "chronological",
            "summary": "true",
            "limit": str(limit),
        }
        if after:
            params["after"] = after
        body = self._get(f"{post_id}/comments", params)
        paging = body.get("paging") or {}
        cursor = (paging.get("cursors") or {}).get("after")
        comments = tuple(_comment(post_id, item) for item in body.get("data", []))
        return CommentPage(comments, cursor, bool(paging.get("next")))


def _query_without_token(url: str) -> str:
    pairs: list[tuple[str, str | int | float | bool | None]] = [
        (k, v) for k, v in parse_qsl(urlsplit(url).query) if k != "access_token"
    ]
    return str(httpx.QueryParams(pairs))


def _post(item: dict[str, Any]) -> SocialPost:
    attachments = (item.get("attachments") or {}).get("data") or []
    shared = next((a.get("unshimmed_url") or a.get("url") for a in attachments if a.get("url")), None)
    if shared is None:  # a link written in the message itself
        found = _LINK.search(item.get("message") or "")
        shared = found.group(0) if found else None
    post_id = str(item["id"])
    return SocialPost(
        platform=Platform.FACEBOOK,
        platform_id=post_id,
        source_slug="",
        url=item.get("permalink_url") or f"https://www.facebook.com/{post_id}",
        text=item.get("message") or "",
        published_at=parse_time(item["created_time"]),
        reactions=_summary_count(item.get("reactions")),
        comments=_summary_count(item.get("comments")),
        shares=(item.get("shares") or {}).get("count", 0),
        # the article's address as stored (crawler.urls): the story's social reaction joins on it
        shared_url=canonical_url(_unshim(shared)) if shared else None,
    )


_LINK = re.compile(r"https?://[^\s<>\"')]+")


def _unshim(url: str) -> str:
    """The address behind Facebook's link shim (l.facebook.com/l.php?u=…)."""
    parts = urlsplit(url)
    if (parts.hostname or "").endswith("facebook.com") and parts.path == "/l.php":
        target = dict(parse_qsl(parts.query)).get("u")
        if target:
            return target
    return url


def _summary_count(edge: Any) -> int | None:
    if not isinstance(edge, dict):
        return None
    count = (edge.get("summary") or {}).get("total_count")
    return int(count) if count is not None else None


def _comment(post_id: str, item: dict[str, Any]) -> SocialComment:
    author = item.get("from") or {}
    parent = (item.get("parent") or {}).get("id")
    return SocialComment(
        platform=Platform.FACEBOOK,
        platform_id=str(item["id"]),
        post_platform_id=post_id,
        parent_platform_id=str(parent) if parent else None,
        text=item.get("message") or "",
        published_at=parse_time(item["created_time"]),
        like_count=int(item.get("like_count") or 0),
        author_name=author.get("name"),
        author_platform_id=str(author["id"]) if author.get("id") else None,
    )


def graph_problem(status: int, body: Any, headers: httpx.Headers) -> ApiProblem:
    """The problem a Graph API error answer means, worded in Vietnamese with the platform's own message."""
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return ApiProblem(SocialProblem.FAILED, f"Graph API trả lời HTTP {status} không có nội dung lỗi")
    code, subcode = error.get("code"), error.get("error_subcode")
    said = f"Graph API lỗi {code}" + (f"/{subcode}" if subcode else "") + f": {error.get('message', '')}"
    if code == 190:
        why = {463: "mã đã hết hạn", 467: "mã không còn hợp lệ", 460: "mật khẩu tài khoản đã đổi"}.get(
            subcode if isinstance(subcode, int) else 0, "mã không hợp lệ"
        )
        return ApiProblem(SocialProblem.TOKEN_EXPIRED, f"Mã truy cập Trang không dùng được ({why}). {said}")
    if code in RATE_LIMIT_CODES:
        wait = usage_wait_s(headers)
        return ApiProblem(
            SocialProblem.RATE_LIMITED,
            f"Facebook giới hạn tần suất truy vấn; tạm dừng {round(wait / 60)} phút. {said}",
            retry_after_s=wait,
        )
    if code == 10 or (isinstance(code, int) and 200 <= code <= 299):
        return ApiProblem(
            SocialProblem.PERMISSION,
            "Ứng dụng không có quyền đọc Trang này: Trang của đơn vị cần mã truy cập Trang có quyền "
            "pages_read_engagement (và pages_read_user_content để đọc bình luận); Trang công khai khác cần "
            f"tính năng Page Public Content Access đã được Meta duyệt. {said}",
        )
    if code in (100, 803) and subcode in (None, 33):
        return ApiProblem(SocialProblem.NOT_FOUND, f"Không tìm thấy Trang hoặc bài viết. {said}")
    return ApiProblem(SocialProblem.FAILED, said)


def usage_wait_s(headers: httpx.Headers) -> float:
    """Seconds to wait after a rate limit: the longest `estimated_time_to_regain_access` (minutes) in
    `X-Business-Use-Case-Usage`, else the default back-off."""
    minutes = 0.0
    raw = headers.get("x-business-use-case-usage")
    if raw:
        try:
            usage = json.loads(raw)
        except ValueError:
            usage = {}
        for entries in usage.values() if isinstance(usage, dict) else ():
            for entry in entries if isinstance(entries, list) else ():
                minutes = max(minutes, float(entry.get("estimated_time_to_regain_access") or 0))
    return minutes * 60 if minutes > 0 else DEFAULT_BACKOFF_S
