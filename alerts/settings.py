"""Settings of the alerts package: workflow, deadlines, reminders (composed into the application Settings)."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field


class AlertSettings(BaseModel):
    """The response workflow and the messages it writes."""

    model_config = ConfigDict(extra="forbid")

    priority_rules_file: Path | None = Field(default=None, description="Your priority rules (YAML); empty: shipped.")
    deadline_policy_file: Path | None = Field(default=None, description="Your deadline policy (YAML); empty: shipped.")
    calendar_file: Path | None = Field(
        default=None, description="Your official days-off schedule by year (YAML); empty: shipped."
    )
    culture_day_off: bool = Field(
        default=False,
        description="Count 24/11 (Ngày Văn hóa Việt Nam) as a day off (announced 2026; Labour Code change unverified).",
    )
    reminder_points: tuple[float, ...] = Field(
        default=(0.5, 0.8), description="Remind at these fractions of each deadline's time (plus its last working day)."
    )
    app_url: str = Field(default="http://127.0.0.1:8000", description="Web app address used in e-mail links.")
