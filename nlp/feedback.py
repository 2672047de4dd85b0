"""Monitors' judgments as training examples (source "feedback").

What counts, per article and label field, the latest judgment winning:
- a label correction (table label_feedback: the triage page's "Sửa nhãn" and the "Gán nhãn" queue);
- the triage of its story: confirmed → relevant; dismissed as not relevant (the note the triage writes when a
  monitor marks a story not relevant) → not relevant. Other dismissals ("already answered", …) judge the need for
  a response, not the topic, and are not read as labels;
- a topic or tone given by a monitor says the article is relevant when no relevance judgment exists.
A relevant article needs a topic and a tone to train on: a field no monitor gave is taken from the article's
current enrichment only when its story was confirmed (the monitor saw those labels on the story's page, where they
are corrected for every copy, and accepted them). A relevant article still missing its topic or tone is left out
and counted (`FeedbackExamples.incomplete`): the "Gán nhãn" queue keeps offering it until both are given.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.text import normalize_vietnamese
from nlp.train import Example
from storage.feedback import LabelledArticle


@dataclass(frozen=True, slots=True)
class FeedbackExamples:
    examples: tuple[Example, ...]
    incomplete: int  # relevant articles with no monitor-given (or confirmed) topic or tone: not used


def _latest(article: LabelledArticle) -> dict[str, str | None]:
    judged: dict[str, tuple[datetime, int, str | None]] = {}

    def judge(field: str, value: str | None, at: datetime, order: int) -> None:
        if field not in judged or (at, order) >= judged[field][:2]:
            judged[field] = (at, order, value)

    if article.triage is not None and article.triaged_at is not None:
        judge("relevant", "true" if article.triage == "confirmed" else "false", article.triaged_at, 0)
    for feedback in article.feedback:  # oldest first; at the same moment, a correction follows the triage
        judge(feedback.field, feedback.new_value, feedback.at, 1)
    return {field: value for field, (_, _, value) in judged.items()}


def feedback_examples(articles: list[LabelledArticle]) -> FeedbackExamples:
    examples: list[Example] = []
    incomplete = 0
    for article in articles:
        labels = _latest(article)
        relevant = labels.get("relevant")
        if relevant is None and (labels.get("topic") or labels.get("sentiment")):
            relevant = "true"
        if relevant is None:
            continue
        confirmed = article.triage == "confirmed"
        topic = labels.get("topic") or (article.topic if confirmed else None)
        sentiment = labels.get("sentiment") or (article.sentiment if confirmed else None)
        province = labels.get("province") or (article.province if confirmed else None)
        if relevant == "true" and (topic is None or sentiment is None):
            incomplete += 1
            continue
        yes = relevant == "true"
        examples.append(
            Example(
                id=f"feedback:{article.article_id}",
                title=normalize_vietnamese(article.title),
                summary=normalize_vietnamese(article.sapo),
                text=normalize_vietnamese(article.text),
                relevant=yes,
                topic=topic if yes else None,
                sentiment=sentiment if yes else None,
                province=province if yes else None,
                source="feedback",
            )
        )
    return FeedbackExamples(tuple(examples), incomplete)
