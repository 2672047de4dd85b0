"""The response workflow on storage (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from alerts.calendar import default_calendar
from alerts.cases import WorkflowError, acknowledge, close, dismiss, respond
from alerts.deadlines import default_policy
from alerts.focal_points import read_users
from alerts.priority import default_rules
from alerts.settings import AlertSettings
from alerts.timeliness import timeliness
from alerts.workflow import run_escalate, run_remind, run_workflow
from domain.localtime import VN
from domain.provinces import NATIONWIDE
from domain.records import Article, Enrichment, Outlet, OutletKind, User
from storage.articles import add_article
from storage.cases import assignees, audit_trail, deadlines_of, list_cases, upsert_user
from storage.engine import Database
from storage.enrichments import join_story, save_enrichment, start_story
from storage.outbox import list_notifications
from storage.outlets import upsert_outlet

T0 = dt.datetime(2026, 11, 16, 9, 0, tzinfo=VN).astimezone(dt.UTC)  # Monday
NEGATIVE = (
    "Bản án có hiệu lực 7 năm vẫn chưa được thi hành",
    "Bà Mai ở thị xã Ngã Năm phản ánh chấp hành viên chậm trễ.",
)


def _seed(db: Database) -> None:
    with db.session() as s:
        for email, name, province, head in [
            ("daumoi.cantho@thads.vn", "Nguyễn Văn An", "Cần Thơ", False),
            ("truong.cantho@thads.vn", "Trần Văn Bình", "Cần Thơ", True),
            ("daumoi.hanoi@thads.vn", "Lê Thị Cúc", "Hà Nội", False),
            ("vanphong@cucqlthads.vn", "Văn phòng Cục Quản lý THADS", "toan_quoc", False),
        ]:
            upsert_user(s, User(email=email, name=name, role="dau_moi", province=province, is_head=head))
        outlets = [
            upsert_outlet(
                s, Outlet(slug=f"bao-{i}", name=f"Báo {i}", domain=f"bao{i}.vn", kind=OutletKind.NATIONAL, reach_tier=2)
            )
            for i in range(3)
        ]
        story = None
        for i, outlet in enumerate(outlets):  # three copies of one negative story, within a few hours
            assert outlet.id is not None
            article, _ = add_article(
                s,
                Article(
                    outlet_id=outlet.id,
                    url=f"https://bao{i}.vn/an-treo",
                    title=NEGATIVE[0],
                    sapo=NEGATIVE[1],
                    text=NEGATIVE[1] * 3,
                    content_hash=f"{i}" * 64,
                    fetched_at=T0 + dt.timedelta(hours=i),
                ),
            )
            assert article.id is not None
            story = start_story(s, article) if story is None else join_story(s, story.id, article)
            save_enrichment(
                s,
                Enrichment(
                    article_id=article.id,
                    relevant=True,
                    relevance_score=0.97,
                    topic="khieu_nai_to_cao",
                    sentiment="tieu_cuc",
                    province="Cần Thơ",
                    model_version="test",
                    enriched_at=T0,
                    story_id=story.id,
                ),
            )
        assert outlets[0].id is not None
        positive, _ = add_article(
            s,
            Article(
                outlet_id=outlets[0].id,
                url="https://bao0.vn/vuot-chi-tieu",
                title="THADS Hà Nội vượt chỉ tiêu năm",
                text="Kết quả tốt.",
                content_hash="p" * 64,
                fetched_at=T0,
            ),
        )
        assert positive.id is not None
        good = start_story(s, positive)
        save_enrichment(
            s,
            Enrichment(
                article_id=positive.id,
                relevant=True,
                relevance_score=0.99,
                topic="ket_qua_hoat_dong",
                sentiment="tich_cuc",
                province="Hà Nội",
                model_version="test",
                enriched_at=T0,
                story_id=good.id,
            ),
        )


def _run(db: Database, at: dt.datetime) -> None:
    run_workflow(
        db,
        rules=default_rules(),
        policy=default_policy(),
        calendar=default_calendar(),
        settings=AlertSettings(),
        now=lambda: at,
    )


def test_three_copies_make_one_case_routed_to_the_province_and_none_for_good_news(database: Database) -> None:
    _seed(database)
    _run(database, T0 + dt.timedelta(hours=3))
    with database.session() as s:
        cases = list_cases(s)
        assert len(cases) == 1
        case = cases[0]
        assert (case.priority, case.province, case.state) == ("P1", "Cần Thơ", "assigned")  # spread over 3 outlets
        assert [u.email for u in assignees(s, case.id)] == ["daumoi.cantho@thads.vn"]
        deadlines = {d.kind: d for d in deadlines_of(s, case.id)}
        assert set(deadlines) == {"thong_tin_ban_dau", "van_ban_tra_loi", "xac_nhan_noi_bo"}
        assert "Nghị định 237/2026/NĐ-CP, Điều 18 khoản 3" in deadlines["van_ban_tra_loi"].basis
        assert deadlines["thong_tin_ban_dau"].due_at == T0 + dt.timedelta(hours=27)
        # 15 working days from Monday 16/11/2026 (24/11 is a working day by default): Monday 07/12, 24:00
        assert deadlines["van_ban_tra_loi"].due_at == dt.datetime(2026, 12, 8, 0, tzinfo=VN)
        sent = {(n.recipient, n.kind) for n in list_notifications(s)}
        assert sent == {("daumoi.cantho@thads.vn", "alert"), ("vanphong@cucqlthads.vn", "alert")}
        for note in list_notifications(s):  # P1 alerts are urgent and carry their HTML as it will be sent
            assert note.urgent
            assert note.html is not None
            assert f"Hồ sơ #{case.id}: {NEGATIVE[0]}" in note.html
        assert [e.action for e in audit_trail(s, case.id)] == ["create", "assign"]
    _run(database, T0 + dt.timedelta(hours=4))  # nothing new: nothing more
    with database.session() as s:
        assert len(list_cases(s)) == 1
        assert len(list_notifications(s)) == 2


def test_states_and_refused_actions(database: Database) -> None:
    _seed(database)
    _run(database, T0)
    at = T0 + dt.timedelta(hours=2)
    with database.session() as s:
        case_id = list_cases(s)[0].id
        with pytest.raises(WorkflowError, match=r"Không thể đóng hồ sơ #\d+ đang ở trạng thái “đã giao”"):
            close(s, case_id, actor="daumoi.cantho@thads.vn", at=at)
    with database.session() as s:
        acknowledge(s, case_id, actor="daumoi.cantho@thads.vn", at=at)
        respond(
            s,
            case_id,
            kind="thong_tin_ban_dau",
            text="Đã cung cấp thông tin ban đầu cho báo.",
            actor="daumoi.cantho@thads.vn",
            at=at + dt.timedelta(hours=1),
        )
        close(s, case_id, actor="daumoi.cantho@thads.vn", at=at + dt.timedelta(hours=2))
        with pytest.raises(WorkflowError, match="đang ở trạng thái “đã đóng”"):
            dismiss(s, case_id, actor="x", at=at, reason="trùng")
    with database.session() as s:
        status = {d.kind: d.status for d in deadlines_of(s, case_id)}
        assert status["thong_tin_ban_dau"] == "met"
        assert status["xac_nhan_noi_bo"] == "met"
        actions = [(e.action, e.from_state, e.to_state) for e in audit_trail(s, case_id)]
        assert actions[-3:] == [
            ("acknowledge", "assigned", "acknowledged"),
            ("respond", "acknowledged", "responded"),
            ("close", "responded", "closed"),
        ]
        figures = {
            t.province: t
            for t in timeliness(
                s, start=T0 - dt.timedelta(days=1), end=T0 + dt.timedelta(days=1), now=at + dt.timedelta(days=30)
            )
        }
        assert figures["Cần Thơ"].acknowledged_in_time == 1.0
        assert figures["Cần Thơ"].median_hours_to_respond == 3.0


def test_the_audit_trail_cannot_be_changed(database: Database) -> None:
    _seed(database)
    _run(database, T0)
    with pytest.raises(DBAPIError, match="append-only"), database.session() as s:
        s.execute(text("UPDATE audit_event SET note = 'sửa' WHERE id = 1"))
    with pytest.raises(DBAPIError, match="append-only"), database.session() as s:
        s.execute(text("DELETE FROM audit_event"))
    if database.engine.dialect.name == "postgresql":  # TRUNCATE fires no row trigger: a statement trigger refuses it
        with pytest.raises(DBAPIError, match="append-only"), database.session() as s:
            s.execute(text("TRUNCATE audit_event"))
    with database.session() as s:
        assert s.scalar(text("SELECT count(*) FROM audit_event")) > 0


def test_reminders_and_escalation_once_each(database: Database) -> None:
    _seed(database)
    _run(database, T0)
    settings = AlertSettings()
    cal = default_calendar()
    for hours in (13, 14, 20, 21):  # the 24 h deadline: 50 % then 80 %, each once
        run_remind(database, calendar=cal, settings=settings, now=lambda h=hours: T0 + dt.timedelta(hours=h))
    late = T0 + dt.timedelta(hours=40)  # past the 24 h deadline and the 1-working-day acknowledgement
    first = run_escalate(database, settings=settings, now=lambda: late)
    again = run_escalate(database, settings=settings, now=lambda: late + dt.timedelta(hours=1))
    assert (first.escalations, again.escalations) == (2, 0)  # the 24 h and the acknowledgement deadlines
    with database.session() as s:
        notes = list_notifications(s)
        reminders = [n for n in notes if n.kind == "reminder"]
        assert len({n.dedupe_key for n in reminders}) == len(reminders) >= 2
        escalated = {n.recipient for n in notes if n.kind == "escalation"}
        assert escalated == {"truong.cantho@thads.vn", "vanphong@cucqlthads.vn"}
        assert not any(n.urgent for n in reminders)  # reminders wait for quiet hours to end; escalations do not
        assert all(n.urgent for n in notes if n.kind == "escalation")
        assert all(n.html and "Nhắc hạn: hồ sơ #" in n.html for n in reminders)


@pytest.mark.postgres
def test_two_escalation_workers_escalate_each_breach_exactly_once(postgres_server: object, tmp_path: Path) -> None:
    from sqlalchemy.engine import URL

    from storage.migrate import upgrade
    from storage.settings import StorageSettings
    from tests import postgres

    assert isinstance(postgres_server, URL)
    with postgres.fresh_database(postgres_server) as url:
        settings = StorageSettings(database_url=url.render_as_string(hide_password=False), data_dir=tmp_path)
        db = Database.from_settings(settings)
        upgrade(db.engine)
        _seed(db)
        _run(db, T0)
        late = T0 + dt.timedelta(days=60)
        barrier = threading.Barrier(2)
        counts: list[int] = []

        def worker() -> None:
            own = Database.from_settings(settings)
            barrier.wait()
            counts.append(run_escalate(own, settings=AlertSettings(), now=lambda: late).escalations)
            own.dispose()

        threads = [threading.Thread(target=worker) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        with db.session() as s:
            case_id = list_cases(s)[0].id
            breaches = [d for d in deadlines_of(s, case_id) if d.due_at < late]
            escalations = [e for e in audit_trail(s, case_id) if e.action == "escalate"]
        assert sum(counts) == len(breaches) == len(escalations) == 3
        db.dispose()


def test_focal_points_import_reports_bad_rows_and_keeps_the_good(tmp_path: Path, database: Database) -> None:
    csv_file = tmp_path / "dau-moi.csv"
    csv_file.write_text(
        "email,name,role,province,head,phone\n"
        "an@thads.vn,Nguyễn Văn An,đầu mối,Cần Thơ,,0901\n"
        "khong-phai-email,Lê B,đầu mối,Hà Nội,,\n"
        "binh@thads.vn,Trần Bình,đầu mối,Bình Dương,có,\n"
        "cuc@thads.vn,Văn phòng Cục,đầu mối,toan_quoc,,\n"
        "hoa@thads.vn,Phạm Thị Hòa,lãnh đạo,Thanh Hoá,có,\n",
        encoding="utf-8",
    )
    result = read_users(csv_file)
    assert [u.email for u in result.users] == ["an@thads.vn", "cuc@thads.vn", "hoa@thads.vn"]
    assert result.users[2].province == "Thanh Hóa"
    assert result.users[2].role == "leader"
    assert result.users[2].is_head
    assert len(result.errors) == 2
    assert result.errors[0].startswith(f"{csv_file}, dòng 3: trường email")
    assert result.errors[1].startswith(f"{csv_file}, dòng 4: trường province: 'Bình Dương' không phải")
    assert result.to_import() == []  # a file with errors imports nothing
    with database.session() as s:
        for user in result.users:
            upsert_user(s, user)


def test_focal_points_import_refuses_repeated_emails_a_focal_point_without_province_and_an_unclear_head(
    tmp_path: Path,
) -> None:
    """Issue 13 item 11: these rows were accepted (the repeated e-mail silently replacing the earlier row)."""
    csv_file = tmp_path / "dau-moi.csv"
    csv_file.write_text(
        "email,name,role,province,head\n"
        "an@thads.vn,Nguyễn Văn An,đầu mối,Cần Thơ,\n"
        "ha@thads.vn,Trần Thị Hà,đầu mối,,\n"
        "AN@thads.vn,Nguyễn Văn An (mới),đầu mối,Hà Nội,\n"
        "binh@thads.vn,Lê Văn Bình,đầu mối,Hà Nội,maybe\n"
        "cuc@thads.vn,Văn phòng Cục,đầu mối,toan_quoc,không\n",
        encoding="utf-8",
    )
    result = read_users(csv_file)
    assert result.errors == [
        f"{csv_file}, dòng 3: đầu mối cần tỉnh/thành của mình (hoặc toan_quoc cho văn phòng Cục)",
        f"{csv_file}, dòng 4: thư điện tử an@thads.vn đã có ở dòng 2",
        f"{csv_file}, dòng 5: trường head: 'maybe' không rõ là có hay không (dùng: có hoặc để trống)",
    ]
    assert result.to_import() == []
    yaml_file = tmp_path / "dau-moi.yaml"
    yaml_file.write_text(
        "- {email: an@thads.vn, name: Nguyễn Văn An, province: Cần Thơ, head: có}\n"
        "- {email: cuc@thads.vn, name: Văn phòng Cục, province: toan_quoc}\n",
        encoding="utf-8",
    )
    good = read_users(yaml_file)
    assert good.errors == []
    assert [(u.email, u.province, u.is_head) for u in good.to_import()] == [
        ("an@thads.vn", "Cần Thơ", True),
        ("cuc@thads.vn", NATIONWIDE, False),
    ]


def test_a_dismissed_case_owes_nothing_and_counts_in_no_timeliness_figure(database: Database) -> None:
    _seed(database)
    _run(database, T0)
    with database.session() as s:
        case_id = list_cases(s)[0].id
        dismiss(s, case_id, actor="giám sát", at=T0 + dt.timedelta(hours=1), reason="Tin trùng, đã có hồ sơ khác")
    with database.session() as s:
        assert {d.status for d in deadlines_of(s, case_id)} == {"void"}
        (figure,) = [
            t
            for t in timeliness(s, start=T0, end=T0 + dt.timedelta(days=1), now=T0 + dt.timedelta(days=40))
            if t.province == "Cần Thơ"
        ]
        assert (figure.acknowledged_in_time, figure.responded_in_time, figure.overdue) == (None, None, 0)
    assert run_escalate(database, settings=AlertSettings(), now=lambda: T0 + dt.timedelta(days=40)).escalations == 0
