"""A local stand-in for the YouTube Data API v3 (shapes of the published reference): list responses with `items`
and `nextPageToken`, errors `{"error": {"code", "message", "errors": [{"reason", "domain"}]}}`, and the quota
(units per method) answered with `quotaExceeded` once the day's quota is spent."""

from __future__ import annotations

from typing import Any

from tests.crawler.social_servers import Api, Asked
from tests.json_api import Answer

COST = {"search": 100, "channels": 1, "playlistItems": 1, "videos": 1, "commentThreads": 1, "comments": 1}


def yt_error(code: int, reason: str, message: str, domain: str = "youtube.quota") -> dict[str, Any]:
    return {
        "error": {
            "code": code,
            "message": message,
            "errors": [{"message": message, "domain": domain, "reason": reason}],
        }
    }


QUOTA_EXCEEDED = Answer(
    403,
    yt_error(
        403,
        "quotaExceeded",
        "The request cannot be completed because you have exceeded your "
        '<a href="/youtube/v3/getting-started#quota">quota</a>.',
    ),
)


class YouTube(Api):
    """Channels with an uploads playlist, videos, comment threads (newest first) and replies; a daily quota."""

    def __init__(self, key: str, *, quota: int = 10000) -> None:
        super().__init__()
        self.key, self.quota, self.spent = key, quota, 0
        self.channels: dict[str, str] = {}  # channel id -> uploads playlist id
        self.uploads: dict[str, list[str]] = {}  # playlist -> video ids, newest first
        self.videos: dict[str, dict[str, Any]] = {}  # id -> {title, description, publishedAt, views}
        self.threads: dict[str, list[dict[str, Any]]] = {}  # video -> threads (newest first)
        self.replies: dict[str, list[dict[str, Any]]] = {}  # parent comment id -> all replies (oldest first)
        self.search_results: list[str] = []  # video ids, newest first
        self.comments_disabled: set[str] = set()
        self.page_size = 2

    def answer(self, asked: Asked) -> Answer:
        method = asked.path.rsplit("/", 1)[-1]
        q = asked.query
        if q.get("key") != self.key:
            return Answer(
                400, yt_error(400, "keyInvalid", "API key not valid. Please pass a valid API key.", "usageLimits")
            )
        if self.spent + COST.get(method, 1) > self.quota:
            return QUOTA_EXCEEDED
        self.spent += COST.get(method, 1)
        if method == "channels":
            found = (
                [
                    {
                        "kind": "youtube#channel",
                        "id": q["id"],
                        "contentDetails": {"relatedPlaylists": {"likes": "", "uploads": self.channels[q["id"]]}},
                    }
                ]
                if q["id"] in self.channels
                else []
            )
            return self._list("youtube#channelListResponse", found, q, all_at_once=True)
        if method == "playlistItems":
            items = [self._playlist_item(q["playlistId"], v) for v in self.uploads.get(q["playlistId"], [])]
            return self._list("youtube#playlistItemListResponse", items, q)
        if method == "videos":
            ids = q["id"].split(",")
            return self._list(
                "youtube#videoListResponse", [self._video(v) for v in ids if v in self.videos], q, all_at_once=True
            )
        if method == "search":
            after = q.get("publishedAfter")
            ids = [v for v in self.search_results if after is None or self.videos[v]["publishedAt"] > after]
            items = [
                {
                    "kind": "youtube#searchResult",
                    "id": {"kind": "youtube#video", "videoId": v},
                    "snippet": {"publishedAt": self.videos[v]["publishedAt"], "title": self.videos[v]["title"]},
                }
                for v in ids
            ]
            return self._list("youtube#searchListResponse", items, q)
        if method == "commentThreads":
            if q["videoId"] in self.comments_disabled:
                message = "The video identified by the videoId parameter has disabled comments."
                return Answer(403, yt_error(403, "commentsDisabled", message, "youtube.commentThread"))
            if q["videoId"] not in self.videos:
                return Answer(
                    404,
                    yt_error(
                        404,
                        "videoNotFound",
                        "The video identified by the videoId parameter could not be found.",
                        "youtube.commentThread",
                    ),
                )
            return self._list("youtube#commentThreadListResponse", self.threads.get(q["videoId"], []), q)
        if method == "comments":
            return self._list("youtube#commentListResponse", self.replies.get(q["parentId"], []), q)
        return Answer(404, yt_error(404, "notFound", "Not Found", "global"))

    def _list(self, kind: str, items: list[dict[str, Any]], q: dict[str, str], *, all_at_once: bool = False) -> Answer:
        start = int(q.get("pageToken", "P0").removeprefix("P"))
        size = (len(items) or 1) if all_at_once else self.page_size
        chunk = items[start : start + size]
        body: dict[str, Any] = {
            "kind": kind,
            "etag": "etag",
            "items": chunk,
            "pageInfo": {"totalResults": len(items), "resultsPerPage": size},
        }
        if start + size < len(items):
            body["nextPageToken"] = f"P{start + size}"
        return Answer(200, body)

    def _playlist_item(self, playlist: str, video: str) -> dict[str, Any]:
        v = self.videos[video]
        return {
            "kind": "youtube#playlistItem",
            "id": f"PI{video}",
            "snippet": {
                "publishedAt": v["publishedAt"],
                "title": v["title"],
                "playlistId": playlist,
                "resourceId": {"kind": "youtube#video", "videoId": video},
            },
            "contentDetails": {"videoId": video, "videoPublishedAt": v["publishedAt"]},
        }

    def _video(self, video: str) -> dict[str, Any]:
        v = self.videos[video]
        return {
            "kind": "youtube#video",
            "id": video,
            "snippet": {
                "publishedAt": v["publishedAt"],
                "channelId": "UC" + "x" * 22,
                "title": v["title"],
                "description": v.get("description", ""),
            },
            "statistics": {
                "viewCount": str(v.get("views", 100)),
                "likeCount": "7",
                "favoriteCount": "0",
                "commentCount": str(len(self.threads.get(video, []))),
            },
        }


def yt_comment(
    cid: str, video: str, published: str, text: str, user: tuple[str, str], parent: str | None = None
) -> dict[str, Any]:
    snippet: dict[str, Any] = {
        "videoId": video,
        "textDisplay": text,
        "textOriginal": text,
        "authorDisplayName": user[0],
        "authorChannelUrl": f"http://www.youtube.com/channel/{user[1]}",
        "authorChannelId": {"value": user[1]},
        "canRate": True,
        "viewerRating": "none",
        "likeCount": 1,
        "publishedAt": published,
        "updatedAt": published,
    }
    if parent:
        snippet["parentId"] = parent
    return {"kind": "youtube#comment", "etag": "e", "id": cid, "snippet": snippet}


def yt_thread(video: str, top: dict[str, Any], replies: list[dict[str, Any]], total_replies: int) -> dict[str, Any]:
    thread: dict[str, Any] = {
        "kind": "youtube#commentThread",
        "etag": "e",
        "id": top["id"],
        "snippet": {
            "channelId": "UC" + "x" * 22,
            "videoId": video,
            "topLevelComment": top,
            "canReply": True,
            "totalReplyCount": total_replies,
            "isPublic": True,
        },
    }
    if replies:
        thread["replies"] = {"comments": replies}
    return thread
