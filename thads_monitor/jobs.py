"""The stages as scheduled jobs: what each runs, how it is logged (table job_run), which jobs it wakes up.

A job is a function of the Runtime (settings, database, shared models, the stop signal) returning what it did.
The scheduler (thads_monitor/scheduler.py) and the stage workers (`thads-monitor worker …`) run the same functions.
"""

from __future__ import annotations

import logging
import socket
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from pydantic import SecretStr

from alerts.ack_policy import EscalationPolicy
from alerts.calendar import WorkCalendar
from alerts.deadlines import Policy
from alerts.priority import PriorityRules
from alerts.settings import AlertSettings
from domain.yamlfile import FileError
from storage.engine import Database
from storage.jobs import finish_run, start_run
from thads_monitor.settings import ConfigError, Settings

if TYPE_CHECKING:
    from alerts.channels import Channel
    from alerts.sender import OutboxSummary
    from crawler.social.poll import SourcePoll
    from nlp.versions import ActiveModel

# Each job imports its stage when it first runs: the stages bring Scrapy, scikit-learn, matplotlib…, which every
# `thads-monitor` command would otherwise load at start (this module is imported to list the jobs' names).

log = logging.getLogger(__name__)
ACK_CHAIN_INTERVAL_S = 60  # the chain's steps are minutes apart: looked at every minute
ROUNDUP_INTERVAL_S = 60  # held alerts fall due on the hour (round-up) or when a P1 batch's minutes end


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Runtime:
    """What the jobs of one process share: built once at start, models loaded on first use."""

    settings: Settings
    database: Database
    stop: threading.Event = field(default_factory=threading.Event)
    host: str = field(default_factory=socket.gethostname)
    claim: bool = False  # several processes share the work (stage workers): claim rows with SKIP LOCKED
    now: Callable[[], datetime] = utc_now
    _model: ActiveModel | None = None
    _policies: tuple[PriorityRules, Policy, WorkCalendar] | None = None
    _escalation: EscalationPolicy | None = None
    _alerts: AlertSettings | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def model(self) -> ActiveModel:
        """The active model version (the enrichment asks it before each batch: a promoted version is picked up)."""
        with self._lock:
            if self._model is None:
                from nlp.versions import ActiveModel

                nlp = self.settings.nlp
                self._model = ActiveModel(self.database, use_ner=nlp.use_ner, pinned=nlp.model_dir)
            return self._model

    def policies(self) -> tuple[PriorityRules, Policy, WorkCalendar]:
        with self._lock:
            if self._policies is None:
                self._policies = load_policies(self.settings)
            return self._policies

    def escalation(self) -> EscalationPolicy:
        with self._lock:
            if self._escalation is None:
                self._escalation = load_escalation(self.settings)
            return self._escalation

    def alert_settings(self) -> AlertSettings:
        """The alerts' settings with the key of the acknowledgement links (the web app's, unless set)."""
        with self._lock:
            if self._alerts is None:
                self._alerts = signing_alert_settings(self.settings)
            return self._alerts


def signing_alert_settings(settings: Settings) -> AlertSettings:
    """`alerts` with `ack_link_key` set: the configured one, else the web app's secret key, so that the links the
    jobs write are the ones the web app accepts."""
    from dashboards.web.security import secret_key

    alerts = settings.alerts
    if alerts.ack_link_key.get_secret_value():
        return alerts
    key = secret_key(settings.web, settings.storage.data_dir).decode()
    return alerts.model_copy(update={"ack_link_key": SecretStr(key)})


def load_escalation(settings: Settings) -> EscalationPolicy:
    """The acknowledgement chain of urgent cases from the configured file (or the shipped one)."""
    try:
        return EscalationPolicy.load(settings.alerts.escalation_policy_file)
    except (FileError, OSError) as exc:
        raise ConfigError(str(exc)) from exc


def load_policies(settings: Settings) -> tuple[PriorityRules, Policy, WorkCalendar]:
    """Priority rules, deadline policy and calendar from the configured files (or the shipped ones)."""
    a = settings.alerts
    try:
        return (
            PriorityRules.load(a.priority_rules_file),
            Policy.load(a.deadline_policy_file),
            WorkCalendar.load(a.calendar_file, culture_day_off=a.culture_day_off),
        )
    except (FileError, OSError) as exc:
        raise ConfigError(str(exc)) from exc


@dataclass(frozen=True, slots=True)
class Outcome:
    summary: str
    done: int  # units of work done (0: nothing to do; a worker rests)
    wake: bool  # there is new work downstream: those jobs should look now, not at their next turn


