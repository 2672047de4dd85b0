"""What the local stand-ins for outside JSON APIs share (tests/alerts/chat_servers.py for the chat and webhook
APIs, tests/crawler/social_servers.py for the social ones): the answer a script queues, and writing it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any


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
