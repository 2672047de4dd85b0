"""The local YouTube Data API v3 stand-in (crawler/replay/social_api.py), for the tests."""

from __future__ import annotations

from crawler.replay.social_api import COST, QUOTA_EXCEEDED, YouTube, yt_comment, yt_error, yt_thread

__all__ = ["COST", "QUOTA_EXCEEDED", "YouTube", "yt_comment", "yt_error", "yt_thread"]
