"""The workflow's messages (Vietnamese): subject, plain text and HTML, written into the outbox as they will be
sent (the HTML is rendered when the message is written, so the outbox row is the message)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup
from sqlalchemy.orm import Session

from alerts.render import render
from domain.enums import Priority, WatchState
from domain.labels import priority_vi, province_vi, sentiment_vi, takedown_reason_vi, topic_vi
from domain.localtime import VN
from domain.provinces import FORMER, SPELLINGS
from domain.records import Case, Deadline, FeedHealth
from domain.text import normalize_vietnamese
from domain.watch import ArticleChange
from storage.enrichments import story_enrichments
from storage.explanations import get_explanation
from storage.outlets import outlet_by_id

KIND_VI = {
    "thong_tin_ban_dau": "thông tin ban đầu cho báo chí",
    "van_ban_tra_loi": "văn bản thông báo biện pháp giải quyết",
    "ket_luan_khieu_nai": "gửi kết luận giải quyết khiếu nại, tố cáo",
    "xac_nhan_noi_bo": "xác nhận đã nhận hồ sơ",
}
BAND = "THADS · Theo dõi và phản hồi thông tin báo chí"


@dataclass(frozen=True, slots=True)
class Content:
    """A message's words, before it is addressed: subject, plain text, HTML, and the pages it points to."""

    subject: str
    text: str
    html: str
    links: tuple[str, ...] = ()


def when(moment: dt.datetime) -> str:
    local = moment.astimezone(VN)
    if local.time() == dt.time(0):
        return f"24:00 ngày {(local - dt.timedelta(days=1)):%d/%m/%Y}"
    return f"{local:%H:%M} ngày {local:%d/%m/%Y}"


def when_short(moment: dt.datetime) -> str:
    """ "09:15 ngày 23/11/2026" in Viet Nam (midnight as 00:00, unlike `when`)."""
    return f"{moment.astimezone(VN):%H:%M ngày %d/%m/%Y}"


def case_link(app_url: str, case: Case) -> str:
    return f"{app_url.rstrip('/')}/ho-so/{case.id}"


def preferences_link(app_url: str) -> str:
    """The user's own preferences page; empty when the web app's address is not known."""
    return f"{app_url.rstrip('/')}/tai-khoan" if app_url else ""


def plain_html(subject: str, text: str, app_url: str, *, urgent: bool = False) -> str:
    """HTML for a message written as plain text only (its lines as paragraphs, links clickable)."""
    return render(
        "plain.html",
        title=subject,
        band=BAND,
        urgent=urgent,
        preferences_link=preferences_link(app_url),
        lines=text.splitlines(),
    )


# A headline's place label: "Lạng Sơn: …", "TP.HCM – …", "Sóc Trăng - …".
_PLACE_LABEL = re.compile(r"^\s*(?P<place>[^:–—]{2,40}?)\s*(:|\s[–—-]\s)\s*(?P<rest>.+)$", re.DOTALL)


def case_heading(case: Case) -> str:
    """The province and the headline once: "Lạng Sơn: Bản án …" whether or not the headline starts with the
    province; a headline starting with a former name of it keeps that name beside the current one
    ("Cần Thơ (Sóc Trăng): Nguyên 4 cán bộ …")."""
    province = province_vi(case.province)
    match = _PLACE_LABEL.match(case.title)
    if match and case.province:
        place = normalize_vietnamese(match["place"]).casefold()
        current = (case.province, *SPELLINGS.get(case.province, ()))
        if place in {normalize_vietnamese(name).casefold() for name in current}:
            return f"{province}: {match['rest']}"
        former = {normalize_vietnamese(name).casefold(): name for name in FORMER.get(case.province, ())}
        if place in former:
            return f"{province} ({former[place]}): {match['rest']}"
    return f"{province}: {case.title}"


def _compose(template: str, subject: str, link: str, app_url: str, **context: Any) -> Content:
    """Subject, `template`.txt and `template`.html rendered from one context, and the message's main link."""
    context = {"title": subject, "preferences_link": preferences_link(app_url), "link": link, **context}
    return Content(subject, render(f"{template}.txt", **context), render(f"{template}.html", **context), (link,))


