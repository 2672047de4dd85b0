"""`thads-monitor demo`: the whole system on one machine, with no internet and nothing to configure.

A news site on 127.0.0.1 publishes a stream of Vietnamese articles (the project's own written samples, or a JSONL
corpus), and the agency's Facebook Page and a YouTube channel answer on loopback in the official APIs' shapes
(crawler/replay/social_demo.py: posts and videos about a few articles, comments released over time, a burst of
negative ones raising a story to P1 a few minutes after the start); the main job collects, reads and triages them,
opens cases and writes e-mails; a local SMTP server keeps
every e-mail as an .eml file; the web app runs at http://127.0.0.1:8000 with demo users whose passwords are printed.
Everything lives in one folder (SQLite database, e-mails, attachments), started afresh each time.
"""

from __future__ import annotations

import json
import random
import secrets
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path

import uvicorn

from crawler.replay.corpus import CorpusError, ReplayArticle, load_corpus, schedule
from crawler.replay.site import ReplaySite
from crawler.replay.social_demo import SocialReplay
from crawler.social.settings import SocialSettings
from dashboards.settings import WebSettings
from dashboards.web.security import Passwords
from domain.enums import Role
from domain.localtime import VN
from domain.records import User
from domain.text import normalize_vietnamese
from domain.watch_profiles import starter_profiles
from nlp.profile_match import load_starter_profiles
from storage.accounts import set_password_hash
from storage.cases import upsert_user
from storage.engine import Database
from storage.migrate import upgrade
from thads_monitor.jobs import Runtime
from thads_monitor.mailbox import Mailbox
from thads_monitor.scheduler import run_scheduler
from thads_monitor.settings import ConfigError, Settings
from thads_monitor.webapp import ProxyOptions, build_app

RELEASED = 40  # articles already published when the demo starts (over the last day); then one every `every_s`


@dataclass(frozen=True, slots=True)
class DemoUser:
    email: str
    name: str
    role: Role
    province: str | None
    head: bool = False


USERS = (
    DemoUser("giamsat@demo.thads.vn", "Nguyễn Thị Giám Sát (bộ phận theo dõi báo chí)", Role.MONITOR, "toan_quoc"),
    DemoUser("daumoi.hanoi@demo.thads.vn", "Trần Văn Hà (đầu mối THADS Hà Nội)", Role.DAU_MOI, "Hà Nội"),
    DemoUser("truong.hanoi@demo.thads.vn", "Lê Minh Trưởng (Trưởng THADS Hà Nội)", Role.DAU_MOI, "Hà Nội", True),
    DemoUser("daumoi.hcm@demo.thads.vn", "Phạm Thị Minh (đầu mối THADS TP. Hồ Chí Minh)", Role.DAU_MOI, "Hồ Chí Minh"),
    DemoUser("lanhdao@demo.thads.vn", "Đỗ Quang Lãnh Đạo (lãnh đạo Cục)", Role.LEADER, None),
)


def written_samples() -> list[tuple[str, str, str, str]]:
    """The articles written for the project (nlp/data), in a fixed shuffled order: a realistic mix of good news,
    routine news, complaints and misconduct, and unrelated articles."""
    text = resources.files("nlp").joinpath("data/written-samples.jsonl").read_text("utf-8")
    rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    random.Random(2026).shuffle(rows)
    return [
        (str(r["id"]), normalize_vietnamese(r["title"]), normalize_vietnamese(r.get("summary") or ""), r["text"])
        for r in rows
    ]


def demo_settings(
    settings: Settings,
    folder: Path,
    *,
    site: ReplaySite,
    social: SocialReplay,
    mailbox: Mailbox,
    port: int,
    digest_after_min: int,
) -> Settings:
    """The user's settings with everything the demo runs on: its folder, the replay site and its social APIs
    (the agency's Page and a YouTube channel, with fake token and key), the local mailbox."""
    sources = folder / "nguon-tin.yaml"
    sources.write_text(site.sources_yaml(concurrency=4) + social.sources_yaml(), encoding="utf-8")
    # Today's digest a few minutes after the start, once the first cases exist (on a start just before midnight it
    # is due at once, for the day that has just begun).
    digest_at = (datetime.now(VN) + timedelta(minutes=digest_after_min)).strftime("%H:%M")
    return settings.model_copy(
        update={
            "storage": settings.storage.model_copy(
                update={"database_url": f"sqlite:///{folder / 'demo.db'}", "data_dir": folder}
            ),
            "crawler": settings.crawler.model_copy(
                update={"sources_file": sources, "only_sources_file": True, "extract_workers": 1, "redis_url": None}
            ),
            "mail": settings.mail.model_copy(
                update={"host": "127.0.0.1", "port": mailbox.port, "security": "none", "username": None}
            ),
            "alerts": settings.alerts.model_copy(
                update={"app_url": f"http://127.0.0.1:{port}", "digest_time": digest_at, "digest_interval_s": 20}
            ),
            "scheduler": settings.scheduler.model_copy(
                update={
                    "crawl_interval_s": 20,
                    "enrich_interval_s": 20,
                    "workflow_interval_s": 20,
                    "social_interval_s": 20,
                }
            ),
            "social": SocialSettings.model_validate(social.settings()),
        }
    )


