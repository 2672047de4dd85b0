"""Replays the probes that found issue 13's items 1, 4, 5, 6 and 8–12, against a running demo and the installed
command, and prints one line per probe: `probe-name: refused|held|FAILED (detail)`. "refused" means an attack or a
bad input was turned away, "held" that the behaviour the issue asks for held; anything else is FAILED.

    .venv/bin/python benchmarks/probe.py                    # starts `thads-monitor demo` in a temporary folder
    .venv/bin/python benchmarks/probe.py --url http://127.0.0.1:8000 --demo-dir DIR --demo-log FILE
                                                            # a demo already running (its folder, its printed output)

The PostgreSQL probe makes a throwaway database on --postgres (default 127.0.0.1:5432, user postgres) and drops it.
The sign-in throttle probe runs last among the web probes: it locks this machine's address out of the demo.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx

EXE = str(Path(sys.executable).parent / "thads-monitor")
FOCAL_POINT = "daumoi.hanoi@demo.thads.vn"
MONITOR = "giamsat@demo.thads.vn"
Verdict = tuple[str, str]


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("THADS_")}
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / "data"), XDG_CONFIG_HOME=str(home / "cfg"), **extra)
    return env


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


# --- the demo ---------------------------------------------------------------------------------------------------


class Demo:
    """`thads-monitor demo` started here (or one already running: its URL, folder and printed output)."""

    def __init__(self, url: str, folder: Path, lines: list[str], process: subprocess.Popen[str] | None) -> None:
        self.url, self.folder, self.lines, self.process = url, folder, lines, process

    @classmethod
    def start(cls, home: Path, *extra: str) -> Demo:
        port = _free_port()
        process = subprocess.Popen(
            [EXE, "demo", "--dir", str(home / "demo"), "--port", str(port), "--every-s", "5", *extra],
            env=_env(home),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        lines: list[str] = []
        threading.Thread(target=lambda: lines.extend(process.stdout or []), daemon=True).start()
        demo = cls(f"http://127.0.0.1:{port}", home / "demo", lines, process)
        deadline = time.monotonic() + 180
        while not any("Nhấn Ctrl+C" in line for line in lines):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the demo did not start:\n" + "".join(lines))
            time.sleep(0.2)
        return demo

    def password(self, email: str) -> str:
        pattern = re.compile(re.escape(email) + r"\s+mật khẩu: (\S+)")
        return next(m.group(1) for m in map(pattern.search, self.lines) if m)

    def query(self, sql: str) -> list[tuple[object, ...]]:
        with sqlite3.connect(f"file:{self.folder / 'demo.db'}?mode=ro", uri=True) as db:
            return db.execute(sql).fetchall()

    def stop(self) -> float:
        """SIGTERM; the seconds it took to exit."""
        if self.process is None:
            return 0.0
        sent = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=90)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()
        return time.monotonic() - sent


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    if found is None:
        raise RuntimeError("no CSRF token on the page")
    return found.group(1)


def _signed_in(demo: Demo, email: str) -> httpx.Client:
    web = httpx.Client(base_url=demo.url, timeout=30)
    token = _csrf(web.get("/dang-nhap").text)
    answer = web.post("/dang-nhap", data={"email": email, "password": demo.password(email), "csrf_token": token})
    if answer.status_code not in (302, 303):
        raise RuntimeError(f"sign-in as {email} answered {answer.status_code}")
    return web


# --- the probes -------------------------------------------------------------------------------------------------


def probe_article_page_as_focal_point(demo: Demo) -> Verdict:
    """Item 1: a focal point opens an article of a story of their own province."""
    rows: list[tuple[object, ...]] = []
    deadline = time.monotonic() + 300
    while not rows and time.monotonic() < deadline:
        rows = demo.query(
            "SELECT article_id FROM enrichment WHERE story_id IS NOT NULL AND province = 'Hà Nội' ORDER BY article_id"
        )
        if not rows:
            time.sleep(5)
    if not rows:
        return "FAILED", "no article of a Hà Nội story in the demo within five minutes"
    web = _signed_in(demo, FOCAL_POINT)
    statuses: dict[int, int | str] = {}
    try:
        for (article_id,) in rows[:10]:
            try:
                statuses[int(str(article_id))] = web.get(f"/bai-viet/{article_id}").status_code
            except httpx.HTTPError as exc:  # the server broke the connection instead of answering
                statuses[int(str(article_id))] = type(exc).__name__
    finally:
        web.close()
    bad = {k: v for k, v in statuses.items() if v != 200}
    if bad:
        return "FAILED", f"{FOCAL_POINT}: {bad}"
    return "held", f"{len(statuses)} article pages of Hà Nội stories answer 200 to {FOCAL_POINT}"


def probe_cookie_after_logout(demo: Demo) -> Verdict:
    """Item 4: a session cookie saved before signing out must not work afterwards."""
    web = _signed_in(demo, MONITOR)
    saved = dict(web.cookies)
    page = web.get("/phan-loai")
    web.post("/dang-xuat", data={"csrf_token": _csrf(page.text)})
    web.close()
    with httpx.Client(base_url=demo.url, timeout=30, cookies=saved) as replay:
        again = replay.get("/phan-loai")
    if again.status_code == 200:
        return "FAILED", "the cookie saved before /dang-xuat still opens /phan-loai (200)"
    return "refused", f"the saved cookie after sign-out gets {again.status_code} {again.headers.get('location', '')}"


def probe_spoofed_forwarded_for(demo: Demo) -> Verdict:
    """Item 6: wrong passwords, each for another account from another claimed address, must still be locked."""
    statuses = []
    with httpx.Client(base_url=demo.url, timeout=30) as web:
        for n in range(22):
            token = _csrf(web.get("/dang-nhap").text)
            answer = web.post(
                "/dang-nhap",
                data={"email": f"tham-do{n}@vi-du.vn", "password": "sai-mat-khau-123", "csrf_token": token},
                headers={"X-Forwarded-For": f"203.0.113.{n + 1}"},
            )
            statuses.append(answer.status_code)
    if statuses[-1] == 429:
        return "refused", f"locked after {statuses.index(429)} wrong passwords despite 22 spoofed addresses"
    return "FAILED", f"22 wrong passwords from spoofed addresses never locked: {sorted(set(statuses))}"


def probe_truncate_audit_event(postgres: str) -> Verdict:
    """Item 5: TRUNCATE audit_event on PostgreSQL must be refused."""
    import psycopg

    from storage.engine import Database
    from storage.migrate import upgrade
    from storage.settings import StorageSettings

    name = f"probe_{uuid.uuid4().hex[:12]}"
    try:
        with psycopg.connect(f"{postgres}/postgres", autocommit=True, connect_timeout=5) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as exc:
        return "FAILED", f"PostgreSQL at {postgres} not usable: {str(exc).strip().splitlines()[0]}"
    try:
        url = f"{postgres.replace('postgresql://', 'postgresql+psycopg://')}/{name}"
        database = Database.from_settings(StorageSettings(database_url=url))
        upgrade(database.engine)
        database.dispose()
        with psycopg.connect(f"{postgres}/{name}", autocommit=True) as conn:
            try:
                conn.execute("TRUNCATE audit_event CASCADE")
            except psycopg.Error as exc:
                return "refused", str(exc).strip().splitlines()[0]
        return "FAILED", "TRUNCATE audit_event succeeded"
    finally:
        with psycopg.connect(f"{postgres}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def probe_demo_sigterm(home: Path) -> Verdict:
    """Item 8: `demo --seconds N` stops at once on SIGTERM."""
    demo = Demo.start(home, "--seconds", "3600")
    time.sleep(3)
    took = demo.stop()
    assert demo.process is not None
    if demo.process.returncode == 0 and took < 15:
        return "held", f"exited {took:.1f} s after SIGTERM, status 0"
    return "FAILED", f"exited {took:.1f} s after SIGTERM, status {demo.process.returncode}"


def probe_drip_fed_extract(home: Path) -> Verdict:
    """Item 9: `extract URL` of a page drip-fed a byte a second gives up at crawler.timeout_s."""
    from crawler.replay.drip import DripServer

    drip = DripServer(every_s=1.0).start()
    try:
        started = time.monotonic()
        done = subprocess.run(
            [EXE, "extract", drip.url],
            env=_env(home, THADS_CRAWLER__TIMEOUT_S="5"),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        took = time.monotonic() - started
    except subprocess.TimeoutExpired:
        return "FAILED", "still fetching after two minutes"
    finally:
        drip.stop()
    if done.returncode == 2 and took < 30:
        return "refused", f"gave up after {took:.1f} s: {done.stderr.strip()}"
    return "FAILED", f"status {done.returncode} after {took:.1f} s: {done.stderr.strip()[-200:]}"


def _one_line_error(done: subprocess.CompletedProcess[str]) -> str | None:
    lines = done.stderr.strip().splitlines()
    if done.returncode == 2 and len(lines) == 1 and lines[0].startswith("Lỗi: "):
        return lines[0]
    return None


def probe_bad_database_urls_and_missing_input(home: Path) -> list[tuple[str, Verdict]]:
    """Item 10: bad SQLite URLs and a missing input file: one `Lỗi:` line, status 2, nothing created."""
    out = []
    missing = home / "khong-co" / "thu-muc"
    cases = [
        ("bad-db-url-missing-folder", ["jobs"], {"THADS_STORAGE__DATABASE_URL": f"sqlite:///{missing / 'x.db'}"}),
        ("bad-db-url-nul", ["jobs"], {"THADS_STORAGE__DATABASE_URL": "sqlite:///%00"}),
        ("missing-input-file", ["classify", "--input", "/missing.jsonl", "--output", str(home / "ra.jsonl")], {}),
    ]
    workdir = home / "cwd"
    workdir.mkdir(exist_ok=True)
    for name, args, extra in cases:
        done = subprocess.run(
            [EXE, *args], env=_env(home, **extra), cwd=workdir, capture_output=True, text=True, timeout=120, check=False
        )
        line = _one_line_error(done)
        created = [str(p) for p in (home / "khong-co", home / "ra.jsonl") if p.exists()] + [
            str(p) for p in workdir.iterdir()
        ]
        if line is not None and not created:
            out.append((name, ("refused", line)))
        else:
            out.append((name, ("FAILED", f"status {done.returncode}, created {created}: {done.stderr[-200:]!r}")))
    return out


def probe_bad_focal_point_file(home: Path) -> Verdict:
    """Item 11: a repeated e-mail, a focal point without a province and head=maybe: each reported by line, and
    nothing imported."""
    env = _env(home, THADS_STORAGE__DATABASE_URL=f"sqlite:///{home / 'dau-moi.db'}")
    subprocess.run([EXE, "init"], env=env, capture_output=True, check=True, timeout=120)
    csv_file = home / "dau-moi.csv"
    csv_file.write_text(
        "email,name,role,province,head\n"
        "an@thads.vn,Nguyễn Văn An,đầu mối,Cần Thơ,\n"
        "ha@thads.vn,Trần Thị Hà,đầu mối,,\n"
        "an@thads.vn,Nguyễn Văn An,đầu mối,Hà Nội,\n"
        "binh@thads.vn,Lê Văn Bình,đầu mối,Hà Nội,maybe\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [EXE, "focal-points", "import", str(csv_file)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    listed = subprocess.run(
        [EXE, "focal-points", "list"], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    reported = sorted(int(n) for n in re.findall(r"dòng (\d+):", done.stderr))
    imported = [e for e in ("an@thads.vn", "ha@thads.vn", "binh@thads.vn") if e in listed.stdout]
    if done.returncode == 2 and reported == [3, 4, 5] and not imported:
        return "refused", "lines 3, 4, 5 reported; nothing imported"
    return "FAILED", f"status {done.returncode}, lines reported {reported}, imported {imported}"


def probe_orphan_crawl_child(home: Path) -> Verdict:
    """Item 12: after SIGKILL of `thads-monitor run`, its crawl process must not crawl on."""
    from crawler.lifeline import children_of, running
    from crawler.replay.drip import DripServer

    drip = DripServer(every_s=1.0).start()
    sources = home / "nguon-nho-giot.yaml"
    sources.write_text(
        "outlets:\n  - slug: bao-nho-giot\n    name: Báo Nhỏ Giọt\n    domain: 127.0.0.1\n    kind: national\n"
        f'    reach_tier: 1\n    feeds:\n      - {{url: "{drip.url}rss", kind: rss}}\n',
        encoding="utf-8",
    )
    env = _env(
        home,
        THADS_STORAGE__DATABASE_URL=f"sqlite:///{home / 'run.db'}",
        THADS_CRAWLER__SOURCES_FILE=str(sources),
        THADS_CRAWLER__ONLY_SOURCES_FILE="true",
        THADS_CRAWLER__TIMEOUT_S="300",
        THADS_CRAWLER__RETRIES="0",
    )
    run = subprocess.Popen(
        [EXE, "run", "--only", "crawl"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 120
        while not drip.paths and time.monotonic() < deadline:
            time.sleep(0.2)
        children = children_of(run.pid)
        if not children:
            return "FAILED", "no crawl process started"
        time.sleep(1)
        run.send_signal(signal.SIGKILL)
        run.wait(timeout=10)
        deadline = time.monotonic() + 15
        while any(running(pid) for pid in children) and time.monotonic() < deadline:
            time.sleep(0.2)
        orphans = [pid for pid in children if running(pid)]
        for pid in orphans:
            os.kill(pid, signal.SIGKILL)
        if orphans:
            return "FAILED", f"crawl process {orphans} still running 15 s after SIGKILL of run"
        return "held", "the crawl process ended with `run`"
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()
        drip.stop()


# --- main -------------------------------------------------------------------------------------------------------


def _report(name: str, probe: Callable[[], Verdict]) -> None:
    try:
        verdict, detail = probe()
    except Exception as exc:  # a probe that breaks is a failed probe, and the others still run
        verdict, detail = "FAILED", f"{type(exc).__name__}: {exc}"
    print(f"{name}: {verdict} ({detail})", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="a running demo's web address (default: start one)")
    parser.add_argument("--demo-dir", type=Path, help="with --url: the demo's folder (its demo.db)")
    parser.add_argument("--demo-log", type=Path, help="with --url: the demo's printed output (the passwords)")
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="thads-probe-") as tmp:
        home = Path(tmp)
        if args.url:
            if args.demo_dir is None or args.demo_log is None:
                parser.error("--url needs --demo-dir and --demo-log")
            demo = Demo(args.url, args.demo_dir, args.demo_log.read_text(encoding="utf-8").splitlines(), None)
        else:
            (home / "web").mkdir()
            demo = Demo.start(home / "web")
        try:
            _report("article-page-as-focal-point", lambda: probe_article_page_as_focal_point(demo))
            _report("cookie-after-logout", lambda: probe_cookie_after_logout(demo))
            _report("spoofed-x-forwarded-for", lambda: probe_spoofed_forwarded_for(demo))
        finally:
            demo.stop()
        _report("truncate-audit-event", lambda: probe_truncate_audit_event(args.postgres))
        for name in ("sigterm", "cli"):
            (home / name).mkdir()
        _report("demo-sigterm", lambda: probe_demo_sigterm(home / "sigterm"))
        _report("drip-fed-extract", lambda: probe_drip_fed_extract(home / "cli"))
        for name, verdict in probe_bad_database_urls_and_missing_input(home / "cli"):
            print(f"{name}: {verdict[0]} ({verdict[1]})", flush=True)
        _report("bad-focal-point-file", lambda: probe_bad_focal_point_file(home / "cli"))
        _report("orphan-crawl-child", lambda: probe_orphan_crawl_child(home / "cli"))


if __name__ == "__main__":
    main()
