"""Per-outlet extraction rules, apart from the extraction code: the crawl process carries them to the extraction
workers without importing trafilatura itself."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, kw_only=True)
class Rules:
    """Per-outlet refinements (crawler/sources.yaml `extract:`)."""

    body: str | None = None
    drop: tuple[str, ...] = ()
