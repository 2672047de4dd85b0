"""`thads-monitor demo`, run headless as a user runs it: within minutes the database holds triaged stories and
cases, the mail folder an alert and a digest, and the web app answers with them."""

from __future__ import annotations

import email
import email.policy
import os
import re
import signal
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.ports import free_port
from tests.thads_monitor.test_cli import EXE

pytestmark = pytest.mark.slow


def _subjects(folder: Path) -> list[str]:
    return [
        str(email.message_from_bytes(p.read_bytes(), policy=email.policy.default)["Subject"])
        for p in sorted(folder.glob("*.eml"))
    ]


def test_the_demo_collects_triages_mails_and_serves_within_minutes(tmp_path: Path) -> None:
    folder, port = tmp_path / "demo", free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("THADS_")}
    env.update(HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "cfg"), XDG_DATA_HOME=str(tmp_path / "data"))
    demo = subprocess.Popen(
        [EXE, "demo", "--dir", str(folder), "--port", str(port), "--every-s", "5", "--digest-after-min", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(demo.stdout or []), daemon=True)  # keep the pipe drained
    reader.start()
    try:
        deadline = time.monotonic() + 300
        subjects: list[str] = []
        while time.monotonic() < deadline:
            subjects = _subjects(folder / "thu") if (folder / "thu").exists() else []
            if any(s.startswith("[P1]") for s in subjects) and any(s.startswith("Điểm tin") for s in subjects):
                break
            assert demo.poll() is None, "".join(lines)
            time.sleep(2)
        else:
            pytest.fail(f"no alert and digest within five minutes: {subjects}\n{''.join(lines)}")

        with sqlite3.connect(folder / "demo.db") as db:
            cases = db.execute("SELECT count(*), min(priority) FROM press_case").fetchone()
            stories = db.execute("SELECT count(*) FROM story").fetchone()[0]
            relevant = db.execute("SELECT count(*) FROM enrichment WHERE relevant").fetchone()[0]
            title = db.execute("SELECT title FROM press_case ORDER BY priority, id LIMIT 1").fetchone()[0]
        assert cases[0] > 0
        assert cases[1] == "P1"
        assert stories > 0
        assert relevant > 0

        password = next(
            m.group(1) for m in (re.search(r"giamsat@demo\.thads\.vn\s+mật khẩu: (\S+)", line) for line in lines) if m
        )
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", follow_redirects=True, timeout=30) as web:
            form = web.get("/dang-nhap").text
            token = re.search(r'name="csrf_token" value="([^"]+)"', form)
            assert token is not None
            signed_in = web.post(
                "/dang-nhap",
                data={"email": "giamsat@demo.thads.vn", "password": password, "csrf_token": token.group(1)},
            )
            assert signed_in.status_code == 200
            queue = web.get("/phan-loai")
            assert queue.status_code == 200
            assert "Phân loại tin" in queue.text
            assert web.get("/ho-so").text.count("/ho-so/") >= cases[0]
            assert title.split(":")[0] in web.get("/ho-so").text
    finally:
        demo.send_signal(signal.SIGTERM)
        demo.wait(timeout=90)
        reader.join(timeout=10)
        if demo.stdout is not None:
            demo.stdout.close()
    assert demo.returncode == 0, "".join(lines)
    assert "Đã dừng" in "".join(lines)