@dataclass(frozen=True, slots=True)
class Job:
    name: str
    run: Callable[[Runtime], Outcome]
    interval_s: Callable[[Settings], int]
    then: tuple[str, ...] = ()  # jobs to wake when this one was busy
    description: str = ""


def crawl(rt: Runtime) -> Outcome:
    from crawler.outcomes import OUTCOME_VI
    from crawler.run import crawl_once

    s = rt.settings
    summary = crawl_once(s.storage, s.crawler, due_only=True, stop=rt.stop)
    new = summary.outcomes["new"] + summary.outcomes["edited"]
    text = f"{summary.feeds} nguồn tin ({summary.feeds_failed} lỗi), " + (
        ", ".join(f"{OUTCOME_VI.get(k, k)}: {v}" for k, v in sorted(summary.outcomes.items())) or "không có bài"
    )
    return Outcome(text, summary.feeds, new > 0)


def enrich(rt: Runtime) -> Outcome:
    from nlp.enrich import run_enrich

    summary = run_enrich(rt.database, rt.model(), rt.settings.nlp, now=rt.now, claim=rt.claim, stop=rt.stop.is_set)
    text = f"{summary.enriched} bài, {summary.relevant} liên quan, {summary.new_stories} câu chuyện mới"
    return Outcome(text, summary.enriched, summary.relevant > 0)


def workflow(rt: Runtime) -> Outcome:
    from alerts.corrections import run_corrections
    from alerts.workflow import run_escalate, run_remind, run_workflow

    rules, policy, calendar = rt.policies()
    a = rt.alert_settings()
    made = run_workflow(rt.database, rules=rules, policy=policy, calendar=calendar, settings=a, now=rt.now)
    reminded = run_remind(rt.database, calendar=calendar, settings=a, now=rt.now)
    escalated = run_escalate(rt.database, settings=a, now=rt.now)
    corrections = run_corrections(rt.database, a, now=rt.now(), claim=rt.claim)
    text = (
        f"{made.cases} hồ sơ mới, {made.raised} nâng mức ưu tiên, {reminded.reminders} thư nhắc hạn, "
        f"{escalated.escalations} báo cáo vượt cấp, {corrections.corrected} cải chính được ghi nhận, "
        f"{corrections.not_corrected} quá hạn cải chính"
    )
    done = made.cases + made.raised + reminded.reminders + escalated.escalations
    done += corrections.corrected + corrections.not_corrected
    return Outcome(text, done, done > 0)


def ack_chain(rt: Runtime) -> Outcome:
    from alerts.ack_chain import run_ack_chain

    taken = run_ack_chain(rt.database, policy=rt.escalation(), settings=rt.alert_settings(), now=rt.now)
    return Outcome(f"{taken} bước báo tiếp khi chưa xác nhận", taken, taken > 0)


def roundup(rt: Runtime) -> Outcome:
    from alerts.batching import release_held

    written = release_held(rt.database, rt.alert_settings(), now=rt.now(), claim=rt.claim)
    return Outcome(f"{written} thư tổng hợp cảnh báo", written, written > 0)


def _delivered(summary: OutboxSummary) -> Outcome:
    if summary.off and not (summary.sent or summary.failed or summary.retried):
        return Outcome("không gửi thư (chưa đặt mail.host)", 0, False)
    text = (
        f"{summary.sent} thư đã gửi, {summary.retried} chờ gửi lại, {summary.failed} lỗi, "
        f"{summary.deferred} chờ hết giờ yên lặng"
    )
    return Outcome(text, summary.sent + summary.failed + summary.retried, False)


def other_channels(settings: Settings, database: Database) -> list[Channel]:
    """The configured channels beside e-mail (webhook, Telegram, Zalo); one not configured is left out, and the
    messages written for it wait in the outbox."""
    from alerts.routing import address_book
    from alerts.telegram import TelegramChannel
    from alerts.webhook import WebhookChannel
    from alerts.zalo import ZaloChannel, case_facts

    app_url, book = settings.alerts.app_url, address_book(database)
    found: list[Channel] = []
    if settings.webhook.enabled:
        found.append(WebhookChannel(settings.webhook, app_url=app_url))
    if settings.telegram.enabled:
        found.append(TelegramChannel(settings.telegram, book))
    if settings.zalo.enabled:
        found.append(ZaloChannel(settings.zalo, book, facts=case_facts(database, app_url)))
    return found


def _all_channels(rt: Runtime, summary: OutboxSummary, *, urgent_only: bool) -> OutboxSummary:
    from alerts.sender import add_up, deliver_channels

    channels = other_channels(rt.settings, rt.database)
    others = deliver_channels(
        rt.database, rt.settings.mail, channels, now=rt.now, urgent_only=urgent_only, stop=rt.stop.is_set
    )
    merged = add_up(summary, others)
    merged.off = summary.off  # the e-mail side's state, as the outcome says it
    return merged


