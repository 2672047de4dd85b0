"""The item pipeline: extraction in worker processes, storage in the crawler process, progress reported."""

from __future__ import annotations

import asyncio
import multiprocessing
from concurrent.futures import Executor, ProcessPoolExecutor
from typing import Any, Self

from scrapy.crawler import Crawler

from crawler.spiders.base import FeedJob, FeedSpider
from crawler.store import Fetched, extract_and_store, extract_fetched, store


class StorePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.pool: Executor | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def open_spider(self) -> None:
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

    @property
    def spider(self) -> FeedSpider:
        spider = self.crawler.spider
        assert isinstance(spider, FeedSpider)
        return spider

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, Fetched):
            return item
        job: FeedJob = next(j for j in self.spider.jobs if j.feed.id == item.feed_id)
        if self.pool is None:
            result = extract_fetched(item, job.rules, job.site_names)
            with self.spider.database.session() as session:
                stored = store(session, item, result)
        else:
            loop = asyncio.get_running_loop()
            storage = self.spider.storage_settings
            stored = await loop.run_in_executor(self.pool, extract_and_store, item, job.rules, job.site_names, storage)
        self.crawler.stats.inc_value(f"thads/{stored.outcome}")
        self.spider.progress(
            {"event": "article", "outcome": stored.outcome, "url": stored.url, "reason": stored.reason}
        )
        return item
