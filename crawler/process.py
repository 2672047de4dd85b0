"""The crawl process: `python -m crawler` (crawler/__main__.py) reads its configuration as JSON on standard input,
runs one crawl cycle with Scrapy and reports progress on standard output, one CrawlEvent (crawler/events.py) per
line of JSON.

Scrapy runs in a process of its own because its reactor cannot be restarted inside a long-running scheduler.
"""

from __future__ import annotations

import gc
import json
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from importlib.metadata import PackageNotFoundError, version

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings as ScrapySettings
from sqlalchemy.exc import IntegrityError

from crawler.distributed import Claims, scrapy_redis_settings
from crawler.events import (
    STORED,
    ArticleHandled,
    ArticlesCounted,
    CrawlDone,
    CrawlEvent,
    CrawlRefused,
    CrawlStarted,
)
from crawler.lifeline import die_with_parent
from crawler.pipelines import crawl_progress
from crawler.rules import Rules
from crawler.settings import CrawlerSettings
from crawler.sources import Registry, SourceError, load_registry, sync_registry
from crawler.spiders.base import FeedJob
from crawler.spiders.kinds import SPIDERS
from domain.records import Feed
from storage.articles import last_fetched as stored_last_fetched
from storage.engine import Database
from storage.feeds import lease_feed
from storage.outlets import list_feeds
from storage.settings import StorageSettings

DUE_SLACK = timedelta(seconds=15)


def app_version() -> str:
    try:
        return version("thads-press-monitor")
    except PackageNotFoundError:  # running from a source tree
        return "dev"


def scrapy_settings(
    settings: CrawlerSettings, registry: Registry, storage: StorageSettings, log_level: str = "WARNING"
) -> ScrapySettings:
    """Polite defaults from the settings; per-outlet delay and concurrency from the registry; where the item
    pipeline stores."""
    slots = {
        outlet.domain.split(":")[0]: {"concurrency": outlet.concurrency, "delay": outlet.download_delay_s}
        for outlet in registry.outlets
    }
    widest = max([settings.concurrency_per_domain, *(o.concurrency for o in registry.outlets)])
    distributed = scrapy_redis_settings(settings)
    return ScrapySettings(
        {
            "BOT_NAME": "thads-press-monitor",
            "USER_AGENT": settings.user_agent(app_version()),
            "ROBOTSTXT_OBEY": settings.obey_robots,
            "DOWNLOAD_DELAY": settings.download_delay_s,
            "DOWNLOAD_DELAY_JITTER": 0.5,
            "CONCURRENT_REQUESTS": settings.concurrent_requests,
            # Also the size of the keep-alive pool per host: below an outlet's concurrency, connections would be
            # closed after each request. Per-outlet limits are the DOWNLOAD_SLOTS below.
            "CONCURRENT_REQUESTS_PER_DOMAIN": widest,
            "DOWNLOAD_SLOTS": slots,
            "DOWNLOAD_TIMEOUT": settings.timeout_s,
            "DOWNLOAD_MAXSIZE": settings.max_page_bytes,
            "DOWNLOAD_WARNSIZE": settings.max_page_bytes,
            "RETRY_ENABLED": settings.retries > 0,
            "RETRY_TIMES": settings.retries,
            "RETRY_BACKOFF_S": settings.retry_backoff_s,
            "RETRY_HTTP_CODES": [500, 502, 503, 504, 522, 524, 408, 429],
            "DOWNLOADER_MIDDLEWARES": {
                "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
                "crawler.middlewares.BackoffRetryMiddleware": 550,
                # Not needed for feeds and article pages: no auth, no proxies, no meta refresh.
                "scrapy.downloadermiddlewares.httpauth.HttpAuthMiddleware": None,
                "scrapy.downloadermiddlewares.httpproxy.HttpProxyMiddleware": None,
                "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
                # Byte counts of every response's headers for Scrapy's stats, which nothing reads.
                "scrapy.downloadermiddlewares.stats.DownloaderStats": None,
            },
            "SPIDER_MIDDLEWARES": {
                "scrapy.spidermiddlewares.urllength.UrlLengthMiddleware": None,
                "scrapy.spidermiddlewares.depth.DepthMiddleware": None,
                # A development aid (warns about copied meta keys); our callbacks set their meta explicitly.
                "scrapy.spidermiddlewares.metacopy.MetaCopyDetectionMiddleware": None,
            },
            # Scrapy reads the source of the callback for every response to warn about `return value` in a
            # generator: bound methods are new objects each time, so its cache never hits (~0.15 ms per page).
            # Our callbacks are type-checked instead.
            "WARN_ON_GENERATOR_RETURN_VALUE": False,
            "EXTENSIONS": {
                "scrapy.extensions.memusage.MemoryUsage": None,
                "scrapy.extensions.logstats.LogStats": None,
                **distributed.get("EXTENSIONS", {}),
            },
            "ITEM_PIPELINES": {"crawler.pipelines.StorePipeline": 300},
            "THADS_EXTRACT_WORKERS": settings.extract_workers,
            "THADS_STORAGE": storage.model_dump(mode="json"),
            # Scrapy starts CONCURRENT_ITEMS tasks for every response's output; an article page yields one item.
            "CONCURRENT_ITEMS": 4,
            "COOKIES_ENABLED": False,
            "TELNETCONSOLE_ENABLED": False,
            "LOG_LEVEL": log_level,
            "LOG_INSTALL_ROOT_HANDLER": True,
            "REQUEST_FINGERPRINTER_IMPLEMENTATION": "2.7",
            **{k: v for k, v in distributed.items() if k != "EXTENSIONS"},
        }
    )


