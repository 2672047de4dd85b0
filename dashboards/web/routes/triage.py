"""A story's triage page: confirm, dismiss, correct labels, merge,
undo a merge (split).
The workflow logic is `alerts.triage`; these handlers read the form, call it, and show the outcome."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import APIRouter, Form, HTTPException, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from alerts import triage
from alerts.priority import PriorityRules
from alerts.workflow import story_facts
from dashboards.labels import province_choices
from dashboards.web.context import Ctx, Monitor
from dashboards.web.routes.common import MAX_ID, Id, redirect, safe_next, with_local_script
from dashboards.web.templating import render
from domain.enums import Role
from domain.labels import taxonomy
from domain.records import Story
from nlp.stories import Fingerprint, from_bytes, similar_stories
from storage.access import copies_of_articles
from storage.cases import case_for_story, list_users
from storage.enrichments import get_enrichment, get_story, recent_signatures
from storage.explanations import get_explanation
from storage.incidents import incidents_of_story
from storage.merges import last_merge
from storage.statements import statements_for_stories
from storage.views.queue import story_copies
from storage.views.social_reaction import story_reaction

router = APIRouter()
Note = Annotated[str, Form(max_length=2000)]
Next = Annotated[str, Form(alias="next", max_length=500)]
SUGGEST_WINDOW = dt.timedelta(days=30)


@router.get("/phan-loai/{story_id}")
def story_page(request: Request, ctx: Ctx, me: Monitor, story_id: Id) -> Response:
    with ctx.database.session() as session:
        story = get_story(session, story_id)
        if story is None:
            raise HTTPException(status_code=404)
        merge = last_merge(session, story_id) if story.merged_into_id is not None else None
        case = case_for_story(session, story_id)
        context = {
            "story": story,
            "merge": merge,
            "copies": story_copies(session, story_id),
            "moved": copies_of_articles(session, merge.article_ids) if merge else [],
            "lead": get_enrichment(session, story.first_article_id),
            "case": case,
            "incidents": incidents_of_story(session, story_id),
            "why": get_explanation(session, story.first_article_id),
            "suggestions": [] if story.merged_into_id is not None else merge_suggestions(session, story),
            "rule": case.reason if case is not None else matching_rule(session, ctx.workflow.rules, story),
            "focal_points": [u for u in list_users(session, role=Role.DAU_MOI)],
            "topics": taxonomy().topic_names,
            "sentiments": taxonomy().sentiments,
            "provinces": province_choices(),
            "statements": statements_for_stories(session, (story_id,)),
            "reaction": story_reaction(session, story_id),
        }
    return with_local_script(render(request, "story.html", context))


@router.post("/phan-loai/{story_id}/xac-nhan")
def confirm(
    ctx: Ctx,
    me: Monitor,
    story_id: Id,
    priority: Annotated[Literal["", "P1", "P2", "P3"], Form()] = "",
    assignees: Annotated[list[str] | None, Form(max_length=20)] = None,
    note: Note = "",
) -> Response:
    if any(len(email) > 254 for email in assignees or []):
        raise HTTPException(status_code=400, detail="Địa chỉ thư điện tử của đầu mối quá dài.")
    with ctx.database.session() as session:
        case = triage.confirm(
            session,
            story_id,
            config=ctx.workflow,
            actor=me.user.email,
            now=ctx.now(),
            priority=priority or None,
            assignee_emails=list(assignees or []),
            note=note.strip() or None,
        )
    return redirect(f"/ho-so/{case.id}", "xac-nhan")


@router.post("/phan-loai/{story_id}/loai")
def dismiss(
    ctx: Ctx,
    me: Monitor,
    story_id: Id,
    reason: Annotated[str, Form(min_length=1, max_length=2000)],
    next_path: Next = "/phan-loai",
) -> Response:
    with ctx.database.session() as session:
        triage.dismiss_story(session, story_id, reason=reason, actor=me.user.email, at=ctx.now())
    return redirect(safe_next(next_path, "/phan-loai"), "da-loai")


@router.post("/phan-loai/{story_id}/sua-nhan")
def relabel(
    ctx: Ctx,
    me: Monitor,
    story_id: Id,
    relevant: Annotated[Literal["co", "khong"], Form()],
    topic: Annotated[str, Form(max_length=64)],
    sentiment: Annotated[str, Form(max_length=64)],
    province: Annotated[str, Form(max_length=64)],
) -> Response:
    changes: dict[str, str | bool | None] = {
        "relevant": relevant == "co",
        "topic": topic,
        "sentiment": sentiment,
        "province": province,
    }
    with ctx.database.session() as session:
        saved = triage.correct_labels(session, story_id, changes, actor=me.user.email, at=ctx.now())
    return redirect(f"/phan-loai/{story_id}", "sua-nhan" if saved else "khong-doi")


@router.post("/phan-loai/{story_id}/gop")
def merge(
    ctx: Ctx,
    me: Monitor,
    story_id: Id,
    target: Annotated[int, Form(ge=1, le=MAX_ID)],
) -> Response:
    with ctx.database.session() as session:
        merged = triage.merge(session, story_id, target, config=ctx.workflow, actor=me.user.email, at=ctx.now())
    return redirect(f"/phan-loai/{merged.id}", "gop")


@router.post("/phan-loai/{story_id}/tach")
def split(ctx: Ctx, me: Monitor, story_id: Id) -> Response:
    with ctx.database.session() as session:
        story = triage.split(session, story_id, actor=me.user.email, at=ctx.now())
    return redirect(f"/phan-loai/{story.id}", "tach")


def matching_rule(session: Session, rules: PriorityRules, story: Story) -> str | None:
    """The priority rule the story matches now (a story without a case: none matched when the workflow read it,
    or the workflow has not run yet), with its priority."""
    found = story_facts(session, story)
    rule = rules.judge(found[0]) if found is not None else None
    return None if rule is None else f"{rule.name} ({rule.priority}; chưa lập hồ sơ)"


@dataclass(frozen=True, slots=True, kw_only=True)
class Suggestion:
    story: Story
    similarity: float  # estimated containment of the closest pair of articles


def merge_suggestions(session: Session, story: Story, *, limit: int = 5) -> list[Suggestion]:
    """The stories most like this one (MinHash of 4-syllable shingles, as the clustering reads them) among the
    relevant articles fetched from SUGGEST_WINDOW before it on."""
    own: list[Fingerprint] = []
    others: list[tuple[int, Fingerprint]] = []
    for _, story_id, data in recent_signatures(session, story.first_seen_at - SUGGEST_WINDOW):
        fingerprint = from_bytes(data)
        if fingerprint is None:
            continue
        if story_id == story.id:
            own.append(fingerprint)
        else:
            others.append((story_id, fingerprint))
    found = []
    for story_id, similarity in similar_stories(own, others, limit=limit):
        other = get_story(session, story_id)
        if other is not None and other.merged_into_id is None:
            found.append(Suggestion(story=other, similarity=similarity))
    return found
