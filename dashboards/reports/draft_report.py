"""“Báo cáo tổng hợp ý kiến góp ý” of a draft profile (kind du_thao): the articles the profile matched within the
draft's consultation window, split into passages (nlp.stance), each read for stance and the provisions it cites;
the feedback points (passages that support, oppose or propose a change) grouped by provision (by article number,
general feedback last), then by stance, each with its outlet, date, link and the passage quoted verbatim (the
source's spelling). A DOCX, like the other reports of dashboards/reports."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from io import BytesIO

from sqlalchemy.orm import Session

from dashboards.reports import wording
from dashboards.reports.docx_layout import blank_document, grid, hyperlink, text
from dashboards.reports.periods import ReportError
from domain.localtime import VN
from domain.profiles import DraftArticle, Profile
from domain.watch_profiles import ProfileKind
from nlp.stance import STANCE_LABELS, article_of, passages, read_passage
from storage.profiles import draft_articles

GENERAL = "Ý kiến chung (không nêu điều khoản cụ thể)"
STANCE_ORDER = ("phan_doi", "de_xuat_sua_doi", "ung_ho")  # feedback points; neutral passages are not points


@dataclass(frozen=True, slots=True, kw_only=True)
class FeedbackPoint:
    article: DraftArticle
    index: int  # the passage's line in the article's text
    quote: str  # verbatim
    stance: str
    provisions: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class DraftFeedback:
    profile: Profile
    articles: list[DraftArticle]
    passages: int  # passages read
    points: list[FeedbackPoint]
    generated_at: dt.datetime

    def grouped(self) -> list[tuple[str, list[tuple[str, list[FeedbackPoint]]]]]:
        """Provision → stance → points: provisions by article number (then as written), general feedback last;
        stances opposing, proposing, supporting; points by date then article and line."""
        by: dict[str, dict[str, list[FeedbackPoint]]] = defaultdict(lambda: defaultdict(list))
        for point in self.points:
            for provision in point.provisions or (GENERAL,):
                by[provision][point.stance].append(point)

        def order(provision: str) -> tuple[int, int, str]:
            number = article_of(provision)
            return (1, 0, provision) if provision == GENERAL else (0, number or 0, provision)

        return [
            (
                provision,
                [
                    (stance, sorted(by[provision][stance], key=lambda p: (p.article.at, p.article.article_id, p.index)))
                    for stance in STANCE_ORDER
                    if by[provision].get(stance)
                ],
            )
            for provision in sorted(by, key=order)
        ]


def window(profile: Profile) -> tuple[dt.datetime | None, dt.datetime | None]:
    """The consultation window as instants: from the first day's 00:00 to the day after the last (Vietnam time)."""
    since = dt.datetime.combine(profile.consultation_start, dt.time(), VN) if profile.consultation_start else None
    until = (
        dt.datetime.combine(profile.consultation_end + dt.timedelta(days=1), dt.time(), VN)
        if profile.consultation_end
        else None
    )
    return since, until


def collect_feedback(session: Session, profile: Profile, now: dt.datetime) -> DraftFeedback:
    if profile.kind is not ProfileKind.DRAFT:
        raise ReportError(f"chủ đề “{profile.code}” không phải chủ đề dự thảo văn bản")
    assert profile.id is not None
    since, until = window(profile)
    articles = draft_articles(session, profile.id, since=since, until=until)
    points: list[FeedbackPoint] = []
    read = 0
    for article in articles:
        for passage in passages(article.text):
            read += 1
            reading = read_passage(passage.text)
            if reading.stance in STANCE_ORDER:
                points.append(
                    FeedbackPoint(
                        article=article,
                        index=passage.index,
                        quote=passage.text,
                        stance=reading.stance,
                        provisions=reading.provisions,
                    )
                )
    return DraftFeedback(profile=profile, articles=articles, passages=read, points=points, generated_at=now)


def _day(at: dt.datetime) -> str:
    return at.astimezone(VN).strftime("%d/%m/%Y")


