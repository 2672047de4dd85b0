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

from domain.watch_profiles import starter_profiles
from tests.ports import free_port
from tests.thads_monitor.test_cli import EXE

pytestmark = pytest.mark.slow


def _subjects(folder: Path) -> list[str]:
    return [
        str(email.message_from_bytes(p.read_bytes(), policy=email.policy.default)["Subject"])
        for p in sorted(folder.glob("*.eml"))
    ]


def start_demo(tmp_path: Path, port: int, *args: str) -> tuple[subprocess.Popen[str], list[str], threading.Thread]:
    """`thads-monitor demo` as a user starts it, in its own folder; its output collected line by line."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("THADS_")}
    env.update(HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "cfg"), XDG_DATA_HOME=str(tmp_path / "data"))
    demo = subprocess.Popen(
        [EXE, "demo", "--dir", str(tmp_path / "demo"), "--port", str(port), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(demo.stdout or []), daemon=True)  # keep the pipe drained
    reader.start()
    return demo, lines, reader


def wait_until_started(demo: subprocess.Popen[str], lines: list[str], timeout_s: float = 180) -> None:
    deadline = time.monotonic() + timeout_s
    while not any("Nhấn Ctrl+C để dừng" in line for line in lines):
        assert demo.poll() is None, "".join(lines)
        assert time.monotonic() < deadline, "".join(lines)
        time.sleep(0.2)


def stop_demo(demo: subprocess.Popen[str], reader: threading.Thread, lines: list[str] | None = None) -> None:
    """SIGTERM, then the demo finishes the jobs in flight and stops: within 180 s even on a loaded machine (a job
    that ignored the stop would hang for good); if not, killed, and its last lines are the failure's message."""
    demo.send_signal(signal.SIGTERM)
    try:
        demo.wait(timeout=180)
    except subprocess.TimeoutExpired:
        demo.kill()
        demo.wait(timeout=10)
        reader.join(timeout=10)
        raise AssertionError("the demo did not stop within 180 s:\n" + "".join((lines or [])[-30:])) from None
    reader.join(timeout=10)
    if demo.stdout is not None:
        demo.stdout.close()


def password_of(lines: list[str], email_address: str) -> str:
    pattern = re.compile(re.escape(email_address) + r"\s+mật khẩu: (\S+)")
    return next(m.group(1) for m in map(pattern.search, lines) if m)


def test_the_demo_collects_triages_mails_and_serves_within_minutes(tmp_path: Path) -> None:
    folder, port = tmp_path / "demo", free_port()
    demo, lines, reader = start_demo(tmp_path, port, "--every-s", "5", "--digest-after-min", "1")
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
            profiles = db.execute("SELECT count(*) FROM watch_profile").fetchone()[0]
            matched = db.execute("SELECT count(*) FROM profile_match").fetchone()[0]
        assert profiles == len(starter_profiles())  # the QĐ 931 starters and the THADS watch, as `run` loads them
        assert matched > 0
        assert cases[0] > 0
        assert cases[1] == "P1"
        assert stories > 0
        assert relevant > 0

        password = password_of(lines, "giamsat@demo.thads.vn")
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
            assert "Xây dựng pháp luật" in web.get("/chu-de-theo-doi").text
    finally:
        stop_demo(demo, reader, lines)
    assert demo.returncode == 0, "".join(lines)
    assert "Đã dừng" in "".join(lines)


def _csrf(web: httpx.Client) -> str:
    token = re.search(r'name="csrf_token" value="([^"]+)"', web.get("/dang-nhap").text)
    assert token is not None
    return token.group(1)


def test_the_demo_does_not_trust_a_forwarded_address_so_rotating_it_does_not_slip_the_sign_in_lock(
    tmp_path: Path,
) -> None:
    """Issue 13 item 6: the demo's server trusted X-Forwarded-For from loopback (uvicorn's default); 22 wrong
    passwords, each for another account and from another claimed address, were never locked. It now trusts the
    header only from `web.forwarded_allow_ips` (none by default), as `serve` does: the per-address limit holds."""
    port = free_port()
    demo, lines, reader = start_demo(tmp_path, port, "--seconds", "600")
    try:
        wait_until_started(demo, lines)
        statuses = []
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as web:
            for n in range(22):  # the default limit per address is 20
                token = _csrf(web)
                answer = web.post(
                    "/dang-nhap",
                    data={"email": f"khach{n}@vi-du.vn", "password": "sai-mat-khau-123", "csrf_token": token},
                    headers={"X-Forwarded-For": f"203.0.113.{n + 1}"},
                )
                statuses.append(answer.status_code)
            token = _csrf(web)
            real = web.post(
                "/dang-nhap",
                data={
                    "email": "giamsat@demo.thads.vn",
                    "password": password_of(lines, "giamsat@demo.thads.vn"),
                    "csrf_token": token,
                },
                headers={"X-Forwarded-For": "198.51.100.7"},
            )
        assert statuses[:20] == [401] * 20
        assert statuses[20:] == [429, 429]
        assert real.status_code == 429  # this address is locked, whatever it claims to be
        assert "tạm bị khóa" in real.text
    finally:
        stop_demo(demo, reader, lines)


def test_the_demo_with_seconds_stops_at_once_on_sigterm(tmp_path: Path) -> None:
    """Issue 13 item 8: `demo --seconds N` waited for its N-second timer after Ctrl+C or SIGTERM."""
    demo, lines, reader = start_demo(tmp_path, free_port(), "--seconds", "3600")
    try:
        wait_until_started(demo, lines)
        time.sleep(3)  # the scheduler is running its first jobs
        sent = time.monotonic()
        demo.send_signal(signal.SIGTERM)
        code = demo.wait(timeout=60)
        took = time.monotonic() - sent
    finally:
        if demo.poll() is None:
            demo.kill()
            demo.wait()
        reader.join(timeout=10)
        if demo.stdout is not None:
            demo.stdout.close()
    assert code == 0, "".join(lines)
    assert "Đã dừng" in "".join(lines)
    assert "Traceback" not in "".join(lines)
    assert took < 15, f"stopped {took:.1f} s after SIGTERM"
