"""Why an article was flagged, stored when the enrichment reads it: the terms that weighed most for relevance,
topic and tone, and the places that decided the province. Shown in the triage queue, on a story and on a case."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.records import Explanation, Place, Term
from storage.tables import ExplanationRow
from storage.types import as_utc


def _terms(items: Iterable[dict[str, Any]]) -> tuple[Term, ...]:  # also reads places: the same three fields
    return tuple(Term(text=str(i["text"]), part=str(i["part"]), weight=float(i["weight"])) for i in items)


def _record(row: ExplanationRow) -> Explanation:
    return Explanation(
        article_id=row.article_id,
        relevance=_terms(row.relevance),
        topic=_terms(row.topic),
        sentiment=_terms(row.sentiment),
        places=tuple(Place(text=t.text, part=t.part, weight=t.weight) for t in _terms(row.places)),
        model_version=row.model_version,
        made_at=as_utc(row.made_at),
    )


def _json(items: tuple[Term, ...] | tuple[Place, ...]) -> list[dict[str, object]]:
    return [{**asdict(i), "weight": round(i.weight, 4)} for i in items]


def save_explanation(session: Session, explanation: Explanation) -> None:
    """Insert or replace the article's explanation (a re-reading with another model replaces it)."""
    row = session.get(ExplanationRow, explanation.article_id) or ExplanationRow(article_id=explanation.article_id)
    row.relevance = _json(explanation.relevance)
    row.topic = _json(explanation.topic)
    row.sentiment = _json(explanation.sentiment)
    row.places = _json(explanation.places)
    row.model_version = explanation.model_version
    row.made_at = explanation.made_at
    session.add(row)
    session.flush()


def get_explanation(session: Session, article_id: int) -> Explanation | None:
    row = session.get(ExplanationRow, article_id)
    return None if row is None else _record(row)


def explanations_of(session: Session, article_ids: Iterable[int]) -> dict[int, Explanation]:
    """The explanations of these articles (those that have one), by article id: one query."""
    ids = list(dict.fromkeys(article_ids))
    if not ids:
        return {}
    rows = session.scalars(select(ExplanationRow).where(ExplanationRow.article_id.in_(ids))).all()
    return {row.article_id: _record(row) for row in rows}
