"""Seeding real Vietnamese articles (the project's written samples, with their hand labels) through the real
storage functions, for the triage, access and web tests."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from typing import Any

from sqlalchemy.orm import Session

from domain.records import Article, Enrichment, Outlet, OutletKind, Story, User
from storage.articles import add_article, add_snapshot
from storage.cases import upsert_user
from storage.enrichments import join_story, save_enrichment, start_story
from storage.outlets import upsert_outlet
from tests.conftest import REPO

VN = dt.timezone(dt.timedelta(hours=7))
T0 = dt.datetime(2026, 11, 16, 9, 0, tzinfo=VN).astimezone(dt.UTC)  # a Monday
SAMPLES = REPO / "nlp" / "data" / "written-samples.jsonl"
PAGE = """<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{title}</title></head>
<body><h1>{title}</h1><p class="sapo">{sapo}</p>{paragraphs}
<script>document.body.insertAdjacentHTML('afterbegin', '<p id="script-ran">SCRIPT RAN</p>');
try {{ parent.document.title = 'PWNED'; }} catch (e) {{}}</script></body></html>"""

USERS = {
    "monitor": User(email="giamsat@cucthads.vn", name="Phạm Thu Hà", role="monitor", province=None),
    "cantho": User(email="daumoi.cantho@thads.vn", name="Nguyễn Văn An", role="dau_moi", province="Cần Thơ"),
    "hanoi": User(email="daumoi.hanoi@thads.vn", name="Lê Thị Cúc", role="dau_moi", province="Hà Nội"),
    "central": User(email="vanphong@cucthads.vn", name="Văn phòng Cục", role="dau_moi", province="toan_quoc"),
    "leader": User(email="lanhdao@cucthads.vn", name="Trần Quốc Bảo", role="leader", province=None),
    "leader_hanoi": User(email="lanhdao.hanoi@thads.vn", name="Đỗ Minh Tâm", role="leader", province="Hà Nội"),
    "admin": User(email="quantri@cucthads.vn", name="Quản trị hệ thống", role="admin", province=None),
}


@functools.cache
def samples() -> dict[str, dict[str, Any]]:
    rows = [json.loads(line) for line in SAMPLES.read_text(encoding="utf-8").splitlines()]
    return {row["id"]: row for row in rows}


def seed_users(session: Session) -> dict[str, User]:
    return {key: upsert_user(session, user) for key, user in USERS.items()}


def outlet(session: Session, slug: str, name: str, *, tier: int = 2) -> Outlet:
    return upsert_outlet(
        session, Outlet(slug=slug, name=name, domain=f"{slug}.vn", kind=OutletKind.NATIONAL, reach_tier=tier)
    )


def page_of(row: dict[str, Any]) -> bytes:
    """The sample as an outlet's page (with a script of the kind a captured page carries)."""
    from html import escape

    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in str(row["text"]).split("\n"))
    return PAGE.format(title=escape(row["title"]), sapo=escape(row["summary"]), paragraphs=paragraphs).encode()


def add_copy(
    session: Session,
    row: dict[str, Any],
    source: Outlet,
    *,
    at: dt.datetime,
    story: Story | None = None,
    province: str | None = None,
    relevant: bool | None = None,
    score: float = 0.95,
    suffix: str = "",
) -> tuple[Article, Story | None]:
    """One copy of a sample article in an outlet, with its snapshot and enrichment (the sample's hand labels,
    or `province`); it starts a story or joins `story` when relevant."""
    assert source.id is not None
    key = f"{row['id']}{suffix}:{source.slug}"
    article, _ = add_article(
        session,
        Article(
            outlet_id=source.id,
            url=f"https://{source.domain}/{hashlib.sha1(key.encode()).hexdigest()[:12]}.html",
            title=row["title"],
            sapo=row["summary"],
            text=row["text"],
            content_hash=hashlib.sha256(key.encode()).hexdigest(),
            fetched_at=at + dt.timedelta(minutes=10),
            published_at=at,
        ),
    )
    assert article.id is not None
    add_snapshot(
        session,
        article_id=article.id,
        url=article.url,
        html=page_of(row),
        content_hash=article.content_hash,
        fetched_at=article.fetched_at,
        first=True,
    )
    is_relevant = bool(row["relevant"]) if relevant is None else relevant
    if is_relevant:
        story = start_story(session, article) if story is None else join_story(session, story.id, article)
    save_enrichment(
        session,
        Enrichment(
            article_id=article.id,
            relevant=is_relevant,
            relevance_score=score if is_relevant else 0.1,
            topic=row["topic"],
            sentiment=row["sentiment"],
            province=province or row["province"],
            model_version="test",
            enriched_at=at + dt.timedelta(minutes=15),
            story_id=story.id if is_relevant and story is not None else None,
        ),
    )
    return article, story if is_relevant else None
