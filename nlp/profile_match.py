"""Watch profiles matched against articles: every new article once against every active profile (one
ProfileMatcher, one ArticleDoc per article), and the backfill of one profile over the stored articles after it
was created or changed. The THADS watch's own path (classifiers, stories, cases) is not touched: its profile
records matches like any other."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy.orm import Session

from domain.matching import ArticleDoc, ProfileMatcher, compile_query
from domain.profiles import MatchInput, Profile
from domain.watch_profiles import WatchProfile
from storage.engine import Database
from storage.profiles import (
    add_matches,
    count_profiles,
    delete_matches,
    get_profile,
    list_profiles,
    load_starters,
    match_inputs,
    next_inputs,
)

log = logging.getLogger(__name__)


def article_doc(item: MatchInput) -> ArticleDoc:
    """The article as the matcher reads it: headline, lead and text, its outlet's name, the enrichment's province."""
    return ArticleDoc(
        title=item.title, sapo=item.sapo, text=item.text, outlet=(item.outlet_name,), province=item.province
    )


@dataclass(frozen=True, slots=True)
class ProfileSet:
    """Active profiles compiled into one matcher, keyed by profile id."""

    profiles: dict[int, Profile]
    matcher: ProfileMatcher

    @classmethod
    def of(cls, profiles: Sequence[Profile]) -> ProfileSet:
        by_id = {p.id: p for p in profiles if p.id is not None}
        return cls(by_id, ProfileMatcher({str(i): p.query for i, p in by_id.items()}))

    def match(self, item: MatchInput) -> list[int]:
        """The ids of the profiles the article matches, their filters applied."""
        found = (self.profiles[int(i)] for i in self.matcher.match(article_doc(item)))
        return [p.id for p in found if p.id is not None and p.admits(item.outlet_slug, item.province)]


@functools.lru_cache(maxsize=2)
def _compiled(profiles: tuple[Profile, ...]) -> ProfileSet:
    """The active profiles compiled once while none of them changes (each batch of enrichment asks again)."""
    return ProfileSet.of(profiles)


def match_articles(session: Session, article_ids: Sequence[int], profiles: ProfileSet | None = None) -> int:
    """Match these articles against every active profile and write the matches; → rows written. Called in the
    enrichment's transaction, after the enrichment was saved (its province counts)."""
    if not article_ids:
        return 0
    profiles = profiles or _compiled(tuple(list_profiles(session, active_only=True)))
    if not profiles.profiles:
        return 0
    session.flush()
    rows = [(p, item.article_id, item.at) for item in match_inputs(session, article_ids) for p in profiles.match(item)]
    return add_matches(session, rows)


@dataclass
class BackfillSummary:
    read: int = 0
    matched: int = 0
    removed: int = 0  # the profile's matches before


def backfill_profile(
    database: Database,
    code: str,
    *,
    batch_size: int = 1000,
    since: datetime | None = None,
    progress: Callable[[BackfillSummary], None] | None = None,
) -> BackfillSummary:
    """Match one profile again over the stored articles (fetched since `since`; None: all), in batches of one
    transaction each, after deleting its old matches. An inactive profile keeps no matches. LookupError: no such
    profile."""
    summary = BackfillSummary()
    with database.session() as session:
        profile = get_profile(session, code)
        if profile is None or profile.id is None:
            raise LookupError(code)
        summary.removed = delete_matches(session, profile.id)
    if not profile.active:
        return summary
    one = ProfileSet.of([profile])
    after = 0
    while True:
        with database.session() as session:
            batch = next_inputs(session, after_id=after, limit=batch_size, since=since)
            if not batch:
                break
            rows = [(p, item.article_id, item.at) for item in batch for p in one.match(item)]
            summary.matched += add_matches(session, rows, known_new=True)
        summary.read += len(batch)
        after = batch[-1].article_id
        if progress is not None:
            progress(summary)
    log.info(
        "backfill %s: %d articles read, %d matches (%d before)", code, summary.read, summary.matched, summary.removed
    )
    return summary


def load_starter_profiles(
    database: Database, starters: Sequence[WatchProfile], *, at: datetime, only_if_empty: bool = False
) -> tuple[list[str], list[str]]:
    """Upsert the starter profiles (storage.profiles.load_starters) and backfill those added or changed;
    `only_if_empty`: nothing when profiles are already stored (start-up). → (added, updated) codes."""
    with database.session() as session:
        if only_if_empty and count_profiles(session):
            return [], []
        added, updated = load_starters(session, starters, at=at)
    for code in (*added, *updated):
        backfill_profile(database, code)
    return added, updated


@dataclass(frozen=True, slots=True)
class QueryTrial:
    """A query tried over recent articles without saving: how many were read and matched, the newest matches."""

    read: int
    matched: int
    newest: list[MatchInput]


def try_query(
    database: Database, query: str, *, since: datetime, show: int = 100, batch_size: int = 1000
) -> QueryTrial:
    """Match `query` (raises domain.query.ParseError) over the articles fetched since `since`; nothing is saved."""
    matcher = ProfileMatcher({"q": compile_query(query)})
    read = 0
    found: list[MatchInput] = []
    after = 0
    while True:
        with database.session() as session:
            batch = next_inputs(session, after_id=after, limit=batch_size, since=since)
        if not batch:
            break
        read += len(batch)
        after = batch[-1].article_id
        found.extend(replace(i, sapo="", text="") for i in batch if matcher.match(article_doc(i)))  # keep headlines
    found.sort(key=lambda item: (item.at, item.article_id), reverse=True)
    return QueryTrial(read=read, matched=len(found), newest=found[:show])
