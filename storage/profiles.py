"""Watch profiles (table watch_profile) and the articles they matched (table profile_match).

`profile_match.matched_at` is the article's time (published, else fetched), not the moment the matcher ran: a
backfill files an old article under its own day, and the index (profile, matched_at) serves "latest matches" and
any period of one profile."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import cast

from sqlalchemy import ColumnElement, Table, delete, func, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from domain.profiles import DigestArticle, DigestSchedule, DraftArticle, MatchInput, Profile, ProfileMatch, from_starter
from domain.watch_profiles import ProfileKind, WatchProfile
from storage.access import Scope, article_visible
from storage.tables import ArticleRow, EnrichmentRow, OutletRow, ProfileMatchRow, WatchProfileRow
from storage.types import as_utc

_MATCHES = cast(Table, ProfileMatchRow.__table__)
STARTER_AUTHOR = "domain/watch_profiles.yaml"


def _record(row: WatchProfileRow) -> Profile:
    return Profile(
        id=row.id,
        code=row.code,
        name=row.name,
        kind=ProfileKind(row.kind),
        unit=row.unit,
        query=row.query,
        outlets=tuple(row.outlets or ()),
        provinces=tuple(row.provinces or ()),
        active=row.active,
        opens_cases=row.opens_cases,
        recipients=tuple(row.recipients or ()),
        digest=DigestSchedule(row.digest or DigestSchedule.DAILY),
        last_digest_at=as_utc(row.last_digest_at),
        drafting_body=row.drafting_body or "",
        consultation_start=row.consultation_start,
        consultation_end=row.consultation_end,
        updated_at=as_utc(row.updated_at),
        updated_by=row.updated_by,
        version=row.version,
    )


def list_profiles(session: Session, *, active_only: bool = False) -> list[Profile]:
    """Every profile, the one that opens cases first, then by name."""
    query = select(WatchProfileRow).order_by(WatchProfileRow.opens_cases.desc(), WatchProfileRow.name)
    if active_only:
        query = query.where(WatchProfileRow.active.is_(True))
    return [_record(row) for row in session.scalars(query)]


def get_profile(session: Session, code: str) -> Profile | None:
    row = session.scalar(select(WatchProfileRow).where(WatchProfileRow.code == code))
    return _record(row) if row is not None else None


def count_profiles(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(WatchProfileRow)) or 0)


def save_profile(session: Session, profile: Profile, *, by: str, at: datetime) -> Profile:
    """Insert the profile (by its code) or update it; an update counts one more version."""
    row = session.scalar(select(WatchProfileRow).where(WatchProfileRow.code == profile.code))
    if row is None:
        row = WatchProfileRow(code=profile.code, version=1)
        session.add(row)
    else:
        row.version += 1
    row.name = profile.name
    row.kind = profile.kind.value
    row.unit = profile.unit
    row.query = profile.query
    row.outlets = list(profile.outlets)
    row.provinces = list(profile.provinces)
    row.active = profile.active
    row.opens_cases = profile.opens_cases
    row.recipients = list(profile.recipients)
    row.digest = profile.digest.value
    row.drafting_body = profile.drafting_body
    row.consultation_start = profile.consultation_start
    row.consultation_end = profile.consultation_end
    row.updated_at = at
    row.updated_by = by
    session.flush()
    return _record(row)


def load_starters(session: Session, starters: Sequence[WatchProfile], *, at: datetime) -> tuple[list[str], list[str]]:
    """Upsert the starter profiles: a missing code is added; one that no one has edited since it was loaded
    takes the file's name and query; one an admin edited is left as they made it. → (added, updated) codes."""
    added: list[str] = []
    updated: list[str] = []
    for starter in starters:
        stored = get_profile(session, starter.code)
        fresh = from_starter(starter, at=at)
        if stored is None:
            save_profile(session, fresh, by=STARTER_AUTHOR, at=at)
            added.append(starter.code)
        elif stored.updated_by == STARTER_AUTHOR and (stored.name, stored.query) != (fresh.name, fresh.query):
            row = session.scalar(select(WatchProfileRow).where(WatchProfileRow.code == starter.code))
            assert row is not None
            row.name, row.query, row.updated_at, row.version = fresh.name, fresh.query, at, row.version + 1
            updated.append(starter.code)
    session.flush()
    return added, updated


# --- matches ------------------------------------------------------------------------------------------------


