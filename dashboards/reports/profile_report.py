"""The periodic report of one watch profile (domain/profiles.py): the articles the profile matched in a period
(week, month, quarter, year), counted by ISO week, by outlet and by province, beside the previous period, with its
top articles; a DOCX to read and an XLSX annex with every article. The THADS report (dashboards.reports.build)
stays what it is: its cases, deadlines and ND 244 figures belong to the THADS watch only.

Top articles: a story that several outlets ran (copies joined by enrichment, for the articles about enforcement)
ranks by its outlets, then copies; any other article counts as one; then the earliest first."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from io import BytesIO

from sqlalchemy.orm import Session

from dashboards.reports import wording
from dashboards.reports.docx_layout import blank_document, grid, hyperlink, text
from dashboards.reports.inputs import parse_formats, resolve_province
from dashboards.reports.periods import Period, parse_period
from dashboards.reports.xlsx_writer import Column, Kind, Workbook
from domain.labels import province_vi
from domain.localtime import VN
from domain.profiles import Profile, unit_label
from storage.views.stats import (
    ArticleLine,
    KeyCount,
    OutletCount,
    count_relevant,
    per_day,
    relevant_articles,
    top_outlets,
    totals,
)

TOP = 10
OUTLETS = 15
NO_PROVINCE = "Chưa xác định tỉnh/thành"


@dataclass(frozen=True, slots=True, kw_only=True)
class WeekCount:
    monday: dt.date
    label: str  # "Tuần 47 (16/11–22/11/2026)"
    count: int


@dataclass(frozen=True, slots=True, kw_only=True)
class TopArticle:
    article: ArticleLine
    outlets: int  # distinct outlets that ran its story in the period (1 for an article without one)
    copies: int


@dataclass(frozen=True, slots=True, kw_only=True)
class ProfileFigures:
    profile: Profile
    period: Period
    province: str | None  # the reader's province (a scoped user): only its articles
    generated_at: dt.datetime
    total: int
    previous_total: int
    weeks: tuple[WeekCount, ...]
    outlets: tuple[OutletCount, ...]
    provinces: tuple[KeyCount, ...]
    top: tuple[TopArticle, ...]
    articles: tuple[ArticleLine, ...]


def _weeks(period: Period, days: dict[dt.date, int]) -> tuple[WeekCount, ...]:
    """Every ISO week that has a day in the period, the period's own days only counted."""
    out: dict[dt.date, int] = {}
    day = period.first_day
    while day < period.end_day:
        monday = day - dt.timedelta(days=day.weekday())
        out[monday] = out.get(monday, 0) + days.get(day, 0)
        day += dt.timedelta(days=1)
    weeks = []
    for monday, count in out.items():
        first, last = max(monday, period.first_day), min(monday + dt.timedelta(days=6), period.last_day)
        number = monday.isocalendar()[1]
        weeks.append(WeekCount(monday=monday, label=f"Tuần {number} ({first:%d/%m}–{last:%d/%m/%Y})", count=count))
    return tuple(weeks)


def _top(articles: list[ArticleLine]) -> tuple[TopArticle, ...]:
    outlets: dict[int, set[str]] = defaultdict(set)
    copies: Counter[int] = Counter()
    for a in articles:
        if a.story_id is not None:
            outlets[a.story_id].add(a.outlet)
            copies[a.story_id] += 1
    seen: set[int] = set()
    items = []
    for a in articles:  # oldest first: a story is shown by its first article
        if a.story_id is None:
            items.append(TopArticle(article=a, outlets=1, copies=1))
        elif a.story_id not in seen:
            seen.add(a.story_id)
            items.append(TopArticle(article=a, outlets=len(outlets[a.story_id]), copies=copies[a.story_id]))
    items.sort(key=lambda t: (-t.outlets, -t.copies, t.article.published_at, t.article.id))
    return tuple(items[:TOP])


