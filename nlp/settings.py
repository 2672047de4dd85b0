"""Settings of the NLP stage (composed into the application Settings by `thads_monitor`)."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field


class NlpSettings(BaseModel):
    """How articles are read and grouped into stories."""

    model_config = ConfigDict(extra="forbid")

    model_dir: Path | None = Field(
        default=None,
        description=(
            "A fixed model folder (`nlp train --out`), never switched; empty: the active model version "
            "(`nlp models`, `nlp use`), else the shipped models."
        ),
    )
    reenrich_days: int = Field(
        default=14,
        ge=0,
        le=365,
        description=(
            "After a model version is promoted (or switched to), the articles fetched this many days back are read "
            "again (labels and scores; a monitor's labels are kept)."
        ),
    )
    comments_dir: Path | None = Field(
        default=None,
        description=(
            "Folder of the public comment datasets (UIT-ViCTSD, UIT-ViHSD, recorded page comments) that the "
            "labelled comments are read from, by id, to retrain or measure the comment reader "
            "(`benchmarks/comments.py`); not redistributed, see nlp/models/COMMENTS_CARD.md. Empty: not available."
        ),
    )
    batch_size: int = Field(default=200, ge=1, le=5000, description="Articles enriched per transaction.")
    story_window_days: int = Field(
        default=14, ge=1, le=365, description="How far back a new copy is matched against earlier stories."
    )
    story_threshold: float = Field(
        default=0.8,
        gt=0,
        lt=1,
        description="Estimated containment (shared 4-syllable shingles over the shorter text's) for one story.",
    )
    social_join_threshold: float = Field(
        default=0.5,
        gt=0,
        le=1,
        description=(
            "A social post or video that shares no article's link joins the story of the article whose text holds "
            "at least this share of the post's 4-syllable shingles (estimated containment)."
        ),
    )
    social_join_days: int = Field(
        default=7,
        ge=1,
        le=90,
        description="A post is compared with the articles fetched this many days before it was published (and after).",
    )
    use_ner: bool = Field(
        default=True,
        description="Find people with underthesea NER in the headline and confirm two-syllable names on their line.",
    )
