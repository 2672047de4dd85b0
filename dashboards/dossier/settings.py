"""Settings of the evidence dossier (composed into the application Settings as `dossier`)."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field


class DossierSettings(BaseModel):
    """The evidence dossier of a case: how its PDF renderings are printed."""

    model_config = ConfigDict(extra="forbid")

    chromium: Path = Field(
        default=Path("/usr/bin/chromium"),
        description="Chromium that prints each snapshot and the cover sheet to PDF (headless, no network).",
    )
    print_timeout_s: int = Field(
        default=60, ge=5, le=600, description="Seconds one PDF may take to print before the dossier fails."
    )
