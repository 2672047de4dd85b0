"""Run one crawl cycle in its own process (see crawler/process.py) and follow its progress."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from crawler.events import (
    ArticleHandled,
    ArticlesCounted,
    CrawlEvent,
    CrawlRefused,
    CrawlStarted,
    FeedChecked,
    NotAnEvent,
)
from crawler.settings import CrawlerSettings
from storage.settings import StorageSettings

log = logging.getLogger(__name__)


class CrawlError(Exception):
    """The crawl process failed to run; the message says how it ended."""


@dataclass
class CrawlSummary:
    feeds: int = 0
    feeds_failed: int = 0
    error: str | None = None  # why the crawl process could not run
    outcomes: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)

    def add(self, event: CrawlEvent) -> None:
        match event:
            case CrawlStarted(feeds=feeds):
                self.feeds = feeds
            case CrawlRefused(reason=reason):
                self.error = reason
            case FeedChecked(ok=False, url=url, reason=reason):
                self.feeds_failed += 1
                self.problems.append(f"{url}: {reason}")
            case ArticlesCounted(counts=counts):
                self.outcomes.update(dict(counts))
            case ArticleHandled(outcome=outcome, url=url, reason=reason):
                self.outcomes[outcome] += 1
                if outcome in ("failed", "rejected") and len(self.problems) < 200:
                    self.problems.append(f"{url}: {reason}")


def crawl_once(
    storage: StorageSettings,
    settings: CrawlerSettings,
    *,
    source: str | None = None,
    on_event: Callable[[CrawlEvent], None] | None = None,
    log_level: str = "WARNING",
    due_only: bool = False,
    stop: threading.Event | None = None,
) -> CrawlSummary:
    """One crawl cycle of every enabled feed (or of one outlet; or only the feeds due for a poll). Blocks until it
    ends. Setting `stop` asks the crawl process to stop gracefully (SIGTERM: Scrapy finishes what is in flight)."""
    config = {
        "storage": storage.model_dump(mode="json"),
        "crawler": settings.model_dump(mode="json"),
        "source": source,
        "log_level": log_level,
        "due_only": due_only,
        "parent_pid": os.getpid(),  # the crawl process dies with this one (crawler/lifeline.py)
    }
    summary = CrawlSummary()
    # glibc gives each thread that allocates its own arena; the crawl's threads (reactor, DNS, executor feeders)
    # then fragment memory and the process creeps upward. Two arenas keep it flat (measured: benchmarks/crawl.py).
    env = {**os.environ, "MALLOC_ARENA_MAX": os.environ.get("MALLOC_ARENA_MAX", "2")}
    with subprocess.Popen(
        # `-m crawler`, not `-m crawler.process`: multiprocessing re-runs a main module named so in every extraction
        # worker (Scrapy and Twisted imported there for nothing: about a second of CPU and tens of MB each), but
        # never a `__main__` module (crawler/__main__.py).
        [sys.executable, "-m", "crawler"],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        # Its own session: a Ctrl+C or SIGTERM sent to our process group must not reach Scrapy directly as well as
        # through `stop` — a second signal makes Scrapy abandon what is in flight.
        start_new_session=True,
    ) as child:
        assert child.stdin is not None
        assert child.stdout is not None
        child.stdin.write(json.dumps(config))
        child.stdin.close()
        if stop is not None:
            threading.Thread(target=_stop_when, args=(stop, child), name="crawl-stop", daemon=True).start()
        for line in child.stdout:
            try:
                event = CrawlEvent.from_json(line)
            except NotAnEvent:
                log.warning("crawl process wrote: %s", line.rstrip())
                continue
            summary.add(event)
            if on_event is not None:
                on_event(event)
        code = child.wait()
    if summary.error is not None:
        raise CrawlError(summary.error)
    if code != 0 and not (stop is not None and stop.is_set()):
        raise CrawlError(f"tiến trình thu thập kết thúc với mã {code}")
    return summary


def _stop_when(stop: threading.Event, child: subprocess.Popen[str]) -> None:
    while child.poll() is None:
        if stop.wait(0.5):
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
            return


def run_crawl(storage: StorageSettings, settings: CrawlerSettings) -> CrawlSummary:
    """The scheduler's entry point: one cycle, logged."""
    summary = crawl_once(storage, settings)
    log.info(
        "crawl: %d feeds (%d failed), %s",
        summary.feeds,
        summary.feeds_failed,
        ", ".join(f"{k} {v}" for k, v in sorted(summary.outcomes.items())) or "no articles",
    )
    return summary
