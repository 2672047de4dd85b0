"""Timeliness figures per province and period, including the two ratios of ND 244/2026's annual report form."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy.orm import Session

from alerts.corrections import correction_counts
from domain.enums import FINISHED_STATES, WRITTEN_RESPONSES, CaseState, DeadlineStatus
from domain.records import Case, CorrectionWatch, Deadline, Response
from storage.cases import cases_received, deadlines_of_cases_received, responses_of_cases_received
from storage.corrections import watches_of_cases_received


@dataclass(frozen=True, slots=True, kw_only=True)
class Timeliness:
    province: str
    cases: int
    acknowledged_in_time: float | None  # share of acknowledgement targets met in time
    responded_in_time: float | None  # share of statutory response deadlines met in time
    median_hours_to_respond: float | None
    backlog: dict[str, int]  # open cases by age: "<1 ngày", "1–7 ngày", ">7 ngày"
    statutory_met: int  # ND 244/2026 annex: matters answered within all their statutory deadlines …
    statutory_total: int  # … out of the matters with a statutory deadline that has come (not dismissed)
    written_replies: int  # … matters with a written reply or a correction request
    overdue: int
    dismissed: int = 0  # cases dismissed by a monitor: no matter to answer (out of every figure but `cases`)
    corrections_requested: int = 0  # matters with a correction request to an outlet …
    corrected: int = 0  # … of which every outlet asked corrected
    not_corrected: int = 0  # … of which an outlet let the deadline pass without correcting


def _share(met: int, total: int) -> float | None:
    return round(met / total, 3) if total else None


def timeliness(
    session: Session, *, start: dt.datetime, end: dt.datetime, now: dt.datetime, province: str | None = None
) -> list[Timeliness]:
    """Cases received in [start, end) (in one province), grouped by province (and a row for all, `tất cả`).

    Four queries whatever the number of cases (cases, their deadlines, their responses, their correction watches).
    """
    return summarize(
        cases_received(session, start=start, end=end, province=province),
        deadlines_of_cases_received(session, start=start, end=end, province=province),
        responses_of_cases_received(session, start=start, end=end, province=province),
        now=now,
        watches_by_case=watches_of_cases_received(session, start=start, end=end, province=province),
    )


def summarize(
    cases: list[Case],
    deadlines_by_case: dict[int, list[Deadline]],
    responses_by_case: dict[int, list[Response]],
    *,
    now: dt.datetime,
    watches_by_case: dict[int, list[CorrectionWatch]] | None = None,
) -> list[Timeliness]:
    """The figures of `timeliness` from cases already loaded with their deadlines, responses and correction
    watches."""
    watches_by_case = watches_by_case or {}
    groups: dict[str, list[int]] = defaultdict(list)
    for case in cases:
        groups[case.province].append(case.id)
        groups["tất cả"].append(case.id)
    by_id = {c.id: c for c in cases}
    out: list[Timeliness] = []
    for province_name, ids in sorted(groups.items(), key=lambda kv: (kv[0] == "tất cả", kv[0])):
        ack_met = ack_total = dl_met = dl_total = st_met = st_total = written = overdue = dismissed = 0
        hours: list[float] = []
        backlog = {"<1 ngày": 0, "1–7 ngày": 0, ">7 ngày": 0}
        for case_id in ids:
            case = by_id[case_id]
            deadlines = deadlines_by_case.get(case_id, [])
            responses = responses_by_case.get(case_id, [])
            statutory: list[bool] = []  # met or not, of this matter's statutory deadlines that have come
            for d in deadlines:
                if d.status == DeadlineStatus.VOID:
                    continue
                due_passed = d.status != DeadlineStatus.OPEN or d.due_at <= now
                if d.status == DeadlineStatus.OPEN and d.due_at <= now and case.state not in FINISHED_STATES:
                    overdue += 1
                if d.kind == "xac_nhan_noi_bo" and due_passed:
                    ack_total += 1
                    ack_met += d.status == DeadlineStatus.MET
                elif not d.internal and due_passed and case.state != CaseState.DISMISSED:
                    statutory.append(d.status == DeadlineStatus.MET)
            dl_total += len(statutory)
            dl_met += sum(statutory)
            if statutory:  # the annex counts matters: one answered in time met every such deadline
                st_total += 1
                st_met += all(statutory)
            dismissed += case.state == CaseState.DISMISSED
            if responses:
                hours.append((responses[0].at - case.received_at).total_seconds() / 3600)
            written += any(r.kind in WRITTEN_RESPONSES for r in responses)
            if case.state not in (*FINISHED_STATES, CaseState.RESPONDED):
                age = now - case.received_at
                bucket = (
                    "<1 ngày"
                    if age < dt.timedelta(days=1)
                    else "1–7 ngày"
                    if age <= dt.timedelta(days=7)
                    else ">7 ngày"
                )
                backlog[bucket] += 1
        requested, corrected, not_corrected = correction_counts(
            w for case_id in ids for w in watches_by_case.get(case_id, [])
        )
        out.append(
            Timeliness(
                province=province_name,
                cases=len(ids),
                acknowledged_in_time=_share(ack_met, ack_total),
                responded_in_time=_share(dl_met, dl_total),
                median_hours_to_respond=round(statistics.median(hours), 1) if hours else None,
                backlog=backlog,
                statutory_met=st_met,
                statutory_total=st_total,
                written_replies=written,
                overdue=overdue,
                dismissed=dismissed,
                corrections_requested=requested,
                corrected=corrected,
                not_corrected=not_corrected,
            )
        )
    return out