LEAD_CHARS = 300
TERMS = 5


def lead(text: str, limit: int = LEAD_CHARS) -> str:
    """The first `limit` characters of an article's text, cut after a whole word ("…" when cut)."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit + 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > 0 else flat[:limit]).rstrip(" ,;:–-") + "…"


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryBrief:
    """What a case alert says about its story: the first relevant copy's headline, outlet, time and lead, its
    labels in words, why it was flagged, how many outlets carry it, and where to read it."""

    headline: str
    outlet: str
    published: str  # "16/11/2026 08:40", Viet Nam time
    lead: str
    topic: str
    tone: str
    terms: tuple[str, ...]  # the words that weighed most for relevance (storage.explanations)
    outlets: int
    article_link: str  # the article in the web app
    original_url: str


def story_brief(session: Session, case: Case, app_url: str) -> StoryBrief | None:
    """The case's story as its alert tells it; None when the story has no relevant copy left."""
    copies = [(a, e) for a, e in story_enrichments(session, case.story_id) if e.relevant]
    if not copies:
        return None
    article, enrichment = copies[0]
    assert article.id is not None
    outlet = outlet_by_id(session, article.outlet_id)
    explanation = get_explanation(session, article.id)
    weighed = sorted((t for t in explanation.relevance if t.weight > 0), key=lambda t: -t.weight) if explanation else []
    terms = tuple(dict.fromkeys(t.text for t in weighed))[:TERMS]
    moment = (article.published_at or article.fetched_at).astimezone(VN)
    return StoryBrief(
        headline=article.title,
        outlet=outlet.name if outlet else str(article.outlet_id),
        published=f"{moment:%d/%m/%Y %H:%M}",
        lead=lead(article.text or article.sapo),
        topic=topic_vi(enrichment.topic),
        tone=sentiment_vi(enrichment.sentiment),
        terms=terms,
        outlets=len({a.outlet_id for a, _ in copies}),
        article_link=f"{app_url.rstrip('/')}/bai-viet/{article.id}",
        original_url=article.url,
    )


def new_case(
    case: Case, deadlines: list[Deadline], app_url: str, ack_url: str = "", story: StoryBrief | None = None
) -> Content:
    """The case's alert; `ack_url`: the recipient's one-click acknowledgement link (urgent cases), or empty;
    `story`: what it says about the story (`story_brief`)."""
    return _compose(
        "case",
        f"[{case.priority}] Hồ sơ #{case.id} – {case_heading(case)}",
        case_link(app_url, case),
        app_url,
        band=BAND + (" · KHẨN" if case.priority == Priority.P1 else ""),
        urgent=case.priority == Priority.P1,
        case=case,
        province=province_vi(case.province),
        priority_label=priority_vi(case.priority),
        received=when(case.received_at),
        deadlines=[{"kind": KIND_VI.get(d.kind, d.kind), "due": when(d.due_at), "basis": d.basis} for d in deadlines],
        ack_url=ack_url,
        story=story,
    )


def reminder(case: Case, deadline: Deadline, point: str, app_url: str) -> Content:
    kind = KIND_VI.get(deadline.kind, deadline.kind)
    return _compose(
        "reminder",
        f"Nhắc hạn: hồ sơ #{case.id} – {kind} trước {when(deadline.due_at)}",
        case_link(app_url, case),
        app_url,
        band=BAND,
        urgent=False,
        case=case,
        province=province_vi(case.province),
        kind=kind,
        due=when(deadline.due_at),
        point=point,
        basis=deadline.basis,
    )


def escalation(case: Case, deadline: Deadline, app_url: str) -> Content:
    kind, province = KIND_VI.get(deadline.kind, deadline.kind), province_vi(case.province)
    return _compose(
        "escalation",
        f"QUÁ HẠN: hồ sơ #{case.id} – {province} – {kind}",
        case_link(app_url, case),
        app_url,
        band=BAND + " · QUÁ HẠN",
        urgent=True,
        case=case,
        province=province,
        kind=kind,
        due=when(deadline.due_at),
        basis=deadline.basis,
    )


