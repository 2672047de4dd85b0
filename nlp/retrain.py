"""Retraining from the monitors' judgments: train a candidate version, measure it and the active version on the
fixed validation set, promote it only if it is not worse (`nlp.versions.not_worse`). Every candidate is kept."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from nlp.classify import Classifier
from nlp.feedback import feedback_examples
from nlp.promotion import not_worse
from nlp.train import Example, train
from nlp.validation import Figures, evaluate
from nlp.versions import active_model, ensure_shipped, new_version_name, versions_dir
from storage.engine import Database
from storage.feedback import monitor_labels
from storage.model_versions import (
    ModelVersion,
    activate_model_version,
    add_model_version,
    get_model_version,
    set_model_metrics,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True, kw_only=True)
class Retrained:
    candidate: str
    candidate_figures: Figures
    active: str  # the version in use before
    active_figures: Figures
    promoted: bool
    feedback: int  # examples from the monitors' judgments
    incomplete: int  # relevant articles left out for want of a monitor's topic or tone
    training: dict[str, Any]  # the candidate's cross-validated figures (train's report)


def collect_feedback(database: Database) -> tuple[list[Example], int]:
    with database.session() as session:
        labelled = monitor_labels(session)
    found = feedback_examples(labelled)
    return list(found.examples), found.incomplete


def retrain(
    database: Database,
    *,
    corpus: Path,
    labels: Path | None,
    validation: Sequence[Example],
    data_dir: Path,
    by: str,
    now: datetime,
    from_db: bool = True,
    written: Path | None = None,
    background: int = 0,
    workers: int = 2,
    library_pages: Path | None = None,
) -> Retrained:
    """Train a candidate into `<data_dir>/models/<version>/`, record it, and make it active if it is not worse
    than the active version on `validation`."""
    ensure_shipped(database, now=now)
    extra, incomplete = collect_feedback(database) if from_db else ([], 0)
    name = new_version_name(now)
    out = versions_dir(data_dir) / name
    log.info("training %s with %d examples from the monitors", name, len(extra))
    report = train(
        corpus,
        labels,
        written=written,
        out=out,
        background=background,
        workers=workers,
        extra=extra,
        library_pages=library_pages,
    )
    meta_path = out / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    trained_as, meta["version"] = meta["version"], name  # the name enrichments record (Enrichment.model_version)
    meta["counts"]["feedback"] = len(extra)
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    card = out / "MODEL_CARD.md"
    if card.exists():
        card.write_text(card.read_text(encoding="utf-8").replace(trained_as, name), encoding="utf-8")
    active_name, active_path = active_model(database)
    candidate_figures = evaluate(Classifier.load(out, use_ner=False), list(validation))
    active_figures = evaluate(Classifier.load(active_path, use_ner=False), list(validation))
    promoted = not_worse(candidate_figures, active_figures)
    with database.session() as session:
        set_model_metrics(
            session, active_name, {**_metrics_of(session, active_name), "validation": active_figures.as_json()}
        )
        add_model_version(
            session,
            ModelVersion(
                version=name,
                path=str(out.resolve()),
                created_at=now,
                metrics={
                    "validation": candidate_figures.as_json(),
                    "training": report.metrics,
                    "counts": meta["counts"],
                },
            ),
        )
        if promoted:
            activate_model_version(session, name, by=by, at=now)
    return Retrained(
        candidate=name,
        candidate_figures=candidate_figures,
        active=active_name,
        active_figures=active_figures,
        promoted=promoted,
        feedback=len(extra),
        incomplete=incomplete,
        training=report.metrics,
    )


def _metrics_of(session: Session, version: str) -> dict[str, Any]:
    found = get_model_version(session, version)
    return dict(found.metrics) if found is not None else {}
