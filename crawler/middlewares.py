"""Retries with exponential backoff (Scrapy's own retry middleware retries at once)."""

from __future__ import annotations

import asyncio

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Request


class BackoffRetryMiddleware(RetryMiddleware):
    """Retry as Scrapy does, but wait RETRY_BACKOFF_S × 2^(n-1) seconds before the n-th retry."""

    def _retry(self, request: Request, reason: str | Exception | type[Exception]) -> Request | None:
        retry = super()._retry(request, reason)
        if retry is not None:
            base = self.crawler.settings.getfloat("RETRY_BACKOFF_S", 0.0)
            retry.meta["thads_delay_s"] = base * 2 ** (int(retry.meta.get("retry_times", 1)) - 1)
        return retry

    async def process_request(self, request: Request) -> None:
        delay = float(request.meta.pop("thads_delay_s", 0) or 0)
        if delay > 0:
            await asyncio.sleep(delay)