def alerts(rt: Runtime) -> Outcome:
    from alerts.sender import run_alerts

    s = rt.settings
    mail = run_alerts(rt.database, s.mail, now=rt.now, app_url=s.alerts.app_url, stop=rt.stop.is_set)
    return _delivered(_all_channels(rt, mail, urgent_only=True))


def outbox(rt: Runtime) -> Outcome:
    from alerts.sender import run_outbox

    s = rt.settings
    mail = run_outbox(rt.database, s.mail, now=rt.now, app_url=s.alerts.app_url, stop=rt.stop.is_set)
    return _delivered(_all_channels(rt, mail, urgent_only=False))


def digest(rt: Runtime) -> Outcome:
    from alerts.digest import run_digest

    summary = run_digest(rt.database, rt.settings.alerts, now=rt.now)
    return Outcome(f"{summary.written} bản điểm tin", summary.written, summary.written > 0)


def profile_digest(rt: Runtime) -> Outcome:
    from alerts.profile_digest import run_profile_digests

    summary = run_profile_digests(rt.database, rt.settings.alerts, now=rt.now)
    return Outcome(f"{summary.written} thư điểm tin chủ đề", summary.written, summary.written > 0)


def report(rt: Runtime) -> Outcome:
    from dashboards.reports.mailing import run_report

    done = run_report(rt.database, rt.settings.reports, rt.now, app_url=rt.settings.alerts.app_url)
    return Outcome(f"{done.reports} báo cáo, {done.messages} thư", done.messages, done.messages > 0)


def feed_health(rt: Runtime) -> Outcome:
    from alerts.feed_health import notify_feed_health
    from crawler.health import broken_feeds

    moment = rt.now()
    broken = broken_feeds(rt.database, now=moment)
    notify_feed_health(rt.database, broken, now=moment, app_url=rt.settings.alerts.app_url)
    return Outcome(f"{len(broken)} nguồn tin hỏng", len(broken), False)


def spikes(rt: Runtime) -> Outcome:
    from alerts.spike_alerts import run_spikes
    from alerts.spikes import SpikePolicy

    a = rt.settings.alerts
    try:
        policy = SpikePolicy.load(a.spike_policy_file)
    except (FileError, OSError) as exc:
        raise ConfigError(str(exc)) from exc
    done = run_spikes(rt.database, policy, now=rt.now(), app_url=a.app_url, channels=a.channels)
    text = f"{done.checked} chủ đề, tỉnh/thành, câu chuyện đã xét, {done.raised} tin tăng đột biến, {done.written} thư"
    return Outcome(text, done.raised, done.written > 0)


def recheck(rt: Runtime) -> Outcome:
    """The post-response watch: watched articles fetched again for edits and takedowns, then the focal points of
    their cases told of each change."""
    from alerts.article_changes import notify_article_changes
    from crawler.process import app_version
    from crawler.recheck import run_recheck

    s = rt.settings
    found = run_recheck(
        rt.database, s.crawler, now=rt.now, user_agent=s.crawler.user_agent(app_version()), stop=rt.stop.is_set
    )
    told = notify_article_changes(rt.database, now=rt.now, app_url=s.alerts.app_url, channels=s.alerts.channels)
    return Outcome(f"{found.text()}, {told.messages} thư báo bài bị sửa, bị gỡ", found.checked, told.messages > 0)


def social_poll(rt: Runtime) -> tuple[list[SourcePoll], Outcome]:
    """The social sources (Facebook Pages, YouTube) polled through their official APIs, the new comments' tone read
    and the posts that share no link joined to a story by their text, the stories whose posts got new comments
    judged again by the priority rules (a burst of negative comments raises the case), posts and comments past the
    retention deleted, and the administrators told of a source with a problem (expired token, quota…)."""
    from alerts.social_health import notify_social_health
    from alerts.workflow import run_social_priority
    from crawler.social.poll import poll_social, purge_expired
    from crawler.sources import SourceError, load_registry
    from nlp.social_reading import read_social

    s = rt.settings
    try:
        registry = load_registry(s.crawler.sources_file, include_shipped=not s.crawler.only_sources_file)
    except SourceError as exc:
        raise ConfigError(str(exc)) from exc
    moment = rt.now()
    polled = poll_social(rt.database, registry.social, s.social, now=moment)
    read = read_social(rt.database, s.nlp, now=moment)
    rules, policy, calendar = rt.policies()
    judged = run_social_priority(
        rt.database,
        rules=rules,
        policy=policy,
        calendar=calendar,
        settings=rt.alert_settings(),
        now=rt.now,
        since=moment,
    )
    posts, comments = purge_expired(rt.database, s.social, now=moment)
    told = notify_social_health(rt.database, now=moment, app_url=s.alerts.app_url)
    new_posts = sum(p.posts_new for p in polled)
    new_comments = sum(p.comments_new for p in polled)
    text = (
        f"{len(polled)} nguồn mạng xã hội ({sum(p.problem is not None for p in polled)} lỗi), {new_posts} bài mới, "
        f"{new_comments} bình luận mới, {sum(p.units for p in polled)} đơn vị quota YouTube, "
        f"{read.joined} bài ghép vào câu chuyện theo nội dung, {judged.cases} hồ sơ mới và "
        f"{judged.raised} nâng mức ưu tiên theo bình luận, "
        f"xóa {posts} bài và {comments} bình luận quá hạn lưu, {told} thư báo lỗi"
    )
    wake = told > 0 or judged.cases + judged.raised > 0
    return polled, Outcome(text, new_posts + new_comments, wake)


