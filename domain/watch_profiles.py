"""The starter watch profiles (domain/watch_profiles.yaml): one saved query per focus area of the ministry's
communication plan (QĐ 931/QĐ-BTP) and the THADS watch for reference. Read on first use, not on import."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources

from pydantic import BaseModel, ConfigDict, Field, field_validator

from domain.query import ParseError, parse_query
from domain.yamlfile import FileError, duplicate_key, parse_yaml

SOURCE = "domain/watch_profiles.yaml"


class ProfileKind(StrEnum):
    AREA = "area"  # a focus area of QĐ 931
    REFERENCE = "reference"  # the THADS watch, for comparison
    DRAFT = "du_thao"  # a draft law or decree under consultation: its feedback is read for stance and provision


class _ProfileEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str = Field(min_length=1)
    kind: ProfileKind = ProfileKind.AREA
    query: str = Field(min_length=1)

    @field_validator("query")
    @classmethod
    def _readable(cls, value: str) -> str:
        try:
            parse_query(value)
        except ParseError as exc:
            raise ValueError(f"truy vấn không đọc được: {exc}") from exc
        return value


class _ProfilesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    profiles: tuple[_ProfileEntry, ...] = Field(min_length=1)


@dataclass(frozen=True, slots=True, kw_only=True)
class WatchProfile:
    code: str
    name: str
    kind: ProfileKind
    query: str


def parse_profiles(text: str, source: str = SOURCE) -> tuple[WatchProfile, ...]:
    """Read a profiles file; a bad one (or an unreadable query) raises FileError naming file, line and field."""
    twice = duplicate_key(text)
    if twice is not None:
        key, line = twice
        raise FileError(f"{source}:{line}: “{key}” có hai lần")
    data = parse_yaml(text, source, _ProfilesFile)
    codes = [p.code for p in data.profiles]
    repeated = sorted({c for c in codes if codes.count(c) > 1})
    if repeated:
        raise FileError(f"{source}: mã hồ sơ theo dõi có hơn một lần: {', '.join(repeated)}")
    return tuple(WatchProfile(code=p.code, name=p.name, kind=p.kind, query=p.query) for p in data.profiles)


@functools.cache
def starter_profiles() -> tuple[WatchProfile, ...]:
    """The shipped starter profiles, read once."""
    return parse_profiles(resources.files("domain").joinpath("watch_profiles.yaml").read_text("utf-8"))
