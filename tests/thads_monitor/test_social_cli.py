"""`thads-monitor social poll` from the installed command, against the local YouTube stand-in: what each source
did, in Vietnamese; a bad registry entry or setting is one `Lỗi:` line naming where; the token never printed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.crawler.social_servers import serving
from tests.crawler.test_social_youtube import CHANNEL, UPLOADS, video
from tests.crawler.youtube_api import YouTube
from tests.thads_monitor.test_cli import run

pytestmark = pytest.mark.subprocess  # the installed command, one process per call

REGISTRY = f"""\
social:
  - slug: yt-thads
    name: Kênh Thi hành án dân sự
    kind: youtube_channel
    channel_id: {CHANNEL}
    own: true
"""


def test_social_poll_reads_a_channel_and_says_what_it_did(tmp_path: Path) -> None:
    assert run("init", home=tmp_path).returncode == 0
    api = YouTube("AIzaSy-cli-key")
    api.channels[CHANNEL] = UPLOADS
    video(api, "vid00000001", "2026-11-20T08:00:00Z", "Tin cũ")
    api.uploads[UPLOADS] = ["vid00000001"]
    registry = tmp_path / "nguon.yaml"
    registry.write_text(REGISTRY, encoding="utf-8")
    with serving(api) as url:
        env = {
            "THADS_CRAWLER__SOURCES_FILE": str(registry),
            "THADS_CRAWLER__ONLY_SOURCES_FILE": "true",
            "THADS_SOCIAL__YOUTUBE_URL": f"{url}/youtube/v3",
            "THADS_SOCIAL__YOUTUBE_API_KEY": "AIzaSy-cli-key",
            "THADS_SOCIAL__PSEUDONYM_KEY": "khoa",
        }
        done = run("social", "poll", env=env, home=tmp_path)
        again = run("social", "poll", env=env, home=tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert lines[0] == "yt-thads: 1 bài mới, 0 bình luận mới, 3 đơn vị quota"
    assert lines[1].startswith("1 nguồn mạng xã hội (0 lỗi), 1 bài mới, 0 bình luận mới, 3 đơn vị quota YouTube")
    assert again.stdout.startswith("yt-thads: 0 bài mới, 0 bình luận mới, 1 đơn vị quota")  # incremental
    assert "AIzaSy-cli-key" not in done.stdout + done.stderr


def test_a_bad_social_entry_is_one_line_naming_file_and_line(tmp_path: Path) -> None:
    assert run("init", home=tmp_path).returncode == 0
    registry = tmp_path / "nguon.yaml"
    registry.write_text(REGISTRY.replace(f"channel_id: {CHANNEL}", "page_id: '12345'"), encoding="utf-8")
    env = {"THADS_CRAWLER__SOURCES_FILE": str(registry), "THADS_CRAWLER__ONLY_SOURCES_FILE": "true"}
    done = run("social", "poll", env=env, home=tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip() == (
        f"Lỗi: {registry}:2: trường social.0: nguồn loại youtube_channel cần mã kênh YouTube (channel_id, dạng UC…)"
    )


def test_a_bad_social_setting_is_one_line(tmp_path: Path) -> None:
    done = run("social", "poll", env={"THADS_SOCIAL__YOUTUBE_DAILY_BUDGET": "nhieu"}, home=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith("Lỗi: thiết lập social.youtube_daily_budget")
    assert len(done.stderr.strip().splitlines()) == 1
