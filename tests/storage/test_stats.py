"""Aggregates for trends and reports, on both backends: the SQL figures agree with a plain count of the seeded
articles (the project's own written samples with their labels), local days are Viet Nam days."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter

from sqlalchemy.orm import Session

from domain.records import Article, Enrichment, Outlet, OutletKind, Story
from storage.articles import add_article
from storage.engine import Database
from storage.enrichments import join_story, save_enrichment, start_story
from storage.outlets import upsert_outlet
from storage.tables import StoryRow
from storage.views.stats import (
    count_relevant,
    per_day,
    period_counts,
    relevant_articles,
    spreading,
    stories_in_period,
    top_outlets,
    totals,
)
from tests.conftest import REPO

VN = dt.timezone(dt.timedelta(hours=7))
START = dt.datetime(2026, 11, 1, tzinfo=VN)
SAMPLES = REPO / "nlp" / "data" / "written-samples.jsonl"


def _samples() -> list[dict[str, object]]:
    rows = [json.loads(line) for line in SAMPLES.read_text(encoding="utf-8").splitlines()]
    return rows[:120]


def _when(i: int) -> dt.datetime:
    """Spread over 10 local days, some late in the evening and some just after midnight (local)."""
    day, slot = divmod(i, 12)
    hour = (0, 6, 9, 11, 14, 16, 17, 20, 22, 23, 23, 0)[slot]
    minute = 30 if slot in (10, 11) else 5
    return START + dt.timedelta(days=day, hours=hour, minutes=minute)


def _seed(db: Database) -> list[tuple[dict[str, object], dt.datetime, str]]:
    seeded = []
    with db.session() as s:
        outlets = [
            upsert_outlet(s, Outlet(slug=slug, name=name, domain=f"{slug}.vn", kind=OutletKind.NATIONAL))
            for slug, name in (("phapluat", "Báo Pháp luật Việt Nam"), ("tuoitre", "Tuổi Trẻ"), ("dantri", "Dân trí"))
        ]
        for i, row in enumerate(_samples()):
            outlet = outlets[(0, 0, 0, 1, 1, 2)[i % 6]]  # 3 : 2 : 1, no ties
            assert outlet.id is not None
            at = _when(i)
            article, _ = add_article(
                s,
                Article(
                    outlet_id=outlet.id,
                    url=f"https://{outlet.slug}.vn/bai-{i}",
                    title=str(row["title"]),
                    text=str(row["text"]),
                    content_hash=f"{i:064d}",
                    fetched_at=at + dt.timedelta(minutes=20),
                    published_at=None if i % 7 == 0 else at,  # no published time: the fetch time counts
                ),
            )
            assert article.id is not None
            save_enrichment(
                s,
                Enrichment(
                    article_id=article.id,
                    relevant=bool(row["relevant"]),
                    relevance_score=0.9,
                    topic=row["topic"],  # type: ignore[arg-type]
                    sentiment=row["sentiment"],  # type: ignore[arg-type]
                    province=row["province"],  # type: ignore[arg-type]
                    model_version="test",
                    enriched_at=at,
                ),
            )
            seeded.append((row, at if i % 7 else at + dt.timedelta(minutes=20), outlet.name))
    return seeded


def test_per_day_and_totals_agree_with_a_plain_count(database: Database) -> None:
    seeded = _seed(database)
    relevant = [(row, at, name) for row, at, name in seeded if row["relevant"]]
    start, end = START, START + dt.timedelta(days=30)
    with database.session() as s:
        for by in ("topic", "sentiment", "province"):
            expected = Counter((at.astimezone(VN).date(), row[by]) for row, at, _ in relevant)
            got = {(d.day, d.key): d.count for d in per_day(s, start=start, end=end, by=by)}  # type: ignore[arg-type]
            assert got == dict(expected), by
        topics = {t.key: (t.count, t.negative) for t in totals(s, start=start, end=end, by="topic")}
        for topic in {row["topic"] for row, _, _ in relevant}:
            mine = [row for row, _, _ in relevant if row["topic"] == topic]
            assert topics[topic] == (len(mine), sum(r["sentiment"] == "tieu_cuc" for r in mine))  # type: ignore[index]
        assert count_relevant(s, start=start, end=end) == len(relevant)
        hanoi = [r for r, _, _ in relevant if r["province"] == "Hà Nội"]
        assert count_relevant(s, start=start, end=end, province="Hà Nội") == len(hanoi)


def test_local_days_are_viet_nam_days(database: Database) -> None:
    """23:30 and 00:30 local are the same UTC day (16:30, 17:30 UTC) but two local days."""
    evening = dt.datetime(2026, 11, 9, 23, 30, tzinfo=VN)
    row = next(r for r in _samples() if r["relevant"])
    with database.session() as s:
        outlet = upsert_outlet(s, Outlet(slug="nld", name="Người Lao Động", domain="nld.vn", kind=OutletKind.NATIONAL))
        assert outlet.id is not None
        for k, at in enumerate((evening, evening + dt.timedelta(hours=1))):
            article, _ = add_article(
                s,
                Article(
                    outlet_id=outlet.id,
                    url=f"https://nld.vn/{k}",
                    title=str(row["title"]),
                    text=str(row["text"]),
                    content_hash=str(k) * 64,
                    fetched_at=at,
                    published_at=at,
                ),
            )
            assert article.id is not None
            save_enrichment(
                s,
                Enrichment(
                    article_id=article.id,
                    relevant=True,
                    relevance_score=0.9,
                    sentiment="tieu_cuc",
                    model_version="test",
                    enriched_at=at,
                ),
            )
        days = per_day(s, start=evening - dt.timedelta(days=1), end=evening + dt.timedelta(days=1), by="sentiment")
    assert [(d.day, d.count) for d in days] == [(dt.date(2026, 11, 9), 1), (dt.date(2026, 11, 10), 1)]


def test_period_is_half_open_and_filters_by_province(database: Database) -> None:
    seeded = _seed(database)
    cut = START + dt.timedelta(days=3)
    before = sum(1 for row, at, _ in seeded if row["relevant"] and at < cut)
    with database.session() as s:
        assert count_relevant(s, start=START, end=cut) == before
        assert count_relevant(s, start=cut, end=cut + dt.timedelta(days=30)) == sum(
            1 for row, at, _ in seeded if row["relevant"] and at >= cut
        )


def test_top_outlets(database: Database) -> None:
    seeded = _seed(database)
    expected = Counter(name for row, _, name in seeded if row["relevant"])
    with database.session() as s:
        top = top_outlets(s, start=START, end=START + dt.timedelta(days=30), limit=2)
    assert [(o.name, o.count) for o in top] == expected.most_common(2)
    assert all(o.negative <= o.count for o in top)


def _story_in(s: Session, row: dict[str, object], places: list[tuple[Outlet, str]], now: dt.datetime) -> Story:
    """One story of `row`'s article, a copy at each (outlet, address), the n-th fetched n hours before `now`."""
    story: Story | None = None
    for i, (outlet, url) in enumerate(places):
        assert outlet.id is not None
        article, _ = add_article(
            s,
            Article(
                outlet_id=outlet.id,
                url=url,
                title=str(row["title"]),
                text=str(row["text"]),
                content_hash=hashlib.sha256(url.encode()).hexdigest(),
                fetched_at=now - dt.timedelta(hours=i),
            ),
        )
        story = start_story(s, article) if story is None else join_story(s, story.id, article)
        assert article.id is not None
        save_enrichment(
            s,
            Enrichment(
                article_id=article.id,
                relevant=True,
                relevance_score=0.9,
                topic=str(row["topic"]),
                sentiment=str(row["sentiment"]),
                province=str(row["province"]),
                model_version="test",
                enriched_at=now,
                story_id=story.id,
            ),
        )
    assert story is not None
    return story


