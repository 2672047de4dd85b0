"""Responses marked for publication on the portal: publish (again), withdraw, read back per case."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.records import Publication
from storage.tables import PublicationRow, ResponseRow
from storage.types import as_utc


def _publication(row: PublicationRow, case_id: int) -> Publication:
    return Publication(
        response_id=row.response_id,
        case_id=case_id,
        title=row.title,
        text=row.text,
        published_at=as_utc(row.published_at),
        published_by=row.published_by,
        updated_at=as_utc(row.updated_at),
        withdrawn_at=as_utc(row.withdrawn_at),
        withdrawn_by=row.withdrawn_by,
    )


def publish_response(
    session: Session, response_id: int, *, title: str, text: str, by: str, at: datetime
) -> Publication:
    """Mark the response for publication with this public title and text. Already live: the title and text are
    replaced (`updated_at` moves, `published_at` stays); withdrawn before: published again at `at`."""
    response = session.get(ResponseRow, response_id)
    if response is None:
        raise LookupError(f"response {response_id} does not exist")
    row = session.get(PublicationRow, response_id)
    if row is None or row.withdrawn_at is not None:
        row = row or PublicationRow(response_id=response_id)
        row.published_at, row.published_by = at, by
        row.withdrawn_at, row.withdrawn_by = None, None
    row.title, row.text, row.updated_at = title, text, at
    session.add(row)
    session.flush()
    return _publication(row, response.case_id)


def withdraw_publication(session: Session, response_id: int, *, by: str, at: datetime) -> Publication | None:
    """Take the response off the portal; None when it was not published (or already withdrawn)."""
    row = session.get(PublicationRow, response_id)
    response = session.get(ResponseRow, response_id)
    if row is None or response is None or row.withdrawn_at is not None:
        return None
    row.withdrawn_at, row.withdrawn_by, row.updated_at = at, by, at
    session.flush()
    return _publication(row, response.case_id)


def publications_of_case(session: Session, case_id: int) -> dict[int, Publication]:
    """The publication of each response of the case that has one (live or withdrawn), by response id."""
    rows = session.execute(
        select(PublicationRow)
        .join(ResponseRow, ResponseRow.id == PublicationRow.response_id)
        .where(ResponseRow.case_id == case_id)
    ).scalars()
    return {r.response_id: _publication(r, case_id) for r in rows}