def render_draft_docx(feedback: DraftFeedback) -> bytes:
    profile = feedback.profile
    document = blank_document()
    document.core_properties.title = f"Báo cáo tổng hợp ý kiến góp ý – {profile.name}"
    document.core_properties.author = wording.PRODUCT
    document.add_heading("BÁO CÁO TỔNG HỢP Ý KIẾN GÓP Ý", level=0)
    intro = document.add_paragraph()
    text(intro, "Dự thảo: ", bold=True)
    text(intro, profile.name)
    if profile.drafting_body:
        body = document.add_paragraph()
        text(body, "Cơ quan chủ trì soạn thảo: ", bold=True)
        text(body, profile.drafting_body)
    span = document.add_paragraph()
    text(span, "Thời gian lấy ý kiến: ", bold=True)
    start = profile.consultation_start.strftime("%d/%m/%Y") if profile.consultation_start else "không giới hạn"
    end = profile.consultation_end.strftime("%d/%m/%Y") if profile.consultation_end else "không giới hạn"
    text(span, f"từ ngày {start} đến ngày {end}.")
    made = document.add_paragraph()
    text(made, f"Lập lúc {feedback.generated_at.astimezone(VN).strftime('%H:%M ngày %d/%m/%Y')}.", italic=True)

    document.add_heading("1. Tổng quan", level=1)
    summary = document.add_paragraph()
    text(
        summary,
        f"Đã đọc {feedback.passages} đoạn của {len(feedback.articles)} bài báo, "
        f"ghi nhận {len(feedback.points)} ý kiến góp ý.",
    )
    counts = {s: sum(p.stance == s for p in feedback.points) for s in STANCE_ORDER}
    grid(
        document,
        ["Loại ý kiến", "Số ý kiến"],
        [[STANCE_LABELS[s], str(counts[s])] for s in STANCE_ORDER],
        widths_cm=[11, 4],
    )
    note = document.add_paragraph()
    text(
        note,
        "Ý kiến và điều khoản do máy đọc tự động xác định (xem nlp/models/STANCE_CARD.md); "
        "cán bộ tổng hợp cần đối chiếu với bài gốc trước khi sử dụng.",
        italic=True,
        size=11,
    )

    document.add_heading("2. Ý kiến theo điều khoản", level=1)
    if not feedback.points:
        document.add_paragraph("Không có ý kiến góp ý nào trong thời gian lấy ý kiến.")
    for provision, stances in feedback.grouped():
        document.add_heading(provision, level=2)
        for stance, points in stances:
            label = document.add_paragraph()
            text(label, f"{STANCE_LABELS[stance]} ({len(points)})", bold=True, italic=True)
            for point in points:
                quote = document.add_paragraph(style="List Bullet")
                text(quote, quoted(point.quote), italic=True)
                source = document.add_paragraph()
                source.paragraph_format.left_indent = quote.paragraph_format.left_indent
                text(source, f"Nguồn: {point.article.outlet}, ngày {_day(point.article.at)}, ", size=11)
                if point.article.url.startswith(("http://", "https://")):
                    hyperlink(source, point.article.url, point.article.title)
                else:
                    text(source, point.article.title, size=11)

    document.add_heading("3. Danh sách bài báo", level=1)
    rows = [[_day(a.at), a.outlet, a.title, a.url] for a in feedback.articles]
    if rows:
        grid(document, ["Ngày", "Cơ quan báo chí", "Tiêu đề", "Đường dẫn"], rows, widths_cm=[2.3, 3, 6.2, 4.5])
    else:
        document.add_paragraph("Chủ đề chưa khớp bài báo nào trong thời gian lấy ý kiến.")
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def quoted(passage: str) -> str:
    """The passage between quotation marks, unless the source already opens and closes it with its own (kept as
    the source has them)."""
    if passage[:1] in '“"' and passage[-1:] in '”"':
        return passage
    return f"“{passage}”"


def build_draft_report(session: Session, profile: Profile, now: dt.datetime) -> bytes:
    """The draft profile's synthesis report (DOCX bytes). Not a draft profile: ReportError (Vietnamese)."""
    return render_draft_docx(collect_feedback(session, profile, now))


def draft_report_filename(profile: Profile) -> str:
    """tong-hop-y-kien-du-thao-dac-xa.docx"""
    return f"tong-hop-y-kien-{profile.code.replace('_', '-')}.docx"
