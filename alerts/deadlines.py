"""The deadline policy: versions by effective date, rules with their legal basis, computed on the calendar."""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, model_validator

from alerts.calendar import WorkCalendar, add_days, add_hours, add_working_days
from alerts.policy_files import load_policy
from domain.enums import Priority
from domain.localtime import VN
from domain.yamlfile import FileError


class Period(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    hours: int | None = None
    days: int | None = None
    working_days: int | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Period:
        if sum(v is not None for v in (self.hours, self.days, self.working_days)) != 1:
            raise ValueError("cần đúng một trong hours, days, working_days")
        if any(v is not None and v <= 0 for v in (self.hours, self.days, self.working_days)):
            raise ValueError("thời hạn phải lớn hơn 0")
        return self

    def due(self, calendar: WorkCalendar, start: dt.datetime) -> dt.datetime:
        if self.hours is not None:
            return add_hours(start, self.hours)
        if self.days is not None:
            return add_days(calendar, start, self.days)
        assert self.working_days is not None
        return add_working_days(calendar, start, self.working_days)


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["thong_tin_ban_dau", "van_ban_tra_loi", "ket_luan_khieu_nai", "xac_nhan_noi_bo"]
    label: str
    priorities: tuple[Priority, ...]
    period: Period
    basis: str
    internal: bool = False
    trigger: Literal["flag", "conclusion"] = "flag"


class Version(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    effective_from: dt.date
    rules: tuple[Rule, ...]


class PolicyFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    versions: tuple[Version, ...]

    @model_validator(mode="after")
    def _ordered(self) -> PolicyFile:
        dates = [v.effective_from for v in self.versions]
        if dates != sorted(dates) or len(set(dates)) != len(dates):
            raise ValueError("các phiên bản phải theo thứ tự ngày hiệu lực tăng dần, không trùng ngày")
        return self


class Policy:
    def __init__(self, versions: tuple[Version, ...]) -> None:
        self.versions = versions

    @classmethod
    def load(cls, path: Path | None = None) -> Policy:
        return cls(load_policy("deadlines.yaml", PolicyFile, path).versions)

    def version_at(self, received_at: dt.datetime) -> Version:
        """The rules in force when the matter was received (local date in Viet Nam)."""
        day = received_at.astimezone(VN).date()
        in_force = [v for v in self.versions if v.effective_from <= day]
        if not in_force:
            raise FileError(f"không có phiên bản chính sách thời hạn nào có hiệu lực ngày {day:%d/%m/%Y}")
        return in_force[-1]

    def deadlines(
        self, calendar: WorkCalendar, *, priority: str, received_at: dt.datetime, trigger: str = "flag"
    ) -> list[tuple[Rule, dt.datetime]]:
        """(rule, due time) of every rule of the version in force that applies to this priority and trigger."""
        version = self.version_at(received_at)
        return [
            (rule, rule.period.due(calendar, received_at))
            for rule in version.rules
            if priority in rule.priorities and rule.trigger == trigger
        ]


@functools.cache
def default_policy() -> Policy:
    return Policy.load()