def test_spreading_stories_widest_first_in_two_outlets_or_more(database: Database) -> None:
    now = dt.datetime(2026, 11, 20, 9, tzinfo=VN)
    samples = [r for r in _samples() if r["relevant"]][:3]
    with database.session() as s:
        outlets = [
            upsert_outlet(s, Outlet(slug=f"bao-{i}", name=f"Báo số {i}", domain=f"bao{i}.vn", kind=OutletKind.LOCAL))
            for i in range(3)
        ]
        # the first story runs in 3 outlets, the second in 2; the third twice in one outlet: not spreading
        stories = [
            _story_in(s, samples[k], [(o, f"https://{o.domain}/{k}") for o in outlets[: 3 - k]], now) for k in (0, 1)
        ]
        _story_in(s, samples[2], [(outlets[0], "https://bao0.vn/lai-1"), (outlets[0], "https://bao0.vn/lai-2")], now)
        found = spreading(s, since=now - dt.timedelta(hours=24))
        assert [(f.story.id, f.outlets, f.copies) for f in found] == [(stories[0].id, 3, 3), (stories[1].id, 2, 2)]
        assert found[0].story.title == samples[0]["title"]
        assert spreading(s, since=now + dt.timedelta(hours=1)) == []


def test_period_counts_and_article_lines_agree_with_a_plain_count(database: Database) -> None:
    seeded = _seed(database)
    start, end = START + dt.timedelta(days=2), START + dt.timedelta(days=7)
    mine = [(row, at, name) for row, at, name in seeded if row["relevant"] and start <= at < end]
    with database.session() as s:
        counts = period_counts(s, start=start, end=end)
        lines = relevant_articles(s, start=start, end=end)
        hanoi = period_counts(s, start=start, end=end, province="Hà Nội")
    tones = Counter(row["sentiment"] for row, _, _ in mine)
    assert (counts.articles, counts.negative, counts.neutral, counts.positive) == (
        len(mine),
        tones["tieu_cuc"],
        tones["trung_lap"],
        tones["tich_cuc"],
    )
    assert counts.outlets == len({name for _, _, name in mine})
    assert counts.stories == 0  # none of these articles belongs to a story
    assert hanoi.articles == sum(row["province"] == "Hà Nội" for row, _, _ in mine)
    assert [line.title for line in lines] == [str(row["title"]) for row, _, _ in sorted(mine, key=lambda m: m[1])]
    assert [line.published_at for line in lines] == sorted(at for _, at, _ in mine)
    assert all(line.published_at.tzinfo is not None for line in lines)
    assert {line.outlet for line in lines} == {name for _, _, name in mine}


