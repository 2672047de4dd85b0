"""The internal acknowledgement target of urgent cases as data (policy/escalation.yaml): per priority, the steps
of the chain (minutes after the alert, whom to tell), how long the one-click link works, and the leaders' duty
roster by weekday."""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from alerts.policy_files import load_policy
from domain.enums import Priority
from domain.localtime import VN

TARGETS = ("truong_tinh", "van_phong_trung_uong", "lanh_dao_truc")
TARGET_VI: dict[str, str] = {
    "alert": "cảnh báo khẩn ban đầu (đầu mối và văn phòng trung ương)",
    "truong_tinh": "lãnh đạo cơ quan THADS tỉnh/thành",
    "van_phong_trung_uong": "văn phòng trung ương (bàn báo chí)",
    "lanh_dao_truc": "lãnh đạo trực",
}
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _one_of(value: str, allowed: tuple[str, ...], what: str) -> str:
    if value not in allowed:
        raise ValueError(f"{what} “{value}” không hợp lệ (dùng: {', '.join(allowed)})")
    return value


class Step(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    after_min: int = Field(ge=1, le=7 * 24 * 60)
    target: str

    @field_validator("target")
    @classmethod
    def _target(cls, value: str) -> str:
        return _one_of(value, TARGETS, "người nhận")


class Chain(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    steps: tuple[Step, ...] = ()

    @model_validator(mode="after")
    def _increasing(self) -> Chain:
        minutes = [s.after_min for s in self.steps]
        if minutes != sorted(minutes) or len(set(minutes)) != len(minutes):
            raise ValueError("các bước phải có số phút tăng dần, không trùng nhau")
        return self


class EscalationFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    link_valid_h: int = Field(default=72, ge=1, le=24 * 30)
    priorities: dict[str, Chain]
    duty_roster: dict[str, tuple[str, ...]] = {}

    @field_validator("priorities")
    @classmethod
    def _priorities(cls, chains: dict[str, Chain]) -> dict[str, Chain]:
        for priority in chains:
            _one_of(priority, tuple(Priority), "mức ưu tiên")
        return chains

    @field_validator("duty_roster")
    @classmethod
    def _addresses(cls, roster: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        for day, emails in roster.items():
            _one_of(day, WEEKDAYS, "ngày trong tuần")
            for email in emails:
                if email.count("@") != 1 or not all(email.split("@")):
                    raise ValueError(f"{email!r} không phải địa chỉ e-mail")
        return {day: tuple(e.strip().lower() for e in emails) for day, emails in roster.items()}


class EscalationPolicy:
    """The loaded file, with the questions the chain and the pages ask of it."""

    def __init__(self, data: EscalationFile) -> None:
        self.data = data

    @classmethod
    def load(cls, path: Path | None = None) -> EscalationPolicy:
        return cls(load_policy("escalation.yaml", EscalationFile, path))

    @property
    def link_valid(self) -> dt.timedelta:
        return dt.timedelta(hours=self.data.link_valid_h)

    def steps(self, priority: str) -> tuple[Step, ...]:
        chain = self.data.priorities.get(str(priority))
        return chain.steps if chain is not None else ()

    @property
    def priorities(self) -> tuple[Priority, ...]:
        """The priorities that have a chain."""
        return tuple(Priority(p) for p, chain in self.data.priorities.items() if chain.steps)

    def on_duty(self, at: dt.datetime) -> tuple[str, ...]:
        """The e-mail addresses of the leaders on duty at that moment (empty: the roster names nobody)."""
        return self.data.duty_roster.get(WEEKDAYS[at.astimezone(VN).weekday()], ())


@functools.cache
def default_escalation() -> EscalationPolicy:
    return EscalationPolicy.load()
