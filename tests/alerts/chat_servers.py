"""Local stand-ins for the chat and webhook APIs (http.server on 127.0.0.1, in a thread), speaking the request
and answer shapes documented in tests/alerts/test_chat_channels.py, including their errors and rate limits.

Each server records every request it receives (before answering), answers from a script of queued answers
first (a rate limit, an outage), and can hold a request unanswered until released (a sender killed mid-request).
`stop()` then `start()` on the same port is an outage: connections are refused in between.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from alerts.webhook import SIGNATURE_HEADER, verify
from tests.json_api import Answer, send_json


@dataclass
class Received:
    path: str
    headers: dict[str, str]  # names in lower case
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)


class Api:
    """What one API answers; subclasses implement `answer` for a request that the script does not cover."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.script: list[Answer] = []
        self.hold_at: int | None = None  # the n-th request (1-based) is held unanswered until `release` is set
        self.arrived, self.release = threading.Event(), threading.Event()
        self.lock = threading.Lock()

    def handle(self, request: Received) -> Answer:
        with self.lock:
            self.received.append(request)
            count = len(self.received)
            scripted = self.script.pop(0) if self.script else None
        if self.hold_at == count:
            self.arrived.set()
            self.release.wait(60)
        return scripted or self.answer(request)

    def answer(self, request: Received) -> Answer:
        raise NotImplementedError


class Telegram(Api):
    """Bot API sendMessage for one bot token and the chats that exist."""

    def __init__(self, token: str, chats: set[str]) -> None:
        super().__init__()
        self.token, self.chats, self.next_id = token, chats, 100

    def answer(self, request: Received) -> Answer:
        if request.path != f"/bot{self.token}/sendMessage":
            return Answer(401 if request.path.endswith("/sendMessage") else 404, _tg_error(401, "Unauthorized"))
        body = request.json
        if str(body.get("chat_id")) not in self.chats:
            return Answer(400, _tg_error(400, "Bad Request: chat not found"))
        if len(body.get("text", "")) > 4096:
            return Answer(400, _tg_error(400, "Bad Request: message is too long"))
        self.next_id += 1
        chat = {"id": int(body["chat_id"]), "type": "private"}
        return Answer(200, {"ok": True, "result": {"message_id": self.next_id, "chat": chat, "text": body["text"]}})

    def delivered(self) -> list[dict[str, Any]]:
        """The sendMessage bodies that were answered with success (a held or refused one is not)."""
        return [r.json for r in self.received if r.path == f"/bot{self.token}/sendMessage"]


def _tg_error(code: int, description: str, **parameters: Any) -> dict[str, Any]:
    answer: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    if parameters:
        answer["parameters"] = parameters
    return answer


def telegram_rate_limit(seconds: int) -> Answer:
    return Answer(429, _tg_error(429, f"Too Many Requests: retry after {seconds}", retry_after=seconds))


class Zalo(Api):
    """OA API v3.0 message/cs and ZNS message/template for one access token, its followers and templates."""

    def __init__(self, token: str, followers: set[str], templates: dict[str, set[str]]) -> None:
        super().__init__()
        self.token, self.followers, self.templates, self.next_id = token, followers, templates, 500

    def answer(self, request: Received) -> Answer:
        if request.headers.get("access_token") != self.token:
            return Answer(200, {"error": -216, "message": "Access token is invalid"})
        body = request.json
        if request.path == "/v3.0/oa/message/cs":
            if body.get("recipient", {}).get("user_id") not in self.followers:
                return Answer(200, {"error": -213, "message": "User has not followed OA"})
            return self._ok({"message_id": self._id(), "user_id": body["recipient"]["user_id"]})
        if request.path == "/message/template":
            fields = self.templates.get(str(body.get("template_id")))
            if fields is None or set(body.get("template_data", {})) != fields:
                return Answer(200, {"error": -1123, "message": "Template data is invalid"})
            if not str(body.get("phone", "")).startswith("84"):
                return Answer(200, {"error": -108, "message": "Phone number is invalid"})
            return self._ok({"msg_id": self._id(), "message_id": self._id(), "sent_time": "1764756000000"})
        return Answer(404, {"error": -1, "message": "Not found"})

    def _ok(self, data: dict[str, Any]) -> Answer:
        return Answer(200, {"error": 0, "message": "Success", "data": data})

    def _id(self) -> str:
        self.next_id += 1
        return str(self.next_id)


class Webhook(Api):
    """A receiver that checks the signature with the shared secret and keeps each idempotency id once."""

    def __init__(self, secret: str) -> None:
        super().__init__()
        self.secret = secret
        self.accepted: dict[str, dict[str, Any]] = {}

    def answer(self, request: Received) -> Answer:
        if not verify(self.secret, request.headers.get(SIGNATURE_HEADER.lower(), ""), request.body):
            return Answer(401, {"error": "bad signature"})
        payload = request.json
        self.accepted.setdefault(payload["id"], payload)
        return Answer(200, {"received": payload["id"]})


class _Handler(BaseHTTPRequestHandler):
    api: Api

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        request = Received(self.path, {k.lower(): v for k, v in self.headers.items()}, self.rfile.read(length))
        answer = self.api.handle(request)
        send_json(self, answer)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class Server:
    """An API on 127.0.0.1 (port 0 the first time, the same port after an outage)."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self.port = 0
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        handler = type("Handler", (_Handler,), {"api": self.api})
        ThreadingHTTPServer.allow_reuse_address = True
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


@contextmanager
def serving(api: Api) -> Iterator[Server]:
    server = Server(api)
    server.start()
    try:
        yield server
    finally:
        api.release.set()
        server.stop()