def _inputs(session: Session, where: ColumnElement[bool], *, limit: int | None = None) -> list[MatchInput]:
    query = (
        select(
            ArticleRow.id,
            ArticleRow.title,
            ArticleRow.sapo,
            ArticleRow.text,
            OutletRow.slug,
            OutletRow.name,
            EnrichmentRow.province,
            func.coalesce(ArticleRow.published_at, ArticleRow.fetched_at),
        )
        .join(OutletRow, OutletRow.id == ArticleRow.outlet_id)
        .outerjoin(EnrichmentRow, EnrichmentRow.article_id == ArticleRow.id)
        .where(where)
        .order_by(ArticleRow.id)
    )
    if limit is not None:
        query = query.limit(limit)
    return [
        MatchInput(
            article_id=int(i),
            title=title,
            sapo=sapo or "",
            text=text,
            outlet_slug=slug,
            outlet_name=name,
            province=province,
            at=as_utc(at),
        )
        for i, title, sapo, text, slug, name, province, at in session.execute(query)
    ]


def match_inputs(session: Session, article_ids: Sequence[int]) -> list[MatchInput]:
    """The matching inputs of these articles, by id."""
    return _inputs(session, ArticleRow.id.in_(list(article_ids))) if article_ids else []


def next_inputs(session: Session, *, after_id: int, limit: int, since: datetime | None = None) -> list[MatchInput]:
    """A batch of stored articles after `after_id`, by id (a backfill pages through the table so); `since`: only
    those fetched since then."""
    where = ArticleRow.id > after_id
    if since is not None:
        where = where & (ArticleRow.fetched_at >= since)
    return _inputs(session, where, limit=limit)


def _insert_ignoring_twins(session: Session, rows: list[dict[str, object]]) -> None:
    """INSERT … ON CONFLICT DO NOTHING: a pair written meanwhile by another worker is not an error."""
    dialect = session.get_bind().dialect.name
    statement = (postgresql_insert if dialect == "postgresql" else sqlite_insert)(_MATCHES).on_conflict_do_nothing()
    session.execute(statement, rows)


def add_matches(session: Session, matches: Iterable[tuple[int, int, datetime]], *, known_new: bool = False) -> int:
    """Write (profile_id, article_id, at) rows that are not there yet; → how many were new. `known_new`: the
    caller knows none is there (a backfill after deleting the profile's matches): no look-up first."""
    rows: list[dict[str, object]] = [{"profile_id": p, "article_id": a, "matched_at": at} for p, a, at in matches]
    if not rows:
        return 0
    if not known_new:
        profiles = list({r["profile_id"] for r in rows})
        articles = list({r["article_id"] for r in rows})
        existing = {
            (int(p), int(a))
            for p, a in session.execute(
                select(ProfileMatchRow.profile_id, ProfileMatchRow.article_id).where(
                    ProfileMatchRow.profile_id.in_(profiles), ProfileMatchRow.article_id.in_(articles)
                )
            )
        }
        rows = [r for r in rows if (r["profile_id"], r["article_id"]) not in existing]
    if rows:
        _insert_ignoring_twins(session, rows)
    return len(rows)


def delete_matches(session: Session, profile_id: int) -> int:
    """Forget every match of a profile (before its backfill); → how many."""
    result = session.execute(delete(ProfileMatchRow).where(ProfileMatchRow.profile_id == profile_id))
    return int(getattr(result, "rowcount", 0) or 0)


def count_matches(session: Session, profile_id: int) -> int:
    return int(
        session.scalar(
            select(func.count()).select_from(ProfileMatchRow).where(ProfileMatchRow.profile_id == profile_id)
        )
        or 0
    )


def match_counts(session: Session) -> dict[int, int]:
    """The number of matches of every profile that has one, by profile id."""
    rows = session.execute(select(ProfileMatchRow.profile_id, func.count()).group_by(ProfileMatchRow.profile_id))
    return {int(p): int(n) for p, n in rows}


def matched_article_ids(session: Session, profile_id: int) -> set[int]:
    return set(session.scalars(select(ProfileMatchRow.article_id).where(ProfileMatchRow.profile_id == profile_id)))


