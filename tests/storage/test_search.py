"""Full-text search on both backends, on real Vietnamese articles: the project's 440 written samples with their
labels (half stored as written, with new-style tone marks such as "hoà", half normalised as the crawler stores
them) and 150 real news articles of the VietNews pool, not enriched. Every expected result is computed here from
the seeded text by folding it in Python, never written down by hand."""

from __future__ import annotations

import datetime as dt
import functools
import gzip
import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, replace

import pytest
from sqlalchemy.engine import URL

from domain.records import Article, Case, Enrichment, Outlet, OutletKind
from domain.text import fold_diacritics, normalize_vietnamese
from storage.articles import add_article
from storage.cases import insert_case
from storage.engine import Database
from storage.enrichments import save_enrichment, start_story
from storage.migrate import upgrade
from storage.outlets import upsert_outlet
from storage.search_terms import NEAR_TOKENS, TOGETHER_WITHIN, parse_terms
from storage.settings import StorageSettings
from storage.views.search import MAX_LIMIT, SearchHit, SearchQuery, search_articles
from tests import postgres
from tests.conftest import BACKENDS, REPO, shared_path

SAMPLES = REPO / "nlp" / "data" / "written-samples.jsonl"
START = dt.datetime(2026, 9, 1, 1, 30, tzinfo=dt.UTC)
WORD = re.compile(r"[^\W_]+")


@functools.cache
def _folded(*fields: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """The words of the fields without diacritics, and each field's words joined by spaces (with a space at
    either end): folded once per article, not once per query (the tests ask a few hundred queries of each)."""
    split = [WORD.findall(fold_diacritics(f)) for f in fields]
    return frozenset(w for f in split for w in f), tuple(f" {' '.join(f)} " for f in split)


@dataclass(frozen=True, slots=True)
class Doc:
    id: int
    title: str
    sapo: str
    text: str
    outlet_id: int
    at: dt.datetime
    relevant: bool | None  # None: not enriched
    topic: str | None = None
    sentiment: str | None = None
    province: str | None = None
    priority: str | None = None

    def fields(self) -> list[list[str]]:
        return [WORD.findall(fold_diacritics(f)) for f in (self.title, self.sapo, self.text)]

    def has(self, text: str) -> bool:
        """Every word and quoted phrase of `text` is in the article (what a search must find)."""
        terms = parse_terms(text)
        words, joined = _folded(self.title, self.sapo, self.text)
        return all(w in words for w in terms.words) and all(
            any(f" {' '.join(p)} " in field for field in joined) for p in terms.phrases
        )


def _seed(db: Database) -> list[Doc]:
    samples = [json.loads(line) for line in SAMPLES.read_text(encoding="utf-8").splitlines()]
    with gzip.open(shared_path("corpus", "vietnews-thads-pool.jsonl.gz"), "rt", encoding="utf-8") as f:
        news = [json.loads(next(f)) for _ in range(150)]
    docs: list[Doc] = []
    with db.session() as s:
        outlets: dict[str, int] = {}
        for domain in sorted({str(r["outlet"]) for r in samples} | {"vnexpress.net"}):
            outlet = upsert_outlet(s, Outlet(slug=domain, name=f"Báo {domain}", domain=domain, kind=OutletKind.LOCAL))
            assert outlet.id is not None
            outlets[domain] = outlet.id
        for i, row in enumerate([*samples, *news]):
            labelled = "relevant" in row
            raw = (row["title"], row.get("summary", ""), row["text"])
            title, sapo, text = raw if i % 2 else (normalize_vietnamese(x) for x in raw)
            at = START + dt.timedelta(hours=7 * i)
            article, _ = add_article(
                s,
                Article(
                    outlet_id=outlets[row.get("outlet", "vnexpress.net")],
                    url=f"https://bao.example.vn/bai-{i}",
                    title=title,
                    sapo=sapo,
                    text=text,
                    content_hash=f"{i:064d}",
                    fetched_at=at + dt.timedelta(minutes=30),
                    published_at=None if i % 9 == 0 else at,
                ),
            )
            assert article.id is not None
            priority = None
            if labelled:
                story_id = start_story(s, article).id if row["relevant"] else None
                if story_id is not None and i % 3:
                    priority = {"tieu_cuc": "P1", "trung_lap": "P3"}.get(row["sentiment"], "P2")
                    insert_case(
                        s,
                        Case(id=0, story_id=story_id, title=title, priority=priority, state="new",
                             province=row["province"] or "toan_quoc", received_at=at, updated_at=at),
                    )  # fmt: skip
                save_enrichment(
                    s,
                    Enrichment(
                        article_id=article.id,
                        relevant=row["relevant"],
                        relevance_score=0.9 if row["relevant"] else 0.1,
                        topic=row["topic"],
                        sentiment=row["sentiment"],
                        province=row["province"],
                        model_version="test",
                        enriched_at=at,
                        story_id=story_id,
                    ),
                )
            docs.append(
                Doc(
                    id=article.id,
                    title=title,
                    sapo=sapo,
                    text=text,
                    outlet_id=article.outlet_id,
                    at=at if i % 9 else at + dt.timedelta(minutes=30),
                    relevant=row["relevant"] if labelled else None,
                    topic=row.get("topic"),
                    sentiment=row.get("sentiment"),
                    province=row.get("province"),
                    priority=priority,
                )
            )
    return docs


@pytest.fixture(scope="module", params=BACKENDS)
def seeded(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Database, list[Doc]]]:
    """One seeded database per backend for the read-only tests of this module."""
    if request.param == "sqlite":  # a copy of the session's migrated file (tests/conftest.py: migrated_sqlite)
        path = tmp_path_factory.mktemp("search") / "search.db"
        shutil.copyfile(request.getfixturevalue("migrated_sqlite"), path)
        db = Database.from_settings(StorageSettings(database_url=f"sqlite:///{path}"))
        yield db, _seed(db)
        db.dispose()
        return
    server: URL = request.getfixturevalue("postgres_server")
    with postgres.fresh_database(server) as pg:
        db = Database.from_settings(StorageSettings(database_url=pg.render_as_string(hide_password=False)))
        upgrade(db.engine)
        yield db, _seed(db)
        db.dispose()


