"""What the local stand-ins for the social APIs share (tests/crawler/graph_api.py, tests/crawler/youtube_api.py):
an http.server on 127.0.0.1 in a thread answering GET requests.

Each records every request (path and query) and answers from a script of queued answers first (a rate limit, an
expired token), as tests/alerts/chat_servers.py does for the chat APIs.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from tests.json_api import Answer, send_json


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


class _Handler(BaseHTTPRequestHandler):
    api: Api

    def do_GET(self) -> None:
        split = urlsplit(self.path)
        answer = self.api.handle(Asked(split.path, dict(parse_qsl(split.query))))
        send_json(self, answer, "application/json; charset=UTF-8")

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serving(api: Api) -> Iterator[str]:
    """Serve `api` on 127.0.0.1; yields its base URL."""
    handler = type("Handler", (_Handler,), {"api": api})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    api.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield api.url
    finally:
        server.shutdown()
        server.server_close()
