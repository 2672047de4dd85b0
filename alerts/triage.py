"""Monitors' triage of flagged stories: confirm (the case is created or updated, and assigned), dismiss with a
reason, correct the labels (feedback for retraining, applied to the story's enrichments so that routing follows),
merge two stories and undo a merge (split). Every change that concerns a case writes its audit events in the same
transaction.

Refusals raise WorkflowError with a Vietnamese message naming the story or case and why.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlalchemy.orm import Session

from alerts.calendar import WorkCalendar
from alerts.cases import TRANSITIONS, NotFoundError, WorkflowError, assign, dismiss
from alerts.deadlines import Policy
from alerts.priority import PriorityRules
from alerts.recipients import focal_points
from alerts.settings import AlertSettings
from alerts.workflow import create_case, set_priority, story_facts
from domain.enums import FINISHED_STATES, Priority, Role, Sentiment, TriageState
from domain.labels import taxonomy
from domain.provinces import NATIONWIDE, PROVINCES
from domain.records import AuditEvent, Case, Story, User
from storage.cases import append_audit, case_for_story, get_user, update_case
from storage.enrichments import get_enrichment, get_story
from storage.feedback import LabelFeedback, add_feedback, relabel_article, relabel_story
from storage.merges import last_merge, split_story
from storage.triage import NOT_RELEVANT_NOTE, lock_story, merge_stories, move_case, set_triage

PROVINCE_VALUES = frozenset({*PROVINCES, NATIONWIDE})
FIELD_VI = {"relevant": "liên quan", "topic": "chủ đề", "sentiment": "sắc thái", "province": "tỉnh/thành"}


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkflowConfig:
    """The rules a case is made with: priority rules, deadline policy, calendar, messages."""

    rules: PriorityRules
    policy: Policy
    calendar: WorkCalendar
    settings: AlertSettings


def _story(session: Session, story_id: int) -> Story:
    story = lock_story(session, story_id)
    if story is None:
        raise NotFoundError(f"không có tin #{story_id}")
    if story.merged_into_id is not None:
        raise WorkflowError(f"tin #{story_id} đã được gộp vào tin #{story.merged_into_id}")
    return story


def _note(session: Session, case: Case, action: str, note: str, *, actor: str, at: dt.datetime) -> None:
    append_audit(
        session,
        AuditEvent(
            case_id=case.id, at=at, actor=actor, action=action, from_state=case.state, to_state=case.state, note=note
        ),
    )


def _focal_points(session: Session, emails: list[str]) -> list[User]:
    users = []
    for email in emails:
        user = get_user(session, email)
        if user is None or not user.active or user.role != Role.DAU_MOI:
            raise WorkflowError(f"không có đầu mối {email}")
        users.append(user)
    return users


def confirm(
    session: Session,
    story_id: int,
    *,
    config: WorkflowConfig,
    actor: str,
    now: dt.datetime,
    priority: str | None = None,
    assignee_emails: list[str] | None = None,
    note: str | None = None,
) -> Case:
    """The story needs a response: create its case (priority chosen by the monitor, else by the rules, else P3)
    or update the existing one, and assign it (to the chosen focal points, else by routing)."""
    if priority is not None and priority not in list(Priority):
        raise WorkflowError(f"mức ưu tiên “{priority}” không hợp lệ (dùng P1, P2 hoặc P3)")
    chosen_priority = Priority(priority) if priority is not None else None
    story = _story(session, story_id)
    chosen = _focal_points(session, assignee_emails or [])
    case = case_for_story(session, story.id)
    if case is None:
        found = story_facts(session, story)
        if found is None:
            raise WorkflowError(f"tin #{story.id} không còn bản nào được đánh giá là liên quan")
        facts, province, title = found
        rule = config.rules.judge(facts)
        level = chosen_priority or (rule.priority if rule is not None else Priority.P3)
        reason = "Giám sát xác nhận khi phân loại" + (f" (quy tắc: {rule.name})" if rule is not None else "")
        case = create_case(
            session,
            story,
            priority=level,
            reason=reason,
            province=province,
            title=title,
            actor=actor,
            policy=config.policy,
            calendar=config.calendar,
            settings=config.settings,
            now=now,
        )
    else:
        if case.state in FINISHED_STATES:
            raise WorkflowError(f"hồ sơ #{case.id} của tin #{story.id} đã kết thúc; không thể xác nhận lại")
        if chosen_priority is not None and chosen_priority != case.priority:
            case = set_priority(
                session,
                case,
                chosen_priority,
                note="giám sát chọn khi phân loại",
                actor=actor,
                policy=config.policy,
                calendar=config.calendar,
                settings=config.settings,
                now=now,
            )
        if not chosen and case.state == "new":
            chosen = focal_points(session, case.province)
    if chosen:
        case = assign(session, case.id, chosen, actor=actor, at=now)
    _note(session, case, "confirm", f"xác nhận tin #{story.id}" + (f": {note}" if note else ""), actor=actor, at=now)
    set_triage(session, story.id, state=TriageState.CONFIRMED, note=note, by=actor, at=now)
    return case


def dismiss_story(session: Session, story_id: int, *, reason: str, actor: str, at: dt.datetime) -> Story:
    """No response needed: the story leaves the queue, and its case (if any, still open) is dismissed."""
    reason = reason.strip()
    if not reason:
        raise WorkflowError(f"tin #{story_id}: cần nêu lý do loại")
    story = _story(session, story_id)
    case = case_for_story(session, story.id)
    if case is not None and case.state not in FINISHED_STATES:
        dismiss(session, case.id, actor=actor, at=at, reason=reason)
    return set_triage(session, story.id, state=TriageState.DISMISSED, note=reason, by=actor, at=at)


def _check_label(field: str, value: str | bool | None) -> None:
    allowed: dict[str, frozenset[str]] = {
        "topic": frozenset(taxonomy().topic_names),
        "sentiment": frozenset(Sentiment),
        "province": PROVINCE_VALUES,
    }
    if field == "relevant":
        if not isinstance(value, bool):
            raise WorkflowError("nhãn “liên quan” phải là có hoặc không")
    elif field not in allowed:
        raise WorkflowError(f"không có nhãn “{field}”")
    elif value not in allowed[field]:
        raise WorkflowError(f"giá trị “{value}” không hợp lệ cho nhãn {FIELD_VI[field]}")


def _text(value: str | bool | None) -> str | None:
    return None if value is None else str(value).lower() if isinstance(value, bool) else value


def correct_labels(
    session: Session,
    story_id: int,
    changes: dict[str, str | bool | None],
    *,
    actor: str,
    at: dt.datetime,
) -> list[LabelFeedback]:
    """Correct the story's labels: one feedback row per changed field (on the article the monitor read, the
    story's first), the corrected values applied to every copy. An open case follows a new province (it is
    routed again); a story marked not relevant is dismissed."""
    for field, value in changes.items():
        _check_label(field, value)
    story = _story(session, story_id)
    lead = get_enrichment(session, story.first_article_id)
    if lead is None:
        raise WorkflowError(f"tin #{story.id} chưa được phân tích")
    current: dict[str, str | bool | None] = {
        "relevant": lead.relevant,
        "topic": lead.topic,
        "sentiment": lead.sentiment,
        "province": lead.province,
    }
    diffs = {field: value for field, value in changes.items() if current[field] != value}
    if not diffs:
        return []
    saved = [
        add_feedback(
            session,
            LabelFeedback(
                article_id=story.first_article_id,
                field=field,
                old_value=_text(current[field]),
                new_value=_text(value),
                by=actor,
                at=at,
            ),
        )
        for field, value in diffs.items()
    ]
    relabel_story(session, story.id, diffs)
    case = case_for_story(session, story.id)
    if case is not None and case.state not in FINISHED_STATES:
        _note(
            session,
            case,
            "relabel",
            "; ".join(f"{FIELD_VI[f]}: {_text(current[f]) or '—'} → {_text(v) or '—'}" for f, v in diffs.items()),
            actor=actor,
            at=at,
        )
        province = diffs.get("province")
        if isinstance(province, str) and province != case.province:
            case = update_case(session, replace(case, province=province, updated_at=at))
            users = focal_points(session, province)
            if users and case.state in TRANSITIONS["assign"][0]:
                assign(session, case.id, users, actor=actor, at=at)
    if diffs.get("relevant") is False:
        dismiss_story(session, story.id, reason=NOT_RELEVANT_NOTE, actor=actor, at=at)
    return saved


def label_article(
    session: Session, article_id: int, field: str, value: str | bool | None, *, actor: str, at: dt.datetime
) -> LabelFeedback:
    """One label of one article from the "Gán nhãn" queue, recorded even when it agrees with the model (the
    article is then labelled). A change to the first article of a story is a correction of the story
    (`correct_labels`: every copy, the case follows); any other article's enrichment changes alone."""
    _check_label(field, value)
    enrichment = get_enrichment(session, article_id)
    if enrichment is None:
        raise NotFoundError(f"không có bài #{article_id} đã được phân tích")
    current: str | bool | None = getattr(enrichment, field)
    story = get_story(session, enrichment.story_id) if enrichment.story_id is not None else None
    if current != value and story is not None and story.first_article_id == article_id:
        return correct_labels(session, story.id, {field: value}, actor=actor, at=at)[0]
    saved = add_feedback(
        session,
        LabelFeedback(
            article_id=article_id, field=field, old_value=_text(current), new_value=_text(value), by=actor, at=at
        ),
    )
    if current != value:
        relabel_article(session, article_id, {field: value})
    return saved


