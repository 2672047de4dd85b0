"""Priority rules as data (policy/priority.yaml): from an enrichment and its story to P1, P2, P3 or none."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from domain.enums import Priority, Sentiment
from domain.labels import taxonomy
from domain.text import fold_diacritics
from domain.yamlfile import FileError, parse_yaml


class Condition(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    topics: tuple[str, ...] | None = None  # codes of domain/taxonomy.yaml
    sentiments: tuple[Sentiment, ...] | None = None
    min_relevance: float = Field(default=0.0, ge=0, le=1)
    text_any: tuple[str, ...] | None = None
    outlet_reach_tier_max: int | None = Field(default=None, ge=1, le=3)
    min_outlets: int | None = Field(default=None, ge=2)
    within_hours: int | None = Field(default=None, ge=1)
    min_negative_comments: int | None = Field(default=None, ge=1)
    comments_within_hours: int | None = Field(default=None, ge=1)

    @field_validator("topics")
    @classmethod
    def _known_topics(cls, topics: tuple[str, ...] | None) -> tuple[str, ...] | None:
        unknown = [t for t in topics or () if t not in taxonomy().topic_names]
        if unknown:
            raise ValueError(f"chủ đề không có trong domain/taxonomy.yaml: {', '.join(unknown)}")
        return topics


class PriorityRule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    priority: Priority
    when: Condition


class RulesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rules: tuple[PriorityRule, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryFacts:
    """What the rules look at: the story's best enrichment and its copies."""

    topic: str | None
    sentiment: str | None
    relevance: float
    text: str  # headline, lead and text of the first copy
    reach_tiers: tuple[int, ...]  # of the outlets that ran it
    copies: tuple[tuple[str, dt.datetime], ...]  # (outlet slug, fetched at)
    negative_comments: tuple[dt.datetime, ...] = ()  # when the negative comments on the story's posts were written


def _burst(times: tuple[dt.datetime, ...], hours: int) -> int:
    """The most times within any window of `hours`."""
    ordered, best, start = sorted(times), 0, 0
    for end, at in enumerate(ordered):
        while at - ordered[start] > dt.timedelta(hours=hours):
            start += 1
        best = max(best, end - start + 1)
    return best


def _spread(copies: tuple[tuple[str, dt.datetime], ...], hours: int) -> int:
    """The most outlets that ran the story within any window of `hours`."""
    times = sorted(copies, key=lambda c: c[1])
    best = 0
    for i, (_, start) in enumerate(times):
        window = {o for o, at in times[i:] if at - start <= dt.timedelta(hours=hours)}
        best = max(best, len(window))
    return best


def matches(condition: Condition, facts: StoryFacts) -> bool:
    if condition.topics is not None and facts.topic not in condition.topics:
        return False
    if condition.sentiments is not None and facts.sentiment not in condition.sentiments:
        return False
    if facts.relevance < condition.min_relevance:
        return False
    if condition.text_any is not None:
        folded = fold_diacritics(facts.text)
        if not any(fold_diacritics(word) in folded for word in condition.text_any):
            return False
    if condition.outlet_reach_tier_max is not None and not any(
        t <= condition.outlet_reach_tier_max for t in facts.reach_tiers
    ):
        return False
    if condition.min_negative_comments is not None and (
        _burst(facts.negative_comments, condition.comments_within_hours or 24) < condition.min_negative_comments
    ):
        return False
    if condition.min_outlets is not None:
        return _spread(facts.copies, condition.within_hours or 24) >= condition.min_outlets
    return True


class PriorityRules:
    def __init__(self, rules: tuple[PriorityRule, ...]) -> None:
        self.rules = rules

    @classmethod
    def load(cls, path: Path | None = None) -> PriorityRules:
        if path is None:
            text = resources.files("alerts").joinpath("policy/priority.yaml").read_text("utf-8")
            source = "alerts/policy/priority.yaml"
        else:
            text, source = path.read_text(encoding="utf-8"), str(path)
        return cls(parse_yaml(text, source, RulesFile, FileError).rules)

    def judge(self, facts: StoryFacts) -> PriorityRule | None:
        return next((rule for rule in self.rules if matches(rule.when, facts)), None)


@functools.cache
def default_rules() -> PriorityRules:
    return PriorityRules.load()
