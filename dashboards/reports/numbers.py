"""Numbers, dates and changes as a Vietnamese report writes them: 1.234; 12,5 %; 05/01/2026; "tăng 12 (+15,0 %)"."""

from __future__ import annotations

import datetime as dt

from domain.localtime import VN

NONE = "—"


def integer(value: int) -> str:
    """1234567 → 1.234.567 (dot between thousands)."""
    return f"{value:,}".replace(",", ".")


def decimal(value: float, digits: int = 1) -> str:
    """12.5 → 12,5; 1234.5 → 1.234,5 (comma before the decimals)."""
    text = f"{value:,.{digits}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def percent(share: float | None, digits: int = 1) -> str:
    """A share (0–1) as a percentage: 0.125 → 12,5 %."""
    return NONE if share is None else f"{decimal(share * 100, digits)} %"


def ratio(part: int, whole: int) -> str:
    """3 of 4 → 3/4 (75,0 %); nothing to count → 0/0."""
    if not whole:
        return f"{integer(part)}/{integer(whole)}"
    return f"{integer(part)}/{integer(whole)} ({percent(part / whole)})"


def hours(value: float | None) -> str:
    return NONE if value is None else f"{decimal(value)} giờ"


def date(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


def moment(at: dt.datetime) -> str:
    """A timestamp in Viet Nam time: 09:05 16/11/2026."""
    return f"{at.astimezone(VN):%H:%M %d/%m/%Y}"


def place_and_date(place: str, day: dt.date) -> str:
    """The date line of an administrative document (Nghị định 30/2020/NĐ-CP: days below 10 and the months 1 and 2
    take a leading zero): Hà Nội, ngày 05 tháng 01 năm 2026."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def change(current: int | None, previous: int | None) -> str:
    """The change of a count from the previous period: tăng 12 (+15,0 %), giảm 3 (-20,0 %), không đổi."""
    if current is None or previous is None:
        return NONE
    delta = current - previous
    if delta == 0:
        return "không đổi"
    word = "tăng" if delta > 0 else "giảm"
    if previous == 0:
        return f"{word} {integer(abs(delta))} (kỳ trước không có)"
    sign = "+" if delta > 0 else "-"
    return f"{word} {integer(abs(delta))} ({sign}{decimal(abs(delta) / previous * 100)} %)"


def share_change(current: float | None, previous: float | None) -> str:
    """The change of a share, in percentage points: tăng 3,2 điểm %."""
    if current is None or previous is None:
        return NONE
    points = round((current - previous) * 100, 1)
    if points == 0:
        return "không đổi"
    return f"{'tăng' if points > 0 else 'giảm'} {decimal(abs(points))} điểm %"
