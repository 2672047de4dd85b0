"""The communications database: the agency's own press releases, statements and documents, the stories they
answer, and their search (the same words, diacritics or not, as the article search: `storage.search_terms`).

Statements are few (an agency's own), so their search needs no index of its own: each row keeps its folded words
between spaces (`search_key`, " thi hanh an "), and every typed word or quoted phrase must appear in it whole
(`LIKE '% thi hanh an %'`, the same on SQLite and PostgreSQL; words hold letters and digits only, so they carry no
LIKE wildcard)."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from domain.enums import StatementKind
from domain.records import Attachment, Statement
from domain.text import fold_diacritics
from storage.search_terms import parse_terms, snippet
from storage.tables import StatementRow, StatementStoryRow, StoryRow
from storage.types import as_utc

_WORD = re.compile(r"[^\W_]+")
MAX_HITS = 50


@dataclass(frozen=True, slots=True, kw_only=True)
class StatementHit:
    """A statement that matched a search, with a snippet and its matched spans (as `SearchHit` has them)."""

    statement: Statement
    snippet: str
    marks: tuple[tuple[int, int], ...]


def search_key(*texts: str) -> str:
    """The folded words of the texts, each between spaces: ' thong cao bao chi '."""
    return " " + " ".join(_WORD.findall(fold_diacritics(" ".join(texts)))) + " "


def _statement(row: StatementRow, story_ids: tuple[int, ...]) -> Statement:
    return Statement(
        id=row.id,
        kind=StatementKind(row.kind),
        title=row.title,
        body=row.body,
        issued_on=row.issued_on,
        issuing_unit=row.issuing_unit,
        created_by=row.created_by,
        created_at=as_utc(row.created_at),
        story_ids=story_ids,
        attachment=None if row.attachment is None else Attachment(**row.attachment),  # type: ignore[arg-type]
    )


def _stories_of(session: Session, ids: list[int]) -> dict[int, tuple[int, ...]]:
    found: dict[int, list[int]] = {i: [] for i in ids}
    rows = session.execute(
        select(StatementStoryRow.statement_id, StatementStoryRow.story_id)
        .where(StatementStoryRow.statement_id.in_(ids))
        .order_by(StatementStoryRow.story_id)
    )
    for statement_id, story_id in rows:
        found[statement_id].append(story_id)
    return {i: tuple(s) for i, s in found.items()}


def _records(session: Session, rows: list[StatementRow]) -> list[Statement]:
    stories = _stories_of(session, [r.id for r in rows]) if rows else {}
    return [_statement(r, stories.get(r.id, ())) for r in rows]


def add_statement(session: Session, statement: Statement) -> Statement:
    """Store the statement and its links to stories (each story must exist: LookupError names the first that
    does not)."""
    for story_id in statement.story_ids:
        if session.get(StoryRow, story_id) is None:
            raise LookupError(f"story {story_id} does not exist")
    row = StatementRow(
        kind=statement.kind,
        title=statement.title,
        body=statement.body,
        issued_on=statement.issued_on,
        issuing_unit=statement.issuing_unit,
        attachment=None if statement.attachment is None else asdict(statement.attachment),
        created_by=statement.created_by,
        created_at=statement.created_at,
        search_key=search_key(statement.title, statement.issuing_unit, statement.body),
    )
    session.add(row)
    session.flush()
    for story_id in dict.fromkeys(statement.story_ids):
        session.add(StatementStoryRow(statement_id=row.id, story_id=story_id))
    session.flush()
    return _records(session, [row])[0]


def get_statement(session: Session, statement_id: int) -> Statement | None:
    row = session.get(StatementRow, statement_id)
    return None if row is None else _records(session, [row])[0]


def _newest_first(query: Select[StatementRow]) -> Select[StatementRow]:
    return query.order_by(StatementRow.issued_on.desc(), StatementRow.id.desc())


def list_statements(session: Session, *, limit: int = 50, offset: int = 0) -> tuple[list[Statement], int]:
    """One page of the statements, newest issued first, and how many there are."""
    total = int(session.scalar(select(func.count()).select_from(StatementRow)) or 0)
    rows = list(session.scalars(_newest_first(select(StatementRow)).limit(limit).offset(offset)))
    return _records(session, rows), total


def statements_for_stories(session: Session, story_ids: tuple[int, ...]) -> list[Statement]:
    """The statements linked to any of these stories, newest issued first."""
    if not story_ids:
        return []
    linked = select(StatementStoryRow.statement_id).where(StatementStoryRow.story_id.in_(story_ids))
    rows = list(session.scalars(_newest_first(select(StatementRow).where(StatementRow.id.in_(linked)))))
    return _records(session, rows)


def search_statements(
    session: Session,
    text: str,
    *,
    first_day: date | None = None,
    last_day: date | None = None,
    limit: int = MAX_HITS,
) -> tuple[list[StatementHit], int]:
    """The statements that hold every word and quoted phrase typed (any diacritics), issued between the days
    given (inclusive), newest issued first, with a snippet of the body around the first match; and how many
    match."""
    terms = parse_terms(text)
    if not terms:
        return [], 0
    patterns = [f"% {w} %" for w in terms.words] + [f"% {' '.join(p)} %" for p in terms.phrases]
    where: list[ColumnElement[bool]] = [StatementRow.search_key.like(p) for p in patterns]
    if first_day is not None:
        where.append(StatementRow.issued_on >= first_day)
    if last_day is not None:
        where.append(StatementRow.issued_on <= last_day)
    total = int(session.scalar(select(func.count()).select_from(StatementRow).where(*where)) or 0)
    rows = list(session.scalars(_newest_first(select(StatementRow).where(*where)).limit(max(0, min(limit, MAX_HITS)))))
    hits = []
    for statement in _records(session, rows):
        piece, marks = snippet(statement.body, terms)
        hits.append(StatementHit(statement=statement, snippet=piece, marks=marks))
    return hits, total
