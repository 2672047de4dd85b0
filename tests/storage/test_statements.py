"""The communications database in storage: statements stored with their stories, found by the words typed with or
without diacritics (whole words, quoted phrases side by side), newest issued first; on both backends."""

from __future__ import annotations

import datetime as dt

import pytest

from domain.enums import StatementKind
from domain.records import Statement
from storage.engine import Database
from storage.statements import (
    add_statement,
    get_statement,
    list_statements,
    search_key,
    search_statements,
    statements_for_stories,
)
from tests.seeding import T0, add_copy, outlet, samples


def _statement(title: str, body: str, day: int, stories: tuple[int, ...] = ()) -> Statement:
    return Statement(
        kind=StatementKind.PHAT_NGON if "phát ngôn" in title.lower() else StatementKind.THONG_CAO,
        title=title,
        body=body,
        issued_on=dt.date(2026, 11, day),
        issuing_unit="Cục Quản lý Thi hành án dân sự",
        created_by="giamsat@cucthads.vn",
        created_at=T0,
        story_ids=stories,
    )


def test_search_key_folds_diacritics_and_keeps_word_boundaries() -> None:
    assert search_key("Thi hành án", "ĐỒNG Tháp!") == " thi hanh an dong thap "


def test_statements_are_found_by_their_words(database: Database) -> None:
    with database.session() as session:
        _, story = add_copy(session, samples()["written:w4:006"], outlet(session, "laodong", "Báo Lao Động"), at=T0)
        assert story is not None
        first = add_statement(
            session,
            _statement(
                "Thông cáo báo chí về vụ cưỡng chế ở Đông Anh",
                "Cục THADS thông tin: việc cưỡng chế thi hành án được thực hiện đúng quy định.",
                17,
                (story.id, story.id),
            ),
        )
        second = add_statement(
            session, _statement("Phát ngôn về tiến độ thi hành án", "Than phiền của bạn đọc đã được xem xét.", 20)
        )
    with database.session() as session:
        assert first.story_ids == (story.id,)  # linked once
        assert get_statement(session, first.id or 0) == first
        assert statements_for_stories(session, (story.id,)) == [first]
        assert list_statements(session) == ([second, first], 2)  # newest issued first

        def found(text: str, first_day: dt.date | None = None, last_day: dt.date | None = None) -> list[int | None]:
            hits, total = search_statements(session, text, first_day=first_day, last_day=last_day)
            assert total == len(hits)
            return [h.statement.id for h in hits]

        assert found("cuong che dong anh") == [first.id]  # no diacritics, title and body
        assert found("CƯỠNG CHẾ") == [first.id]
        assert found("thi hanh an") == [second.id, first.id]
        assert found('"hanh an thi"') == []  # a phrase must stand so
        assert found('"tien do thi hanh an"') == [second.id]
        assert found("than") == [second.id]  # a whole word: not "thành", "thông"
        assert found("an") == [second.id, first.id]  # "án", not "Anh"
        assert found("anh") == [first.id]
        assert found("cuc quan ly") == [second.id, first.id]  # the issuing unit counts
        assert found("cuong che", first_day=dt.date(2026, 11, 18)) == []
        assert found("thi hanh an", last_day=dt.date(2026, 11, 17)) == [first.id]
        assert found("   ") == []
        assert found("100%") == []  # no LIKE wildcard slips through
        hits, _ = search_statements(session, "cuong che")
        marked = [hits[0].snippet[a:b] for a, b in hits[0].marks]
        assert marked == ["cưỡng", "chế"]  # each word marked, as the article search marks them


def test_a_statement_links_only_stories_that_exist(database: Database) -> None:
    with database.session() as session, pytest.raises(LookupError, match="story 999"):
        add_statement(session, _statement("Thông cáo", "Nội dung.", 17, (999,)))
