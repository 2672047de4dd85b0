"""The figures of a report: one typed record tree, built once from the database for a period and an optional
province. The renderers (charts, DOCX, XLSX) only lay it out; every figure comes from aggregated SQL or from a
few queries per table, never one per row."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from alerts.timeliness import Timeliness, summarize, timeliness
from dashboards.reports.periods import Period, PeriodKind
from domain.enums import WRITTEN_RESPONSES, DeadlineStatus, Sentiment
from domain.records import Case, Deadline, Response
from storage.cases import cases_received, deadlines_of_cases_received, responses_of_cases_received
from storage.corrections import watches_of_cases_received
from storage.incidents import Incident, incidents_of_period
from storage.views.social_reaction import StoryReaction, story_reactions
from storage.views.stats import (
    ArticleLine,
    KeyCount,
    OutletCount,
    PeriodCounts,
    StoryCount,
    per_day,
    period_counts,
    relevant_articles,
    stories_in_period,
    top_outlets,
    totals,
)

ALL = "tất cả"  # the row of alerts.timeliness that sums every province
SENTIMENTS: tuple[str | None, ...] = (*Sentiment, None)


@dataclass(frozen=True, slots=True, kw_only=True)
class Comparison:
    """A summary figure of the period beside the previous period's."""

    label: str
    current: int | float | None
    previous: int | float | None
    share: bool = False  # a share (0–1): its change is told in percentage points


@dataclass(frozen=True, slots=True, kw_only=True)
class Series:
    """Relevant articles over the period by tone, in buckets: days (a week, a month), ISO weeks (a quarter) or
    months (a year)."""

    unit: str  # Ngày | Tuần | Tháng
    starts: tuple[dt.date, ...]
    labels: tuple[str, ...]
    counts: dict[str | None, tuple[int, ...]]  # tone (None: not labelled) → articles per bucket


@dataclass(frozen=True, slots=True, kw_only=True)
class CaseLine:
    """A case received in the period, with how it was handled."""

    case: Case
    deadlines: tuple[Deadline, ...]
    responses: tuple[Response, ...]
    overdue: bool  # an open deadline has passed and the case is still open

    @property
    def first_response(self) -> Response | None:
        return self.responses[0] if self.responses else None

    @property
    def hours_to_respond(self) -> float | None:
        first = self.first_response
        return None if first is None else (first.at - self.case.received_at).total_seconds() / 3600

    @property
    def written_reply(self) -> bool:
        """A written reply or a correction request was sent (ND 244/2026's annual form counts these)."""
        return any(r.kind in WRITTEN_RESPONSES for r in self.responses)


@dataclass(frozen=True, slots=True, kw_only=True)
class IncidentLine:
    """A communication incident active in the period: declared before its end, not closed before its start."""

    incident: Incident
    opened: bool  # declared in the period
    closed: bool  # closed in the period

    @property
    def stories(self) -> int:
        return len(self.incident.story_ids)


@dataclass(frozen=True, slots=True, kw_only=True)
class Annex244:
    """The two figures of ND 244/2026's annual report form (Điều 10 and its annex)."""

    statutory_met: int  # matters answered within their statutory deadline …
    statutory_total: int  # … of the matters whose statutory deadline has come
    written_replies: int  # matters with a written reply or a correction request …
    matters: int  # … of the matters (cases not dismissed)
    corrections_requested: int = 0  # matters with a correction request to an outlet …
    corrected: int = 0  # … corrected by every outlet asked
    not_corrected: int = 0  # … where an outlet let the deadline pass


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportFigures:
    period: Period
    previous: Period
    province: str | None  # None: the whole country
    generated_at: dt.datetime
    counts: PeriodCounts
    previous_counts: PeriodCounts
    summary: tuple[Comparison, ...]
    series: Series
    topics: tuple[KeyCount, ...]
    provinces: tuple[KeyCount, ...]
    outlets: tuple[OutletCount, ...]
    stories: tuple[StoryCount, ...]
    articles: tuple[ArticleLine, ...]
    cases: tuple[CaseLine, ...]
    timeliness: tuple[Timeliness, ...]  # per province, then the row for all (none without cases)
    annex: Annex244
    incidents: tuple[IncidentLine, ...] = ()
    social: tuple[StoryReaction, ...] = ()  # the stories with the most social reaction in the period, most first

    @property
    def empty(self) -> bool:
        """Nothing happened: no relevant article and no case."""
        return not self.counts.articles and not self.cases


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _buckets(period: Period) -> tuple[str, list[tuple[dt.date, str]]]:
    days = [period.first_day + dt.timedelta(days=i) for i in range((period.end_day - period.first_day).days)]
    if period.kind in (PeriodKind.WEEK, PeriodKind.MONTH):
        return "Ngày", [(d, f"{d:%d/%m}") for d in days]
    if period.kind is PeriodKind.QUARTER:
        mondays = dict.fromkeys(d - dt.timedelta(days=d.weekday()) for d in days)
        return "Tuần", [(m, f"Tuần {m.isocalendar().week}") for m in mondays]
    return "Tháng", [(dt.date(period.year, m, 1), f"T{m}") for m in range(1, 13)]


def _bucket_start(period: Period, day: dt.date) -> dt.date:
    if period.kind in (PeriodKind.WEEK, PeriodKind.MONTH):
        return day
    if period.kind is PeriodKind.QUARTER:
        return day - dt.timedelta(days=day.weekday())
    return day.replace(day=1)