def merge(
    session: Session, source_id: int, target_id: int, *, config: WorkflowConfig, actor: str, at: dt.datetime
) -> Story:
    """Merge story `source` into `target` (copies of one piece of news that clustering kept apart).

    Cases: a case on `source` alone moves to `target`; when both have an open case, the target's is kept
    (raised to the higher priority) and the source's is dismissed as merged. A source case that already has a
    response cannot be dismissed: the monitor is asked to merge the other way round.
    """
    if source_id == target_id:
        raise WorkflowError(f"không thể gộp tin #{source_id} vào chính nó")
    first, second = sorted((source_id, target_id))  # lock in id order: two monitors cannot deadlock
    stories = {first: _story(session, first), second: _story(session, second)}
    source, target = stories[source_id], stories[target_id]
    source_case, target_case = case_for_story(session, source.id), case_for_story(session, target.id)
    source_open = source_case is not None and source_case.state not in FINISHED_STATES
    note = f"tin #{source.id} ({source.size} bản) gộp vào tin #{target.id}"
    moved_case_id = None
    if source_case is not None and source_open:
        if target_case is None:
            move_case(session, source_case.id, target.id)
            moved_case_id = source_case.id
            _note(session, source_case, "merge", f"{note}; hồ sơ chuyển sang tin #{target.id}", actor=actor, at=at)
        elif target_case.state in FINISHED_STATES:
            raise WorkflowError(
                f"tin #{target.id} có hồ sơ #{target_case.id} đã kết thúc; "
                f"hãy gộp tin #{target.id} vào tin #{source.id}"
            )
        elif source_case.state not in TRANSITIONS["dismiss"][0]:
            raise WorkflowError(
                f"hồ sơ #{source_case.id} của tin #{source.id} đã có phản hồi; "
                f"hãy gộp tin #{target.id} vào tin #{source.id}"
            )
        else:
            if source_case.priority.rank < target_case.priority.rank:
                target_case = set_priority(
                    session,
                    target_case,
                    source_case.priority,
                    note=f"gộp tin #{source.id}",
                    actor=actor,
                    policy=config.policy,
                    calendar=config.calendar,
                    settings=config.settings,
                    now=at,
                )
            dismiss(session, source_case.id, actor=actor, at=at, reason=f"Gộp vào hồ sơ #{target_case.id}: {note}")
    elif source_case is not None:
        _note(session, source_case, "merge", note, actor=actor, at=at)
    merged = merge_stories(session, source.id, target.id, note=note, by=actor, at=at, moved_case_id=moved_case_id)
    if target_case is not None:
        _note(session, target_case, "merge", note, actor=actor, at=at)
    return merged