def latest_matches(
    session: Session, profile_id: int, *, limit: int = 50, scope: Scope = None, user_id: int | None = None
) -> list[ProfileMatch]:
    """The profile's most recent matches (by the article's time) that are visible within `scope`, with headline
    and outlet."""
    query = (
        select(ProfileMatchRow, ArticleRow.title, OutletRow.name, ArticleRow.published_at)
        .join(ArticleRow, ArticleRow.id == ProfileMatchRow.article_id)
        .join(OutletRow, OutletRow.id == ArticleRow.outlet_id)
        .where(ProfileMatchRow.profile_id == profile_id, article_visible(scope, user_id))
        .order_by(ProfileMatchRow.matched_at.desc(), ProfileMatchRow.article_id.desc())
        .limit(limit)
    )
    return [
        ProfileMatch(
            profile_id=row.profile_id,
            article_id=row.article_id,
            matched_at=as_utc(row.matched_at),
            title=title,
            outlet=outlet,
            published_at=as_utc(published),
        )
        for row, title, outlet, published in session.execute(query)
    ]


# --- the profile digest ---------------------------------------------------------------------------------------


def claim_profile(session: Session, code: str, *, claim: bool = True) -> Profile | None:
    """The profile, its row locked for this transaction (PostgreSQL: FOR UPDATE SKIP LOCKED, so that parallel
    digest runs take different profiles; None when another run holds it)."""
    query = select(WatchProfileRow).where(WatchProfileRow.code == code).execution_options(populate_existing=True)
    if claim and session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    row = session.scalar(query)
    return _record(row) if row is not None else None


def record_profile_digest(session: Session, profile_id: int, at: datetime) -> None:
    """The profile's digest was written at `at`: the next one covers what comes after (not an edit: no version)."""
    row = session.get(WatchProfileRow, profile_id)
    assert row is not None
    row.last_digest_at = at
    session.flush()


def digest_matches(session: Session, profile_id: int, *, since: datetime, until: datetime) -> list[DigestArticle]:
    """The profile's matches among the articles enriched in (since, until] (profiles match new articles in the
    enrichment's transaction, so this is what the profile found in the period; a backfill's old articles are not
    news), with headline, lead, outlet, province and time, oldest first."""
    moment = func.coalesce(ArticleRow.published_at, ArticleRow.fetched_at)
    query = (
        select(
            ArticleRow.id,
            ArticleRow.title,
            ArticleRow.sapo,
            func.substr(ArticleRow.text, 1, 1000),
            OutletRow.name,
            EnrichmentRow.province,
            moment,
        )
        .join(ProfileMatchRow, ProfileMatchRow.article_id == ArticleRow.id)
        .join(OutletRow, OutletRow.id == ArticleRow.outlet_id)
        .join(EnrichmentRow, EnrichmentRow.article_id == ArticleRow.id)
        .where(
            ProfileMatchRow.profile_id == profile_id,
            EnrichmentRow.enriched_at > since,
            EnrichmentRow.enriched_at <= until,
        )
        .order_by(moment, ArticleRow.id)
    )
    return [
        DigestArticle(
            article_id=int(i),
            title=title,
            sapo=sapo or "",
            opening=opening or "",
            outlet=outlet,
            province=province,
            at=as_utc(at),
        )
        for i, title, sapo, opening, outlet, province, at in session.execute(query)
    ]


# --- a draft profile's feedback --------------------------------------------------------------------------------


def draft_articles(
    session: Session, profile_id: int, *, since: datetime | None, until: datetime | None
) -> list[DraftArticle]:
    """The profile's matched articles whose time (published, else fetched) is in [since, until) (None: open),
    with URL, outlet and whole text, oldest first."""
    moment = func.coalesce(ArticleRow.published_at, ArticleRow.fetched_at)
    query = (
        select(ArticleRow.id, ArticleRow.title, ArticleRow.url, OutletRow.name, moment, ArticleRow.text)
        .join(ProfileMatchRow, ProfileMatchRow.article_id == ArticleRow.id)
        .join(OutletRow, OutletRow.id == ArticleRow.outlet_id)
        .where(ProfileMatchRow.profile_id == profile_id)
        .order_by(moment, ArticleRow.id)
    )
    if since is not None:
        query = query.where(moment >= since)
    if until is not None:
        query = query.where(moment < until)
    return [
        DraftArticle(article_id=int(i), title=title, url=url, outlet=outlet, at=as_utc(at), text=body or "")
        for i, title, url, outlet, at, body in session.execute(query)
    ]
