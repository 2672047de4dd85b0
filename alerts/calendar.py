"""The Vietnamese working-day calendar and the counting of periods (Bộ luật Dân sự 2015, Điều 147–148).

Working days are Monday to Friday (QĐ 188/1999/QĐ-TTg) minus holidays, plus designated make-up Saturdays.
Holidays come from the year's official schedule when `policy/calendar.yaml` has it, else from the `holidays`
package (lunar Tết, Giỗ Tổ, observed days). 24/11 is a setting.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from pathlib import Path

import holidays
from pydantic import BaseModel, ConfigDict

from alerts.policy_files import load_policy
from domain.localtime import VN

CULTURE_DAY = (11, 24)


class YearSchedule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source: str
    days_off: list[dt.date]
    worked: list[dt.date] = []


class CalendarFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    years: dict[int, YearSchedule]


@dataclass(frozen=True)
class WorkCalendar:
    official: dict[int, YearSchedule]
    culture_day_off: bool = False
    _computed: dict[int, frozenset[dt.date]] = field(default_factory=dict, compare=False)

    @classmethod
    def load(cls, path: Path | None = None, *, culture_day_off: bool = False) -> WorkCalendar:
        parsed = load_policy("calendar.yaml", CalendarFile, path)
        return cls(official=parsed.years, culture_day_off=culture_day_off)

    def days_off(self, year: int) -> frozenset[dt.date]:
        if year not in self._computed:
            if year in self.official:
                days = set(self.official[year].days_off)
            else:
                days = {d for d in holidays.country_holidays("VN", years=year) if d.weekday() < 5}
            culture = dt.date(year, *CULTURE_DAY)
            if self.culture_day_off and culture.weekday() < 5:
                days.add(culture)
            else:
                days.discard(culture)
            self._computed[year] = frozenset(days)
        return self._computed[year]

    def worked_weekend(self, day: dt.date) -> bool:
        schedule = self.official.get(day.year)
        return schedule is not None and day in schedule.worked

    def is_working_day(self, day: dt.date) -> bool:
        if self.worked_weekend(day):
            return True
        return day.weekday() < 5 and day not in self.days_off(day.year)

    def next_working_day(self, day: dt.date) -> dt.date:
        day += dt.timedelta(days=1)
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day


def end_of(day: dt.date) -> dt.datetime:
    """24:00 of a local day, as a tz-aware UTC instant."""
    midnight = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=VN)
    return midnight.astimezone(dt.UTC)


def add_hours(start: dt.datetime, hours: int) -> dt.datetime:
    """A period in hours runs continuously, weekends and holidays included."""
    return start + dt.timedelta(hours=hours)


def add_days(calendar: WorkCalendar, start: dt.datetime, days: int) -> dt.datetime:
    """From the day after the start; ends 24:00 of the last day; a last day off ends with the next working day."""
    last = start.astimezone(VN).date() + dt.timedelta(days=days)
    if not calendar.is_working_day(last):
        last = calendar.next_working_day(last)
    return end_of(last)


def add_working_days(calendar: WorkCalendar, start: dt.datetime, days: int) -> dt.datetime:
    """The `days`-th working day after the start day, 24:00."""
    day = start.astimezone(VN).date()
    for _ in range(days):
        day = calendar.next_working_day(day)
    return end_of(day)


@functools.cache
def default_calendar(culture_day_off: bool = False) -> WorkCalendar:
    return WorkCalendar.load(culture_day_off=culture_day_off)
