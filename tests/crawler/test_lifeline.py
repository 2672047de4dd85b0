"""The crawl process dies with its parent (Issue 13 item 12): SIGKILL of `thads-monitor run` used to leave the
Scrapy child crawling on as an orphan."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from crawler.lifeline import children_of, running
from crawler.replay.drip import DripServer
from tests.thads_monitor.test_cli import EXE


def _wait_for(condition: Callable[[], object], timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def drip() -> Iterator[DripServer]:
    server = DripServer(every_s=1.0).start()
    yield server
    server.stop()


pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


@pytest.mark.slow
def test_the_crawl_child_dies_when_run_is_killed(drip: DripServer, tmp_path: Path) -> None:
    sources = tmp_path / "nguon.yaml"
    sources.write_text(
        "outlets:\n  - slug: bao-nho-giot\n    name: Báo Nhỏ Giọt\n    domain: 127.0.0.1\n    kind: national\n"
        f'    reach_tier: 1\n    feeds:\n      - {{url: "{drip.url}rss", kind: rss}}\n',
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("THADS_")}
    env.update(
        HOME=str(tmp_path),
        THADS_STORAGE__DATABASE_URL=f"sqlite:///{tmp_path / 'thads.db'}",
        THADS_CRAWLER__SOURCES_FILE=str(sources),
        THADS_CRAWLER__ONLY_SOURCES_FILE="true",
        THADS_CRAWLER__TIMEOUT_S="300",  # the drip-fed feed keeps the crawl busy for minutes
        THADS_CRAWLER__RETRIES="0",
    )
    run = subprocess.Popen(
        [EXE, "run", "--only", "crawl"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    crawl: list[int] = []
    try:
        assert _wait_for(lambda: drip.paths, 120), "the crawl did not reach the site"  # robots.txt first
        crawl.extend(children_of(run.pid))
        assert len(crawl) == 1
        time.sleep(1)  # Scrapy is fetching the feed, a byte a second: it has nothing to report for minutes
        assert running(crawl[0])
        run.send_signal(signal.SIGKILL)
        run.wait(timeout=10)
        assert _wait_for(lambda: not running(crawl[0]), 15), "the crawl process outlived `run`"
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()
        for pid in crawl:
            if running(pid):
                os.kill(pid, signal.SIGKILL)


def test_without_prctl_the_watcher_ends_the_child_when_the_parent_goes(tmp_path: Path) -> None:
    """The fallback where prctl is not available: the child watches its parent."""
    child = textwrap.dedent(
        """
        import sys, time
        sys.platform = "other"  # no prctl: the watcher alone
        from crawler.lifeline import die_with_parent
        die_with_parent(int(sys.argv[1]), check_every_s=0.2, grace_s=5)
        time.sleep(120)
        """
    )
    parent = textwrap.dedent(
        f"""
        import os, subprocess, sys, time
        child = subprocess.Popen([sys.executable, "-c", {child!r}, str(os.getpid())])
        print(child.pid, flush=True)
        time.sleep(120)
        """
    )
    starter = subprocess.Popen([sys.executable, "-c", parent], stdout=subprocess.PIPE, text=True)
    assert starter.stdout is not None
    child_pid = int(starter.stdout.readline())
    starter.stdout.close()
    try:
        time.sleep(1.5)
        assert running(child_pid)
        starter.send_signal(signal.SIGKILL)
        starter.wait(timeout=10)
        assert _wait_for(lambda: not running(child_pid), 10), "the child outlived its parent"
    finally:
        if running(child_pid):
            os.kill(child_pid, signal.SIGKILL)