def test_stories_in_period_widest_first_with_their_case(database: Database) -> None:
    """Copies published in the period count (one before it does not); a story merged into another counts as it."""
    day = dt.datetime(2026, 11, 18, 9, tzinfo=VN)
    samples = [r for r in _samples() if r["relevant"]][:3]
    with database.session() as s:
        outlets = [
            upsert_outlet(s, Outlet(slug=f"bao-{i}", name=f"Báo số {i}", domain=f"bao{i}.vn", kind=OutletKind.LOCAL))
            for i in range(4)
        ]
        stories: list[Story] = []
        # story 0: 3 outlets in the period plus a copy the day before it; story 1: 2 outlets; story 2: 1 outlet,
        # merged by a monitor into story 1.
        plan = [[(0, -1), (0, 0), (1, 0), (2, 0)], [(0, 0), (3, 0)], [(1, 0)]]
        for k, (row, copies) in enumerate(zip(samples, plan, strict=True)):
            story: Story | None = None
            for n, (o, shift) in enumerate(copies):
                outlet_id = outlets[o].id
                assert outlet_id is not None
                at = day + dt.timedelta(days=shift, hours=n)
                article, _ = add_article(
                    s,
                    Article(
                        outlet_id=outlet_id,
                        url=f"https://bao{o}.vn/{k}-{n}",
                        title=str(row["title"]),
                        text=str(row["text"]),
                        content_hash=f"{k}{n}".ljust(64, "0"),
                        fetched_at=at,
                        published_at=at,
                    ),
                )
                story = start_story(s, article) if story is None else join_story(s, story.id, article)
                assert article.id is not None
                save_enrichment(
                    s,
                    Enrichment(
                        article_id=article.id,
                        relevant=True,
                        relevance_score=0.9,
                        topic=str(row["topic"]),
                        sentiment="tieu_cuc" if n % 2 == 0 else "trung_lap",
                        province=str(row["province"]),
                        model_version="test",
                        enriched_at=at,
                        story_id=story.id,
                    ),
                )
            assert story is not None
            stories.append(story)
        s.execute(StoryRow.__table__.update().where(StoryRow.id == stories[2].id).values(merged_into_id=stories[1].id))
        found = stories_in_period(s, start=day - dt.timedelta(hours=2), end=day + dt.timedelta(days=1))
    # Story 1: its own 2 copies and the merged story's one, 2 negative; story 0: copies 1-3 (the one of the day
    # before is out), 1 negative. Same outlets and copies: the more negative one first.
    assert [(f.story_id, f.outlets, f.copies, f.negative) for f in found] == [
        (stories[1].id, 3, 3, 2),
        (stories[0].id, 3, 3, 1),
    ]
    first = next(f for f in found if f.story_id == stories[0].id)
    assert first.title == samples[0]["title"]
    assert first.first_url == "https://bao0.vn/0-0"  # the story's first article, even before the period
    assert first.first_outlet == "Báo số 0"
    assert first.first_at == day + dt.timedelta(hours=1)
    assert (first.topic, first.province, first.case_id) == (samples[0]["topic"], samples[0]["province"], None)