def article_change(case: Case, change: ArticleChange, *, outlet: str, url: str, app_url: str) -> Content:
    """The message to a case's focal points about one of its articles: edited since it was captured (with the
    words deleted and inserted) or taken down (with the evidence)."""
    edited = change.kind == WatchState.EDITED
    what = "đã bị sửa" if edited else "đã bị gỡ"
    subject = f"Bài viết {what}: hồ sơ #{case.id} – {case_heading(case)}"
    title_diff = change.title_diff() if change.title_changed else None
    text_diff = change.text_diff() if edited else None
    return _compose(
        "article_change",
        subject,
        case_link(app_url, case),
        app_url,
        band=BAND,
        urgent=False,
        case=case,
        province=province_vi(case.province),
        what=what,
        edited=edited,
        outlet=outlet,
        url=url,
        at=when_short(change.at),
        reason=takedown_reason_vi(change.reason.value if change.reason else None),
        final_url=change.final_url,
        http_status=change.http_status,
        title_diff=title_diff,
        text_diff=text_diff,
        # as_html escapes every word it writes
        title_diff_html=Markup(title_diff.as_html()) if title_diff else "",
        text_diff_html=Markup(text_diff.as_html()) if text_diff else "",
    )


# Feed states as every surface names them (the sources page, the CLI, the feed-health e-mail).
FEED_STATE_VI: dict[str, str] = {
    "ok": "bình thường",
    "failing": "lỗi liên tiếp",
    "silent": "im lặng bất thường",
    "new": "mới, chưa đủ dữ liệu",
    "disabled": "đã tắt",
}


def feed_warning(health: FeedHealth, now: dt.datetime, app_url: str) -> Content:
    """The message about a broken feed: plain text, its lines laid out as the HTML part."""
    state = FEED_STATE_VI[health.state]
    subject = f"Nguồn tin {state}: {health.outlet_slug} – {health.url}"
    last = when_short(health.last_new_article_at) if health.last_new_article_at else "—"
    link = f"{app_url.rstrip('/')}/nguon-tin"
    text = render("feed.txt", health=health, state=state, last=last, checked=when_short(now), link=link)
    return Content(subject, text, plain_html(subject, text, app_url), (link,))


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportFacts:
    """What the e-mail carrying a periodic report says, its figures already written as the report writes them."""

    product: str  # how the report names the system
    period: str  # "tháng 11 năm 2026"
    span: str  # "01/11/2026 – 30/11/2026"
    previous: str  # the period compared with
    province: str | None  # None: the national report
    articles: str
    change: str
    negative: str
    negative_share: str
    cases: str
    urgent: str
    overdue: str
    statutory_met: str | None  # "3/3 (100,0 %)"; None when no statutory deadline has come


def report(facts: ReportFacts, name: str, app_url: str | None) -> Content:
    """The e-mail that carries a periodic report (DOCX and XLSX attached) to one leader."""
    where = f" tại {facts.province}" if facts.province else ""
    subject = f"Báo cáo tình hình thông tin báo chí {facts.period}" + (f" – {facts.province}" if where else "")
    lines = render("report_facts.txt", f=facts).splitlines()
    intro = (
        f"{facts.product} gửi báo cáo tình hình thông tin báo chí về công tác thi hành án dân sự "
        f"{facts.period} ({facts.span}){where}."
    )
    link = f"{app_url.rstrip('/')}/bao-cao" if app_url else None
    context: dict[str, Any] = {
        "title": subject,
        "band": BAND + " · BÁO CÁO ĐỊNH KỲ",
        "urgent": False,
        "preferences_link": "",
        "heading": f"Báo cáo {facts.period}" + (f" – {facts.province}" if where else ""),
        "span": facts.span,
        "name": name,
        "intro": intro,
        "facts": lines,
        "closing": "Đính kèm: báo cáo (DOCX) và phụ lục số liệu (XLSX).",
        "link": link,
    }
    return Content(subject, render("report.txt", **context), render("report.html", **context), (link,) if link else ())
