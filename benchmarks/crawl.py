"""Crawl benchmark: the replay site built from the 20,000-article sample, crawled end to end.

Prints articles per second end to end, the cost per article of bare trafilatura on the same pages measured in
the same run, their ratio, and the peak memory of the crawl (crawler process and its extraction workers),
sampled along the run to show whether it grows.

    .venv/bin/python benchmarks/crawl.py --corpus ../shared/corpus/vietnews-sample.jsonl.gz [--limit 20000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import trafilatura

from crawler.events import ArticleHandled, ArticlesCounted, CrawlEvent
from crawler.replay.corpus import load_corpus, schedule
from crawler.replay.site import ReplaySite
from crawler.run import crawl_once
from crawler.settings import CrawlerSettings
from storage.articles import count_articles
from storage.engine import Database
from storage.migrate import upgrade
from storage.settings import StorageSettings

TICKS = os.sysconf("SC_CLK_TCK")
cpu_seen: dict[int, float] = {}  # pid → CPU seconds, the last reading of every process of the crawl tree
crawl_pids: set[int] = set()  # the crawl process itself (its descendants are the extraction workers)


def descendants_rss_mb(root: int) -> float:
    """Memory of every process below `root` (the crawl process and its extraction workers), in MB.

    Proportional set size: pages the forked workers share with the crawl process are counted once, not once
    per process as a sum of RSS would.
    """
    parents: dict[int, int] = {}
    cpu: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            parents[int(entry)] = int(fields[1])
            cpu[int(entry)] = (int(fields[11]) + int(fields[12])) / TICKS
        except (OSError, ValueError, IndexError):
            continue
    total, todo = 0, [p for p, parent in parents.items() if parent == root]
    crawl_pids.update(todo)
    while todo:
        pid = todo.pop()
        try:  # only for the crawl's own processes: reading smaps walks page tables
            with open(f"/proc/{pid}/smaps_rollup") as f:
                total += int(next(line for line in f if line.startswith("Pss:")).split()[1]) * 1024
        except (OSError, ValueError, StopIteration):
            pass
        cpu_seen[pid] = max(cpu_seen.get(pid, 0.0), cpu.get(pid, 0.0))
        todo.extend(p for p, parent in parents.items() if parent == pid)
    return total / 1e6


def bare_trafilatura_ms(site: ReplaySite, sample: int) -> tuple[float, float]:
    """Wall and CPU milliseconds per page of bare trafilatura (equal on an idle machine; on a busy one the CPU
    figure is the fair yardstick for the crawl's CPU per article)."""
    urls = [f"{site.base}{a.path}" for a in site.published()[:sample]]
    with httpx.Client() as client:
        pages = [client.get(u).content for u in urls]
    start, start_cpu = time.perf_counter(), time.process_time()
    for page in pages:
        trafilatura.extract(page)
    return (time.perf_counter() - start) / len(pages) * 1000, (time.process_time() - start_cpu) / len(pages) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus/vietnews-sample.jsonl.gz"))
    parser.add_argument("--limit", type=int, default=20000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--bare-sample", type=int, default=500)
    args = parser.parse_args()

    rows = load_corpus(args.corpus, limit=args.limit)
    site = ReplaySite(schedule(rows, now=datetime.now(UTC), spread=timedelta(days=7))).start()
    site.prerender()  # the pages are served from memory: the server stands for remote outlets
    work = Path(tempfile.mkdtemp(prefix="thads-bench-"))
    sources = work / "sources.yaml"
    # The news sitemap lists every article; the RSS feed only the newest 50.
    sources.write_text(site.sources_yaml(concurrency=16, kinds=("sitemap",)), encoding="utf-8")
    storage = StorageSettings(database_url=f"sqlite:///{work / 'bench.db'}", data_dir=work)
    settings = CrawlerSettings(sources_file=sources, only_sources_file=True, extract_workers=args.workers)
    db = Database.from_settings(storage)
    upgrade(db.engine)

    bare_ms, bare_cpu_ms = bare_trafilatura_ms(site, args.bare_sample)

    samples: list[tuple[int, float]] = []
    done = {"n": 0}
    stop = threading.Event()

    def sampler() -> None:
        while not stop.is_set():
            samples.append((done["n"], descendants_rss_mb(os.getpid())))
            stop.wait(0.5)

    def on_event(event: CrawlEvent) -> None:
        if isinstance(event, ArticlesCounted):
            done["n"] += sum(n for _, n in event.counts)
        elif isinstance(event, ArticleHandled):
            done["n"] += 1

    thread = threading.Thread(target=sampler, daemon=True)
    thread.start()
    start = time.perf_counter()
    summary = crawl_once(storage, settings, on_event=on_event)
    elapsed = time.perf_counter() - start
    stop.set()
    thread.join()
    site.stop()
    with db.session() as session:
        stored = count_articles(session)

    cpu_s = sum(cpu_seen.values())  # sampled every 0.5 s: the last half second of a process may be missed
    per_article_ms = elapsed / max(stored, 1) * 1000
    cpu_per_article_ms = cpu_s / max(stored, 1) * 1000
    crawl_cpu_ms = sum(v for p, v in cpu_seen.items() if p in crawl_pids) / max(stored, 1) * 1000
    # From the first stored page on: a sample taken between fork and exec of the crawl process would count the
    # benchmark's own pre-rendered pages, which the crawler never holds.
    running = [m for n, m in samples if n > 0]
    peak = max(running) if running else 0.0
    quarters = []
    for q in (0.25, 0.5, 0.75, 1.0):
        # samples taken while pages are being stored (before the first one, the workers are not yet started)
        window = [m for n, m in samples if n > 0 and (q - 0.25) * stored <= n <= q * stored]
        quarters.append(statistics.median(window) if window else float("nan"))
    print(f"articles published        {len(rows)}")
    print(f"articles stored           {stored}  ({dict(summary.outcomes)})")
    print(f"wall time                 {elapsed:.1f} s")
    print(f"throughput end to end     {stored / elapsed:.1f} articles/s  (target >= 25)")
    print(f"end to end per article    {per_article_ms:.1f} ms wall, {cpu_per_article_ms:.1f} ms CPU (all processes)")
    workers_ms = cpu_per_article_ms - crawl_cpu_ms
    print(f"  of which crawl process  {crawl_cpu_ms:.1f} ms CPU, extraction workers {workers_ms:.1f} ms")
    print(
        f"bare trafilatura          {bare_ms:.1f} ms wall, {bare_cpu_ms:.1f} ms CPU per article "
        f"({args.bare_sample} of the same pages, one core)"
    )
    print(f"ratio wall / bare         {per_article_ms / bare_ms:.2f}  (target <= 1.3)")
    fair = cpu_per_article_ms / bare_cpu_ms
    print(f"ratio CPU / bare          {cpu_per_article_ms / bare_ms:.2f}  (CPU / bare CPU {fair:.2f})")
    print(f"peak memory (crawl tree)  {peak:.0f} MB  (target <= 400)")
    print("memory by quarter of run  " + ", ".join(f"{m:.0f}" for m in quarters) + " MB")


if __name__ == "__main__":
    main()
