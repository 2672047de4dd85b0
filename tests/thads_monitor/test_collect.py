"""`thads-monitor extract URL`: a single request outside a crawl has an overall deadline (Issue 13 item 9)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from crawler.replay.corpus import schedule
from crawler.replay.drip import DripServer
from crawler.replay.site import ReplaySite
from tests.conftest import shared_path
from tests.thads_monitor.test_cli import run
from thads_monitor.demo import written_samples

pytestmark = pytest.mark.subprocess  # the installed command, one process per call


@pytest.fixture
def drip() -> Iterator[DripServer]:
    server = DripServer(every_s=1.0).start()
    yield server
    server.stop()


@pytest.mark.parametrize("path", ["", "dau-trang"], ids=["body-drip-fed", "headers-drip-fed"])
def test_extract_of_a_drip_fed_page_gives_up_at_the_deadline(drip: DripServer, tmp_path: Path, path: str) -> None:
    started = time.monotonic()
    done = run("extract", drip.url + path, env={"THADS_CRAWLER__TIMEOUT_S": "3"}, home=tmp_path)
    took = time.monotonic() - started
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.strip() == f"Lỗi: không tải được {drip.url + path}: quá 3 giây (crawler.timeout_s)"
    assert took < 20  # the command's own start (a couple of seconds) and the 3-second deadline


def test_extract_of_a_page_that_answers_prints_the_article(tmp_path: Path) -> None:
    rows = written_samples()[:3]
    site = ReplaySite(schedule(rows, now=datetime.now(UTC), spread=timedelta(hours=1))).start()
    try:
        article = site.published()[0]
        done = run("extract", site.base + article.path, env={"THADS_CRAWLER__TIMEOUT_S": "10"}, home=tmp_path)
    finally:
        site.stop()
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["title"] == article.title


def test_extract_explain_shows_what_was_kept_and_what_was_left_out(tmp_path: Path) -> None:
    """Issue 16: on recorded thanhnien1, the caption, the related links and the byline are named with their reason."""
    page = shared_path("fixtures", "html", "thanhnien1.html")
    done = run("extract", "--explain", str(page), home=tmp_path)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Khối thân bài: <div class='article-content article-content03'>" in out
    assert "GIỮ LẠI (3 đoạn):" in out
    assert "  + Nga và My khai nhận đã cùng với Thủy mua ma túy của Tiền về bán kiếm lời." in out
    assert "chú thích ảnh [table]\n      Các bị cáo tại tòa" in out
    assert "danh sách tiêu đề có liên kết hoặc dòng từ khóa (tin bên lề) [p]\n      >> Doanh nhân buôn ma túy" in out
    assert "tên tác giả cuối bài (lưu vào tác giả)\n      Tin, ảnh: Vũ Phương Thảo" in out
    assert "Thời gian đăng: 17:41 19/12/2012" in out


def test_extract_explain_of_a_home_page_says_why_it_is_not_an_article(tmp_path: Path) -> None:
    page = shared_path("fixtures", "html", "vnexpress.hompage.html")
    done = run("extract", "--explain", str(page), home=tmp_path)
    assert done.returncode == 1
    assert "Không phải trang bài viết: 109 tiêu đề có liên kết: trang danh sách, không phải bài viết" in done.stdout
