"""The active-learning queue (/gan-nhan): the articles the model is least sure of, one click per label; each click
is a label correction kept for retraining (`thads-monitor nlp train --from-db`). Monitors and admins only."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import APIRouter, Form, Request
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from alerts import triage
from alerts.cases import WorkflowError
from dashboards.labels import province_choices
from dashboards.web.context import Ctx, Monitor
from dashboards.web.routes.common import Id
from dashboards.web.templating import render
from domain.labels import taxonomy
from storage.labelling import uncertain_articles
from storage.model_versions import ModelVersion, active_model_version, list_model_versions

router = APIRouter()
QUEUE_SIZE = 20
QUEUE_DAYS = 60  # articles fetched this many days back are offered
REASON_VI = {"relevant": "có liên quan hay không", "topic": "chủ đề", "sentiment": "sắc thái"}


@dataclass(frozen=True, slots=True)
class ModelShown:
    """The model in use as the pages show it: the active version, or the shipped models if none is recorded."""

    version: str
    threshold: float
    active: ModelVersion | None
    versions: tuple[ModelVersion, ...]


def model_shown(session: Session) -> ModelShown:
    active = active_model_version(session)
    versions = tuple(list_model_versions(session))
    if active is not None and "threshold" in active.metrics:
        return ModelShown(active.version, float(active.metrics["threshold"]), active, versions)
    from nlp.versions import shipped_meta  # the package's meta.json (the NLP is loaded only if needed)

    meta = shipped_meta()
    return ModelShown(str(meta["version"]), float(meta["threshold"]), active, versions)


@router.get("/gan-nhan")
def queue(request: Request, ctx: Ctx, me: Monitor) -> Response:
    now = ctx.now()
    with ctx.database.session() as session:
        model = model_shown(session)
        doubts = uncertain_articles(
            session, threshold=model.threshold, since=now - dt.timedelta(days=QUEUE_DAYS), limit=QUEUE_SIZE
        )
    context = {
        "doubts": doubts,
        "model": model,
        "days": QUEUE_DAYS,
        "reasons": REASON_VI,
        "topics": taxonomy().topic_names,
        "sentiments": taxonomy().sentiments,
        "provinces": province_choices(),
    }
    return render(request, "labelling.html", context)


@router.post("/gan-nhan/{article_id}")
def label(
    ctx: Ctx,
    me: Monitor,
    article_id: Id,
    field: Annotated[Literal["relevant", "topic", "sentiment", "province"], Form()],
    value: Annotated[str, Form(max_length=64)],
) -> Response:
    given: str | bool = value
    if field == "relevant":
        if value not in ("co", "khong"):
            raise WorkflowError("nhãn “liên quan” phải là có hoặc không")
        given = value == "co"
    with ctx.database.session() as session:
        triage.label_article(session, article_id, field, given, actor=me.user.email, at=ctx.now())
    return RedirectResponse(f"/gan-nhan?tb=gan-nhan#bai-{article_id}", status_code=303)
