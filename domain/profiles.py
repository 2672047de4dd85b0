"""Watch profiles as data: the stored profile record, the units that own profiles and who sees which.

A profile is a saved query (domain/query.py) owned by a unit, with optional outlet and province filters and the
users it writes to. The starter profiles (domain/watch_profiles.yaml) become stored profiles on first start.

Units, and who sees which profile (the unit rule):
- `bo_tu_phap`: the ministry's departments (the ten QĐ 931 focus areas are theirs);
- `thads`: the THADS press desk (the THADS watch: the one profile that opens cases);
- `so_tu_phap:<province>`: a provincial Department of Justice (one of the 34).
A user confined to a province (focal point or provincial leader) sees the profiles of that province's Department
of Justice and the profile that opens cases (its cases are theirs); a user confined to nowhere sees only the latter;
everyone else (central staff, monitors, admins) sees every profile. Only an admin edits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from domain.provinces import PROVINCES
from domain.watch_profiles import ProfileKind, WatchProfile

UNIT_MINISTRY = "bo_tu_phap"
UNIT_THADS = "thads"
_PROVINCIAL = "so_tu_phap:"
THADS_CODE = "thads"  # the starter THADS watch: trained classifiers and the statutory workflow


def provincial_unit(province: str) -> str:
    return f"{_PROVINCIAL}{province}"


def all_units() -> tuple[str, ...]:
    """Every unit, central ones first, then the 34 provinces' Departments of Justice."""
    return (UNIT_MINISTRY, UNIT_THADS, *(provincial_unit(p) for p in PROVINCES))


def unit_label(unit: str) -> str:
    """The unit as users read it."""
    if unit == UNIT_MINISTRY:
        return "Bộ Tư pháp (các đơn vị thuộc Bộ)"
    if unit == UNIT_THADS:
        return "Bộ phận báo chí thi hành án dân sự"
    if unit.startswith(_PROVINCIAL):
        return f"Sở Tư pháp {unit.removeprefix(_PROVINCIAL)}"
    return unit


def unit_province(unit: str) -> str | None:
    """The province of a provincial unit; None for a central one."""
    return unit.removeprefix(_PROVINCIAL) if unit.startswith(_PROVINCIAL) else None


class DigestSchedule(StrEnum):
    """How often a profile's digest goes to its recipients (never for the THADS watch: it has the daily digest
    and the case workflow)."""

    OFF = "off"
    DAILY = "daily"
    WEEKLY = "weekly"


DIGEST_VI = {
    DigestSchedule.OFF: "Không gửi",
    DigestSchedule.DAILY: "Hằng ngày",
    DigestSchedule.WEEKLY: "Hằng tuần (thứ Hai)",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Profile:
    """A stored watch profile. Empty `outlets` (outlet slugs) or `provinces`: no filter on them."""

    code: str
    name: str
    kind: ProfileKind
    unit: str
    query: str
    outlets: tuple[str, ...] = ()
    provinces: tuple[str, ...] = ()
    active: bool = True
    opens_cases: bool = False
    recipients: tuple[str, ...] = ()
    digest: DigestSchedule = DigestSchedule.DAILY
    last_digest_at: datetime | None = None  # when its last digest was written (set by the digest job only)
    drafting_body: str = ""  # a draft profile (kind du_thao): the body drafting it
    consultation_start: date | None = None  # … and its consultation window (inclusive dates, Vietnam time)
    consultation_end: date | None = None
    updated_at: datetime | None = None
    updated_by: str = ""
    version: int = 1
    id: int | None = None

    @property
    def sends_digest(self) -> bool:
        """Whether the profile digest job writes to its recipients: an active, non-THADS profile with some."""
        return self.active and not self.opens_cases and bool(self.recipients) and self.digest != DigestSchedule.OFF

    def admits(self, outlet_slug: str, province: str | None) -> bool:
        """Whether the filters let an article of this outlet and province through."""
        if self.outlets and outlet_slug not in self.outlets:
            return False
        return not self.provinces or province in self.provinces


@dataclass(frozen=True, slots=True, kw_only=True)
class ProfileMatch:
    """An article a profile matched, as lists show it."""

    profile_id: int
    article_id: int
    matched_at: datetime
    title: str
    outlet: str
    published_at: datetime | None


@dataclass(frozen=True, slots=True, kw_only=True)
class DigestArticle:
    """An article a profile matched, as its digest shows it."""

    article_id: int
    title: str
    sapo: str
    opening: str  # the text's first characters, the lead when the outlet gave no sapo
    outlet: str
    province: str | None
    at: datetime  # published, else fetched


def from_starter(starter: WatchProfile, *, at: datetime) -> Profile:
    """A starter profile as stored: the THADS watch belongs to the THADS desk and opens cases; the focus areas
    belong to the ministry and only feed digests and reports."""
    thads = starter.kind is ProfileKind.REFERENCE and starter.code == THADS_CODE
    return Profile(
        code=starter.code,
        name=starter.name,
        kind=starter.kind,
        unit=UNIT_THADS if thads else UNIT_MINISTRY,
        query=starter.query,
        opens_cases=thads,
        updated_at=at,
        updated_by="domain/watch_profiles.yaml",
    )


def sees_profile(profile: Profile, scope: str | None) -> bool:
    """The unit rule (module docstring); `scope`: the province a user is confined to, "" nowhere, None all."""
    if scope is None or profile.opens_cases:
        return True
    return bool(scope) and profile.unit == provincial_unit(scope)


def needs_backfill(old: Profile | None, new: Profile) -> bool:
    """A new profile, or one whose query, filters or activity changed: its matches are computed again."""
    if old is None:
        return True
    return (old.query, old.outlets, old.provinces, old.active) != (new.query, new.outlets, new.provinces, new.active)


def clean_list(values: Sequence[str]) -> tuple[str, ...]:
    """Stripped, non-empty, each once, in the given order."""
    return tuple(dict.fromkeys(v.strip() for v in values if v.strip()))


@dataclass(frozen=True, slots=True, kw_only=True)
class MatchInput:
    """What matching reads of one stored article: its text, its outlet, the enrichment's province if any, and
    its time (published, else fetched) under which its matches are filed."""

    article_id: int
    title: str
    sapo: str
    text: str
    outlet_slug: str
    outlet_name: str
    province: str | None
    at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class DraftArticle:
    """An article a draft profile matched within its consultation window, whole: its passages are read."""

    article_id: int
    title: str
    url: str
    outlet: str
    at: datetime
    text: str
