"""Timeliness figures on the designed cases of the report seed (tests/dashboards/reports/seed.py): ND 244/2026's
matters counted per matter, a province on its own, and four queries whatever the number of cases."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import event

from alerts.timeliness import timeliness
from domain.localtime import VN
from storage.engine import Database
from tests.dashboards.reports.seed import NOW, seed

NOVEMBER = (dt.datetime(2026, 11, 1, tzinfo=VN), dt.datetime(2026, 12, 1, tzinfo=VN))


def test_figures_per_matter_per_province_in_four_queries(database: Database) -> None:
    seed(database)
    statements: list[str] = []
    event.listen(database.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    with database.session() as s:
        rows = {t.province: t for t in timeliness(s, start=NOVEMBER[0], end=NOVEMBER[1], now=NOW)}
        assert len(statements) == 4  # cases, deadlines, responses, correction watches: not two per case
        hanoi_only = timeliness(s, start=NOVEMBER[0], end=NOVEMBER[1], now=NOW, province="Hà Nội")
    everything = rows["tất cả"]
    # November: A (P1: two statutory deadlines, both met), B (met), C (dismissed), D (not met), E (met)
    assert (everything.cases, everything.dismissed) == (5, 1)
    assert (everything.statutory_met, everything.statutory_total) == (3, 4)  # matters, not deadlines (4 of 5)
    assert everything.responded_in_time == 0.8  # deadlines: A twice, B, E met; D's has passed, not met
    assert (everything.written_replies, everything.overdue) == (3, 3)
    assert everything.median_hours_to_respond == 46.0  # 21 h (A), 46 h (E), 142 h (B)
    assert (rows["Cần Thơ"].cases, rows["Hà Nội"].cases) == (3, 2)
    assert [t.province for t in hanoi_only] == ["Hà Nội", "tất cả"]
    assert hanoi_only[0] == rows["Hà Nội"]
    assert hanoi_only[1].cases == 2