def series(session: Session, period: Period, province: str | None) -> Series:
    unit, buckets = _buckets(period)
    index = {start: i for i, (start, _) in enumerate(buckets)}
    counts: dict[str | None, list[int]] = {tone: [0] * len(buckets) for tone in SENTIMENTS}
    for row in per_day(session, start=period.start, end=period.end, by="sentiment", province=province):
        tone = row.key if row.key in counts else None
        counts[tone][index[_bucket_start(period, row.day)]] += row.count
    return Series(
        unit=unit,
        starts=tuple(s for s, _ in buckets),
        labels=tuple(label for _, label in buckets),
        counts={tone: tuple(values) for tone, values in counts.items()},
    )


def case_lines(
    session: Session, period: Period, province: str | None, now: dt.datetime
) -> tuple[list[CaseLine], list[Timeliness]]:
    """The cases received in the period with their deadlines and responses, and their timeliness figures."""
    start, end = period.start, period.end
    cases = cases_received(session, start=start, end=end, province=province)
    deadlines = deadlines_of_cases_received(session, start=start, end=end, province=province)
    responses = responses_of_cases_received(session, start=start, end=end, province=province)
    lines = []
    for case in cases:
        mine = tuple(deadlines.get(case.id, ()))
        still_open = case.state.is_open
        overdue = still_open and any(d.status == DeadlineStatus.OPEN and d.due_at <= now for d in mine)
        lines.append(CaseLine(case=case, deadlines=mine, responses=tuple(responses.get(case.id, ())), overdue=overdue))
    watches = watches_of_cases_received(session, start=start, end=end, province=province)
    return lines, summarize(cases, deadlines, responses, now=now, watches_by_case=watches)


def incident_lines(session: Session, period: Period, province: str | None) -> list[IncidentLine]:
    """The incidents active in the period (touching the province, when one is given), oldest declared first."""
    start, end = period.start, period.end
    return [
        IncidentLine(
            incident=i,
            opened=start <= i.declared_at < end,
            closed=i.closed_at is not None and start <= i.closed_at < end,
        )
        for i in incidents_of_period(session, start=start, end=end, province=province)
    ]


def social_reactions(
    session: Session, period: Period, stories: list[StoryCount], province: str | None, *, limit: int = 10
) -> list[StoryReaction]:
    """The stories whose social posts and videos of the period drew the most reaction (comments, reactions,
    shares); in a province's report, among the stories of the report."""
    found = story_reactions(session, since=period.start, until=period.end, top=0)
    if province is not None:
        mine = {s.story_id for s in stories}
        found = {k: v for k, v in found.items() if k in mine}
    return sorted(found.values(), key=lambda r: (-r.weight, r.story_id))[:limit]


def _all_row(rows: list[Timeliness]) -> Timeliness | None:
    return next((r for r in rows if r.province == ALL), None)


def collect_figures(
    session: Session, period: Period, *, province: str | None, now: dt.datetime, outlets: int = 10
) -> ReportFigures:
    """Every figure of the report of `period` (in `province`, or the whole country), as of `now`."""
    previous = period.previous()
    start, end = period.start, period.end
    counts = period_counts(session, start=start, end=end, province=province)
    before = period_counts(session, start=previous.start, end=previous.end, province=province)
    cases, rows = case_lines(session, period, province, now)
    earlier_cases = cases_received(session, start=previous.start, end=previous.end, province=province)
    earlier = _all_row(timeliness(session, start=previous.start, end=previous.end, now=now, province=province))
    overall = _all_row(rows)
    stories = stories_in_period(session, start=start, end=end, province=province)
    summary = (
        Comparison(
            label="Bài viết liên quan đến thi hành án dân sự", current=counts.articles, previous=before.articles
        ),
        Comparison(label="Bài viết tiêu cực", current=counts.negative, previous=before.negative),
        Comparison(
            label="Tỷ lệ bài viết tiêu cực",
            current=_share(counts.negative, counts.articles),
            previous=_share(before.negative, before.articles),
            share=True,
        ),
        Comparison(label="Bài viết tích cực", current=counts.positive, previous=before.positive),
        Comparison(label="Cơ quan báo chí có bài", current=counts.outlets, previous=before.outlets),
        Comparison(label="Sự việc được phản ánh", current=counts.stories, previous=before.stories),
        Comparison(label="Hồ sơ xử lý mới", current=len(cases), previous=len(earlier_cases)),
        Comparison(
            label="Hồ sơ khẩn (P1)",
            current=sum(c.case.priority == "P1" for c in cases),
            previous=sum(c.priority == "P1" for c in earlier_cases),
        ),
        Comparison(
            label="Tỷ lệ trả lời đúng thời hạn luật định",
            current=overall.responded_in_time if overall else None,
            previous=earlier.responded_in_time if earlier else None,
            share=True,
        ),
    )
    return ReportFigures(
        period=period,
        previous=previous,
        province=province,
        generated_at=now,
        counts=counts,
        previous_counts=before,
        summary=summary,
        series=series(session, period, province),
        topics=tuple(totals(session, start=start, end=end, by="topic", province=province)),
        provinces=tuple(totals(session, start=start, end=end, by="province", province=province)),
        outlets=tuple(top_outlets(session, start=start, end=end, province=province, limit=outlets)),
        stories=tuple(stories),
        articles=tuple(relevant_articles(session, start=start, end=end, province=province)),
        cases=tuple(cases),
        timeliness=tuple(rows),
        annex=Annex244(
            statutory_met=overall.statutory_met if overall else 0,
            statutory_total=overall.statutory_total if overall else 0,
            written_replies=overall.written_replies if overall else 0,
            matters=(overall.cases - overall.dismissed) if overall else 0,
            corrections_requested=overall.corrections_requested if overall else 0,
            corrected=overall.corrected if overall else 0,
            not_corrected=overall.not_corrected if overall else 0,
        ),
        incidents=tuple(incident_lines(session, period, province)),
        social=tuple(social_reactions(session, period, stories, province)),
    )
