"""Alert latency benchmark: from an article appearing in an outlet's feed to its P1 alert in a mailbox.

A replay site on 127.0.0.1 publishes 50 P1-worthy articles (from nlp/data/written-samples.jsonl: misconduct,
violent conflict, complaints on a widest-reach outlet; 50 distinct stories) among as many ordinary ones over
a few minutes. A pipeline loop polls the feed every 60 s the way the scheduler will chain the stages
(crawl_once → run_enrich → run_workflow → release_held → run_alerts → run_outbox), on a temporary SQLite
database, and an aiosmtpd server on loopback records when each alert arrives (a P1 batch of alerts.batching
counts for every case it lists). Prints, over the 50 articles, the latency from publication in the feed to the
first alert of its case: p50, p95, max (target p95 ≤ 120 s), with the time
spent waiting for the next poll and in each stage.

    .venv/bin/python benchmarks/alert_latency.py [--spread-s 300] [--poll-s 60]
"""

from __future__ import annotations

import argparse
import datetime as dt
import email
import json
import re
import socket
import statistics
import tempfile
import threading
import time
from email.policy import default
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

from alerts.batching import release_held
from alerts.calendar import default_calendar
from alerts.deadlines import default_policy
from alerts.priority import PriorityRules, StoryFacts, default_rules
from alerts.sender import run_alerts, run_outbox
from alerts.settings import AlertSettings, MailSettings
from alerts.workflow import run_workflow
from crawler.replay.corpus import schedule
from crawler.replay.site import ReplaySite
from crawler.run import crawl_once
from crawler.settings import CrawlerSettings
from domain.provinces import NATIONWIDE, PROVINCES
from domain.records import User
from domain.text import fold_diacritics
from nlp.classify import Classifier, Document
from nlp.enrich import run_enrich
from nlp.settings import NlpSettings
from nlp.stories import StoryIndex, signature
from storage.cases import list_cases, upsert_user
from storage.engine import Database
from storage.enrichments import story_articles
from storage.migrate import upgrade
from storage.settings import StorageSettings

REPO = Path(__file__).resolve().parent.parent
VIOLENT = default_rules().rules[1].when.text_any or ()
WIDE_REACH_TOPICS = {"khieu_nai_to_cao", "cuong_che_tai_san", "dau_gia_tai_san", "thi_hanh_an_hanh_chinh"}


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Mailbox:
    """aiosmtpd handler: when each alert of each case arrived."""

    def __init__(self) -> None:
        self.first_alert: dict[int, float] = {}
        self.messages = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(bytes(envelope.original_content or envelope.content), policy=default)
        with self.lock:
            self.messages += 1
            if message["X-THADS-Kind"] != "alert":
                return "250 OK"
            if message["X-THADS-Case"]:
                self.first_alert.setdefault(int(str(message["X-THADS-Case"])), time.time())
            else:  # a P1 batch (alerts.batching): every case it lists
                body = message.get_body(preferencelist=("plain",))
                text = body.get_content() if body is not None else ""
                for case_id in re.findall(r"Hồ sơ #(\d+)", text):
                    self.first_alert.setdefault(int(case_id), time.time())
        return "250 OK"