def _all(db: Database, query: SearchQuery) -> tuple[list[SearchHit], int]:
    hits: list[SearchHit] = []
    with db.session() as s:
        while True:
            page = search_articles(s, replace(query, limit=MAX_LIMIT, offset=len(hits)))
            hits += page.hits
            if len(page.hits) < MAX_LIMIT:
                return hits, page.total


def _ids(db: Database, text: str, **filters: object) -> list[int]:
    hits, total = _all(db, SearchQuery(text=text, **filters))  # type: ignore[arg-type]
    assert total == len(hits)
    return [h.article_id for h in hits]


def test_words_without_diacritics_find_exactly_the_articles_that_contain_them(
    seeded: tuple[Database, list[Doc]],
) -> None:
    db, docs = seeded
    for text in ("thi hanh an", "cuong che", "dau gia tai san", "chap hanh vien", "Ha Noi", "ngan hang", "toa an"):
        expected = {d.id for d in docs if d.has(text)}
        found = _ids(db, text, relevant_only=False)
        assert len(found) == len(set(found))
        assert set(found) == expected, text
        assert expected, f"the sample has no article with {text!r}"
    # Relevant only (the default): the labelled relevant ones among them; unenriched news never.
    expected = {d.id for d in docs if d.has("thi hanh an") and d.relevant}
    assert set(_ids(db, "thi hanh an")) == expected


def test_diacritics_case_tone_placement_and_d_do_not_matter(seeded: tuple[Database, list[Doc]]) -> None:
    db, docs = seeded
    for variants in (
        ("Thanh Hoa", "thanh hóa", "THANH HOÁ", "Thanh Hoá"),
        ("hoa giai", "hòa giải", "hoà giải", "HOÀ GIẢI"),
        ("dong nai", "Đồng Nai", "đồng nai", "DONG NAI"),
        ("khoe manh", "khỏe mạnh", "khoẻ mạnh"),
    ):
        results = [set(_ids(db, v, relevant_only=False)) for v in variants]
        assert all(r == results[0] for r in results), variants
        assert results[0] == {d.id for d in docs if d.has(variants[0])}
        assert results[0] or variants[0] == "khoe manh", variants
    # Both spellings of the tone occur in what is stored, and one query finds both.
    stored = {d.id: f"{d.title} {d.sapo} {d.text}" for d in docs}
    hoa = set(_ids(db, "hoa giai", relevant_only=False))
    assert any("hoà giải" in stored[i].lower() for i in hoa)
    assert any("hòa giải" in stored[i].lower() for i in hoa)
    dong = set(_ids(db, "dong", relevant_only=False))
    assert any("đồng" in stored[i].lower() for i in dong)


