"""Test data for the e-mail tests: the project's written Vietnamese articles (nlp/data/written-samples.jsonl)
with their hand labels as enrichments, outlets named as in the shipped source registry, and focal points."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from typing import Any

import yaml
from sqlalchemy.orm import Session

from alerts.calendar import default_calendar
from alerts.deadlines import default_policy
from alerts.priority import default_rules
from alerts.settings import AlertSettings
from alerts.workflow import run_workflow
from domain.enums import AlertTier, Priority
from domain.localtime import VN
from domain.records import Article, Enrichment, Outlet, OutletKind, Story, User
from storage.alert_tiers import save_tier_choice
from storage.articles import add_article
from storage.cases import upsert_user
from storage.engine import Database
from storage.enrichments import save_enrichment, start_story
from storage.outlets import upsert_outlet
from tests.conftest import REPO

T0 = dt.datetime(2026, 11, 16, 9, 0, tzinfo=VN).astimezone(dt.UTC)  # Monday 09:00 in Hà Nội
APP_URL = "https://giamsat.thads.example"
USERS = [
    User(email="daumoi.cantho@thads.vn", name="Nguyễn Văn An", role="dau_moi", province="Cần Thơ"),
    User(email="truong.cantho@thads.vn", name="Trần Văn Bình", role="dau_moi", province="Cần Thơ", is_head=True),
    User(email="daumoi.hanoi@thads.vn", name="Lê Thị Cúc", role="dau_moi", province="Hà Nội"),
    User(email="vanphong@cucqlthads.vn", name="Văn phòng Cục Quản lý THADS", role="dau_moi", province="toan_quoc"),
]
# Cần Thơ: misconduct (P1), an auction annulled (P2), a seizure plan (P3); Hà Nội: an auction (P2), results
# (no case); nationwide: a law, administrative judgments not enforced (P2).
CAN_THO_P1 = "written:w4:052"
DAY_ONE = ["written:w4:052", "written:w3:038", "written:w3:030", "written:w3:034", "written:w1:005", "written:w2:011"]


@functools.cache
def samples() -> dict[str, dict[str, Any]]:
    path = REPO / "nlp" / "data" / "written-samples.jsonl"
    rows = (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return {row["id"]: row for row in rows}


@functools.cache
def outlet_names() -> dict[str, str]:
    registry = yaml.safe_load((REPO / "crawler" / "sources.yaml").read_text(encoding="utf-8"))
    return {o["domain"]: o["name"] for o in registry["outlets"]}


def seed_users(session: Session) -> None:
    for user in USERS:
        upsert_user(session, user)


def add_sample(session: Session, sample_id: str, at: dt.datetime) -> tuple[Article, Story | None]:
    """The sample as a stored article with its hand labels as the enrichment, a story of its own if relevant."""
    row = samples()[sample_id]
    domain = row["outlet"]
    outlet = upsert_outlet(
        session,
        Outlet(
            slug=domain.replace(".", "-"),
            name=outlet_names().get(domain, domain),
            domain=domain,
            kind=OutletKind.NATIONAL,
            reach_tier=2,
        ),
    )
    assert outlet.id is not None
    article, _ = add_article(
        session,
        Article(
            outlet_id=outlet.id,
            url=f"https://{domain}/{sample_id.replace(':', '-')}.html",
            title=row["title"],
            sapo=row["summary"],
            text=row["text"],
            content_hash=hashlib.sha256(row["text"].encode()).hexdigest(),
            published_at=at - dt.timedelta(minutes=20),
            fetched_at=at,
        ),
    )
    assert article.id is not None
    story = start_story(session, article) if row["relevant"] else None
    save_enrichment(
        session,
        Enrichment(
            article_id=article.id,
            relevant=bool(row["relevant"]),
            relevance_score=0.95 if row["relevant"] else 0.05,
            topic=row["topic"],
            sentiment=row["sentiment"],
            province=row["province"],
            model_version="nhan-thu-cong",
            enriched_at=at,
            story_id=story.id if story else None,
        ),
    )
    return article, story


def seed(database: Database, ids: list[str] = DAY_ONE, *, at: dt.datetime = T0) -> None:
    """Users, then the samples one minute apart from `at`."""
    with database.session() as session:
        seed_users(session)
        for i, sample_id in enumerate(ids):
            add_sample(session, sample_id, at + dt.timedelta(minutes=i))


def every_alert_at_once(database: Database) -> None:
    """Every seeded user chooses to receive P2 and P3 case alerts at once, not in the hourly round-up or the digest
    (for the tests of delivery, which count one message per case)."""
    with database.session() as session:
        for user in USERS:
            for priority in (Priority.P2, Priority.P3):
                save_tier_choice(session, user.email, priority, AlertTier.IMMEDIATE)


def workflow(database: Database, at: dt.datetime) -> None:
    run_workflow(
        database,
        rules=default_rules(),
        policy=default_policy(),
        calendar=default_calendar(),
        settings=AlertSettings(app_url=APP_URL),
        now=lambda: at,
    )