def pick(classifier: Classifier, rules: PriorityRules, count: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """`count` articles the pipeline itself will judge P1 on a widest-reach outlet, each a story of its own
    (misconduct first, then violent conflict, then complaints), and as many ordinary articles to go with them."""
    rows = [json.loads(line) for line in (REPO / "nlp" / "data" / "written-samples.jsonl").open(encoding="utf-8")]

    def rank(row: dict[str, Any]) -> int:
        text = f"{row['title']} {row['summary']} {row['text']}".lower()
        if row["topic"] == "sai_pham_can_bo":
            return 0
        return 1 if any(w in text for w in VIOLENT) else 2

    candidates = sorted(
        (
            r
            for r in rows
            if r["sentiment"] == "tieu_cuc"
            and (r["topic"] == "sai_pham_can_bo" or r["topic"] in WIDE_REACH_TOPICS or rank(r) == 1)
        ),
        key=rank,
    )
    stories = StoryIndex(NlpSettings().story_threshold)
    chosen: list[dict[str, Any]] = []
    for row in candidates:
        result = classifier.classify(
            Document(id=row["id"], title=row["title"], summary=row["summary"], text=row["text"])
        )
        if not result.relevant:
            continue
        facts = StoryFacts(
            topic=result.topic,
            sentiment=result.sentiment,
            relevance=result.relevance_score,
            text=f"{row['title']}\n{row['summary']}\n{row['text']}",
            reach_tiers=(1,),
            copies=(("bao-tin-nhanh", now()),),
        )
        rule = rules.judge(facts)
        minhash = signature(row["title"], row["text"])
        if rule is None or rule.priority != "P1" or stories.match(minhash) is not None:
            continue
        stories.add(len(chosen), len(chosen), minhash)
        chosen.append(row)
        if len(chosen) == count:
            break
    print(f"P1-worthy candidates      {len(candidates)}; judged P1 by the shipped models and rules: {len(chosen)} used")
    ids = {r["id"] for r in candidates}
    ordinary = [r for r in rows if r["id"] not in ids][: len(chosen)]
    return chosen, ordinary


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=50)
    parser.add_argument("--spread-s", type=int, default=300, help="publish them all over this many seconds")
    parser.add_argument("--poll-s", type=int, default=60)
    parser.add_argument("--grace-s", type=int, default=360, help="keep polling this long after the last one")
    args = parser.parse_args()

    classifier = Classifier.load()
    chosen, ordinary = pick(classifier, default_rules(), args.articles)
    mixed = [row for pair in zip(chosen, ordinary, strict=False) for row in pair] + chosen[len(ordinary) :]
    corpus = [(r["id"], r["title"], r["summary"], r["text"]) for r in mixed]
    work = Path(tempfile.mkdtemp(prefix="thads-latency-"))
    storage = StorageSettings(database_url=f"sqlite:///{work / 'latency.db'}", data_dir=work)
    db = Database.from_settings(storage)
    upgrade(db.engine)
    with db.session() as session:
        for province in (*PROVINCES, NATIONWIDE):
            slug = fold_diacritics(province).replace(" ", "-")
            upsert_user(
                session,
                User(
                    email=f"daumoi-{slug}@thads.example", name=f"Đầu mối {province}", role="dau_moi", province=province
                ),
            )

    mailbox = Mailbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    smtp = Controller(mailbox, hostname="127.0.0.1", port=port)
    smtp.start()

    start = now()  # the stream begins: one article every `every`, the first poll now
    every = dt.timedelta(seconds=args.spread_s / len(corpus))
    articles = schedule(corpus, now=start, spread=dt.timedelta(0), released=0, every=every)
    site = ReplaySite(articles).start()
    site.prerender()
    published = {a.path: a.published_at for a in articles}
    p1_paths = {a.path for a in articles if a.source_id in {r["id"] for r in chosen}}
    sources = work / "sources.yaml"
    sources.write_text(site.sources_yaml(poll_interval_s=args.poll_s, kinds=("rss",)), encoding="utf-8")
    crawler = CrawlerSettings(sources_file=sources, only_sources_file=True)
    mail = MailSettings(host="127.0.0.1", port=smtp.port, security="none", timeout_s=10)
    alerts = AlertSettings()
    rules, policy, calendar = default_rules(), default_policy(), default_calendar()
    stages: dict[str, list[float]] = {
        "crawl": [],
        "enrich": [],
        "workflow": [],
        "roundup": [],
        "alerts": [],
        "outbox": [],
    }
    crawl_started: list[dt.datetime] = []
    last_publication = max(published.values())
    print(f"publishing                {len(corpus)} articles, one every {every.total_seconds():.1f} s")
    print(f"polling the feed          every {args.poll_s} s")
    tick = start
    while now() < last_publication + dt.timedelta(seconds=args.grace_s):
        crawl_started.append(now())
        for name, run in (
            ("crawl", lambda: crawl_once(storage, crawler)),
            ("enrich", lambda: run_enrich(db, classifier, NlpSettings(), now=now)),
            (
                "workflow",
                lambda: run_workflow(db, rules=rules, policy=policy, calendar=calendar, settings=alerts, now=now),
            ),
            ("roundup", lambda: release_held(db, alerts, now=now())),
            ("alerts", lambda: run_alerts(db, mail, now=now, app_url=alerts.app_url)),
            ("outbox", lambda: run_outbox(db, mail, now=now, app_url=alerts.app_url)),
        ):
            began = time.perf_counter()
            run()
            stages[name].append(time.perf_counter() - began)
        with mailbox.lock:
            done = len(mailbox.first_alert)
        if done >= len(chosen) and now() > last_publication:
            break
        tick += dt.timedelta(seconds=args.poll_s)
        time.sleep(max(0.0, (tick - now()).total_seconds()))
    smtp.stop()
    site.stop()

    latencies, waits, missing = [], [], 0
    with db.session() as session:
        p1_cases = [c for c in list_cases(session, limit=10_000) if c.priority == "P1"]
        first_urls = {c.id: story_articles(session, c.story_id)[0].url for c in p1_cases}
    by_path = {url.split(site.base, 1)[-1]: case_id for case_id, url in first_urls.items()}
    for path in sorted(p1_paths):
        case_id = by_path.get(path)
        arrived = mailbox.first_alert.get(case_id) if case_id is not None else None
        if arrived is None:
            missing += 1
            continue
        appeared = published[path]
        latencies.append(arrived - appeared.timestamp())
        waits.append(min((t - appeared).total_seconds() for t in crawl_started if t >= appeared))
    latencies.sort()
    p95 = latencies[max(0, round(0.95 * len(latencies)) - 1)] if latencies else float("nan")
    print(f"P1 alerts received        {len(latencies)} of {len(p1_paths)} articles ({missing} without one)")
    print(f"messages received         {mailbox.messages} (alerts to focal points and the central desk, case notices)")
    print(f"latency p50               {statistics.median(latencies):.0f} s")
    print(f"latency p95               {p95:.0f} s  (target <= 120 s)")
    print(f"latency max               {max(latencies):.0f} s")
    print(f"of which: waiting for the next poll, median {statistics.median(waits):.0f} s, max {max(waits):.0f} s")
    print(
        "pipeline cycle (median)   "
        + ", ".join(f"{name} {statistics.median(times):.1f} s" for name, times in stages.items())
        + f"; {len(crawl_started)} cycles"
    )
    db.dispose()


if __name__ == "__main__":
    main()
