"""`thads-monitor preferences tiers`: a user's tier for each priority, shown, changed and refused in Vietnamese."""

from __future__ import annotations

from pathlib import Path

import pytest

from domain.enums import AlertTier, Priority
from storage.alert_tiers import tier_choices
from tests.alerts.seed import seed
from tests.thads_monitor.test_mail_cli import _database, _run

pytestmark = pytest.mark.slow  # one CLI process per command
WHO = "daumoi.cantho@thads.vn"


def test_preferences_tiers_shows_sets_and_refuses_in_vietnamese(tmp_path: Path) -> None:
    db = _database(tmp_path)
    seed(db, [])
    db.dispose()
    shown = _run(tmp_path, "preferences", "tiers", "--email", WHO)
    assert shown.returncode == 0, shown.stderr
    assert "Theo dõi (P3): Chỉ trong điểm tin hằng ngày (mặc định)" in shown.stdout
    assert "Khẩn (P1): Ngay lập tức (mặc định)" in shown.stdout
    changed = _run(tmp_path, "preferences", "tiers", "--email", WHO, "--priority", "p1", "--tier", "hourly")
    assert changed.returncode == 0, changed.stderr
    assert f"Đã lưu thời điểm nhận cảnh báo của {WHO}." in changed.stdout
    assert "Khẩn (P1): Tổng hợp mỗi giờ\n" in changed.stdout
    bad_tier = _run(tmp_path, "preferences", "tiers", "--email", WHO, "--priority", "P2", "--tier", "weekly")
    assert bad_tier.returncode == 2
    assert bad_tier.stderr.strip() == (
        "Lỗi: mức nhận tin 'weekly' không có (chọn trong: immediate (Ngay lập tức), hourly (Tổng hợp mỗi giờ), "
        "digest (Chỉ trong điểm tin hằng ngày))"
    )
    bad_priority = _run(tmp_path, "preferences", "tiers", "--email", WHO, "--priority", "P4", "--tier", "hourly")
    assert bad_priority.stderr.strip() == "Lỗi: mức ưu tiên 'P4' không có (chọn trong: P1, P2, P3)"
    half = _run(tmp_path, "preferences", "tiers", "--email", WHO, "--priority", "P2")
    assert (half.returncode, half.stderr.strip()) == (2, "Lỗi: cần cả --priority và --tier (hoặc bỏ cả hai để xem)")
    nobody = _run(tmp_path, "preferences", "tiers", "--email", "ai@thads.vn")
    assert (nobody.returncode, nobody.stderr.strip()) == (2, "Lỗi: không có người dùng ai@thads.vn")
    db = _database(tmp_path)
    with db.session() as session:
        assert tier_choices(session, WHO) == {Priority.P1: AlertTier.HOURLY}
    db.dispose()
    reset = _run(tmp_path, "preferences", "tiers", "--email", WHO, "--priority", "P1", "--tier", "mac_dinh")
    assert "Khẩn (P1): Ngay lập tức (mặc định)" in reset.stdout
