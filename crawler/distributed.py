"""Crawling spread over several machines (scrapy-redis on Redis).

Every crawl process that names the same Redis URL and key prefix shares Scrapy's request queue there (scrapy-redis'
scheduler): a feed polled on one machine may have its article pages fetched on any. Which process polls which feed
is settled in the database (storage.feeds.lease_feed: one poll per feed and interval, whoever is first), and a URL
is fetched by one process at a time thanks to a claim in Redis that expires (a process that dies mid-fetch leaves
the URL to the next poll, not lost). The queue persists: requests a stopped process left are taken by the others
or by the next cycle.

Without a Redis URL, the same claims live in the process's memory: one machine, as before.
"""

from __future__ import annotations

import hashlib
import time
from typing import TYPE_CHECKING, Any, Self

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, NotConfigured

from crawler.settings import CrawlerSettings

if TYPE_CHECKING:
    from redis import Redis


class Claims:
    """URLs being fetched right now, so that overlapping feeds (RSS and sitemap, or several machines) fetch a page
    once. In memory for one process, or in Redis (SET NX with an expiry) for many."""

    def __init__(self, redis: Redis | None = None, *, prefix: str = "thads", ttl_s: int = 600) -> None:
        self.redis = redis
        self.prefix = prefix
        self.ttl_s = ttl_s
        self._local: set[str] = set()

    @classmethod
    def from_settings(cls, settings: CrawlerSettings) -> Claims:
        if not settings.redis_url:
            return cls()
        # only with a shared queue (the `distributed` extra; CrawlerSettings refuses a Redis URL without it)
        from redis import Redis

        return cls(Redis.from_url(settings.redis_url), prefix=settings.redis_prefix, ttl_s=settings.redis_claim_ttl_s)

    def take(self, urls: list[str]) -> set[str]:
        """The URLs of `urls` that were free and are now claimed by this process."""
        fresh = [u for u in dict.fromkeys(urls) if u not in self._local]
        if self.redis is not None and fresh:
            pipe = self.redis.pipeline(transaction=False)
            for url in fresh:
                pipe.set(f"{self.prefix}:claim:{hashlib.sha1(url.encode()).hexdigest()}", 1, nx=True, ex=self.ttl_s)
            fresh = [url for url, won in zip(fresh, pipe.execute(), strict=True) if won]
        self._local.update(fresh)
        return set(fresh)


def scrapy_redis_settings(settings: CrawlerSettings) -> dict[str, Any]:
    """Scrapy settings that put the request queue in Redis (empty without a Redis URL)."""
    if not settings.redis_url:
        return {}
    return {
        "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
        "SCHEDULER_PERSIST": True,  # what a stopped process left in the queue is not lost
        "SCHEDULER_QUEUE_KEY": f"{settings.redis_prefix}:%(spider)s:requests",
        "SCHEDULER_DUPEFILTER_KEY": f"{settings.redis_prefix}:%(spider)s:dupefilter",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",  # unused: every request is dont_filter
        "REDIS_URL": settings.redis_url,
        "THADS_LINGER_S": settings.redis_linger_s,
        "EXTENSIONS": {"crawler.distributed.Linger": 500},
    }


class Linger:
    """A Scrapy extension: with a shared queue, an idle spider waits a little before closing, since another
    machine's poll may be about to fill the queue."""

    def __init__(self, crawler: Crawler, linger_s: float) -> None:
        self.linger_s = linger_s
        self.last = time.monotonic()
        crawler.signals.connect(self.active, signal=signals.request_scheduled)
        crawler.signals.connect(self.active, signal=signals.response_received)
        crawler.signals.connect(self.idle, signal=signals.spider_idle)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        linger_s = crawler.settings.getfloat("THADS_LINGER_S", 0)
        if linger_s <= 0:
            raise NotConfigured("no shared queue")
        return cls(crawler, linger_s)

    def active(self, *args: Any, **kwargs: Any) -> None:
        self.last = time.monotonic()

    def idle(self) -> None:
        if time.monotonic() - self.last < self.linger_s:
            raise DontCloseSpider