def create_users(database: Database, web: WebSettings) -> list[tuple[DemoUser, str]]:
    """The demo users, each with a new random password (returned to be printed)."""
    passwords = Passwords(web)
    made = []
    with database.session() as session:
        for u in USERS:
            upsert_user(session, User(email=u.email, name=u.name, role=u.role, province=u.province, is_head=u.head))
            password = secrets.token_urlsafe(9)
            set_password_hash(session, u.email, passwords.hash(password))
            made.append((u, password))
    return made


class WebServer:
    """The web app in a thread of this process (uvicorn)."""

    def __init__(self, settings: Settings, database: Database, port: int) -> None:
        proxy = ProxyOptions.of(settings.web)  # as `serve`: X-Forwarded-For only from the configured proxies
        config = uvicorn.Config(
            build_app(settings, database),
            host="127.0.0.1",
            port=port,
            log_level="warning",
            proxy_headers=proxy.proxy_headers,
            forwarded_allow_ips=proxy.forwarded_allow_ips,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="web", daemon=True)

    def start(self) -> WebServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def articles_for(corpus: Path | None, limit: int, every_s: int) -> list[ReplayArticle]:
    try:
        rows = load_corpus(corpus, limit=limit) if corpus is not None else written_samples()[:limit]
    except CorpusError as exc:
        raise ConfigError(str(exc)) from exc
    if not rows:
        raise ConfigError(f"kho bài {corpus} không có bài nào dùng được")
    return schedule(
        rows,
        now=datetime.now(UTC),
        spread=timedelta(days=1),
        released=min(RELEASED, len(rows)),
        every=timedelta(seconds=every_s),
    )


def prepare_folder(folder: Path) -> None:
    """A fresh demo folder: the previous demo's database and e-mails are removed (only files the demo made)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("demo.db", "demo.db-wal", "demo.db-shm", "nguon-tin.yaml", "web-secret-key"):
        (folder / name).unlink(missing_ok=True)
    for name in ("thu", "tep-dinh-kem"):
        shutil.rmtree(folder / name, ignore_errors=True)


def run_demo(
    settings: Settings,
    *,
    folder: Path,
    port: int,
    corpus: Path | None,
    limit: int,
    every_s: int,
    seconds: float | None,
    digest_after_min: int = 3,
    say: Callable[[str], None],
) -> None:
    prepare_folder(folder)
    articles = articles_for(corpus, limit, every_s)
    site = ReplaySite(articles).start()
    social = SocialReplay(articles, site_base=site.base, start=datetime.now(UTC)).start_serving()
    mailbox = Mailbox(folder / "thu").start()
    effective = demo_settings(
        settings, folder, site=site, social=social, mailbox=mailbox, port=port, digest_after_min=digest_after_min
    )
    database = Database.from_settings(effective.storage)
    web: WebServer | None = None
    timer: threading.Timer | None = None
    try:
        upgrade(database.engine)
        users = create_users(database, effective.web)
        # the Ministry's starter watch profiles, as `thads-monitor run` loads them: the demo's profile pages show
        # the replayed articles each matches
        load_starter_profiles(database, starter_profiles(), at=datetime.now(UTC), only_if_empty=True)
        web = WebServer(effective, database, port).start()
        say(f"Trang tin phát lại: {site.base}/ (đăng sẵn {RELEASED} bài, sau đó cứ {every_s} giây một bài mới)")
        say(
            f"Mạng xã hội phát lại: Graph API {social.graph_url}, YouTube Data API {social.youtube_url} "
            f"({len(social.shared)} tin được chia sẻ; bình luận tiêu cực dồn dập về một tin sau vài phút)"
        )
        say(f"Giao diện web: http://127.0.0.1:{port}/")
        say(f"Thư điện tử (mỗi thư một tệp .eml): {mailbox.folder}")
        say(f"Dữ liệu của bản chạy thử: {folder}")
        say("Tài khoản chạy thử (mật khẩu mới mỗi lần chạy):")
        for user, password in users:
            say(f"  {user.email:32} mật khẩu: {password}   – {user.name}")
        say(
            "Trong vài phút đầu: tin được thu thập, phân loại, lập hồ sơ, gửi cảnh báo; bản điểm tin lúc "
            f"{effective.alerts.digest_time}. Nhấn Ctrl+C để dừng."
        )
        runtime = Runtime(settings=effective, database=database)
        if seconds is not None:
            # A daemon, cancelled on the way out: a stop by SIGTERM or Ctrl+C must not wait for the timer.
            timer = threading.Timer(seconds, runtime.stop.set)
            timer.daemon = True
            timer.start()
        run_scheduler(runtime)
    finally:
        if timer is not None:
            timer.cancel()
        if web is not None:
            web.stop()
        mailbox.stop()
        social.stop()
        site.stop()
        database.dispose()
    say(f"Đã dừng. Thư đã gửi: {len(mailbox.messages())} tệp trong {mailbox.folder}")
