"""The digest of each watch profile: real articles of the press (shared/corpus/news-2026-sample) enriched and
matched by a starter profile, the digest written to the outbox once per period and delivered by the outbox
sender to a real SMTP server on loopback, on SQLite and PostgreSQL; never for the THADS watch."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import gzip
import json
from typing import Any

import pytest
from markupsafe import escape

import alerts.profile_digest as profile_digest
from alerts.profile_digest import current_period, run_profile_digests
from alerts.sender import run_outbox
from alerts.settings import AlertSettings, MailSettings
from domain.enums import Role
from domain.localtime import VN
from domain.matching import ArticleDoc, compile_query
from domain.profiles import DigestSchedule
from domain.records import User
from domain.watch_profiles import starter_profiles
from nlp.classify import Classifier
from nlp.enrich import run_enrich
from nlp.profile_match import load_starter_profiles
from nlp.settings import NlpSettings
from storage.cases import upsert_user
from storage.engine import Database
from storage.outbox import list_notifications
from storage.profiles import get_profile, matched_article_ids, save_profile
from tests.alerts.smtp_server import Recorder
from tests.conftest import shared_path
from tests.nlp.test_profile_match import NOW, corpus, store

APP_URL = "https://baochi.thads.example"
SETTINGS = AlertSettings(app_url=APP_URL)
AREA = "dich_benh"
READERS = ("phongthads@moj.example", "vanphong@cucqlthads.vn")


def _at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 12, day, hour, minute, tzinfo=VN).astimezone(dt.UTC)


@functools.cache
def whole_sample() -> tuple[dict[str, Any], ...]:
    with gzip.open(shared_path("corpus", "news-2026-sample.jsonl.gz"), "rt", encoding="utf-8") as f:
        return tuple(json.loads(line) for line in f)


def _doc(row: dict[str, Any]) -> ArticleDoc:
    return ArticleDoc(title=row["title"], sapo=row["summary"], text=row["text"], outlet=(row["outlet"],))


def seed_profile_articles(database: Database) -> dict[int, dict[str, Any]]:
    """Enforcement articles and others of the sample, enriched (so matched) at NOW (10:00 on 1 Dec in Viet Nam);
    the enforcement area's profile writes to two addresses, one of them a user; the THADS watch has a recipient
    too but keeps to its own daily digest."""
    area = compile_query(next(s.query for s in starter_profiles() if s.code == AREA))
    rows = tuple(r for r in whole_sample() if area.matches(_doc(r))) + corpus()[:20]
    load_starter_profiles(database, starter_profiles(), at=NOW)
    stored = store(database, tuple({r["id"]: r for r in rows}.values()))
    run_enrich(database, Classifier.load(use_ner=False), NlpSettings(batch_size=10), now=lambda: NOW)
    with database.session() as session:
        upsert_user(session, User(email="vanphong@cucqlthads.vn", name="Nguyễn Thị Bình", role=Role.MONITOR))
        for code in (AREA, "thads"):
            profile = get_profile(session, code)
            assert profile is not None
            save_profile(session, dataclasses.replace(profile, recipients=READERS), by="quantri@cucthads.vn", at=NOW)
    return stored


def _matched(database: Database, code: str) -> set[int]:
    with database.session() as session:
        profile = get_profile(session, code)
        assert profile is not None
        assert profile.id is not None
        return matched_article_ids(session, profile.id)


def test_a_profiles_digest_arrives_once_with_its_matched_articles_grouped_by_province(
    database: Database, smtp: MailSettings, recorder: Recorder
) -> None:
    stored = seed_profile_articles(database)
    matched = _matched(database, AREA)
    assert 2 <= len(matched) < len(stored)
    assert run_profile_digests(database, SETTINGS, now=lambda: _at(2, 7, 29)).written == 0  # not yet 07:30
    morning = _at(2, 7, 31)
    summary = run_profile_digests(database, SETTINGS, now=lambda: morning)
    assert (summary.written, summary.codes) == (2, [AREA])  # two readers; the THADS watch sends none
    assert run_profile_digests(database, SETTINGS, now=lambda: _at(2, 12)).written == 0  # once a day
    assert run_outbox(database, smtp, now=lambda: morning, app_url=APP_URL).sent == 2
    got = recorder.by_recipient()
    assert set(got) == set(READERS)
    for address in READERS:
        (received,) = got[address]
        assert received.message["X-THADS-Kind"] == "digest"
        subject = str(received.message["Subject"])
        assert subject == f"Điểm tin ngày 02/12/2026 – chủ đề “Dịch bệnh”: {len(matched)} bài mới"
        text, html = received.part("text/plain"), received.part("text/html")
        for article_id in matched:
            assert stored[article_id]["title"] in text
            assert str(escape(stored[article_id]["title"])) in html
            assert f"{APP_URL}/bai-viet/{article_id}" in text
        for article_id in set(stored) - matched:
            assert stored[article_id]["title"] not in text
        assert f"Có {len(matched)} bài mới thuộc chủ đề “Dịch bệnh” từ 07:31 01/12/2026" in text
        assert f"{APP_URL}/chu-de-theo-doi/{AREA}" in text
        assert "\n== Chưa xác định tỉnh/thành (" in text or "\n== Hà Nội (" in text  # by province
        first = stored[min(matched)]
        assert first["outlet"] in text  # the outlet, as stored (its domain)
        lead = " ".join(str(first["summary"] or first["text"]).split())[:60]
        assert lead
        assert lead in text
    assert "Kính gửi: Nguyễn Thị Bình" in got["vanphong@cucqlthads.vn"][0].part("text/plain")
    assert "Kính gửi: phongthads@moj.example" in got["phongthads@moj.example"][0].part("text/plain")
    with database.session() as session:
        keys = sorted(n.dedupe_key for n in list_notifications(session))
        area = get_profile(session, AREA)
        thads = get_profile(session, "thads")
    assert keys == sorted(f"profile-digest:{AREA}:2026-12-02:{a}" for a in READERS)
    assert area is not None
    assert area.last_digest_at == morning
    assert thads is not None
    assert thads.last_digest_at is None
    # The next morning nothing new was enriched: nothing is sent, the period closes all the same.
    next_morning = _at(3, 7, 40)
    quiet = run_profile_digests(database, SETTINGS, now=lambda: next_morning)
    assert (quiet.written, quiet.empty) == (0, 1)
    assert run_outbox(database, smtp, now=lambda: next_morning, app_url=APP_URL).sent == 0
    with database.session() as session:
        area = get_profile(session, AREA)
    assert area is not None
    assert area.last_digest_at == next_morning


def test_a_run_killed_mid_way_writes_nothing_and_the_next_run_writes_the_digest_once(
    database: Database, smtp: MailSettings, recorder: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_profile_articles(database)
    morning = _at(2, 8)

    def killed(*_args: object) -> None:
        raise KeyboardInterrupt  # the process stopped after the outbox rows, before the period was closed

    with monkeypatch.context() as patch:
        patch.setattr(profile_digest, "record_profile_digest", killed)
        with pytest.raises(KeyboardInterrupt):
            run_profile_digests(database, SETTINGS, now=lambda: morning)
    with database.session() as session:
        assert list_notifications(session) == []
    assert run_profile_digests(database, SETTINGS, now=lambda: morning).written == 2
    assert run_profile_digests(database, SETTINGS, now=lambda: morning + dt.timedelta(minutes=5)).written == 0
    run_outbox(database, smtp, now=lambda: morning, app_url=APP_URL)
    run_outbox(database, smtp, now=lambda: morning + dt.timedelta(minutes=5), app_url=APP_URL)
    assert {a: len(m) for a, m in recorder.by_recipient().items()} == dict.fromkeys(READERS, 1)


def test_a_weekly_profile_writes_on_monday_with_the_weeks_matches(database: Database) -> None:
    seed_profile_articles(database)
    with database.session() as session:
        profile = get_profile(session, AREA)
        assert profile is not None
        save_profile(session, dataclasses.replace(profile, digest=DigestSchedule.WEEKLY), by="a@b.vn", at=NOW)
    # 1 Dec 2026 is a Tuesday: the week's digest was due on Monday 30 Nov, before the articles came.
    assert run_profile_digests(database, SETTINGS, now=lambda: _at(2, 9)).written == 2  # first: last 7 days
    assert run_profile_digests(database, SETTINGS, now=lambda: _at(4, 9)).written == 0  # the week is done
    monday = _at(7, 7, 45)
    assert run_profile_digests(database, SETTINGS, now=lambda: monday).empty == 1  # nothing since Wednesday
    with database.session() as session:
        subjects = {n.subject for n in list_notifications(session)}
        keys = {n.dedupe_key.rsplit(":", 1)[0] for n in list_notifications(session)}
    assert keys == {f"profile-digest:{AREA}:2026-W49"}
    assert all(s.startswith("Điểm tin tuần 30/11/2026 – chủ đề “Dịch bệnh”") for s in subjects)


@pytest.mark.parametrize(
    ("schedule", "at", "expected"),
    [
        (DigestSchedule.DAILY, _at(2, 7, 29), None),
        (DigestSchedule.DAILY, _at(2, 7, 30), "2026-12-02"),
        (DigestSchedule.WEEKLY, _at(7, 7, 29), None),  # Monday before the digest time: last week's is done
        (DigestSchedule.WEEKLY, _at(7, 7, 30), "2026-W50"),
        (DigestSchedule.WEEKLY, _at(13, 23), "2026-W50"),  # Sunday
        (DigestSchedule.OFF, _at(2, 12), None),
    ],
)
def test_periods(schedule: DigestSchedule, at: dt.datetime, expected: str | None) -> None:
    period = current_period(schedule, at, "07:30")
    assert (period.key if period else None) == expected
