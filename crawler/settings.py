"""Settings of the crawler package (composed into the application Settings by `thads_monitor`)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

# What crawling through Redis imports (the `distributed` extra): distribution name, module.
DISTRIBUTED_MODULES = (("redis", "redis"), ("scrapy-redis", "scrapy_redis"))


class CrawlerSettings(BaseModel):
    """How sources are polled and pages fetched."""

    model_config = ConfigDict(extra="forbid")

    sources_file: Path | None = Field(
        default=None,
        description="Your own source registry (YAML), merged over the shipped one by outlet slug.",
    )
    only_sources_file: bool = Field(
        default=False, description="Use only `sources_file`, not the shipped registry (e.g. a replay site)."
    )
    contact: str = Field(
        default="thads-press-monitor@moj.gov.vn",
        description="Contact address sent in the User-Agent so that outlets can reach the operator.",
    )
    obey_robots: bool = Field(default=True, description="Respect each site's robots.txt.")
    download_delay_s: float = Field(
        default=1.0, ge=0, le=60, description="Default pause between requests to one site (outlets may override)."
    )
    concurrency_per_domain: int = Field(
        default=2, ge=1, le=32, description="Default parallel requests to one site (outlets may override)."
    )
    concurrent_requests: int = Field(default=16, ge=1, le=256, description="Parallel requests in all.")
    timeout_s: int = Field(default=30, ge=1, le=600, description="Seconds before a request is abandoned.")
    max_page_bytes: int = Field(
        default=10 * 1024 * 1024, ge=65536, description="Pages larger than this are refused (bytes)."
    )
    retries: int = Field(default=2, ge=0, le=10, description="Retries of a failed request (timeouts, 5xx).")
    retry_backoff_s: float = Field(
        default=2.0, ge=0, le=600, description="First retry delay; doubles at each further retry."
    )
    recheck_window_h: int = Field(
        default=72,
        ge=0,
        description="A stored article whose feed entry says it changed is fetched again within this many hours.",
    )
    watch_interval_s: int = Field(
        default=6 * 3600,
        ge=60,
        description="An article of a watched case is fetched again for edits and takedowns this many seconds apart.",
    )
    watch_closed_days: int = Field(
        default=30,
        ge=0,
        description="The articles of a closed case are still watched for this many days after it closed.",
    )
    watch_batch: int = Field(
        default=200, ge=1, le=10000, description="Watched articles fetched again in one re-check run at most."
    )
    extract_workers: int = Field(
        default=2, ge=0, le=16, description="Processes that extract pages in parallel (0: in the crawler itself)."
    )

    redis_url: str | None = Field(
        default=None,
        description=(
            "Redis URL (`redis://HOST:6379/0`) shared by crawl processes on several machines: one request queue "
            "(scrapy-redis), URL claims. Empty: one machine."
        ),
    )
    redis_prefix: str = Field(
        default="thads", min_length=1, max_length=64, description="Prefix of this installation's keys in Redis."
    )
    redis_claim_ttl_s: int = Field(
        default=600, ge=30, description="Seconds a process's claim on a URL lasts (a process that died frees it then)."
    )
    redis_linger_s: float = Field(
        default=10.0, ge=0, le=600, description="With Redis: seconds an idle crawl waits for work from other machines."
    )

    @field_validator("redis_url")
    @classmethod
    def _check_redis_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        if not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("cần một URL redis://, rediss:// hoặc unix://")
        missing = [name for name, module in DISTRIBUTED_MODULES if importlib.util.find_spec(module) is None]
        if missing:
            raise ValueError(
                f"thu thập trên nhiều máy cần gói {' và '.join(missing)} chưa được cài; "
                "cài bằng: pip install 'thads-press-monitor[distributed]'"
            )
        return value.strip()

    def user_agent(self, version: str) -> str:
        return f"THADSPressMonitor/{version} (+mailto:{self.contact})"
