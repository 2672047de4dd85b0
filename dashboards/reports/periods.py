"""Reporting periods: an ISO week (2026-W47, Monday to Sunday), a month (2026-11), a quarter (2026-Q4) or a year
(2026), as Viet Nam local days; each knows its previous period and its Vietnamese name."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from domain.localtime import VN

ACCEPTED = "2026-W47 (tuần), 2026-11 (tháng), 2026-Q4 (quý) hoặc 2026 (năm)"
ROMAN = ("I", "II", "III", "IV")
_FORMS = (
    ("week", re.compile(r"(?P<year>\d{4})-W(?P<n>\d{1,2})", re.IGNORECASE)),
    ("month", re.compile(r"(?P<year>\d{4})-(?P<n>\d{1,2})")),
    ("quarter", re.compile(r"(?P<year>\d{4})-Q(?P<n>\d)", re.IGNORECASE)),
    ("year", re.compile(r"(?P<year>\d{4})")),
)


class ReportError(ValueError):
    """Bad input to a report (period, province, format): the message is Vietnamese and names the value."""


class PeriodKind(StrEnum):
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


@dataclass(frozen=True, slots=True)
class Period:
    """[first_day, end_day) in Viet Nam local days; `number` is the week, month or quarter (1 for a year)."""

    kind: PeriodKind
    year: int
    number: int
    first_day: dt.date
    end_day: dt.date  # the day after the last

    @classmethod
    def week(cls, year: int, week: int) -> Period:
        try:
            monday = dt.date.fromisocalendar(year, week, 1)
        except ValueError as exc:
            raise ReportError(f"năm {year} không có tuần {week} (tuần theo ISO 8601, từ thứ Hai)") from exc
        return cls(PeriodKind.WEEK, year, week, monday, monday + dt.timedelta(days=7))

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        if not 1 <= month <= 12:
            raise ReportError(f"tháng {month} không hợp lệ (từ 1 đến 12)")
        end = dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)
        return cls(PeriodKind.MONTH, year, month, dt.date(year, month, 1), end)

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        if not 1 <= quarter <= 4:
            raise ReportError(f"quý {quarter} không hợp lệ (từ 1 đến 4)")
        first = dt.date(year, 3 * quarter - 2, 1)
        end = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
        return cls(PeriodKind.QUARTER, year, quarter, first, end)

    @classmethod
    def whole_year(cls, year: int) -> Period:
        return cls(PeriodKind.YEAR, year, 1, dt.date(year, 1, 1), dt.date(year + 1, 1, 1))

    @property
    def start(self) -> dt.datetime:
        """The first moment, tz-aware UTC."""
        return dt.datetime.combine(self.first_day, dt.time(0), VN).astimezone(dt.UTC)

    @property
    def end(self) -> dt.datetime:
        """The first moment after the period, tz-aware UTC (periods are half-open)."""
        return dt.datetime.combine(self.end_day, dt.time(0), VN).astimezone(dt.UTC)

    @property
    def last_day(self) -> dt.date:
        return self.end_day - dt.timedelta(days=1)

    @property
    def code(self) -> str:
        """As the command line writes it: 2026-W47, 2026-11, 2026-Q4, 2026."""
        if self.kind is PeriodKind.WEEK:
            return f"{self.year}-W{self.number:02d}"
        if self.kind is PeriodKind.MONTH:
            return f"{self.year}-{self.number:02d}"
        if self.kind is PeriodKind.QUARTER:
            return f"{self.year}-Q{self.number}"
        return str(self.year)

    @property
    def name(self) -> str:
        """Vietnamese: tuần 47 năm 2026, tháng 11 năm 2026, quý IV năm 2026, năm 2026."""
        if self.kind is PeriodKind.WEEK:
            return f"tuần {self.number} năm {self.year}"
        if self.kind is PeriodKind.MONTH:
            return f"tháng {self.number} năm {self.year}"
        if self.kind is PeriodKind.QUARTER:
            return f"quý {ROMAN[self.number - 1]} năm {self.year}"
        return f"năm {self.year}"

    @property
    def span(self) -> str:
        return f"từ ngày {self.first_day:%d/%m/%Y} đến ngày {self.last_day:%d/%m/%Y}"

    def previous(self) -> Period:
        """The period of the same kind just before this one."""
        if self.kind is PeriodKind.WEEK:
            return containing(PeriodKind.WEEK, self.first_day - dt.timedelta(days=1))
        if self.kind is PeriodKind.MONTH:
            return containing(PeriodKind.MONTH, self.first_day - dt.timedelta(days=1))
        if self.kind is PeriodKind.QUARTER:
            return containing(PeriodKind.QUARTER, self.first_day - dt.timedelta(days=1))
        return Period.whole_year(self.year - 1)

    def contains(self, moment: dt.datetime) -> bool:
        return self.start <= moment < self.end


def containing(kind: PeriodKind, day: dt.date) -> Period:
    """The period of this kind that holds the local day."""
    if kind is PeriodKind.WEEK:
        year, week, _ = day.isocalendar()
        return Period.week(year, week)
    if kind is PeriodKind.MONTH:
        return Period.month(day.year, day.month)
    if kind is PeriodKind.QUARTER:
        return Period.quarter(day.year, (day.month - 1) // 3 + 1)
    return Period.whole_year(day.year)


def last_complete(kind: PeriodKind, now: dt.datetime) -> Period:
    """The last period of this kind that ended before `now` (Viet Nam time): last week, last month, …"""
    return containing(kind, now.astimezone(VN).date()).previous()


def parse_period(text: str) -> Period:
    """2026-W47, 2026-11, 2026-Q4 or 2026; anything else is refused with the accepted forms."""
    value = text.strip()
    for kind, pattern in _FORMS:
        match = pattern.fullmatch(value)
        if match is None:
            continue
        year, number = int(match["year"]), int(match.groupdict().get("n") or 1)
        if not 1900 <= year <= 9998:
            raise ReportError(f"kỳ báo cáo {text!r}: năm {year} nằm ngoài khoảng 1900–9998")
        try:
            if kind == "week":
                return Period.week(year, number)
            if kind == "month":
                return Period.month(year, number)
            if kind == "quarter":
                return Period.quarter(year, number)
            return Period.whole_year(year)
        except ReportError as exc:
            raise ReportError(f"kỳ báo cáo {text!r}: {exc}") from exc
    raise ReportError(f"kỳ báo cáo {text!r} không hợp lệ; dùng {ACCEPTED}")