def collect_profile_figures(
    session: Session, profile: Profile, period: Period, *, province: str | None, now: dt.datetime
) -> ProfileFigures:
    assert profile.id is not None
    pid = profile.id
    start, end = period.start, period.end
    days: dict[dt.date, int] = defaultdict(int)
    for c in per_day(session, start=start, end=end, by="sentiment", province=province, profile_id=pid):
        days[c.day] += c.count
    articles = relevant_articles(session, start=start, end=end, province=province, profile_id=pid)
    previous = period.previous()
    return ProfileFigures(
        profile=profile,
        period=period,
        province=province,
        generated_at=now,
        total=len(articles),
        previous_total=count_relevant(
            session, start=previous.start, end=previous.end, province=province, profile_id=pid
        ),
        weeks=_weeks(period, days),
        outlets=tuple(top_outlets(session, start=start, end=end, limit=OUTLETS, province=province, profile_id=pid)),
        provinces=tuple(totals(session, start=start, end=end, by="province", province=province, profile_id=pid)),
        top=_top(articles),
        articles=tuple(articles),
    )


def _place(key: str | None) -> str:
    return province_vi(key) if key else NO_PROVINCE


def _local(moment: dt.datetime) -> str:
    return f"{moment.astimezone(VN):%H:%M %d/%m/%Y}"


def _change(current: int, previous: int) -> str:
    if current == previous:
        return "bằng kỳ trước"
    more = current > previous
    word = "tăng" if more else "giảm"
    if previous:
        return (
            f"{word} {abs(current - previous)} bài ({abs(current - previous) / previous:.0%} so với kỳ trước)".replace(
                ".", ","
            )
        )
    return f"{word} {abs(current - previous)} bài so với kỳ trước"


def title_of(figures: ProfileFigures) -> str:
    return f"Báo cáo chủ đề “{figures.profile.name}” {figures.period.name}"


