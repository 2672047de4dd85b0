"""`thads-monitor recheck`: one pass of the post-response watch from the installed command, on the replay site: a
watched article that now answers 404 is taken down and its case's focal point is told; bad settings are one
`Lỗi:` line."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.replay.site import ReplaySite
from domain.enums import Role
from domain.records import User
from storage.cases import upsert_user
from storage.engine import Database
from storage.outbox import list_notifications
from storage.settings import StorageSettings
from storage.watch import watches_of
from tests.crawler.test_recheck import PAGE, PATH, capture, open_case
from tests.thads_monitor.test_cli import run

pytestmark = pytest.mark.subprocess  # the installed command, one process per call


def test_recheck_takes_down_a_gone_article_and_tells_the_focal_point(tmp_path: Path) -> None:
    assert run("init", home=tmp_path).returncode == 0
    db_file = tmp_path / "data" / "thads-monitor" / "thads-monitor.db"
    database = Database.from_settings(StorageSettings(database_url=f"sqlite:///{db_file}", data_dir=tmp_path))
    site = ReplaySite([]).start()
    try:
        page = PAGE.replace(b'property="og:url"', b'property="x-og-url"')
        site.pin(PATH, page)
        article_id, _ = capture(database, site, PATH, page)
        open_case(database, article_id)
        with database.session() as s:
            upsert_user(
                s, User(email="daumoi.vinhlong@thads.vn", name="Trần Văn Bình", role=Role.DAU_MOI, province="Vĩnh Long")
            )
        site.pin(PATH, "<html><body><h1>Không tìm thấy</h1></body></html>".encode(), status=404)
        registry = tmp_path / "nguon.yaml"
        registry.write_text(site.sources_yaml().replace("bao-tin-nhanh", "nld-phat-lai"), encoding="utf-8")
        env = {"THADS_CRAWLER__SOURCES_FILE": str(registry), "THADS_CRAWLER__ONLY_SOURCES_FILE": "true"}
        done = run("recheck", env=env, home=tmp_path)
    finally:
        site.stop()
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "1 bài được kiểm tra lại (bị gỡ: 1), 1 thư báo bài bị sửa, bị gỡ."
    assert [h.path for h in site.hits] == ["/robots.txt", PATH]
    with database.session() as s:
        assert watches_of(s, [article_id])[article_id].state == "taken_down"
        [told] = [n for n in list_notifications(s) if n.kind == "article_change"]
    assert told.recipient == "daumoi.vinhlong@thads.vn"
    database.dispose()


def test_recheck_with_a_bad_setting_says_so_in_one_line(tmp_path: Path) -> None:
    done = run("recheck", env={"THADS_CRAWLER__WATCH_INTERVAL_S": "khong-phai-so"}, home=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith("Lỗi: ")
    assert len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr
