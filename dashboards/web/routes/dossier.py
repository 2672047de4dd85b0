"""The evidence dossier of a case (/ho-so/{id}/ho-so-chung-cu): one ZIP for whoever may see the case; the download
is kept in the case's audit trail with the SHA-256 of the dossier's manifest."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException
from starlette.responses import Response

from dashboards.dossier.build import assemble
from dashboards.dossier.contents import gather, record_dossier
from dashboards.dossier.printing import PrintError
from dashboards.web.context import Ctx, User
from dashboards.web.routes.common import Id
from dashboards.web.uploads import content_disposition
from storage.access import visible_case

router = APIRouter()


@router.get("/ho-so/{case_id}/ho-so-chung-cu")
def dossier(ctx: Ctx, me: User, case_id: Id) -> Response:
    now = ctx.now()
    with ctx.database.session() as session:
        case = visible_case(session, case_id, scope=me.scope, user_id=me.user.id)
        if case is None:
            raise HTTPException(status_code=404)
        evidence = gather(session, case.id or case_id)
    if (problem := ctx.printer.problem()) is not None:
        raise HTTPException(status_code=503, detail=f"Chưa lập được hồ sơ chứng cứ: {problem}.")
    try:
        made = assemble(evidence, now=now, printer=ctx.printer, attachments_dir=ctx.attachments_dir)
    except PrintError as exc:
        raise HTTPException(status_code=503, detail=f"Chưa lập được hồ sơ chứng cứ: {exc}.") from exc
    with ctx.database.session() as session:
        record_dossier(session, evidence.case, actor=me.user.email, at=now, manifest_sha256=made.manifest_sha256)
    return Response(
        made.data,
        media_type="application/zip",
        headers={
            "content-disposition": content_disposition(made.filename),
            "cache-control": "private, no-store",
            "x-manifest-sha256": made.manifest_sha256,
        },
    )
