"""Politeness of the fetches made outside Scrapy (the re-check of watched articles): each host's robots.txt,
fetched once per run with the same client and kept, and a pause between two requests to one host.

robots.txt is read as RFC 9309 says: a 4xx answer (none published) allows everything; a 5xx answer or no answer
at all means the site cannot say, so nothing is fetched from it in this run.
"""

from __future__ import annotations

import logging
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

log = logging.getLogger(__name__)


@dataclass
class Politeness:
    """Per-host robots.txt (`allowed`) and pacing (`wait`) for one run over one `httpx.Client`.

    `delay_s(host)` is the pause the host asks for (the outlet's `download_delay_s` in the registry). The clock
    and the sleep are arguments, so that a test can pace without waiting."""

    client: httpx.Client
    user_agent: str
    delay_s: Callable[[str], float]
    obey_robots: bool = True
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    _robots: dict[str, urllib.robotparser.RobotFileParser | None] = field(default_factory=dict)
    _last: dict[str, float] = field(default_factory=dict)

    def wait(self, url: str) -> None:
        """Pause until the host of `url` may be asked again, and count this request as its last."""
        host = _host(url)
        last = self._last.get(host)
        if last is not None:
            remaining = last + self.delay_s(host) - self.clock()
            if remaining > 0:
                self.sleep(remaining)
        self._last[host] = self.clock()

    def allowed(self, url: str) -> bool:
        """Whether robots.txt of the host lets our User-Agent fetch `url` (robots.txt is fetched on first use)."""
        if not self.obey_robots:
            return True
        host = _host(url)
        if host not in self._robots:
            self._robots[host] = self._fetch_robots(url)
        parser = self._robots[host]
        return parser is not None and parser.can_fetch(self.user_agent, url)

    def _fetch_robots(self, url: str) -> urllib.robotparser.RobotFileParser | None:
        parts = urlsplit(url)
        robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        parser = urllib.robotparser.RobotFileParser(robots_url)
        self.wait(robots_url)
        try:
            response = self.client.get(robots_url, follow_redirects=True)
        except httpx.HTTPError as exc:
            log.info("robots.txt of %s unreachable (%s): nothing fetched from it in this run", parts.netloc, exc)
            return None
        if response.status_code >= 500:
            log.info("robots.txt of %s answered %s: nothing fetched from it", parts.netloc, response.status_code)
            return None
        if response.status_code >= 400:
            parser.parse([])  # none published: everything allowed
        else:
            parser.parse(response.text.splitlines())
        return parser


def _host(url: str) -> str:
    return urlsplit(url).netloc.lower()
