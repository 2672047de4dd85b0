"""The search index of migration 0006 on both backends: it folds every Vietnamese letter as the query side
does, follows edits, labels and deletions made by the storage functions, and the migration indexes the
articles that were stored before it."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import unicodedata

from sqlalchemy import delete

from domain.records import Article, Enrichment, Outlet, OutletKind
from domain.text import fold_diacritics, normalize_vietnamese
from storage.articles import add_article, update_article_content
from storage.engine import Database
from storage.enrichments import save_enrichment
from storage.migrate import downgrade, upgrade
from storage.outlets import upsert_outlet
from storage.tables import ArticleRow
from storage.views.search import SearchQuery, search_articles
from tests.conftest import shared_path

AT = dt.datetime(2026, 11, 20, 3, 0, tzinfo=dt.UTC)
TONES = ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
# The 12 vowels: a ă â e ê i o ô ơ u ư y (breve U+0306, circumflex U+0302, horn U+031B).
VOWELS = {"a": ("", "\u0306", "\u0302"), "e": ("", "\u0302"), "i": ("",), "o": ("", "\u0302", "\u031b"),
          "u": ("", "\u031b"), "y": ("",)}  # fmt: skip


def _letters() -> list[str]:
    """Every letter of the Vietnamese alphabet with every tone, upper and lower case (NFC), and đ Đ."""
    found = {"đ", "Đ"}
    for base, shapes in VOWELS.items():
        for shape in shapes:
            for tone in TONES:
                for case in (base, base.upper()):
                    letter = unicodedata.normalize("NFC", case + shape + tone)
                    assert len(letter) == 1, ascii(letter)
                    found.add(letter)
    return sorted(found)


def _news(n: int) -> list[dict[str, str]]:
    with gzip.open(shared_path("corpus", "vietnews-thads-pool.jsonl.gz"), "rt", encoding="utf-8") as f:
        return [json.loads(next(f)) for _ in range(n)]


def _store(db: Database, rows: list[dict[str, str]]) -> list[Article]:
    stored = []
    with db.session() as s:
        outlet = upsert_outlet(
            s, Outlet(slug="tuoitre", name="Tuổi Trẻ", domain="tuoitre.vn", kind=OutletKind.NATIONAL)
        )
        assert outlet.id is not None
        for i, row in enumerate(rows):
            article, _ = add_article(
                s,
                Article(
                    outlet_id=outlet.id,
                    url=f"https://tuoitre.vn/bai-{i}-{len(row['title'])}",
                    title=normalize_vietnamese(row["title"]),
                    sapo=normalize_vietnamese(row.get("summary", "")),
                    text=normalize_vietnamese(row["text"]),
                    content_hash=f"{i:064d}",
                    fetched_at=AT + dt.timedelta(minutes=i),
                ),
            )
            stored.append(article)
    return stored


def _found(db: Database, text: str, **filters: object) -> set[int]:
    with db.session() as s:
        result = search_articles(s, SearchQuery(text=text, relevant_only=False, limit=200, **filters))  # type: ignore[arg-type]
    return {h.article_id for h in result.hits}


def test_every_vietnamese_letter_is_found_by_its_base_letter(database: Database) -> None:
    letters = _letters()
    assert len(letters) == 2 + 2 * 12 * 6  # đ Đ, and 12 vowels with 6 tones (or none) in both cases
    title = " ".join(letters)
    decomposed = unicodedata.normalize("NFD", " ".join(f"x{letter}x" for letter in letters))
    (article,) = _store(database, [{"title": title, "summary": "", "text": decomposed}])
    for letter in letters:
        key = fold_diacritics(letter)
        assert len(key) == 1
        assert key in "aeiouyd"
        assert _found(database, key) == {article.id}, letter
        assert _found(database, letter) == {article.id}, letter
        assert _found(database, f"x{key}x") == {article.id}, letter  # stored decomposed (NFD): found too


def test_the_index_follows_edits_labels_and_deletions(database: Database) -> None:
    first, second = _store(database, _news(2))
    assert first.id is not None
    assert second.id is not None
    old_words = " ".join(fold_diacritics(first.title).split()[:3])
    assert first.id in _found(database, old_words)
    with database.session() as s:
        update_article_content(
            s,
            first.id,
            Article(
                outlet_id=first.outlet_id,
                url=first.url,
                title="Cưỡng chế thi hành án tại phường Điện Biên Phủ",
                text="Chấp hành viên đã kê biên tài sản theo bản án.",
                content_hash="1" * 64,
                fetched_at=first.fetched_at,
            ),
        )
    assert first.id not in _found(database, old_words)
    assert _found(database, "cuong che dien bien phu") == {first.id}
    assert _found(database, "chap hanh vien ke bien") == {first.id}

    assert _found(database, "cuong che", province="Điện Biên") == set()
    with database.session() as s:
        for relevant, province in ((True, "Điện Biên"), (True, "Sơn La"), (False, None)):
            save_enrichment(
                s,
                Enrichment(
                    article_id=first.id,
                    relevant=relevant,
                    relevance_score=0.8,
                    province=province,
                    topic="cuong_che_tai_san" if relevant else None,
                    model_version="test",
                    enriched_at=AT,
                ),
            )
            s.flush()
            found = {h.article_id for h in search_articles(s, SearchQuery(text="cuong che", scope="Điện Biên")).hits}
            assert found == ({first.id} if province == "Điện Biên" else set())
            relevant_hits = search_articles(s, SearchQuery(text="cuong che", topic="cuong_che_tai_san")).hits
            assert {h.article_id for h in relevant_hits} == ({first.id} if relevant else set())
    with database.session() as s:
        s.execute(delete(ArticleRow).where(ArticleRow.id == first.id))
    assert _found(database, "cuong che") == set()
    assert second.id in _found(database, " ".join(fold_diacritics(second.title).split()[:3]))


def test_the_migration_indexes_the_articles_already_stored(database: Database) -> None:
    downgrade(database.engine, "0005")
    rows = _news(40)
    stored = _store(database, rows)
    with database.session() as s:
        for article in stored[:20]:
            assert article.id is not None
            save_enrichment(
                s,
                Enrichment(
                    article_id=article.id,
                    relevant=True,
                    relevance_score=0.9,
                    province="Hà Nội",
                    model_version="test",
                    enriched_at=AT,
                ),
            )
    upgrade(database.engine)
    for article in stored:
        words = " ".join(fold_diacritics(article.title).split()[:4])
        assert article.id in _found(database, words), article.title
    with database.session() as s:
        scoped = search_articles(s, SearchQuery(scope="Hà Nội", limit=50))
    assert {h.article_id for h in scoped.hits} == {a.id for a in stored[:20]}