def social(rt: Runtime) -> Outcome:
    return social_poll(rt)[1]


JOBS: dict[str, Job] = {
    job.name: job
    for job in (
        Job("crawl", crawl, lambda s: s.scheduler.crawl_interval_s, ("enrich",), "thu thập tin bài"),
        Job("enrich", enrich, lambda s: s.scheduler.enrich_interval_s, ("workflow",), "đọc, phân loại bài"),
        Job(
            "workflow",
            workflow,
            lambda s: s.scheduler.workflow_interval_s,
            ("roundup", "alerts"),
            "lập hồ sơ, nhắc hạn, báo cáo vượt cấp",
        ),
        Job(
            "ack_chain",
            ack_chain,
            lambda s: ACK_CHAIN_INTERVAL_S,
            ("alerts",),
            "báo tiếp hồ sơ khẩn chưa được xác nhận",
        ),
        Job(
            "roundup",
            roundup,
            lambda s: ROUNDUP_INTERVAL_S,
            ("alerts", "outbox"),
            "gửi thư tổng hợp hằng giờ và thư gộp cảnh báo khẩn",
        ),
        Job("alerts", alerts, lambda s: s.mail.alerts_interval_s, (), "gửi ngay cảnh báo khẩn"),
        Job("outbox", outbox, lambda s: s.mail.outbox_interval_s, (), "gửi thư trong hộp thư đi"),
        Job("digest", digest, lambda s: s.alerts.digest_interval_s, ("outbox",), "điểm tin hằng ngày"),
        Job(
            "profile_digest",
            profile_digest,
            lambda s: s.alerts.digest_interval_s,
            ("outbox",),
            "điểm tin theo chủ đề theo dõi",
        ),
        Job("feed_health", feed_health, lambda s: s.scheduler.feed_health_interval_s, (), "kiểm tra nguồn tin"),
        Job(
            "recheck",
            recheck,
            lambda s: s.scheduler.recheck_interval_s,
            ("outbox",),
            "kiểm tra lại bài viết của hồ sơ: bị sửa, bị gỡ",
        ),
        Job(
            "social",
            social,
            lambda s: s.scheduler.social_interval_s,
            ("outbox",),
            "thu thập Trang Facebook, kênh YouTube qua API chính thức",
        ),
        Job("spikes", spikes, lambda s: s.scheduler.spike_interval_s, ("outbox",), "phát hiện tin tăng đột biến"),
        Job("report", report, lambda s: s.scheduler.report_interval_s, ("outbox",), "báo cáo định kỳ cho lãnh đạo"),
    )
}


def run_logged(rt: Runtime, job: Job) -> Outcome | None:
    """Run one job and log it in job_run; an error is logged with its traceback and returns None (the next run
    tries again: one bad run must not stop the scheduler)."""
    with rt.database.session() as session:
        run_id = start_run(session, job=job.name, host=rt.host, at=rt.now())
    try:
        outcome = job.run(rt)
    except Exception as exc:
        log.exception("job %s failed", job.name)
        with rt.database.session() as session:
            finish_run(session, run_id, at=rt.now(), ok=False, error="".join(traceback.format_exception(exc)))
        return None
    with rt.database.session() as session:
        finish_run(session, run_id, at=rt.now(), ok=True, summary=outcome.summary)
    # Every run is in job_run (`thads-monitor jobs`); the log shows at INFO the runs that did something, so that an
    # idle system does not write a line per job every few seconds.
    log.log(logging.INFO if outcome.done else logging.DEBUG, "%s: %s", job.name, outcome.summary)
    return outcome
