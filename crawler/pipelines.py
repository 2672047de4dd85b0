"""The item pipeline: every database write of a crawl, and its progress.

The spiders only yield (crawler/spiders/base.py); here pages are extracted (in worker processes) and stored,
feed polls and failed pages logged, and each outcome sent as a typed `CrawlEvent` on the `crawl_progress`
signal, which crawler/process.py passes on to the parent process.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from concurrent.futures import Executor, ProcessPoolExecutor
from typing import Any, Self

from scrapy import Spider, signals
from scrapy.crawler import Crawler

from crawler.events import ArticleHandled, CrawlEvent, FeedChecked
from crawler.items import ArticleFailed, FeedPolled, Fetched, Validators
from crawler.rules import Rules
from crawler.spiders.base import FeedSpider
from crawler.workers import extract_and_store
from storage.engine import Database
from storage.feeds import add_event, record_poll, save_validators
from storage.settings import StorageSettings

crawl_progress = object()
"""Signal sent with `event=` a CrawlEvent for every feed polled and every article handled."""


class StorePipeline:
    def __init__(self, crawler: Crawler, storage: StorageSettings) -> None:
        self.crawler = crawler
        self.storage = storage
        self.database = Database.from_settings(storage, create=False)
        self.pool: Executor | None = None
        self.rules: dict[int, tuple[Rules, frozenset[str]]] = {}
        # Validators of the feeds polled, saved only when the whole cycle has finished (see FeedSpider.parse_feed).
        self.validators: dict[int, Validators] = {}
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler, StorageSettings.model_validate(crawler.settings.getdict("THADS_STORAGE")))

    def open_spider(self) -> None:
        for job in self.spider.jobs:
            assert job.feed.id is not None
            self.rules[job.feed.id] = (job.rules, job.site_names)
        workers = self.crawler.settings.getint("THADS_EXTRACT_WORKERS", 0)
        if workers > 0:
            # Workers fork from a small server that has only imported the extraction code: forked from the crawl
            # process they would share its heap, and every page it rewrites would be copied (memory creeping up).
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["crawler.store"])
            self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)

    def close_spider(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        """After every item: the validators are saved if nothing was cut short ("finished"), and with a shared
        queue never (other machines may still be fetching the feed's pages)."""
        try:
            if reason == "finished" and self.validators and not self.crawler.settings.get("REDIS_URL"):
                with self.database.session() as session:
                    for feed_id, found in self.validators.items():
                        save_validators(session, feed_id, etag=found.etag, last_modified=found.last_modified)
        finally:
            self.database.dispose()

    @property
    def spider(self) -> FeedSpider:
        spider = self.crawler.spider
        assert isinstance(spider, FeedSpider)
        return spider

    async def process_item(self, item: Any) -> Any:
        if isinstance(item, Fetched):
            await self._store(item)
        elif isinstance(item, FeedPolled):
            self._polled(item)
        elif isinstance(item, ArticleFailed):
            with self.database.session() as session:
                add_event(session, item.event)
            self.crawler.stats.inc_value("thads/article_failed")
            self._progress(ArticleHandled(outcome="failed", url=item.event.url or "", reason=item.event.reason))
        return item

    async def _store(self, item: Fetched) -> None:
        rules, site_names = self.rules[item.feed_id]
        if self.pool is None:
            from crawler.store import (
                extract_fetched,
                store,
            )  # only here: with workers, no extraction code in this process

            result = extract_fetched(item, rules, site_names)
            with self.database.session() as session:
                stored = store(session, item, result)
        else:
            loop = asyncio.get_running_loop()
            stored = await loop.run_in_executor(self.pool, extract_and_store, item, rules, site_names, self.storage)
        self.crawler.stats.inc_value(f"thads/{stored.outcome}")
        self._progress(ArticleHandled(outcome=stored.outcome, url=stored.url, reason=stored.reason))

    def _polled(self, item: FeedPolled) -> None:
        event = item.event
        if not event.ok:
            self.crawler.stats.inc_value("thads/feed_failed")
        with self.database.session() as session:
            record_poll(session, event)
        if item.validators is not None:
            self.validators[event.feed_id] = item.validators
        self._progress(FeedChecked(url=event.url, ok=event.ok, new=event.items_new, reason=event.reason))

    def _progress(self, event: CrawlEvent) -> None:
        self.crawler.signals.send_catch_log(crawl_progress, event=event)
