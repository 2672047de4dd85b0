"""Local stand-ins for the social APIs the connectors call (crawler/social), in the published JSON shapes: the
Graph API (v19+: `data` with `paging.cursors` and `paging.next`, `summary` edges, error bodies `{"error":
{"message", "type", "code", "error_subcode", "fbtrace_id"}}`) and the YouTube Data API v3 (list responses with
`items` and `nextPageToken`, errors `{"error": {"code", "message", "errors": [{"reason", "domain"}]}}`, a daily
quota in units per method answered with `quotaExceeded`).

An http.server on loopback in a thread answering GET requests. Each API records every request and answers from a
script of queued answers first (a rate limit, an expired token: tests), then from its content. With a `clock`, only
what was published by then is visible (posts, videos, comments released over time: the demo's replay of social
reaction); without one, everything is.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from crawler.social.api import parse_time


@dataclass
class Answer:
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


def send_json(handler: BaseHTTPRequestHandler, answer: Answer, content_type: str = "application/json") -> None:
    data = json.dumps(answer.body, ensure_ascii=False).encode("utf-8")
    handler.send_response(answer.status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(data)))
    for name, value in answer.headers.items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(data)


@dataclass
class Asked:
    path: str
    query: dict[str, str]


class Api:
    base = ""

    def __init__(self) -> None:
        self.asked: list[Asked] = []
        self.script: list[Answer] = []
        self.lock = threading.Lock()
        self.url = ""
        self.clock: Callable[[], datetime] | None = None

    def handle(self, asked: Asked) -> Answer:
        with self.lock:
            self.asked.append(asked)
            if self.script:
                return self.script.pop(0)
            return self.answer(asked)

    def answer(self, asked: Asked) -> Answer:
        raise NotImplementedError

    def paths(self) -> list[str]:
        return [a.path for a in self.asked]

    def out(self, published: str) -> bool:
        """Whether something published at `published` (an API time) is out by the clock."""
        return self.clock is None or parse_time(published) <= self.clock()


class _Handler(BaseHTTPRequestHandler):
    api: Api

    def do_GET(self) -> None:
        split = urlsplit(self.path)
        answer = self.api.handle(Asked(split.path, dict(parse_qsl(split.query))))
        send_json(self, answer, "application/json; charset=UTF-8")

    def log_message(self, format: str, *args: Any) -> None:
        pass


class ApiServer:
    """Serves `api` on a loopback address (any free port); `url` is its base URL once started."""

    def __init__(self, api: Api, host: str = "127.0.0.1") -> None:
        handler = type("Handler", (_Handler,), {"api": api})
        self.api = api
        self._server = ThreadingHTTPServer((host, 0), handler)
        self._server.daemon_threads = True
        api.url = f"http://{host}:{self._server.server_address[1]}"

    @property
    def url(self) -> str:
        return self.api.url

    def start(self) -> ApiServer:
        threading.Thread(target=self._server.serve_forever, name="social-api", daemon=True).start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@contextmanager
def serving(api: Api) -> Iterator[str]:
    """Serve `api` on 127.0.0.1; yields its base URL."""
    server = ApiServer(api).start()
    try:
        yield server.url
    finally:
        server.stop()


# --- Graph API ---------------------------------------------------------------------------------------------


def graph_error(code: int, message: str, *, subcode: int | None = None, kind: str = "OAuthException") -> dict[str, Any]:
    error: dict[str, Any] = {"message": message, "type": kind, "code": code, "fbtrace_id": "AbCdEfGh123"}
    if subcode is not None:
        error["error_subcode"] = subcode
    return {"error": error}


class Graph(Api):
    """Pages (posts newest first), comments per post (oldest first), which tokens may read which pages."""

    def __init__(self) -> None:
        super().__init__()
        self.posts: dict[str, list[dict[str, Any]]] = {}
        self.comments: dict[str, list[dict[str, Any]]] = {}
        self.readable: dict[str, set[str]] = {}  # token -> page ids it may read
        self.max_limit = 100  # the Graph API caps `limit` per edge; tests lower it to see paging

    def answer(self, asked: Asked) -> Answer:
        token = asked.query.get("access_token", "")
        parts = asked.path.strip("/").split("/")  # v19.0/{id}/{edge}
        if len(parts) != 3 or token not in self.readable:
            return Answer(400, graph_error(190, "Invalid OAuth access token - Cannot parse access token"))
        _, node, edge = parts
        if edge == "feed":
            if node not in self.posts:
                return Answer(
                    400, graph_error(100, "Unsupported get request.", subcode=33, kind="GraphMethodException")
                )
            if node not in self.readable[token]:
                return Answer(
                    400,
                    graph_error(
                        10,
                        "(#10) This endpoint requires the 'pages_read_engagement' permission or the "
                        "'Page Public Content Access' feature.",
                    ),
                )
            since = int(asked.query.get("since", "0"))
            items = [
                self._counted(p)
                for p in self.posts[node]
                if _epoch(p["created_time"]) > since and self.out(p["created_time"])
            ]
            return self._page(asked, items, min(self.max_limit, int(asked.query.get("limit", "25"))))
        if edge == "comments":
            items = [c for c in self.comments.get(node, []) if self.out(c["created_time"])]
            page = self._page(asked, items, int(asked.query.get("limit", "25")))
            page.body["summary"] = {"order": "chronological", "total_count": len(items), "can_comment": True}
            return page
        return Answer(400, graph_error(2500, "Unknown path components", kind="OAuthException"))

    def _counted(self, post: dict[str, Any]) -> dict[str, Any]:
        """With a clock, a post's comment count is that of its comments out by then."""
        if self.clock is None:
            return post
        out = sum(self.out(c["created_time"]) for c in self.comments.get(post["id"], []))
        comments = {**post["comments"], "summary": {**post["comments"]["summary"], "total_count": out}}
        return {**post, "comments": comments}

    def _page(self, asked: Asked, items: list[dict[str, Any]], limit: int) -> Answer:
        after = asked.query.get("after")
        start = int(after.removeprefix("c")) + 1 if after else 0
        chunk = items[start : start + limit]
        body: dict[str, Any] = {"data": chunk}
        if chunk:
            body["paging"] = {"cursors": {"before": f"c{start}", "after": f"c{start + len(chunk) - 1}"}}
            if start + len(chunk) < len(items):
                query = {**asked.query, "after": f"c{start + len(chunk) - 1}"}
                body["paging"]["next"] = f"{self.url}{asked.path}?{urlencode(query)}"
        return Answer(200, body)