def test_quoted_words_must_stand_side_by_side(seeded: tuple[Database, list[Doc]]) -> None:
    db, docs = seeded
    words = set(_ids(db, "an thi hanh", relevant_only=False))
    phrase = set(_ids(db, "“thi hành án” cưỡng chế", relevant_only=False))
    assert phrase == {d.id for d in docs if d.has('"thi hanh an" cuong che')}
    assert phrase < words


def test_filters_keep_exactly_what_they_name(seeded: tuple[Database, list[Doc]]) -> None:
    db, docs = seeded
    base = [d for d in docs if d.relevant and d.has("thi hanh an")]
    some = base[7]
    cases: list[tuple[dict[str, object], list[Doc]]] = [
        ({"topic": "cuong_che_tai_san"}, [d for d in base if d.topic == "cuong_che_tai_san"]),
        ({"sentiment": "tieu_cuc"}, [d for d in base if d.sentiment == "tieu_cuc"]),
        ({"province": "Hồ Chí Minh"}, [d for d in base if d.province == "Hồ Chí Minh"]),
        ({"outlet_ids": (some.outlet_id,)}, [d for d in base if d.outlet_id == some.outlet_id]),
        ({"priority": "P1"}, [d for d in base if d.priority == "P1"]),
        ({"priority": "P3"}, [d for d in base if d.priority == "P3"]),
        (
            {"start": START + dt.timedelta(days=20), "end": START + dt.timedelta(days=45)},
            [d for d in base if START + dt.timedelta(days=20) <= d.at < START + dt.timedelta(days=45)],
        ),
    ]
    for filters, expected in cases:
        assert expected, filters
        assert set(_ids(db, "thi hanh an", **filters)) == {d.id for d in expected}, filters
    with db.session() as s:
        hits = search_articles(s, SearchQuery(text="thi hanh an", priority="P2", limit=5)).hits
    assert hits
    assert all(h.priority == "P2" and h.case_id is not None for h in hits)


def test_a_scoped_search_never_shows_another_province(seeded: tuple[Database, list[Doc]]) -> None:
    db, docs = seeded
    elsewhere = next(d for d in docs if d.relevant and d.province == "Hà Nội")
    words = " ".join(WORD.findall(elsewhere.title)[:4])  # that article's own headline
    assert elsewhere.id in _ids(db, words)
    for scope in ("Cần Thơ", "Hồ Chí Minh", "toan_quoc"):
        for relevant_only in (True, False):
            hits, total = _all(db, SearchQuery(text=words, scope=scope, relevant_only=relevant_only))
            assert elsewhere.id not in {h.article_id for h in hits}
            assert {h.article_id for h in hits} == {
                d.id for d in docs if d.relevant and d.province == scope and d.has(words)
            }
            assert total == len(hits)
        hits, _ = _all(db, SearchQuery(text="", scope=scope, relevant_only=False))
        assert {h.province for h in hits} == {scope}
        assert len(hits) == sum(1 for d in docs if d.relevant and d.province == scope)
    # A province filter cannot widen the scope.
    assert _ids(db, words, scope="Cần Thơ", province="Hà Nội") == []


def test_headline_matches_rank_first_then_the_newest(seeded: tuple[Database, list[Doc]]) -> None:
    db, docs = seeded
    by_id = {d.id: d for d in docs}
    for text in ("cưỡng chế", "đấu giá", "khiếu nại"):
        hits, _ = _all(db, SearchQuery(text=text, relevant_only=False))
        words = parse_terms(text).words
        fields = [by_id[h.article_id].fields() for h in hits]
        in_title = [i for i, (title, _, _) in enumerate(fields) if all(w in title for w in words)]
        body_only = [i for i, (title, sapo, _) in enumerate(fields) if not set(words) & {*title, *sapo}]
        assert in_title[0] == 0, text
        assert body_only, text
        assert max(in_title) < min(body_only), text  # every headline match before every match in the body only
    hits, _ = _all(db, SearchQuery(text="", relevant_only=False))
    assert [h.at for h in hits] == sorted((h.at for h in hits), reverse=True)
    assert len(hits) == len(docs)


