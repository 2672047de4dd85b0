"""What the local stand-ins for outside JSON APIs share (tests/alerts/chat_servers.py for the chat and webhook
APIs, crawler/replay/social_api.py for the social ones): the answer a script queues, and writing it. Defined with
the social stand-ins, which the demo runs too."""

from __future__ import annotations

from crawler.replay.social_api import Answer, send_json

__all__ = ["Answer", "send_json"]
