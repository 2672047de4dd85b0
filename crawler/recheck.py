"""The post-response watch: the articles of open and recently closed cases are fetched again and compared with
their last capture.

Each article is asked with a conditional GET (the validators of its last answer). 304 is unchanged. 404 and 410
are a takedown. A redirect is followed by hand, one hop at a time: to the home page or a section page it is a
takedown (that page is not fetched), to another article-like address it is read there. A 200 page is extracted
as the crawler extracts it (crawler/extract.py) and its title and text compared with the last snapshot's (their
content hash: adverts, counters and timestamps change the bytes, not the article); a changed wording is an edit,
kept as a new snapshot and a change with the old and new wording. A page with no article that says it is the
outlet's "not found" page is a takedown (crawler/takedown.py). Anything else (robots.txt forbids, 5xx, a network
error, an unreadable page) leaves the article as it was and says why.

robots.txt and each outlet's download delay are respected (crawler/politeness.py); writing goes through
storage, one transaction per article. Telling the focal points is the alerts' job (alerts/article_changes.py),
which reads the changes kept here.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urljoin, urlsplit

import httpx
from sqlalchemy.orm import Session

from crawler.extract import Extracted, NotAnArticle, extract
from crawler.politeness import Politeness
from crawler.rules import Rules
from crawler.settings import CrawlerSettings
from crawler.sources import OutletSpec, Registry, load_registry
from crawler.store import content_hash
from crawler.takedown import not_found_evidence, redirect_reason
from domain.enums import TakedownReason, WatchState
from domain.records import Article
from domain.watch import ArticleChange, WatchTarget
from storage.articles import add_snapshot, get_article, update_article_content
from storage.engine import Database
from storage.outlets import outlet_by_id
from storage.watch import record_change, record_check, watch_targets

log = logging.getLogger(__name__)
MAX_REDIRECTS = 5
REDIRECTS = (301, 302, 303, 307, 308)


@dataclass(frozen=True, slots=True, kw_only=True)
class Verdict:
    """What one re-check found. `state` None: no usable answer (`problem` says why, in Vietnamese)."""

    state: WatchState | None
    reason: TakedownReason | None = None
    problem: str | None = None
    http_status: int | None = None
    final_url: str | None = None
    body: bytes = b""
    extracted: Extracted | None = None
    etag: str | None = None
    last_modified: str | None = None


@dataclass
class RecheckSummary:
    checked: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)  # unchanged, edited, taken_down, skipped

    def text(self) -> str:
        names = {"unchanged": "không đổi", "edited": "bị sửa", "taken_down": "bị gỡ", "skipped": "chưa kiểm tra được"}
        parts = [f"{names[k]}: {v}" for k, v in sorted(self.outcomes.items())]
        return f"{self.checked} bài được kiểm tra lại" + (f" ({', '.join(parts)})" if parts else "")


def _rules(spec: OutletSpec | None) -> Rules:
    return Rules(body=spec.extract.body, drop=spec.extract.drop) if spec else Rules()


def _read(body: bytes, url: str, content_type: str | None, spec: OutletSpec | None) -> Extracted | None:
    site_names = frozenset({spec.name, spec.domain}) if spec else frozenset()
    try:
        return extract(body, url, content_type=content_type, rules=_rules(spec), site_names=site_names)
    except NotAnArticle:
        return None


def check(
    client: httpx.Client,
    politeness: Politeness,
    target: WatchTarget,
    spec: OutletSpec | None,
    *,
    max_page_bytes: int,
) -> Verdict:
    """Fetch one watched article and say what became of it (no storage: a function of the answer)."""
    sections = tuple(f.url for f in spec.feeds) if spec else ()
    url = target.url
    headers = {}
    if target.etag:
        headers["If-None-Match"] = target.etag
    if target.last_modified:
        headers["If-Modified-Since"] = target.last_modified
    for _hop in range(MAX_REDIRECTS + 1):
        if not politeness.allowed(url):
            return Verdict(state=None, problem=f"robots.txt của trang không cho phép tải {url}")
        politeness.wait(url)
        try:
            response = client.get(url, headers=headers)
        except httpx.HTTPError as exc:
            return Verdict(state=None, problem=f"không tải được trang: {type(exc).__name__} {exc}")
        status = response.status_code
        if status in REDIRECTS and "location" in response.headers:
            follow = urljoin(url, response.headers["location"])
            if urlsplit(follow).scheme not in ("http", "https"):
                return Verdict(
                    state=None, problem=f"chuyển hướng đến địa chỉ không hợp lệ {follow}", http_status=status
                )
            reason = redirect_reason(target.url, follow, sections)
            if reason is not None:
                return Verdict(state=WatchState.TAKEN_DOWN, reason=reason, http_status=status, final_url=follow)
            url, headers = follow, {}
            continue
        return _answer(response, target, spec, max_page_bytes=max_page_bytes)
    return Verdict(state=None, problem=f"chuyển hướng quá {MAX_REDIRECTS} lần", final_url=url)


def _answer(response: httpx.Response, target: WatchTarget, spec: OutletSpec | None, *, max_page_bytes: int) -> Verdict:
    status, final = response.status_code, str(response.url)
    moved = final if final != target.url else None
    validators = {"etag": response.headers.get("etag"), "last_modified": response.headers.get("last-modified")}
    if status == 304:
        return Verdict(state=WatchState.UNCHANGED, http_status=status, **validators)
    if status in (404, 410):
        gone = response.content[:max_page_bytes]  # the error page, kept as evidence
        reason = TakedownReason.GONE
        return Verdict(state=WatchState.TAKEN_DOWN, reason=reason, http_status=status, final_url=moved, body=gone)
    if status != 200:
        return Verdict(state=None, problem=f"trang trả về mã {status}", http_status=status)
    body = response.content
    if len(body) > max_page_bytes:
        return Verdict(state=None, problem=f"trang lớn quá giới hạn ({len(body)} byte)", http_status=status)
    extracted = _read(body, final, response.headers.get("content-type"), spec)
    evidence = not_found_evidence(
        body,
        has_article=extracted is not None,
        markers=spec.not_found if spec else (),
        content_type=response.headers.get("content-type"),
    )
    if evidence is not None:
        reason = TakedownReason.NOT_FOUND_PAGE
        return Verdict(state=WatchState.TAKEN_DOWN, reason=reason, http_status=status, final_url=moved, body=body)
    if extracted is None:
        return Verdict(
            state=None,
            http_status=status,
            problem="trang không còn đọc được như một bài viết và không nói bài đã bị gỡ",
        )
    same = content_hash(extracted.title, extracted.text) == target.content_hash
    return Verdict(
        state=WatchState.UNCHANGED if same else WatchState.EDITED,
        http_status=status,
        final_url=moved,
        body=body,
        extracted=extracted,
        **validators,
    )


def store_verdict(database: Database, target: WatchTarget, verdict: Verdict, *, at: datetime) -> None:
    """Write what one re-check found, in one transaction: the check, and an edit or a takedown with its evidence."""
    with database.session() as session:
        answered = verdict.state is not None
        if verdict.state in (WatchState.EDITED, WatchState.TAKEN_DOWN):
            snapshot_id = None
            new_title, new_text = "", ""
            if verdict.body:
                digest = ""
                if verdict.extracted is not None:
                    new_title, new_text = verdict.extracted.title, verdict.extracted.text
                    digest = content_hash(new_title, new_text)
                snapshot, _ = add_snapshot(
                    session,
                    article_id=target.article_id,
                    url=verdict.final_url or target.url,
                    html=verdict.body,
                    content_hash=digest,
                    fetched_at=at,
                    http_status=verdict.http_status or 200,
                )
                snapshot_id = snapshot.id
            if verdict.state == WatchState.EDITED and verdict.extracted is not None:
                _update_article(session, target, verdict.extracted, at)
            record_change(
                session,
                ArticleChange(
                    article_id=target.article_id,
                    at=at,
                    kind=verdict.state,
                    http_status=verdict.http_status,
                    final_url=verdict.final_url,
                    reason=verdict.reason,
                    snapshot_id=snapshot_id,
                    old_title=target.title if verdict.state == WatchState.EDITED else "",
                    new_title=new_title if verdict.state == WatchState.EDITED else "",
                    old_text=target.text if verdict.state == WatchState.EDITED else "",
                    new_text=new_text if verdict.state == WatchState.EDITED else "",
                ),
            )
        record_check(
            session,
            target.article_id,
            at=at,
            answered=answered,
            etag=verdict.etag,
            last_modified=verdict.last_modified,
            problem=verdict.problem,
        )


def _update_article(session: Session, target: WatchTarget, extracted: Extracted, at: datetime) -> None:
    """The article now reads as the outlet edited it (every wording stays in its snapshots and changes)."""
    current = get_article(session, target.article_id)
    if current is None:
        return
    revised = Article(
        outlet_id=current.outlet_id,
        feed_id=current.feed_id,
        url=current.url,
        title=extracted.title,
        sapo=extracted.lead,
        text=extracted.text,
        authors=extracted.authors or current.authors,
        published_at=current.published_at,
        fetched_at=at,
        content_hash=content_hash(extracted.title, extracted.text),
    )
    update_article_content(session, target.article_id, revised)


def _specs(database: Database, registry: Registry, targets: list[WatchTarget]) -> dict[int, OutletSpec | None]:
    found: dict[int, OutletSpec | None] = {}
    with database.session() as session:
        for outlet_id in {t.outlet_id for t in targets}:
            outlet = outlet_by_id(session, outlet_id)
            found[outlet_id] = (registry.get(outlet.slug) or registry.for_domain(outlet.domain)) if outlet else None
    return found


def run_recheck(
    database: Database,
    settings: CrawlerSettings,
    *,
    now: Callable[[], datetime],
    user_agent: str,
    registry: Registry | None = None,
    transport: httpx.BaseTransport | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    stop: Callable[[], bool] = lambda: False,
) -> RecheckSummary:
    """One pass: every watched article that is due, fetched again politely; what each became is stored."""
    moment = now()
    with database.session() as session:
        targets = watch_targets(
            session,
            closed_since=moment - timedelta(days=settings.watch_closed_days),
            due_before=moment - timedelta(seconds=settings.watch_interval_s),
            limit=settings.watch_batch,
        )
    summary = RecheckSummary()
    if not targets:
        return summary
    if registry is None:
        registry = load_registry(settings.sources_file, include_shipped=not settings.only_sources_file)
    specs = _specs(database, registry, targets)
    delays = {
        urlsplit(t.url).netloc.lower(): spec.download_delay_s
        for t in targets
        if (spec := specs.get(t.outlet_id)) is not None
    }
    with httpx.Client(
        transport=transport,
        headers={"User-Agent": user_agent},
        timeout=settings.timeout_s,
        follow_redirects=False,
    ) as client:
        politeness = Politeness(
            client=client,
            user_agent=user_agent,
            delay_s=lambda host: delays.get(host, settings.download_delay_s),
            obey_robots=settings.obey_robots,
            clock=clock,
            sleep=sleep,
        )
        for target in targets:
            if stop():
                break
            verdict = check(
                client, politeness, target, specs.get(target.outlet_id), max_page_bytes=settings.max_page_bytes
            )
            store_verdict(database, target, verdict, at=now())
            summary.checked += 1
            summary.outcomes[verdict.state.value if verdict.state else "skipped"] += 1
            if verdict.state in (WatchState.EDITED, WatchState.TAKEN_DOWN):
                log.info("article %s %s: %s", target.article_id, verdict.state, verdict.reason or target.url)
            elif verdict.state is None:
                log.info("article %s not checked: %s", target.article_id, verdict.problem)
    return summary
