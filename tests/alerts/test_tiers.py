"""The shipped alert-tier policy: P3 only in the digest by default, a user's choice wins, bad files refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from alerts.tiers import default_tiers, load_tiers
from domain.enums import AlertTier, Priority
from domain.yamlfile import FileError


def test_shipped_defaults() -> None:
    policy = default_tiers()
    assert policy.tier(Priority.P1) == AlertTier.IMMEDIATE
    assert policy.tier(Priority.P3) == AlertTier.DIGEST
    assert policy.tier(Priority.P3, {Priority.P3: AlertTier.HOURLY}) == AlertTier.HOURLY
    assert 1 <= policy.burst_window_min <= 60


def test_missing_priority_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "tiers.yaml"
    bad.write_text("defaults: {P1: immediate, P2: hourly}\nburst_window_min: 5\n", encoding="utf-8")
    with pytest.raises(FileError):
        load_tiers(bad)