def split(session: Session, story_id: int, *, actor: str, at: dt.datetime) -> Story:
    """Undo the merge of story `story_id` into another: its copies come back, and a case that moved with it
    comes back too. Audited on the cases concerned. Refused when the story it was merged
    into has since been merged elsewhere (split that one first)."""
    found = lock_story(session, story_id)
    if found is None:
        raise NotFoundError(f"không có tin #{story_id}")
    merge = last_merge(session, story_id) if found.merged_into_id is not None else None
    if merge is None:
        raise WorkflowError(f"tin #{story_id} không được gộp vào tin nào")
    target = _story(session, merge.target_id)  # refuses a target merged elsewhere since
    note = f"tách tin #{story_id} ({len(merge.article_ids)} bản) khỏi tin #{target.id}"
    target_case = case_for_story(session, target.id)
    split_story(session, merge, note=note, by=actor, at=at)
    if merge.moved_case_id is not None and target_case is not None and target_case.id == merge.moved_case_id:
        move_case(session, target_case.id, story_id)
        _note(session, target_case, "split", f"{note}; hồ sơ trở về tin #{story_id}", actor=actor, at=at)
    elif target_case is not None:
        _note(session, target_case, "split", note, actor=actor, at=at)
    own_case = case_for_story(session, story_id)
    if own_case is not None and (target_case is None or own_case.id != target_case.id):
        _note(session, own_case, "split", note, actor=actor, at=at)
    story = get_story(session, story_id)
    assert story is not None
    return story
