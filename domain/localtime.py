"""The time zone users live in: timestamps are stored in UTC and shown, scheduled and counted in Viet Nam time."""

from __future__ import annotations

from zoneinfo import ZoneInfo

VN = ZoneInfo("Asia/Ho_Chi_Minh")  # UTC+7 all year (no daylight saving)
