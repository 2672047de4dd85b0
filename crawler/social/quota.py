"""The YouTube Data API quota: units per call (the published costs), the quota day (it resets at midnight Pacific
time), and the daily budget polling keeps under."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

PACIFIC = ZoneInfo("America/Los_Angeles")

# Units each method costs (YouTube Data API v3 quota calculator): a search costs a hundred list calls.
COST = {
    "search": 100,
    "channels": 1,
    "playlistItems": 1,
    "videos": 1,
    "commentThreads": 1,
    "comments": 1,
}


def quota_day(now: datetime) -> str:
    """The quota day of `now`: the date in Pacific time (ISO)."""
    return now.astimezone(PACIFIC).date().isoformat()


def next_reset(now: datetime) -> datetime:
    """The next midnight Pacific time (daylight saving included), as an aware datetime."""
    local = now.astimezone(PACIFIC)
    midnight = datetime.combine(local.date() + timedelta(days=1), time(0), tzinfo=PACIFIC)
    return midnight


class BudgetSpent(Exception):
    """The next call would take the day's spending over the budget setting."""


class Quota:
    """Units spent on one quota day, by all YouTube sources together, against the daily budget."""

    def __init__(self, *, day: str, spent: int, budget: int) -> None:
        self.day, self.spent, self.budget = day, spent, budget
        self.spent_now = 0  # by this poll

    def charge(self, method: str) -> None:
        """Count a call before it is made; raise BudgetSpent when it would go over the budget."""
        cost = COST[method]
        if self.spent + cost > self.budget:
            raise BudgetSpent(method)
        self.spent += cost
        self.spent_now += cost
