"""Alert tiers as data (policy/tiers.yaml): each priority's default tier and the P1 batching window."""

from __future__ import annotations

import functools
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from alerts.policy_files import load_policy
from alerts.preferences import PreferenceError
from domain.enums import AlertTier, Priority
from domain.labels import taxonomy


class TierPolicy(BaseModel):
    """The shipped (or the user's) tier policy: a tier for every priority, and the batching window."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    defaults: dict[Priority, AlertTier]
    burst_window_min: int = Field(ge=1, le=60)

    @model_validator(mode="after")
    def _complete(self) -> TierPolicy:
        absent = [p.value for p in Priority if p not in self.defaults]
        if absent:
            raise ValueError(f"defaults thiếu mức cảnh báo cho: {', '.join(absent)}")
        return self

    def tier(self, priority: Priority, chosen: dict[Priority, AlertTier] | None = None) -> AlertTier:
        """The user's own choice for the priority, else the policy's default."""
        return (chosen or {}).get(priority, self.defaults[priority])


def load_tiers(path: Path | None = None) -> TierPolicy:
    return load_policy("tiers.yaml", TierPolicy, path)


@functools.cache
def default_tiers() -> TierPolicy:
    return load_tiers()


DEFAULT_CHOICE = "mac_dinh"  # what a form or the command line gives for "the policy's default"


def parse_tier(value: str) -> AlertTier | None:
    """A tier's code as a user gives it; empty or `mac_dinh`: back to the policy's default (None)."""
    text = value.strip().lower()
    if text in ("", DEFAULT_CHOICE):
        return None
    try:
        return AlertTier(text)
    except ValueError:
        names = ", ".join(f"{t.value} ({taxonomy().tiers[t]})" for t in AlertTier)
        raise PreferenceError(f"mức nhận tin {value.strip()!r} không có (chọn trong: {names})") from None


def parse_priority(value: str) -> Priority:
    """A priority's code as a user gives it (P1, p2…)."""
    try:
        return Priority(value.strip().upper())
    except ValueError:
        raise PreferenceError(
            f"mức ưu tiên {value.strip()!r} không có (chọn trong: {', '.join(p.value for p in Priority)})"
        ) from None
