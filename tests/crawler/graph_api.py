"""The local Graph API stand-in (crawler/replay/social_api.py) and the failures tests script on it: an expired
token, the rate limit with its headers `X-App-Usage` and `X-Business-Use-Case-Usage`."""

from __future__ import annotations

import json

from crawler.replay.social_api import Answer, Graph, fb_comment, fb_post, graph_error

__all__ = ["EXPIRED", "Graph", "fb_comment", "fb_post", "graph_error", "graph_rate_limit"]

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
