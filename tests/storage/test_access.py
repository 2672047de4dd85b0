"""Province scoping in the SQL, on both backends: a scoped user finds only their province's cases and articles
(plus every copy of a story whose case is theirs); everyone else sees all."""

from __future__ import annotations

import datetime as dt

from domain.records import Case, Deadline
from storage.access import list_visible_cases, visible_article, visible_case, visible_snapshot, visible_snapshots
from storage.cases import add_deadline, insert_case, set_assignees
from storage.engine import Database
from tests.seeding import T0, add_copy, outlet, samples, seed_users


def test_scope_limits_cases_articles_and_snapshots(database: Database) -> None:
    s = samples()
    with database.session() as session:
        users = seed_users(session)
        pl, tt = outlet(session, "phapluat", "Báo Pháp luật Việt Nam"), outlet(session, "tuoitre", "Tuổi Trẻ")
        cantho_copy, cantho = add_copy(session, s["written:w4:005"], pl, at=T0)
        # A copy labelled with another province (Sóc Trăng merged into Cần Thơ; the model may say Hà Nội).
        stray, _ = add_copy(session, s["written:w4:005"], tt, at=T0, story=cantho, province="Hà Nội", suffix="b")
        hanoi_copy, hanoi = add_copy(session, s["written:w4:006"], tt, at=T0)
        loose, _ = add_copy(session, s["written:w1:041"], pl, at=T0)  # Hà Nội, no case
        noise, _ = add_copy(session, s["written:w5:001"], pl, at=T0)  # not relevant
        assert cantho
        assert hanoi
        ct = insert_case(
            session,
            Case(
                id=0,
                story_id=cantho.id,
                title="Cần Thơ",
                priority="P2",
                state="assigned",
                province="Cần Thơ",
                received_at=T0,
                updated_at=T0,
            ),
        )
        hn = insert_case(
            session,
            Case(
                id=0,
                story_id=hanoi.id,
                title="Hà Nội",
                priority="P1",
                state="new",
                province="Hà Nội",
                received_at=T0,
                updated_at=T0,
            ),
        )
        add_deadline(
            session,
            Deadline(case_id=ct.id, kind="thong_tin_ban_dau", due_at=T0 + dt.timedelta(hours=24), basis="NĐ 244/2026"),
        )
        add_deadline(
            session,
            Deadline(case_id=ct.id, kind="van_ban_tra_loi", due_at=T0 + dt.timedelta(days=15), basis="NĐ 237/2026"),
        )
        set_assignees(session, ct.id, [users["cantho"].id or 0])
    with database.session() as session:
        assert visible_case(session, ct.id, scope="Cần Thơ") is not None
        assert visible_case(session, hn.id, scope="Cần Thơ") is None
        assert visible_case(session, hn.id, scope=None) is not None
        page = list_visible_cases(session, scope="Cần Thơ")
        assert [c.case.id for c in page.items] == [ct.id]
        assert page.total == 1
        assert page.items[0].next_due_at == T0 + dt.timedelta(hours=24)
        assert page.items[0].assignees == ("Nguyễn Văn An",)
        everything = list_visible_cases(session, scope=None)
        assert [c.case.id for c in everything.items] == [hn.id, ct.id]  # P1 first
        assert list_visible_cases(session, scope=None, states=("new",)).total == 1

        def seen(article_id: int | None, scope: str | None) -> bool:
            return visible_article(session, article_id or 0, scope=scope) is not None

        assert seen(cantho_copy.id, "Cần Thơ")
        assert seen(stray.id, "Cần Thơ")
        assert not seen(hanoi_copy.id, "Cần Thơ")
        assert not seen(loose.id, "Cần Thơ")
        assert not seen(noise.id, "Cần Thơ")
        assert seen(loose.id, "Hà Nội")
        assert seen(stray.id, "Hà Nội")
        assert not seen(noise.id, "Hà Nội")  # irrelevant articles are never visible to a scoped user
        assert all(seen(a.id, None) for a in (cantho_copy, stray, hanoi_copy, loose, noise))
        view = visible_article(session, cantho_copy.id or 0, scope="Cần Thơ")
        assert view is not None
        assert (view.case_id, view.case_priority, view.outlet_name) == (
            ct.id,
            "P2",
            "Báo Pháp luật Việt Nam",
        )
        snaps = visible_snapshots(session, hanoi_copy.id or 0, scope=None)
        assert len(snaps) == 1
        assert snaps[0].size_gz > 100
        assert visible_snapshots(session, hanoi_copy.id or 0, scope="Cần Thơ") == []
        assert visible_snapshot(session, hanoi_copy.id or 0, snaps[0].id, scope="Cần Thơ") is None
        assert visible_snapshot(session, cantho_copy.id or 0, snaps[0].id, scope=None) is None  # not its snapshot
        full = visible_snapshot(session, hanoi_copy.id or 0, snaps[0].id, scope="Hà Nội")
        assert full is not None
        assert s["written:w4:006"]["title"].encode() in full.html
