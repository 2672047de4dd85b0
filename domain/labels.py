"""The Vietnamese names of the codes users meet, read from the one taxonomy file (domain/taxonomy.yaml).

Topics are data (a new one is an entry in the file); tones, priorities, case and triage states, deadline statuses,
response kinds, statement kinds, roles and message kinds are the enums of `domain.enums`, and the file must name
each member exactly once. The file is read on first use, not on import.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from domain.enums import (
    AlertTier,
    CaseState,
    ChannelName,
    CorrectionEvidence,
    CorrectionState,
    DeadlineStatus,
    IncidentActionKind,
    IncidentSeverity,
    IncidentState,
    NotificationKind,
    Priority,
    ResponseKind,
    Role,
    Sentiment,
    StatementKind,
    TakedownReason,
    TriageState,
    WatchState,
)
from domain.provinces import NATIONWIDE
from domain.yamlfile import FileError, duplicate_key, parse_yaml

SOURCE = "domain/taxonomy.yaml"
OTHER_ENTITY = "other"


class TopicEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str = Field(min_length=1)
    description: str = ""


class TaxonomyFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    topics: tuple[TopicEntry, ...] = Field(min_length=1)
    sentiments: dict[Sentiment, str]
    priorities: dict[Priority, str]
    states: dict[CaseState, str]
    triage: dict[TriageState, str]
    deadline_statuses: dict[DeadlineStatus, str]
    responses: dict[ResponseKind, str]
    statements: dict[StatementKind, str]
    roles: dict[Role, str]
    notifications: dict[NotificationKind, str]
    tiers: dict[AlertTier, str]
    channels: dict[ChannelName, str]
    corrections: dict[CorrectionState, str]
    correction_evidence: dict[CorrectionEvidence, str]
    incident_severities: dict[IncidentSeverity, str]
    incident_states: dict[IncidentState, str]
    incident_actions: dict[IncidentActionKind, str]
    watch_states: dict[WatchState, str]
    takedown_reasons: dict[TakedownReason, str]
    entities: dict[str, str]
    nationwide: str = Field(min_length=1)
    missing: str = Field(min_length=1)

    @model_validator(mode="after")
    def _complete(self) -> Self:
        codes = [t.code for t in self.topics]
        twice = sorted({c for c in codes if codes.count(c) > 1})
        if twice:
            raise ValueError(f"chủ đề có hơn một lần: {', '.join(twice)}")
        for field, enum in (
            ("sentiments", Sentiment),
            ("priorities", Priority),
            ("states", CaseState),
            ("triage", TriageState),
            ("deadline_statuses", DeadlineStatus),
            ("responses", ResponseKind),
            ("statements", StatementKind),
            ("roles", Role),
            ("notifications", NotificationKind),
            ("tiers", AlertTier),
            ("channels", ChannelName),
            ("corrections", CorrectionState),
            ("correction_evidence", CorrectionEvidence),
            ("incident_severities", IncidentSeverity),
            ("incident_states", IncidentState),
            ("incident_actions", IncidentActionKind),
            ("watch_states", WatchState),
            ("takedown_reasons", TakedownReason),
        ):
            absent = [m.value for m in enum if m not in getattr(self, field)]
            if absent:
                raise ValueError(f"{field} thiếu tên cho: {', '.join(absent)}")
        if OTHER_ENTITY not in self.entities:
            raise ValueError(f"entities thiếu tên cho: {OTHER_ENTITY}")
        return self


@dataclass(frozen=True, slots=True, kw_only=True)
class Topic:
    code: str
    name: str
    description: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Taxonomy:
    """Every name users read for a code. Mappings are keyed by the codes (enum members are their codes)."""

    topics: tuple[Topic, ...]
    topic_names: Mapping[str, str]  # code → name, in the file's order
    sentiments: Mapping[str, str]
    priorities: Mapping[str, str]
    states: Mapping[str, str]
    triage: Mapping[str, str]
    deadline_statuses: Mapping[str, str]
    responses: Mapping[str, str]
    statements: Mapping[str, str]
    roles: Mapping[str, str]
    notifications: Mapping[str, str]
    tiers: Mapping[str, str]
    channels: Mapping[str, str]
    corrections: Mapping[str, str]
    correction_evidence: Mapping[str, str]
    incident_severities: Mapping[str, str]
    incident_states: Mapping[str, str]
    incident_actions: Mapping[str, str]
    watch_states: Mapping[str, str]
    takedown_reasons: Mapping[str, str]
    entities: Mapping[str, str]
    nationwide: str
    missing: str


def parse_taxonomy(text: str, source: str = SOURCE) -> Taxonomy:
    """Read a taxonomy file; a bad one raises `domain.yamlfile.FileError` naming the file, line and field."""
    twice = duplicate_key(text)
    if twice is not None:
        key, line = twice
        raise FileError(f"{source}:{line}: “{key}” có hai lần; mỗi mã chỉ có một tên")
    data = parse_yaml(text, source, TaxonomyFile)
    topics = tuple(Topic(code=t.code, name=t.name, description=t.description) for t in data.topics)
    return Taxonomy(
        topics=topics,
        topic_names={t.code: t.name for t in topics},
        sentiments={m: data.sentiments[m] for m in Sentiment},
        priorities={m: data.priorities[m] for m in Priority},
        states={m: data.states[m] for m in CaseState},
        triage={m: data.triage[m] for m in TriageState},
        deadline_statuses={m: data.deadline_statuses[m] for m in DeadlineStatus},
        responses={m: data.responses[m] for m in ResponseKind},
        statements={m: data.statements[m] for m in StatementKind},
        roles={m: data.roles[m] for m in Role},
        notifications={m: data.notifications[m] for m in NotificationKind},
        tiers={m: data.tiers[m] for m in AlertTier},
        channels={m: data.channels[m] for m in ChannelName},
        corrections={m: data.corrections[m] for m in CorrectionState},
        correction_evidence={m: data.correction_evidence[m] for m in CorrectionEvidence},
        incident_severities={m: data.incident_severities[m] for m in IncidentSeverity},
        incident_states={m: data.incident_states[m] for m in IncidentState},
        incident_actions={m: data.incident_actions[m] for m in IncidentActionKind},
        watch_states={m: data.watch_states[m] for m in WatchState},
        takedown_reasons={m: data.takedown_reasons[m] for m in TakedownReason},
        entities=dict(data.entities),
        nationwide=data.nationwide,
        missing=data.missing,
    )


@functools.cache
def taxonomy() -> Taxonomy:
    """The shipped taxonomy, read once."""
    return parse_taxonomy(resources.files("domain").joinpath("taxonomy.yaml").read_text("utf-8"))


def topic_vi(code: str | None) -> str:
    return taxonomy().topic_names.get(code, taxonomy().missing) if code else taxonomy().missing


def sentiment_vi(code: str | None) -> str:
    return taxonomy().sentiments.get(code, taxonomy().missing) if code else taxonomy().missing


def priority_vi(code: str | None, *, missing: str | None = None) -> str:
    """A priority's name; `missing` for none (default: the taxonomy's)."""
    if not code:
        return taxonomy().missing if missing is None else missing
    return taxonomy().priorities.get(code, code)


def state_vi(code: str | None) -> str:
    return taxonomy().states.get(code, code) if code else taxonomy().missing


def triage_vi(code: str) -> str:
    return taxonomy().triage.get(code, code)


def deadline_status_vi(code: str) -> str:
    return taxonomy().deadline_statuses.get(code, code)


def response_kind_vi(code: str) -> str:
    """A response kind as a sentence words it (lower case: "thông tin ban đầu")."""
    return taxonomy().responses.get(code, code)


def correction_state_vi(code: str) -> str:
    return taxonomy().corrections.get(code, code)


def correction_evidence_vi(code: str) -> str:
    return taxonomy().correction_evidence.get(code, code)


def statement_kind_vi(code: str) -> str:
    """A kind of the agency's own document as a sentence words it (lower case: "thông cáo báo chí")."""
    return taxonomy().statements.get(code, code)


def role_vi(code: str) -> str:
    return taxonomy().roles.get(code, code)


def notification_kind_vi(code: str) -> str:
    return taxonomy().notifications.get(code, code)


def incident_severity_vi(code: str) -> str:
    return taxonomy().incident_severities.get(code, code)


def incident_state_vi(code: str) -> str:
    return taxonomy().incident_states.get(code, code)


def incident_action_vi(code: str) -> str:
    return taxonomy().incident_actions.get(code, code)


def watch_state_vi(code: str) -> str:
    return taxonomy().watch_states.get(code, code)


def takedown_reason_vi(code: str | None) -> str:
    return taxonomy().takedown_reasons.get(code, code) if code else taxonomy().missing


def entity_vi(kind: str) -> str:
    return taxonomy().entities.get(kind) or taxonomy().entities[OTHER_ENTITY]


def province_vi(value: str | None) -> str:
    """A province as shown: the 34 names as they are, `toan_quoc` as the nationwide name, none as missing."""
    if not value:
        return taxonomy().missing
    return taxonomy().nationwide if value == NATIONWIDE else value
