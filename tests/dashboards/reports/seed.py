"""A seeded database for the report tests: 200 of the project's written samples (real Vietnamese articles with
their labels) spread over 28/09–30/11/2026, and six designed stories that the real workflow turns into cases,
handled through the real alerts functions so that every timeliness figure is known by hand (see DESIGNED)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from alerts import incidents
from alerts.calendar import default_calendar
from alerts.cases import acknowledge, close, dismiss, respond
from alerts.deadlines import default_policy
from alerts.priority import default_rules
from alerts.settings import AlertSettings
from alerts.workflow import run_workflow
from domain.localtime import VN
from domain.records import Article, Enrichment, Outlet, OutletKind, Story, User
from domain.text import fold_diacritics
from storage.articles import add_article
from storage.cases import case_for_story, upsert_user
from storage.engine import Database
from storage.enrichments import join_story, save_enrichment, start_story
from storage.outlets import upsert_outlet
from tests.conftest import REPO

SAMPLES = REPO / "nlp" / "data" / "written-samples.jsonl"
FIRST_DAY = dt.date(2026, 9, 28)  # a Monday; 64 days to 30/11
BULK = 200
NOW = dt.datetime(2027, 1, 10, 9, 0, tzinfo=VN)  # when the reports are made: every deadline has come
OUTLETS = (
    ("phapluat", "Báo Pháp luật Việt Nam", OutletKind.NATIONAL, 1),
    ("tuoitre", "Tuổi Trẻ", OutletKind.NATIONAL, 1),
    ("dantri", "Dân trí", OutletKind.NATIONAL, 2),
    ("baocantho", "Báo Cần Thơ", OutletKind.LOCAL, 3),
)
USERS = (
    ("daumoi.cantho@thads.vn", "Nguyễn Văn An", "dau_moi", "Cần Thơ"),
    ("daumoi.hanoi@thads.vn", "Lê Thị Cúc", "dau_moi", "Hà Nội"),
    ("vanphong@cucqlthads.vn", "Văn phòng Cục", "dau_moi", "toan_quoc"),
    ("cuctruong@cucqlthads.vn", "Phạm Văn Đức", "leader", None),
    ("pho.cuctruong@cucqlthads.vn", "Đỗ Thị Hà", "leader", "toan_quoc"),
    ("lanhdao.cantho@thads.vn", "Trần Thị Lan", "leader", "Cần Thơ"),
    ("giamsat@cucqlthads.vn", "Hoàng Minh", "monitor", None),
)


def local(day: int, month: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=VN)


@dataclass(frozen=True)
class Design:
    """A designed story: its copies (outlet slug, local time), its province, when the workflow runs, and what the
    focal point does (action, local time, response kind)."""

    key: str
    copies: tuple[tuple[str, dt.datetime], ...]
    province: str
    received: dt.datetime
    actions: tuple[tuple[str, dt.datetime, str | None], ...]
    priority: str


# W47 = 16–22/11/2026, W46 = 09–15/11, October. Deadlines (NĐ 244/2026, in force from 01/07/2026): the 24-hour
# initial information (P1 only), the written notice in 15 working days, acknowledgement in 1 working day.
DESIGNED = (
    Design(
        key="F",
        copies=(("dantri", local(14, 10, 8)),),
        province="Hà Nội",
        received=local(14, 10, 12),
        actions=(("respond", local(20, 11, 10), "van_ban_tra_loi"),),  # after its 15 working days: missed
        priority="P2",
    ),
    Design(
        key="E",
        copies=(("dantri", local(10, 11, 8)), ("baocantho", local(10, 11, 9))),
        province="Cần Thơ",
        received=local(10, 11, 12),
        actions=(("respond", local(12, 11, 10), "van_ban_tra_loi"),),
        priority="P2",
    ),
    Design(  # three outlets within hours: P1; everything in time, closed
        key="A",
        copies=(("phapluat", local(16, 11, 9)), ("tuoitre", local(16, 11, 10)), ("dantri", local(16, 11, 11))),
        province="Cần Thơ",
        received=local(16, 11, 12),
        actions=(
            ("acknowledge", local(16, 11, 14), None),
            ("respond", local(17, 11, 9), "thong_tin_ban_dau"),  # 21 h after reception, within 24 h
            ("respond", local(20, 11, 10), "van_ban_tra_loi"),
            ("close", local(21, 11, 9), None),
        ),
        priority="P1",
    ),
    Design(  # acknowledged late (due 19/11 24:00), correction request in time: 142 h after reception
        key="B",
        copies=(("dantri", local(18, 11, 8)),),
        province="Hà Nội",
        received=local(18, 11, 12),
        actions=(("acknowledge", local(23, 11, 9), None), ("respond", local(24, 11, 10), "yeu_cau_cai_chinh")),
        priority="P2",
    ),
    Design(
        key="C",
        copies=(("baocantho", local(20, 11, 8)),),
        province="Cần Thơ",
        received=local(20, 11, 12),
        actions=(("dismiss", local(20, 11, 15), None),),
        priority="P2",
    ),
    Design(  # nothing done: both deadlines overdue at NOW
        key="D",
        copies=(("baocantho", local(21, 11, 8)),),
        province="Hà Nội",
        received=local(21, 11, 12),
        actions=(),
        priority="P2",
    ),
)


@dataclass(frozen=True)
class SeededArticle:
    title: str
    url: str
    at: dt.datetime  # the time that counts: published, else fetched
    outlet: str
    relevant: bool
    topic: str | None
    sentiment: str | None
    province: str | None
    story: str | None  # a designed story's key


@dataclass
class Seeded:
    articles: list[SeededArticle] = field(default_factory=list)
    cases: dict[str, int] = field(default_factory=dict)  # designed key → case id
    stories: dict[str, int] = field(default_factory=dict)
    incident: int = 0  # INCIDENT's id

    def relevant_in(self, start: dt.datetime, end: dt.datetime, province: str | None = None) -> list[SeededArticle]:
        return [
            a
            for a in self.articles
            if a.relevant and start <= a.at < end and (province is None or a.province == province)
        ]


def samples() -> list[dict[str, object]]:
    return [json.loads(line) for line in SAMPLES.read_text(encoding="utf-8").splitlines()]


def _plain_negative(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    """Negative samples that no P1 rule flags by itself (no misconduct topic, no violence in the text)."""
    words = [fold_diacritics(w) for rule in default_rules().rules for w in (rule.when.text_any or ())]
    return [
        r
        for r in rows
        if r["sentiment"] == "tieu_cuc"
        and r["topic"] not in ("sai_pham_can_bo", None)
        and not any(w in fold_diacritics(f"{r['title']}\n{r['summary']}\n{r['text']}") for w in words)
    ]


def _bulk_time(i: int) -> dt.datetime:
    day = FIRST_DAY + dt.timedelta(days=i * 64 // BULK)
    hour, minute = ((0, 30), (7, 5), (9, 40), (13, 15), (16, 0), (20, 45), (23, 30))[i % 7]
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=VN)


def seed(db: Database) -> Seeded:
    seeded = Seeded()
    rows = samples()
    designed = _plain_negative(rows[BULK:])
    with db.session() as s:
        outlets = {
            slug: upsert_outlet(s, Outlet(slug=slug, name=name, domain=f"{slug}.vn", kind=kind, reach_tier=tier))
            for slug, name, kind, tier in OUTLETS
        }
        for email, name, role, province in USERS:
            upsert_user(s, User(email=email, name=name, role=role, province=province))
        for i, row in enumerate(rows[:BULK]):
            outlet = outlets[OUTLETS[i % 4][0]]
            at = _bulk_time(i)
            published = None if i % 9 == 0 else at  # no published time: the fetch time counts
            _store(s, seeded, outlet, row, f"https://{outlet.slug}.vn/bai-{i}", at, published, None, None)
    for k, design in enumerate(DESIGNED):
        row = designed[k]
        with db.session() as s:
            story: Story | None = None
            for n, (slug, at) in enumerate(design.copies):
                outlet = outlets[slug]
                url = f"https://{slug}.vn/su-viec-{design.key.lower()}-{n}"
                story = _store(s, seeded, outlet, row, url, at, at, design, story)
            assert story is not None
            seeded.stories[design.key] = story.id
        run_workflow(
            db,
            rules=default_rules(),
            policy=default_policy(),
            calendar=default_calendar(),
            settings=AlertSettings(),
            now=lambda at=design.received: at.astimezone(dt.UTC),
        )
        with db.session() as s:
            case = case_for_story(s, seeded.stories[design.key])
            assert case is not None, design.key
            assert case.priority == design.priority, (design.key, case.priority, case.reason)
            seeded.cases[design.key] = case.id
    by = {"Cần Thơ": "daumoi.cantho@thads.vn", "Hà Nội": "daumoi.hanoi@thads.vn"}
    actions = sorted((at, d.key, action, kind, d.province) for d in DESIGNED for action, at, kind in d.actions)
    for at, key, action, kind, province in actions:
        with db.session() as s:
            case_id, actor, when = seeded.cases[key], by[province], at.astimezone(dt.UTC)
            if action == "acknowledge":
                acknowledge(s, case_id, actor=actor, at=when)
            elif action == "respond":
                assert kind is not None
                respond(s, case_id, kind=kind, text=f"Đã gửi {kind} cho cơ quan báo chí.", actor=actor, at=when)
            elif action == "close":
                close(s, case_id, actor="giamsat@cucqlthads.vn", at=when)
            else:
                dismiss(s, case_id, actor="giamsat@cucqlthads.vn", at=when, reason="Tin trùng với hồ sơ đã có")
    seeded.incident = _incident(db, seeded)
    return seeded


# A communication incident of W47 grouping three designed stories (A, B, D), declared on 19/11 and closed on 22/11.
INCIDENT_TITLE = "Nhiều báo phản ánh chậm thi hành án tại Cần Thơ và Hà Nội"
INCIDENT_CLOSING = "Cục đã phát ngôn, đề nghị cải chính; các báo đã đăng thông tin phản hồi của cơ quan thi hành án."


def _incident(db: Database, seeded: Seeded) -> int:
    with db.session() as s:
        incident = incidents.declare(
            s,
            title=INCIDENT_TITLE,
            summary="Ba sự việc cùng phản ánh chậm thi hành bản án trong một tuần.",
            severity="high",
            owner_email="vanphong@cucqlthads.vn",
            story_ids=(seeded.stories["A"], seeded.stories["B"], seeded.stories["D"]),
            actor="giamsat@cucqlthads.vn",
            at=local(19, 11, 10).astimezone(dt.UTC),
        )
        incidents.record_action(
            s,
            incident.id,
            kind="statement",
            text="Cục Quản lý thi hành án dân sự phát ngôn về tiến độ thi hành các bản án.",
            actor="vanphong@cucqlthads.vn",
            at=local(20, 11, 9).astimezone(dt.UTC),
        )
        incidents.close(
            s,
            incident.id,
            summary=INCIDENT_CLOSING,
            actor="giamsat@cucqlthads.vn",
            at=local(22, 11, 16).astimezone(dt.UTC),
        )
    return incident.id


def _store(
    s: Session,
    seeded: Seeded,
    outlet: Outlet,
    row: dict[str, object],
    url: str,
    fetched: dt.datetime,
    published: dt.datetime | None,
    design: Design | None,
    story: Story | None,
) -> Story | None:
    assert outlet.id is not None
    article, _ = add_article(
        s,
        Article(
            outlet_id=outlet.id,
            url=url,
            title=str(row["title"]),
            sapo=str(row["summary"]),
            text=str(row["text"]),
            content_hash=hashlib.sha256(url.encode()).hexdigest(),
            fetched_at=fetched.astimezone(dt.UTC),
            published_at=published.astimezone(dt.UTC) if published else None,
        ),
    )
    assert article.id is not None
    if design is not None:
        story = start_story(s, article) if story is None else join_story(s, story.id, article)
    province = design.province if design else (str(row["province"]) if row["province"] else None)
    relevant = bool(row["relevant"])
    save_enrichment(
        s,
        Enrichment(
            article_id=article.id,
            relevant=relevant,
            relevance_score=0.95 if relevant else 0.1,
            topic=str(row["topic"]) if row["topic"] else None,
            sentiment=str(row["sentiment"]) if row["sentiment"] else None,
            province=province,
            model_version="test",
            enriched_at=fetched.astimezone(dt.UTC),
            story_id=story.id if story else None,
        ),
    )
    seeded.articles.append(
        SeededArticle(
            title=str(row["title"]),
            url=url,
            at=(published or fetched).astimezone(dt.UTC),
            outlet=outlet.name,
            relevant=relevant,
            topic=str(row["topic"]) if row["topic"] else None,
            sentiment=str(row["sentiment"]) if row["sentiment"] else None,
            province=province,
            story=design.key if design else None,
        )
    )
    return story
