"""The local stand-ins for the social APIs (tests/crawler/graph_api.py, tests/crawler/youtube_api.py) are the
runtime ones of crawler/replay/social_api.py, which the demo serves too: an http.server on 127.0.0.1 in a thread
answering GET requests, recording every request and answering from a script of queued answers first."""

from __future__ import annotations

from crawler.replay.social_api import Api, Asked, serving

__all__ = ["Api", "Asked", "serving"]
