"""Model versions on disk and in the database: where each version's files are, which one is active, and the
classifier a running process reads with (reloaded when another version is promoted; the rule for promoting one is
`nlp.promotion`).

Versions live in `<data_dir>/models/<version>/` (the files of nlp/models/: relevance, topic, sentiment models,
meta.json, MODEL_CARD.md); a deployed system never writes into the installed package. The models shipped in the
package are the first version (path "" in table model_version).
"""

from __future__ import annotations

import json
import logging
import threading
from datetime import datetime
from pathlib import Path
from typing import Any

from nlp.classify import MODEL_DIR, Classifier
from storage.engine import Database
from storage.model_versions import (
    ModelVersion,
    activate_model_version,
    active_model_version,
    active_version_name,
    add_model_version,
    get_model_version,
)

log = logging.getLogger(__name__)


def versions_dir(data_dir: Path) -> Path:
    return data_dir / "models"


def new_version_name(now: datetime) -> str:
    return f"thads-nlp-{now:%Y%m%d-%H%M%S}"


def model_path(version: ModelVersion) -> Path:
    return Path(version.path) if version.path else MODEL_DIR


def shipped_meta() -> dict[str, Any]:
    """meta.json of the models shipped in the package (version, threshold, training figures)."""
    meta: dict[str, Any] = json.loads((MODEL_DIR / "meta.json").read_text(encoding="utf-8"))
    return meta


def shipped_version_name() -> str:
    return str(shipped_meta()["version"])


def ensure_shipped(database: Database, *, now: datetime) -> ModelVersion:
    """The shipped models as a version (recorded once); active when no version is."""
    name = shipped_version_name()
    with database.session() as session:
        shipped = get_model_version(session, name) or add_model_version(
            session,
            ModelVersion(version=name, path="", created_at=now, metrics={"threshold": shipped_meta()["threshold"]}),
        )
        if active_model_version(session) is None:
            shipped = activate_model_version(session, name, by="hệ thống (mô hình kèm phần mềm)", at=now)
    return shipped


def active_model(database: Database) -> tuple[str, Path]:
    """The active version's name and folder; the shipped models when none is recorded or its folder is gone."""
    with database.session() as session:
        active = active_model_version(session)
    if active is None:
        return shipped_version_name(), MODEL_DIR
    path = model_path(active)
    if not (path / "meta.json").exists():
        log.warning("model version %s: folder %s is missing; reading with the shipped models", active.version, path)
        return shipped_version_name(), MODEL_DIR
    return active.version, path


class ActiveModel:
    """The classifier of the active version for a long-running process. Calling it returns the classifier,
    reloaded when another version was promoted since (one small query; the enrichment calls it before each batch).
    `pinned`: a fixed model folder (setting nlp.model_dir), never switched."""

    def __init__(self, database: Database, *, use_ner: bool = True, pinned: Path | None = None) -> None:
        self.database = database
        self.use_ner = use_ner
        self.pinned = pinned
        self._loaded: tuple[str | None, Classifier] | None = None
        self._lock = threading.Lock()

    def __call__(self) -> Classifier:
        with self._lock:
            if self.pinned is not None:
                if self._loaded is None:
                    self._loaded = (None, Classifier.load(self.pinned, use_ner=self.use_ner))
                return self._loaded[1]
            with self.database.session() as session:
                wanted = active_version_name(session)
            if self._loaded is None or self._loaded[0] != wanted:
                name, path = active_model(self.database)
                if self._loaded is not None:
                    log.info("model version %s promoted: reading with it from now on", name)
                self._loaded = (wanted, Classifier.load(path, use_ner=self.use_ner))
            return self._loaded[1]
