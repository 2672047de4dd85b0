"""The log of scheduled job and worker runs (table job_run): when each ran, on which host, how it ended."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.tables import JobRunRow
from storage.types import as_utc


@dataclass(frozen=True, slots=True, kw_only=True)
class JobRun:
    job: str
    host: str
    started_at: datetime
    finished_at: datetime | None = None
    ok: bool | None = None  # None: still running, or the process died during the run
    summary: str | None = None
    error: str | None = None
    id: int | None = None


def _run(row: JobRunRow) -> JobRun:
    return JobRun(
        id=row.id,
        job=row.job,
        host=row.host,
        started_at=as_utc(row.started_at),
        finished_at=as_utc(row.finished_at),
        ok=row.ok,
        summary=row.summary,
        error=row.error,
    )


def start_run(session: Session, *, job: str, host: str, at: datetime) -> int:
    row = JobRunRow(job=job, host=host[:200], started_at=at)
    session.add(row)
    session.flush()
    return row.id


def finish_run(
    session: Session, run_id: int, *, at: datetime, ok: bool, summary: str | None = None, error: str | None = None
) -> None:
    row = session.get(JobRunRow, run_id)
    if row is None:
        raise LookupError(f"job run {run_id} does not exist")
    row.finished_at, row.ok, row.summary, row.error = at, ok, summary, error[:4000] if error else None
    session.flush()


def recent_runs(session: Session, *, job: str | None = None, limit: int = 50) -> list[JobRun]:
    query = select(JobRunRow).order_by(JobRunRow.started_at.desc(), JobRunRow.id.desc()).limit(limit)
    if job is not None:
        query = query.where(JobRunRow.job == job)
    return [_run(r) for r in session.scalars(query)]


def last_runs(session: Session) -> list[JobRun]:
    """The newest run of each job, by job name."""
    newest = select(JobRunRow.job, func.max(JobRunRow.id).label("id")).group_by(JobRunRow.job).subquery()
    rows = session.scalars(select(JobRunRow).join(newest, newest.c.id == JobRunRow.id).order_by(JobRunRow.job))
    return [_run(r) for r in rows]
