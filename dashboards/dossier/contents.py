"""What a case's dossier holds, read from storage in one go (the PDFs are printed afterwards, with no session
open): the case, every article of its story with every snapshot, the responses, the audit trail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from domain.records import AuditEvent, Case, Response, Snapshot
from storage.access import Copy
from storage.articles import list_snapshots
from storage.cases import append_audit, audit_trail, get_case, responses_of
from storage.views.queue import story_copies


class DossierError(Exception):
    """A dossier cannot be made or read; the message is Vietnamese and says why."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ArticleEvidence:
    copy: Copy
    snapshots: tuple[Snapshot, ...]  # first captured first


@dataclass(frozen=True, slots=True, kw_only=True)
class Evidence:
    case: Case
    articles: tuple[ArticleEvidence, ...]  # first fetched first
    responses: tuple[Response, ...]  # first recorded first
    audit: tuple[AuditEvent, ...]


def gather(session: Session, case_id: int) -> Evidence:
    """The case's evidence; DossierError if there is no such case (the caller has checked the user may see it)."""
    case = get_case(session, case_id)
    if case is None:
        raise DossierError(f"không có hồ sơ số {case_id}")
    articles = tuple(
        ArticleEvidence(copy=copy, snapshots=tuple(list_snapshots(session, copy.article_id)))
        for copy in story_copies(session, case.story_id)
    )
    return Evidence(
        case=case,
        articles=articles,
        responses=tuple(responses_of(session, case.id)),
        audit=tuple(audit_trail(session, case.id)),
    )


def record_dossier(session: Session, case: Case, *, actor: str, at: datetime, manifest_sha256: str) -> None:
    """The case's audit trail keeps who took a dossier, when, and the SHA-256 of its manifest.json."""
    assert case.id is not None
    note = f"Lập và tải hồ sơ chứng cứ (ZIP); SHA-256 của manifest.json: {manifest_sha256}"
    append_audit(
        session,
        AuditEvent(
            case_id=case.id, at=at, actor=actor, action="dossier", from_state=case.state, to_state=case.state, note=note
        ),
    )
