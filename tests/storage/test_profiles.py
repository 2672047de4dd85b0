"""Watch profiles in storage (SQLite and PostgreSQL): the starters upserted without undoing an admin's edit,
versions, the order of the list, matches written once."""

from __future__ import annotations

import dataclasses
import datetime as dt

from domain.profiles import UNIT_MINISTRY, UNIT_THADS
from domain.records import Article, Outlet, OutletKind
from domain.watch_profiles import starter_profiles
from storage.articles import add_article
from storage.engine import Database
from storage.outlets import upsert_outlet
from storage.profiles import (
    STARTER_AUTHOR,
    add_matches,
    count_profiles,
    delete_matches,
    get_profile,
    list_profiles,
    load_starters,
    match_counts,
    save_profile,
)

AT = dt.datetime(2026, 12, 1, 3, 0, tzinfo=dt.UTC)


def test_starters_are_upserted_and_an_admins_edit_is_kept(database: Database) -> None:
    starters = starter_profiles()
    with database.session() as session:
        added, updated = load_starters(session, starters, at=AT)
        assert len(added) == len(starters)
        assert updated == []
        assert count_profiles(session) == len(starters)
        listed = list_profiles(session)
        assert listed[0].code == "thads"  # the profile that opens cases first
        assert listed[0].opens_cases
        assert listed[0].unit == UNIT_THADS
        assert all(not p.opens_cases and p.unit == UNIT_MINISTRY for p in listed[1:])
        area = get_profile(session, "dich_benh")
        assert area is not None
        assert area.updated_by == STARTER_AUTHOR
        assert area.updated_at == AT
        assert area.version == 1
        save_profile(session, dataclasses.replace(area, query='"dịch tả"'), by="quantri@cucthads.vn", at=AT)
        thads = get_profile(session, "thads")
        assert thads is not None
    with database.session() as session:  # the file changed: the untouched starter follows, the edited one stays
        changed = [dataclasses.replace(s, query=f"({s.query}) OR THADS") for s in starters]
        added, updated = load_starters(session, changed, at=AT + dt.timedelta(days=1))
        assert added == []
        assert "dich_benh" not in updated
        assert "thads" in updated
        edited = get_profile(session, "dich_benh")
        assert edited is not None
        assert (edited.query, edited.version, edited.updated_by) == ('"dịch tả"', 2, "quantri@cucthads.vn")
        reloaded = get_profile(session, "thads")
        assert reloaded is not None
        assert reloaded.query == f"({thads.query}) OR THADS"
        assert reloaded.version == 2
    with database.session() as session:  # the same file again: nothing to do
        assert load_starters(session, changed, at=AT) == ([], [])


def test_matches_are_written_once_and_counted(database: Database) -> None:
    with database.session() as session:
        load_starters(session, starter_profiles(), at=AT)
        outlet = upsert_outlet(session, Outlet(slug="bao", name="Báo", domain="bao.vn", kind=OutletKind.NATIONAL))
        assert outlet.id is not None
        ids = []
        for n in range(3):
            article, _ = add_article(
                session,
                Article(
                    outlet_id=outlet.id,
                    url=f"https://bao.vn/{n}",
                    title=f"Bài {n}",
                    text="Nội dung",
                    content_hash=f"{n:064d}",
                    fetched_at=AT,
                ),
            )
            assert article.id is not None
            ids.append(article.id)
        first, second = (p.id for p in list_profiles(session)[:2])
        assert first is not None
        assert second is not None
        assert add_matches(session, [(first, ids[0], AT), (first, ids[1], AT), (second, ids[0], AT)]) == 3
        assert add_matches(session, [(first, ids[0], AT), (first, ids[2], AT)]) == 1
        assert match_counts(session) == {first: 3, second: 1}
        assert delete_matches(session, first) == 3
        assert match_counts(session) == {second: 1}
