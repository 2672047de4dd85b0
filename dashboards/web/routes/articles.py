"""Articles (/bai-viet): text (escaped), labels, entities, copies of the story, evidence snapshots; and the
snapshot itself as first captured, served so that nothing of the captured page can run or load."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from starlette.responses import Response

from dashboards.web.context import Ctx, User
from dashboards.web.routes.common import Id
from dashboards.web.templating import render
from storage.access import visible_article, visible_copies, visible_snapshot, visible_snapshots
from storage.watch import changes_of, watches_of

router = APIRouter()

# The captured page is shown as it was received, but as an opaque origin with nothing allowed: no script, no
# request to anywhere (images only from data: URLs), its own inline styles so that it looks as captured.
SNAPSHOT_HEADERS = {
    "content-security-policy": "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'",
    "x-content-type-options": "nosniff",
    "cache-control": "private, no-store",
    "content-disposition": "inline",
    "content-type": "text/html",  # no charset: the page says its own (meta charset), as when it was captured
}


@router.get("/bai-viet/{article_id}")
def article_page(request: Request, ctx: Ctx, me: User, article_id: Id) -> Response:
    with ctx.database.session() as session:
        view = visible_article(session, article_id, scope=me.scope, user_id=me.user.id)
        if view is None:
            raise HTTPException(status_code=404)
        copies = (
            visible_copies(session, view.story.id, scope=me.scope, user_id=me.user.id) if view.story is not None else []
        )
        snapshots = visible_snapshots(session, article_id, scope=me.scope, user_id=me.user.id)
        watches, changes = watches_of(session, [article_id]), changes_of(session, [article_id])
    paragraphs = [p for p in view.article.text.split("\n") if p.strip()]
    return render(
        request,
        "article.html",
        {
            "view": view,
            "paragraphs": paragraphs,
            "copies": copies,
            "snapshots": snapshots,
            "watches": watches,
            "changes": changes,
            "watch_names": {article_id: "Bài này"},
        },
    )


@router.get("/bai-viet/{article_id}/ban-luu/{snapshot_id}")
def snapshot(ctx: Ctx, me: User, article_id: Id, snapshot_id: Id) -> Response:
    with ctx.database.session() as session:
        found = visible_snapshot(session, article_id, snapshot_id, scope=me.scope, user_id=me.user.id)
    if found is None:
        raise HTTPException(status_code=404)
    return Response(found.html, headers=SNAPSHOT_HEADERS)