def _epoch(created_time: str) -> int:
    return int(parse_time(created_time).timestamp())


def fb_post(page: str, n: int, created: str, message: str, *, link: str | None = None) -> dict[str, Any]:
    post: dict[str, Any] = {
        "id": f"{page}_{n}",
        "message": message,
        "created_time": created,
        "permalink_url": f"https://www.facebook.com/{page}/posts/{n}",
        "reactions": {"data": [], "summary": {"total_count": 10 + n, "viewer_reaction": "NONE"}},
        "comments": {"data": [], "summary": {"order": "ranked", "total_count": 2, "can_comment": True}},
        "shares": {"count": n},
    }
    if link:
        post["attachments"] = {
            "data": [{"type": "share", "url": f"https://l.facebook.com/l.php?u={link}", "unshimmed_url": link}]
        }
    return post


def fb_comment(
    post: str, n: int, created: str, message: str, user: tuple[str, str], parent: str | None = None
) -> dict[str, Any]:
    comment: dict[str, Any] = {
        "id": f"{post.split('_')[1]}_{n}",
        "message": message,
        "created_time": created,
        "from": {"name": user[0], "id": user[1]},
        "like_count": n % 3,
    }
    if parent:
        comment["parent"] = {"id": parent}
    return comment


# --- YouTube Data API v3 -----------------------------------------------------------------------------------

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
            ids = [v for v in self.uploads.get(q["playlistId"], []) if self._out(v)]
            items = [self._playlist_item(q["playlistId"], v) for v in ids]
            return self._list("youtube#playlistItemListResponse", items, q)
        if method == "videos":
            ids = q["id"].split(",")
            return self._list(
                "youtube#videoListResponse",
                [self._video(v) for v in ids if v in self.videos and self._out(v)],
                q,
                all_at_once=True,
            )
        if method == "search":
            after = q.get("publishedAfter")
            ids = [
                v
                for v in self.search_results
                if (after is None or self.videos[v]["publishedAt"] > after) and self._out(v)
            ]
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
            if q["videoId"] not in self.videos or not self._out(q["videoId"]):
                return Answer(
                    404,
                    yt_error(
                        404,
                        "videoNotFound",
                        "The video identified by the videoId parameter could not be found.",
                        "youtube.commentThread",
                    ),
                )
            return self._list("youtube#commentThreadListResponse", self._threads(q["videoId"]), q)
        if method == "comments":
            replies = [c for c in self.replies.get(q["parentId"], []) if self.out(c["snippet"]["publishedAt"])]
            return self._list("youtube#commentListResponse", replies, q)
        return Answer(404, yt_error(404, "notFound", "Not Found", "global"))

    def _out(self, video: str) -> bool:
        return self.out(self.videos[video]["publishedAt"])

    def _threads(self, video: str) -> list[dict[str, Any]]:
        threads = self.threads.get(video, [])
        return [t for t in threads if self.out(t["snippet"]["topLevelComment"]["snippet"]["publishedAt"])]

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
                "commentCount": str(len(self._threads(video))),
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