def test_pages_add_up_to_the_total(seeded: tuple[Database, list[Doc]]) -> None:
    db, _ = seeded
    query = SearchQuery(text="thi hanh an", relevant_only=False)
    everything, total = _all(db, query)
    pages: list[SearchHit] = []
    with db.session() as s:
        for offset in range(0, total + 7, 7):
            page = search_articles(s, SearchQuery(text=query.text, relevant_only=False, limit=7, offset=offset))
            assert page.total == total
            pages += page.hits
        beyond = search_articles(s, SearchQuery(text=query.text, relevant_only=False, offset=total + 50))
        counted = search_articles(s, SearchQuery(text=query.text, relevant_only=False, limit=0))
    assert [h.article_id for h in pages] == [h.article_id for h in everything]
    assert (beyond.hits, beyond.total) == ((), total)
    assert (counted.hits, counted.total) == ((), total)


HOSTILE = [
    "",
    " ",
    '"',
    '""',
    '"thi hành án',
    "thi NEAR hành",
    "NEAR(thi hành, 2)",
    "thi*",
    "-thi hành",
    "(thi OR hành) AND án",
    "thi & hành | !án <-> x",
    "title:thi",
    "'; DROP TABLE article; --",
    "1' OR '1'='1",
    "\\x00\\ %_ ^ $ {} []",
    "thi\x00hành",
    "🙂 ☎ ∑",
    "a" * 10_000,
    "thi hành án " * 1_000,
    "\u0301\u0300",
]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_queries_give_results_or_nothing(seeded: tuple[Database, list[Doc]], text: str) -> None:
    db, docs = seeded
    with db.session() as s:
        result = search_articles(s, SearchQuery(text=text, relevant_only=False, limit=50))
    by_id = {d.id: d for d in docs}
    if parse_terms(text):
        assert result.total == sum(1 for d in docs if d.has(text))
        assert all(by_id[h.article_id].has(text) for h in result.hits)
    else:  # no words at all: the newest articles, as with an empty box
        assert result.total == len(docs)


def test_snippets_are_plain_text_around_the_match_with_marks(seeded: tuple[Database, list[Doc]]) -> None:
    db, docs = seeded
    by_id = {d.id: d for d in docs}
    with db.session() as s:
        hits = search_articles(s, SearchQuery(text="chấp hanh vien", limit=30)).hits
    assert hits
    together = 0
    for hit in hits:
        assert len(hit.snippet) <= 250
        for start, end in hit.marks:
            assert fold_diacritics(hit.snippet[start:end]) in {"chap", "hanh", "vien"}
        opening = f"{hit.sapo}\n{by_id[hit.article_id].text}"[:TOGETHER_WITHIN]
        body = " ".join(WORD.findall(fold_diacritics(f"{hit.sapo} {by_id[hit.article_id].text}")))
        if "chap hanh vien" in " ".join(WORD.findall(fold_diacritics(opening))):  # side by side: cut there
            together += 1
            assert "chap hanh vien" in " ".join(fold_diacritics(hit.snippet[a:b]) for a, b in hit.marks)
        else:
            assert hit.marks or not set(body.split()) & {"chap", "hanh", "vien"}
    assert together


def _together(doc: Doc, words: tuple[str, ...], within: int | None = None) -> bool:
    """The words side by side in order in a field (`within` None), or each within `within` words of the next
    (FTS5's NEAR: at most `within` tokens between the first word and the last, the others included)."""
    for field in doc.fields():
        if within is None:
            if f" {' '.join(words)} " in f" {' '.join(field)} ":
                return True
            continue
        places = [[i for i, w in enumerate(field) if w == word] for word in words]
        for start in range(len(field)):
            for end in range(start, min(len(field), start + within + 2)):
                window = set(range(start, end + 1))
                if all(window & set(p) for p in places):
                    return True
    return False


@pytest.mark.parametrize("text", ["thi hanh an", "cưỡng chế tài sản", "chap hanh vien"])
def test_words_side_by_side_rank_first_then_close_together(seeded: tuple[Database, list[Doc]], text: str) -> None:
    db, docs = seeded
    by_id = {d.id: d for d in docs}
    words = parse_terms(text).words
    hits, total = _all(db, SearchQuery(text=text, relevant_only=False))
    assert total == sum(1 for d in docs if d.has(text))  # still every article that has the words
    phrase = [_together(by_id[h.article_id], words) for h in hits]
    assert any(phrase), text
    assert not all(phrase), text
    assert phrase == sorted(phrase, reverse=True), text  # every phrase match before every other match
    if db.engine.dialect.name == "sqlite":  # then the words close together (FTS5 NEAR)
        rest = [_together(by_id[h.article_id], words, NEAR_TOKENS) for h in hits[phrase.count(True) :]]
        assert rest == sorted(rest, reverse=True), text
