"""E-mail preferences: reading what people type (quiet hours, digest scope) and what the choices mean."""

from __future__ import annotations

import datetime as dt
import re

from domain.localtime import VN
from domain.provinces import NATIONWIDE, PROVINCES
from domain.records import Preferences, User
from domain.text import fold_diacritics

_PERIOD = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*[-–—]\s*(\d{1,2}):(\d{2})\s*$")
_BY_KEY = {fold_diacritics(p): p for p in PROVINCES} | {"toan quoc": NATIONWIDE, "toan_quoc": NATIONWIDE}


class PreferenceError(ValueError):
    """A preference that cannot be understood; the message (Vietnamese) says what and why."""


def _clock(hours: str, minutes: str, text: str) -> str:
    h, m = int(hours), int(minutes)
    if h > 23 or m > 59:
        raise PreferenceError(f"giờ yên lặng {text!r}: {hours}:{minutes} không phải giờ hợp lệ (00:00 đến 23:59)")
    return f"{h:02d}:{m:02d}"


def parse_quiet_hours(text: str) -> tuple[str, str]:
    """'22:00-06:30' → ('22:00', '06:30'): local start and end, the period may cross midnight."""
    found = _PERIOD.match(text)
    if found is None:
        raise PreferenceError(f"giờ yên lặng {text!r} phải có dạng HH:MM-HH:MM, ví dụ 22:00-06:30")
    start, end = _clock(found[1], found[2], text), _clock(found[3], found[4], text)
    if start == end:
        raise PreferenceError(f"giờ yên lặng {text!r}: giờ bắt đầu và giờ kết thúc trùng nhau")
    return start, end


def parse_scope(text: str) -> str:
    """A province of the 34 (diacritics and case do not matter) or `toan_quoc` for everything."""
    found = _BY_KEY.get(fold_diacritics(text).strip())
    if found is None:
        raise PreferenceError(
            f"phạm vi {text!r} không phải một trong 34 tỉnh, thành phố hiện hành hoặc toan_quoc (toàn quốc)"
        )
    return found


def scope_of(user: User, preferences: Preferences) -> str | None:
    """The province whose news the user's digest covers; None: all of them."""
    scope = preferences.digest_scope or user.province
    return None if scope in (None, NATIONWIDE) else scope


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def quiet_until(now: dt.datetime, start: str, end: str) -> dt.datetime | None:
    """When the quiet hours that `now` falls in end (UTC), or None when `now` is outside them."""
    local = now.astimezone(VN)
    minute = local.hour * 60 + local.minute
    first, last = _minutes(start), _minutes(end)
    inside = first <= minute < last if first < last else (minute >= first or minute < last)
    if not inside:
        return None
    day = local.date() if minute < last else local.date() + dt.timedelta(days=1)
    ends = dt.datetime.combine(day, dt.time(last // 60, last % 60), tzinfo=VN)
    return ends.astimezone(dt.UTC)