def due(feed: Feed, now: datetime) -> bool:
    """A feed is due when its poll interval has passed since its last attempt (a few seconds early is fine: the
    scheduler's cycle and the crawl's own duration would otherwise push every poll one cycle late)."""
    if feed.last_attempt_at is None:
        return True
    return now - feed.last_attempt_at >= timedelta(seconds=feed.poll_interval_s) - DUE_SLACK


def jobs_for(database: Database, registry: Registry, source: str | None) -> list[FeedJob]:
    """Sync the registry to storage and return the enabled feeds (of one outlet, if named)."""
    for attempt in range(3):
        try:
            with database.session() as session:
                outlets = sync_registry(session, registry)
                feeds = list_feeds(session, enabled_only=True)
            break
        except IntegrityError:  # another crawl process (another machine) wrote the same new outlet or feed first
            if attempt == 2:
                raise
    by_id = {o.id: (slug, o) for slug, o in outlets.items()}
    jobs: list[FeedJob] = []
    for feed in feeds:
        if feed.outlet_id not in by_id:
            continue
        slug, outlet = by_id[feed.outlet_id]
        spec = registry.get(slug)
        if spec is None or not spec.enabled or (source is not None and slug != source):
            continue
        rules = Rules(body=spec.extract.body, drop=spec.extract.drop)
        jobs.append(FeedJob(feed=feed, outlet_slug=slug, rules=rules, site_names=frozenset({spec.name, outlet.domain})))
    return jobs


def lease_due(database: Database, jobs: list[FeedJob], now: datetime) -> frozenset[int]:
    """The feeds due for a poll that this process takes (another process polling the same database may take some)."""
    leased: set[int] = set()
    with database.session() as session:
        for job in jobs:
            feed = job.feed
            assert feed.id is not None
            if due(feed, now) and lease_feed(session, feed.id, seen_attempt_at=feed.last_attempt_at, now=now):
                leased.add(feed.id)
    return frozenset(leased)


def emit(event: CrawlEvent) -> None:
    sys.stdout.write(event.to_json() + "\n")
    sys.stdout.flush()


class Reporter:
    """Progress for the parent: problems and feed polls at once, stored-article counts at most every
    `every_s` (a line per article cost the crawl process a pipe write each)."""

    def __init__(self, every_s: float = 0.25) -> None:
        self.every_s = every_s
        self.counts: Counter[str] = Counter()
        self.last = time.monotonic()

    def report(self, event: CrawlEvent) -> None:
        if isinstance(event, ArticleHandled) and event.outcome in STORED:
            self.counts[event.outcome] += 1
            if time.monotonic() - self.last >= self.every_s:
                self.flush()
        else:
            emit(event)

    def flush(self) -> None:
        if self.counts:
            emit(ArticlesCounted(counts=tuple(self.counts.items())))
            self.counts.clear()
        self.last = time.monotonic()


def main() -> int:
    config = json.load(sys.stdin)
    if config.get("parent_pid"):
        die_with_parent(int(config["parent_pid"]))
    storage = StorageSettings.model_validate(config["storage"])
    settings = CrawlerSettings.model_validate(config["crawler"])
    try:
        registry = load_registry(settings.sources_file, include_shipped=not settings.only_sources_file)
    except SourceError as exc:  # the user's registry is wrong: say so in their words, not as a traceback
        emit(CrawlRefused(reason=str(exc)))
        return 2
    database = Database.from_settings(storage)
    jobs = jobs_for(database, registry, config.get("source"))
    poll = lease_due(database, jobs, datetime.now(UTC)) if config.get("due_only") else None
    emit(CrawlStarted(feeds=len(jobs) if poll is None else len(poll)))
    reporter = Reporter()
    shared = bool(settings.redis_url)  # with a shared queue, a process with nothing to poll still fetches pages
    if jobs and (poll is None or poll or shared):
        process = CrawlerProcess(scrapy_settings(settings, registry, storage, config.get("log_level", "WARNING")))
        claims = Claims.from_settings(settings)  # URLs already being fetched (RSS and sitemap overlap)

        def last_fetched(urls: list[str]) -> dict[str, datetime]:
            with database.session() as session:
                return stored_last_fetched(session, urls)

        for spider in SPIDERS:
            if any(job.feed.kind == spider.kind for job in jobs):
                crawler = process.create_crawler(spider)
                crawler.signals.connect(reporter.report, signal=crawl_progress)
                process.crawl(
                    crawler,
                    jobs=jobs,
                    last_fetched=last_fetched,
                    clock=lambda: datetime.now(UTC),
                    recheck_window_h=settings.recheck_window_h,
                    claims=claims,
                    poll=poll,
                )
        # The cyclic garbage collector took 15% of this process's CPU (benchmarks/crawl.py, 2,000 pages: 1.3 s of
        # 8.9 s). Everything alive now (Scrapy, Twisted, SQLAlchemy) lives as long as the process: frozen, no
        # collection walks it again; and a young generation of 10,000 objects instead of 700 lets the many
        # short-lived objects of each request die by reference count before a collection promotes them. Together:
        # 0.18 s, memory unchanged.
        gc.freeze()
        gc.set_threshold(10_000, 10, 10)
        process.start()
    reporter.flush()
    database.dispose()
    emit(CrawlDone())
    return 0


if __name__ == "__main__":
    sys.exit(main())