def render_profile_docx(figures: ProfileFigures, *, app_url: str | None = None) -> bytes:
    document = blank_document()
    document.core_properties.title = title_of(figures)
    document.core_properties.author = wording.PRODUCT
    document.add_heading(f"BÁO CÁO THEO CHỦ ĐỀ: {figures.profile.name.upper()}", level=0)
    intro = document.add_paragraph()
    text(intro, f"Kỳ báo cáo: {figures.period.name} ({figures.period.span}). ")
    text(intro, f"Đơn vị theo dõi: {unit_label(figures.profile.unit)}. ")
    if figures.province:
        text(intro, f"Phạm vi: {figures.province}. ")
    text(intro, f"Lập lúc {_local(figures.generated_at)}.", italic=True)

    document.add_heading("1. Tổng quan", level=1)
    summary = document.add_paragraph()
    if figures.total:
        text(summary, f"Trong kỳ có {figures.total} bài báo khớp chủ đề, ")
        text(summary, f"{_change(figures.total, figures.previous_total)} ({figures.previous_total} bài).")
    else:
        text(summary, f"Trong kỳ không có bài báo nào khớp chủ đề (kỳ trước: {figures.previous_total} bài).")
    query = document.add_paragraph()
    text(query, "Truy vấn của chủ đề: ", italic=True, size=11)
    text(query, figures.profile.query, size=11)

    document.add_heading("2. Số bài theo tuần", level=1)
    grid(document, ["Tuần", "Số bài"], [[w.label, str(w.count)] for w in figures.weeks], widths_cm=[11, 4])

    document.add_heading("3. Theo cơ quan báo chí", level=1)
    if figures.outlets:
        rows = [[o.name, str(o.count)] for o in figures.outlets]
        grid(document, ["Cơ quan báo chí", "Số bài"], rows, widths_cm=[11, 4])
    else:
        document.add_paragraph("Không có bài nào trong kỳ.")

    document.add_heading("4. Theo tỉnh, thành phố", level=1)
    if figures.provinces:
        rows = [[_place(p.key), str(p.count)] for p in figures.provinces]
        grid(document, ["Tỉnh, thành phố", "Số bài"], rows, widths_cm=[11, 4])
    else:
        document.add_paragraph("Không có bài nào trong kỳ.")

    document.add_heading("5. Bài tiêu biểu", level=1)
    if not figures.top:
        document.add_paragraph("Không có bài nào trong kỳ.")
    for i, item in enumerate(figures.top, start=1):
        a = item.article
        paragraph = document.add_paragraph()
        text(paragraph, f"{i}. {a.title}", bold=True)
        line = document.add_paragraph()
        reach = f" · {item.outlets} báo, {item.copies} bài cùng tin" if item.copies > 1 else ""
        text(line, f"{a.outlet} · {_local(a.published_at)} · {_place(a.province)}{reach} · ", size=11)
        link = f"{app_url.rstrip('/')}/bai-viet/{a.id}" if app_url else a.url
        hyperlink(line, link, link)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def render_profile_xlsx(figures: ProfileFigures, *, app_url: str | None = None) -> bytes:
    book = Workbook(title=title_of(figures), created_at=figures.generated_at, zone=VN, creator=wording.PRODUCT)
    book.add_sheet(
        "Tổng quan",
        [Column("Chỉ tiêu", Kind.TEXT, 40), Column("Kỳ này", Kind.INT, 14), Column("Kỳ trước", Kind.INT, 14)],
        [("Số bài khớp chủ đề", figures.total, figures.previous_total)],
    )
    book.add_sheet(
        "Theo tuần",
        [Column("Tuần", Kind.TEXT, 34), Column("Từ thứ Hai", Kind.DATE, 14), Column("Số bài", Kind.INT, 10)],
        [(w.label, w.monday, w.count) for w in figures.weeks],
    )
    book.add_sheet(
        "Theo báo",
        [Column("Cơ quan báo chí", Kind.TEXT, 32), Column("Số bài", Kind.INT, 10)],
        [(o.name, o.count) for o in figures.outlets],
    )
    book.add_sheet(
        "Theo tỉnh",
        [Column("Tỉnh, thành phố", Kind.TEXT, 28), Column("Số bài", Kind.INT, 10)],
        [(_place(p.key), p.count) for p in figures.provinces],
    )
    base = app_url.rstrip("/") if app_url else ""
    book.add_sheet(
        "Danh sách bài",
        [
            Column("Mã bài", Kind.ID, 9),
            Column("Ngày đăng (giờ Việt Nam)", Kind.DATETIME, 17),
            Column("Cơ quan báo chí", Kind.TEXT, 24),
            Column("Tiêu đề", Kind.TEXT, 70),
            Column("Tỉnh, thành phố", Kind.TEXT, 16),
            Column("Đường dẫn", Kind.TEXT, 50),
        ],
        [
            (a.id, a.published_at, a.outlet, a.title, _place(a.province), f"{base}/bai-viet/{a.id}" if base else a.url)
            for a in figures.articles
        ],
    )
    return book.to_bytes()


def build_profile_report(
    session: Session,
    profile: Profile,
    period: Period | str,
    province: str | None,
    formats: tuple[str, ...] | str,
    now: dt.datetime,
    *,
    app_url: str | None = None,
) -> dict[str, bytes]:
    """The profile's report of `period` (within `province` when given): format → file bytes. Bad input raises
    ReportError with a Vietnamese message."""
    chosen = parse_period(period) if isinstance(period, str) else period
    figures = collect_profile_figures(session, profile, chosen, province=resolve_province(province), now=now)
    out: dict[str, bytes] = {}
    for fmt in parse_formats(formats):
        out[fmt] = (
            render_profile_docx(figures, app_url=app_url)
            if fmt == "docx"
            else render_profile_xlsx(figures, app_url=app_url)
        )
    return out


def profile_report_filename(profile: Profile, period: Period, extension: str) -> str:
    """bao-cao-dich_benh-2026-11.docx"""
    return f"bao-cao-{profile.code.replace('_', '-')}-{period.code}.{extension}"
