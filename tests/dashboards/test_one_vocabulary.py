"""The words users read for a topic and a priority come from one place: the triage page, the new-case alert, the
digest and the DOCX report of the same real articles and cases name each one as domain/taxonomy.yaml does, and none
of them uses a wording the project had before the taxonomy was one file."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from fastapi.testclient import TestClient

from alerts import messages
from alerts.digest import build_digest
from dashboards.reports.build import build_report
from dashboards.reports.settings import ReportSettings
from dashboards.web.app import create_app
from dashboards.web.security import Passwords
from domain.enums import Priority, Role
from domain.labels import priority_vi, taxonomy, topic_vi
from domain.localtime import VN
from domain.records import User
from storage.accounts import set_password_hash
from storage.cases import deadlines_of, get_user, list_cases, upsert_user
from storage.engine import Database
from storage.migrate import upgrade
from storage.preferences import get_preferences
from storage.settings import StorageSettings
from storage.views.digest import relevant_articles
from tests.alerts.seed import APP_URL, T0, seed, workflow
from tests.conftest import web_settings
from tests.dashboards.web.site import PASSWORD, sign_in, workflow_config

MORNING = dt.datetime(2026, 11, 17, 7, 30, tzinfo=VN).astimezone(dt.UTC)
MONITOR = "giamsat@cucqlthads.vn"
# Words the e-mails used while they had their own list (alerts/labels.py): they must not come back.
FORMER = ("P1 – khẩn", "P2 – cần văn bản trả lời", "P3 – theo dõi", "Tín dụng, ngân hàng ·", "Chưa xác định")


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    """The digest's real articles (Cần Thơ P1, P2, P3; Hà Nội P2; nationwide) after the workflow, and a monitor."""
    db = Database.from_settings(StorageSettings(database_url=f"sqlite:///{tmp_path / 'thads.db'}", data_dir=tmp_path))
    upgrade(db.engine)
    seed(db)
    workflow(db, T0 + dt.timedelta(minutes=10))
    with db.session() as session:
        upsert_user(session, User(email=MONITOR, name="Hoàng Minh", role=Role.MONITOR, province=None))
        set_password_hash(session, MONITOR, Passwords(web_settings()).hash(PASSWORD))
    try:
        yield db
    finally:
        db.dispose()


def _triage_page(database: Database, data_dir: Path) -> str:
    app = create_app(
        web=web_settings(secret_key="khoa-bi-mat-cho-thu-nghiem"),
        workflow=workflow_config(),
        database=database,
        data_dir=data_dir,
        now=lambda: T0 + dt.timedelta(hours=2),
    )
    with TestClient(app, base_url="http://127.0.0.1", follow_redirects=False) as client:
        sign_in(client, MONITOR)
        page = client.get("/phan-loai")
    assert page.status_code == 200
    return html.unescape(re.sub(r"<[^>]+>", " ", page.text))


def _docx_text(database: Database) -> str:
    files = build_report(database, "2026-W47", None, "docx", MORNING, settings=ReportSettings(), app_url=APP_URL)
    document = docx.Document(io.BytesIO(files["docx"]))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_every_surface_names_topics_and_priorities_from_the_taxonomy(database: Database, tmp_path: Path) -> None:
    with database.session() as session:
        articles = relevant_articles(session, since=T0 - dt.timedelta(hours=1), until=MORNING)
        cases = list_cases(session)
        alerts = [html.unescape(messages.new_case(c, deadlines_of(session, c.id), APP_URL).html or "") for c in cases]
        user = get_user(session, "vanphong@cucqlthads.vn")
        preferences = get_preferences(session, "vanphong@cucqlthads.vn")
        assert user is not None
        assert preferences is not None
        _, digest = build_digest(session, user, preferences, now=MORNING, app_url=APP_URL)
    topics = {a.topic for a in articles if a.topic}
    assert {"sai_pham_can_bo", "dau_gia_tai_san", "cuong_che_tai_san"} <= topics
    assert {c.priority for c in cases} == set(Priority)
    surfaces = {
        "triage page": _triage_page(database, tmp_path),
        "digest": digest.text,
        "DOCX report": _docx_text(database),
    }
    for where, text in surfaces.items():
        for code in topics:
            assert topic_vi(code) in text, f"{where}: {code}"
        for priority in Priority:
            assert priority_vi(priority) in text, f"{where}: {priority}"
    for case, alert in zip(cases, alerts, strict=True):
        assert priority_vi(case.priority) in alert
    for where, text in [*surfaces.items(), *(("alert", a) for a in alerts)]:
        assert not [w for w in FORMER if w in text], where
    assert taxonomy().topic_names["tin_dung_ngan_hang"] == "Thi hành án tín dụng, ngân hàng"
