"""The main job (`thads-monitor run`): APScheduler runs every stage on its schedule in one process.

Jobs live in the database's job store (table apscheduler_jobs), in Asia/Ho_Chi_Minh; a run that was missed
while the process was down runs once when it comes back (coalesced, within the grace time); a job never overlaps
itself. The store keeps only each job's name: the code to run is looked up in `JOBS` at run time, with the
Runtime this process built at start (models, policies, the stop signal).

SIGTERM (or Ctrl+C) stops taking new runs and waits for the runs in flight to end; they see the stop signal and
finish the unit of work in hand (a crawl stops gracefully, an enrichment batch commits), so nothing is lost and a
restart does not repeat what was done.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from types import FrameType

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from domain.localtime import VN
from thads_monitor.jobs import JOBS, Runtime, run_logged

log = logging.getLogger(__name__)
_runtime: Runtime | None = None  # this process's runtime, for `run_job` (the job store keeps only names)
_scheduler: BackgroundScheduler | None = None


def run_job(name: str) -> None:
    """The scheduler's entry point for every job (a module-level function, so that the job store can name it)."""
    runtime, scheduler = _runtime, _scheduler
    if runtime is None:
        raise RuntimeError("the scheduler's runtime is not set")
    if runtime.stop.is_set():
        return
    job = JOBS[name]
    outcome = run_logged(runtime, job)
    if outcome is not None and outcome.wake and scheduler is not None and not runtime.stop.is_set():
        for follower in job.then:
            wake(scheduler, follower)


def wake(scheduler: BackgroundScheduler, name: str) -> None:
    """Run a job now rather than at its next turn (it still never overlaps itself)."""
    job = scheduler.get_job(name)
    if job is not None:
        job.modify(next_run_time=datetime.now(VN))


class _Expected(logging.Filter):
    """APScheduler warns when a run is skipped because the job is still running: here that is the rule (a job
    never overlaps itself, and a busy stage wakes the next one, which may be running), not a problem."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "maximum number of running instances reached" not in record.getMessage()


def quiet_apscheduler_logs() -> None:
    """Our own line per run (thads_monitor.jobs) says what each job did; APScheduler's per-run lines repeat it."""
    logging.getLogger("apscheduler.executors.default").setLevel(logging.WARNING)
    scheduler_log = logging.getLogger("apscheduler.scheduler")
    if not any(isinstance(f, _Expected) for f in scheduler_log.filters):
        scheduler_log.addFilter(_Expected())


def build_scheduler(runtime: Runtime, *, jobs: tuple[str, ...] | None = None) -> BackgroundScheduler:
    settings = runtime.settings.scheduler
    quiet_apscheduler_logs()
    scheduler = BackgroundScheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=runtime.database.engine, tablename="apscheduler_jobs")},
        executors={"default": ThreadPoolExecutor(settings.threads)},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": settings.misfire_grace_s},
        timezone=VN,
    )
    now = datetime.now(VN)
    for position, name in enumerate(jobs or tuple(JOBS)):
        job = JOBS[name]
        interval = job.interval_s(runtime.settings)
        scheduler.add_job(
            "thads_monitor.scheduler:run_job",
            trigger=IntervalTrigger(seconds=interval, timezone=VN),
            args=[name],
            id=name,
            name=job.description or name,
            replace_existing=True,
            # The first run soon after start, staggered so that the stages do not all start at once.
            next_run_time=now + timedelta(seconds=2 + 3 * position),
        )
    return scheduler


@contextmanager
def stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """SIGTERM and SIGINT set `stop` (in the main thread) while the block runs."""

    def handler(signum: int, _frame: FrameType | None) -> None:
        log.info("received %s: finishing the work in hand, then stopping", signal.Signals(signum).name)
        stop.set()

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def run_scheduler(runtime: Runtime, *, jobs: tuple[str, ...] | None = None) -> None:
    """Run the scheduled jobs until `runtime.stop` is set (SIGTERM, Ctrl+C), then stop cleanly."""
    global _runtime, _scheduler
    scheduler = build_scheduler(runtime, jobs=jobs)
    _runtime, _scheduler = runtime, scheduler
    try:
        with stop_on_signals(runtime.stop):
            scheduler.start()
            log.info("scheduler started: %s", ", ".join(f"{j.id} ({j.trigger})" for j in scheduler.get_jobs()))
            runtime.stop.wait()
            log.info("stopping: waiting for the jobs in flight")
            scheduler.shutdown(wait=True)
    finally:
        _runtime, _scheduler = None, None
    log.info("scheduler stopped")


def run_worker(runtime: Runtime, name: str, *, idle_s: float, once: bool = False) -> int:
    """A stage worker: run one job again and again (claiming its rows, so that several workers share the work),
    resting `idle_s` when there was nothing to do; stops after the unit in hand on SIGTERM. Returns the runs."""
    job = JOBS[name]
    runs = 0
    with stop_on_signals(runtime.stop):
        while not runtime.stop.is_set():
            outcome = run_logged(runtime, job)
            runs += 1
            if once:
                break
            if outcome is None or not outcome.done:
                runtime.stop.wait(idle_s)
    return runs
