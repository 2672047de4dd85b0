"""The e-mail commands as a user runs them: preferences, digest send, outbox list / retry / send."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from storage.engine import Database
from storage.migrate import upgrade
from storage.outbox import list_notifications
from storage.preferences import get_preferences
from storage.settings import StorageSettings
from tests.alerts.seed import every_alert_at_once, samples, seed, workflow
from tests.alerts.smtp_server import Recorder, smtp_server

pytestmark = pytest.mark.slow  # one CLI process per command


def _run(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("THADS_")}
    base.update(
        THADS_STORAGE__DATABASE_URL=f"sqlite:///{tmp_path / 'mail.db'}",
        HOME=str(tmp_path),
        XDG_CONFIG_HOME=str(tmp_path / "cfg"),
        THADS_ALERTS__APP_URL="https://giamsat.thads.example",
        **env,
    )
    exe = str(Path(sys.executable).parent / "thads-monitor")
    return subprocess.run([exe, *args], env=base, capture_output=True, text=True, check=False, timeout=180)


def _database(tmp_path: Path) -> Database:
    db = Database.from_settings(StorageSettings(database_url=f"sqlite:///{tmp_path / 'mail.db'}", data_dir=tmp_path))
    upgrade(db.engine)
    return db


def test_preferences_show_and_set_with_clear_errors(tmp_path: Path) -> None:
    db = _database(tmp_path)
    seed(db, [])
    db.dispose()
    shown = _run(tmp_path, "preferences", "show", "daumoi.cantho@thads.vn")
    assert shown.returncode == 0, shown.stderr
    assert "Bản điểm tin hằng ngày: bật" in shown.stdout
    assert "Phạm vi: mặc định (tỉnh/thành của người dùng: Cần Thơ)" in shown.stdout
    changed = _run(
        tmp_path,
        "preferences",
        "set",
        "daumoi.cantho@thads.vn",
        "--no-digest",
        "--scope",
        "thanh hoá",
        "--quiet",
        "22:00-6:30",
    )
    assert changed.returncode == 0, changed.stderr
    assert "Đã lưu tùy chọn nhận thư của daumoi.cantho@thads.vn." in changed.stdout
    assert "Bản điểm tin hằng ngày: tắt" in changed.stdout
    assert "Phạm vi: Thanh Hóa" in changed.stdout
    assert "Giờ yên lặng (thư không khẩn chờ đến hết giờ): 22:00–06:30" in changed.stdout
    bad = _run(tmp_path, "preferences", "set", "daumoi.cantho@thads.vn", "--quiet", "25:00-06:00", "--scope", "Hà Nội")
    assert bad.returncode == 2
    assert bad.stderr.strip() == "Lỗi: giờ yên lặng '25:00-06:00': 25:00 không phải giờ hợp lệ (00:00 đến 23:59)"
    db = _database(tmp_path)
    with db.session() as session:
        kept = get_preferences(session, "daumoi.cantho@thads.vn")
    db.dispose()
    assert kept is not None
    assert (kept.digest_scope, kept.quiet_start) == ("Thanh Hóa", "22:00")  # the refused command changed nothing


def test_digest_send_outbox_list_and_retry(tmp_path: Path) -> None:
    db = _database(tmp_path)
    recent = dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)
    seed(db, at=recent)
    every_alert_at_once(db)  # one message per case, as the counts below say
    workflow(db, recent + dt.timedelta(minutes=10))

    dry = _run(tmp_path, "digest", "send", "--dry-run", "--to", "daumoi.cantho@thads.vn")
    assert dry.returncode == 0, dry.stderr
    assert "=== Tới: daumoi.cantho@thads.vn" in dry.stdout
    assert "– Cần Thơ: 3 bài mới" in dry.stdout
    assert samples()["written:w4:052"]["title"] in dry.stdout
    assert "Chạy thử: 1 bản điểm tin. Không gửi thư nào, không ghi gì." in dry.stdout
    with db.session() as session:
        assert not [n for n in list_notifications(session) if n.kind == "digest"]
        preferences = get_preferences(session, "daumoi.cantho@thads.vn")
        assert preferences is not None
        assert preferences.last_digest_at is None

    off = _run(tmp_path, "outbox", "send")
    assert off.returncode == 2
    assert off.stderr.startswith("Lỗi: chưa cấu hình máy chủ SMTP (mail.host, THADS_MAIL__HOST)")

    recorder = Recorder()
    recorder.refuse.add("daumoi.hanoi@thads.vn")
    with smtp_server(recorder) as server:
        mail = {"THADS_MAIL__HOST": "127.0.0.1", "THADS_MAIL__PORT": str(server.port), "THADS_MAIL__SECURITY": "none"}
        sent = _run(tmp_path, "digest", "send", **mail)
    assert sent.returncode == 0, sent.stderr
    assert "Đã ghi 4 bản điểm tin vào hộp thư đi; 0 người không có gì mới." in sent.stdout
    # the workflow's 5 messages and the 4 digests; Hà Nội's two are refused by the server
    assert "Đã gửi 7 thư; 0 thư sẽ gửi lại; 2 thư lỗi." in sent.stdout
    assert len(recorder.received) == 7

    failed = _run(tmp_path, "outbox", "list", "--status", "failed")
    assert failed.returncode == 0, failed.stderr
    assert "lỗi: 2" in failed.stdout
    assert "người nhận daumoi.hanoi@thads.vn bị từ chối: 550 5.1.1" in failed.stdout
    with db.session() as session:
        delivered = [n.id for n in list_notifications(session, status="sent")]
    again = _run(tmp_path, "outbox", "retry", "--failed")
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("Đã đưa 2 thư trở lại hàng chờ gửi: #")
    refused = _run(tmp_path, "outbox", "retry", str(delivered[0]), "12345")
    assert refused.returncode == 1
    assert f"thư #{delivered[0]} đang ở trạng thái “đã gửi”: không gửi lại" in refused.stderr
    assert "thư #12345 không tồn tại" in refused.stderr
    with db.session() as session:
        assert len(list_notifications(session, status="pending")) == 2
    db.dispose()
