"""Model versions: every trained classifier kept with its validation figures; one of them is active (the one the
enrichment reads with). Promotion and rollback only move the active flag: files and rows are never removed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage.tables import ModelVersionRow
from storage.types import as_utc


@dataclass(frozen=True, slots=True, kw_only=True)
class ModelVersion:
    version: str
    path: str  # the model folder; "" for the models shipped in the package
    created_at: datetime
    metrics: dict[str, Any] = field(default_factory=dict)  # {"validation": {...}, "training": {...}} as JSON
    active: bool = False
    promoted_at: datetime | None = None
    promoted_by: str | None = None


def _record(row: ModelVersionRow) -> ModelVersion:
    return ModelVersion(
        version=row.version,
        path=row.path,
        created_at=as_utc(row.created_at),
        metrics=dict(row.metrics or {}),
        active=row.active,
        promoted_at=as_utc(row.promoted_at) if row.promoted_at is not None else None,
        promoted_by=row.promoted_by,
    )


def add_model_version(session: Session, version: ModelVersion) -> ModelVersion:
    """Record a version (not active: `activate_model_version` makes it so)."""
    row = ModelVersionRow(
        version=version.version,
        path=version.path,
        created_at=version.created_at,
        metrics=version.metrics,
        active=False,
    )
    session.add(row)
    session.flush()
    return _record(row)


def get_model_version(session: Session, version: str) -> ModelVersion | None:
    row = session.scalar(select(ModelVersionRow).where(ModelVersionRow.version == version))
    return None if row is None else _record(row)


def list_model_versions(session: Session) -> list[ModelVersion]:
    """Every version, oldest first."""
    rows = session.scalars(select(ModelVersionRow).order_by(ModelVersionRow.created_at, ModelVersionRow.id))
    return [_record(r) for r in rows]


def active_model_version(session: Session) -> ModelVersion | None:
    row = session.scalar(select(ModelVersionRow).where(ModelVersionRow.active.is_(True)).limit(1))
    return None if row is None else _record(row)


def active_version_name(session: Session) -> str | None:
    """Just the active version's name: what a running enrichment compares before each batch."""
    return session.scalar(select(ModelVersionRow.version).where(ModelVersionRow.active.is_(True)).limit(1))


def activate_model_version(session: Session, version: str, *, by: str, at: datetime) -> ModelVersion:
    """Make `version` the active one (the others inactive), in the caller's transaction."""
    row = session.scalar(select(ModelVersionRow).where(ModelVersionRow.version == version).with_for_update())
    if row is None:
        raise LookupError(f"model version {version!r} does not exist")
    session.execute(update(ModelVersionRow).where(ModelVersionRow.id != row.id).values(active=False))
    row.active, row.promoted_at, row.promoted_by = True, at, by
    session.flush()
    return _record(row)


def set_model_metrics(session: Session, version: str, metrics: dict[str, Any]) -> None:
    """Replace a version's figures (the shipped model's validation figures are measured when first needed)."""
    session.execute(update(ModelVersionRow).where(ModelVersionRow.version == version).values(metrics=metrics))
