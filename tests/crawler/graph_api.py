"""A local stand-in for the Graph API (v19+ shapes of the published reference): `data` with `paging.cursors` and
`paging.next`, `summary` edges, error bodies `{"error": {"message", "type", "code", "error_subcode",
"fbtrace_id"}}`, the rate-limit headers `X-App-Usage` and `X-Business-Use-Case-Usage`."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from crawler.social.api import parse_time
from tests.crawler.social_servers import Api, Asked
from tests.json_api import Answer


def graph_error(code: int, message: str, *, subcode: int | None = None, kind: str = "OAuthException") -> dict[str, Any]:
    error: dict[str, Any] = {"message": message, "type": kind, "code": code, "fbtrace_id": "AbCdEfGh123"}
    if subcode is not None:
        error["error_subcode"] = subcode
    return {"error": error}


EXPIRED = Answer(
    400,
    graph_error(
        190,
        "Error validating access token: Session has expired on Tuesday, 01-Dec-26 09:00:00 PST. "
        "The current time is Thursday, 03-Dec-26 02:00:00 PST.",
        subcode=463,
    ),
)


def graph_rate_limit(minutes: int) -> Answer:
    usage = {
        "112233": [
            {
                "type": "pages",
                "call_count": 100,
                "total_cputime": 20,
                "total_time": 30,
                "estimated_time_to_regain_access": minutes,
            }
        ]
    }
    return Answer(
        400,
        graph_error(32, "Page request limit reached", kind="OAuthException"),
        {"X-Business-Use-Case-Usage": json.dumps(usage), "X-App-Usage": json.dumps({"call_count": 100})},
    )


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
            items = [p for p in self.posts[node] if _epoch(p["created_time"]) > since]
            return self._page(asked, items, min(self.max_limit, int(asked.query.get("limit", "25"))))
        if edge == "comments":
            items = self.comments.get(node, [])
            page = self._page(asked, items, int(asked.query.get("limit", "25")))
            page.body["summary"] = {"order": "chronological", "total_count": len(items), "can_comment": True}
            return page
        return Answer(400, graph_error(2500, "Unknown path components", kind="OAuthException"))

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
