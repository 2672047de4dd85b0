"""Watch profiles matched against real articles of the press (shared/corpus/news-2026-sample) stored through the
project's storage, on SQLite and PostgreSQL: on enrichment (each new article once, every profile), by the
backfill of one profile after an edit, and with the profiles' outlet and province filters."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import gzip
import hashlib
import json
from typing import Any

from domain.matching import ArticleDoc, compile_query
from domain.profiles import Profile, provincial_unit
from domain.records import Article, Outlet, OutletKind
from domain.watch_profiles import ProfileKind, starter_profiles
from nlp.classify import Classifier
from nlp.enrich import run_enrich
from nlp.profile_match import backfill_profile, load_starter_profiles, match_articles
from nlp.settings import NlpSettings
from storage.articles import add_article
from storage.engine import Database
from storage.enrichments import get_enrichment
from storage.outlets import upsert_outlet
from storage.profiles import get_profile, latest_matches, matched_article_ids, save_profile
from tests.conftest import shared_path

NOW = dt.datetime(2026, 12, 1, 3, 0, tzinfo=dt.UTC)
STORED = 400  # the first rows of the sample, in file order


@functools.cache
def corpus() -> tuple[dict[str, Any], ...]:
    rows = []
    with gzip.open(shared_path("corpus", "news-2026-sample.jsonl.gz"), "rt", encoding="utf-8") as f:
        for line in f:
            rows.append(json.loads(line))
            if len(rows) == STORED:
                break
    return tuple(rows)


def store(database: Database, rows: tuple[dict[str, Any], ...]) -> dict[int, dict[str, Any]]:
    """The rows as articles of their outlets (outlet name = its domain); → the corpus row by article id."""
    stored: dict[int, dict[str, Any]] = {}
    with database.session() as session:
        outlets: dict[str, Outlet] = {}
        for row in rows:
            domain = row["outlet"]
            if domain not in outlets:
                slug = domain.split(".")[0]
                outlets[domain] = upsert_outlet(
                    session, Outlet(slug=slug, name=domain, domain=domain, kind=OutletKind.NATIONAL)
                )
            outlet_id = outlets[domain].id
            assert outlet_id is not None
            article, _ = add_article(
                session,
                Article(
                    outlet_id=outlet_id,
                    url=row["url"],
                    title=row["title"],
                    sapo=row["summary"],
                    text=row["text"],
                    content_hash=hashlib.sha256(row["id"].encode()).hexdigest(),
                    fetched_at=NOW,
                    published_at=dt.datetime.fromisoformat(row["date"]),
                ),
            )
            assert article.id is not None
            stored[article.id] = row
    return stored


def expected(query: str, stored: dict[int, dict[str, Any]], provinces: dict[int, str | None] | None = None) -> set[int]:
    """The oracle: the query compiled alone, each article read straight from the corpus row."""
    compiled = compile_query(query)
    found = set()
    for article_id, row in stored.items():
        doc = ArticleDoc(
            title=row["title"],
            sapo=row["summary"],
            text=row["text"],
            outlet=(row["outlet"],),
            province=(provinces or {}).get(article_id),
        )
        if compiled.matches(doc):
            found.add(article_id)
    return found


def test_starters_loaded_are_backfilled_with_exactly_the_matching_articles(database: Database) -> None:
    stored = store(database, corpus())
    added, updated = load_starter_profiles(database, starter_profiles(), at=NOW)
    assert len(added) == len(starter_profiles())
    assert updated == []
    total = 0
    with database.session() as session:
        for starter in starter_profiles():
            profile = get_profile(session, starter.code)
            assert profile is not None
            assert profile.id is not None
            got = matched_article_ids(session, profile.id)
            assert got == expected(starter.query, stored), starter.code
            total += len(got)
        thads = get_profile(session, "thads")
        assert thads is not None
        assert thads.id is not None
        assert thads.opens_cases
        assert matched_article_ids(session, thads.id), "the THADS watch matches articles of this sample"
        # matches are filed under the article's own time, newest first
        latest = latest_matches(session, thads.id, limit=5)
        assert [m.matched_at for m in latest] == sorted((m.matched_at for m in latest), reverse=True)
        assert latest[0].title == stored[latest[0].article_id]["title"]
    assert 0 < total < len(stored) * len(starter_profiles())


def test_new_articles_are_matched_once_when_enriched_with_the_enrichments_province(database: Database) -> None:
    load_starter_profiles(database, starter_profiles(), at=NOW)
    with database.session() as session:  # a provincial unit's profile that needs the enrichment's province
        hanoi = save_profile(
            session,
            Profile(
                code="ha_noi_dat_dai",
                name="Đất đai ở Hà Nội",
                kind=ProfileKind.AREA,
                unit=provincial_unit("Hà Nội"),
                query='province:"Hà Nội" AND ("đất" OR "nhà")',
            ),
            by="quantri@cucthads.vn",
            at=NOW,
        )
    rows = tuple(r for r in corpus() if "thi hành án" in r["text"].lower())[:12]
    rows += corpus()[:12]
    stored = store(database, rows)
    summary = run_enrich(database, Classifier.load(use_ner=False), NlpSettings(batch_size=5), now=lambda: NOW)
    assert summary.enriched == len(stored)
    with database.session() as session:
        provinces = {i: e.province for i in stored if (e := get_enrichment(session, i)) is not None}
        by_code = {}
        for code in (*(s.code for s in starter_profiles()), "ha_noi_dat_dai"):
            profile = get_profile(session, code)
            assert profile is not None
            assert profile.id is not None
            by_code[code] = (profile, matched_article_ids(session, profile.id))
    for code, (profile, got) in by_code.items():
        assert got == expected(profile.query, stored, provinces), code
    assert summary.profile_matches == sum(len(got) for _, got in by_code.values())
    assert by_code["thi_hanh_an_dan_su"][1], "articles about enforcement match the enforcement area"
    assert hanoi.id is not None
    assert by_code["ha_noi_dat_dai"][1], "the provincial profile matches too"
    # matching again writes nothing twice
    with database.session() as session:
        assert match_articles(session, list(stored)) == 0


def test_backfill_after_an_edit_replaces_the_profiles_matches(database: Database) -> None:
    stored = store(database, corpus())
    load_starter_profiles(database, starter_profiles(), at=NOW)
    with database.session() as session:
        before = get_profile(session, "thi_hanh_an_dan_su")
        assert before is not None
        assert before.id is not None
        old = matched_article_ids(session, before.id)
        edited = save_profile(session, dataclasses.replace(before, query='"đấu giá"'), by="quantri@cucthads.vn", at=NOW)
        assert edited.version == before.version + 1
    summary = backfill_profile(database, "thi_hanh_an_dan_su", batch_size=37)
    new = expected('"đấu giá"', stored)
    assert summary.removed == len(old)
    assert summary.read == len(stored)
    assert summary.matched == len(new)
    assert new
    assert new != old
    with database.session() as session:
        assert matched_article_ids(session, before.id) == new
        # filters: only one outlet's articles, then a province no article has
        outlet = stored[min(new)]["outlet"]
        save_profile(session, dataclasses.replace(edited, outlets=(outlet.split(".")[0],)), by="a", at=NOW)
    backfill_profile(database, "thi_hanh_an_dan_su")
    with database.session() as session:
        assert matched_article_ids(session, before.id) == {i for i in new if stored[i]["outlet"] == outlet}
        paused = get_profile(session, "thi_hanh_an_dan_su")
        assert paused is not None
        save_profile(session, dataclasses.replace(paused, active=False), by="a", at=NOW)
    backfill_profile(database, "thi_hanh_an_dan_su")
    with database.session() as session:
        assert matched_article_ids(session, before.id) == set()
