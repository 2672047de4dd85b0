"""`thads-monitor preferences channels`: a user's chat addresses and the channels of each alert tier, as an
administrator sets them from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from domain.enums import AlertTier, ChannelName
from storage.channels import addresses, channel_choices
from tests.alerts.seed import seed
from tests.thads_monitor.test_mail_cli import _database, _run

pytestmark = pytest.mark.slow  # one CLI process per command
WHO = "daumoi.cantho@thads.vn"


def test_preferences_channels_shows_sets_and_refuses_in_vietnamese(tmp_path: Path) -> None:
    db = _database(tmp_path)
    seed(db, [])
    db.dispose()
    shown = _run(tmp_path, "preferences", "channels", WHO)
    assert shown.returncode == 0, shown.stderr
    assert "Telegram (mã chat): chưa có" in shown.stdout
    assert "Ngay lập tức: Thư điện tử (mặc định)" in shown.stdout
    refused = _run(tmp_path, "preferences", "channels", WHO, "--immediate", "mail,telegram")
    assert refused.returncode == 2
    assert refused.stderr.strip() == "Lỗi: muốn nhận qua Telegram cần khai báo mã chat"
    changed = _run(tmp_path, "preferences", "channels", WHO, "--telegram", "123456789", "--immediate", "mail,telegram")
    assert changed.returncode == 0, changed.stderr
    assert f"Đã lưu kênh nhận cảnh báo của {WHO}." in changed.stdout
    assert "Ngay lập tức: Thư điện tử, Telegram" in changed.stdout
    assert "Tổng hợp mỗi giờ: Thư điện tử (mặc định)" in changed.stdout
    bad = _run(tmp_path, "preferences", "channels", WHO, "--hourly", "sms")
    assert bad.returncode == 2
    assert bad.stderr.strip() == "Lỗi: kênh 'sms' không chọn được (chọn trong: Thư điện tử, Telegram, Zalo)"
    db = _database(tmp_path)
    with db.session() as session:
        assert channel_choices(session, WHO) == {AlertTier.IMMEDIATE: (ChannelName.MAIL, ChannelName.TELEGRAM)}
        where = addresses(session, WHO)
    db.dispose()
    assert where is not None
    assert where.telegram_chat_id == "123456789"
