"""Watch profiles (/chu-de-theo-doi): the list and each profile's page for every signed-in user within the unit
rule (domain/profiles.py: a provincial user sees their province's Department of Justice's profiles and the THADS
watch), the form to create or edit one and "test this query" for admins only. A query is validated on the
server: a ParseError is shown next to the field with its position and nothing is saved; a saved change of the
query, filters or activity re-matches the profile over the stored articles (its backfill) once the redirect is
sent."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, BackgroundTasks, Depends, Form, HTTPException, Query, Request
from starlette.responses import Response

from dashboards.reports.periods import PeriodKind, containing
from dashboards.web.context import Ctx, Monitor, User, current_principal
from dashboards.web.permissions import Principal
from dashboards.web.routes.common import redirect
from dashboards.web.templating import render
from domain.enums import Role
from domain.localtime import VN
from domain.profiles import (
    DIGEST_VI,
    DigestSchedule,
    Profile,
    all_units,
    clean_list,
    needs_backfill,
    sees_profile,
    unit_label,
)
from domain.provinces import PROVINCES
from domain.query import ParseError, parse_query
from domain.watch_profiles import ProfileKind
from nlp.profile_match import backfill_profile, try_query
from storage.profiles import get_profile, latest_matches, list_profiles, match_counts, save_profile

router = APIRouter()
TRIAL_DAYS = 30
_CODE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_SPLIT = re.compile(r"[\n,;]+")
Code = Annotated[str, Query(max_length=64)]


def admin_principal(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
    if principal.user.role != Role.ADMIN:
        raise HTTPException(status_code=403, detail="Chỉ quản trị viên được sửa chủ đề theo dõi.")
    return principal


Admin = Annotated[Principal, Depends(admin_principal)]


@dataclass(frozen=True, slots=True, kw_only=True)
class Draft:
    """The form as the admin typed it, with what was wrong (sent back when it is refused)."""

    code: str = ""
    name: str = ""
    unit: str = ""
    query: str = ""
    outlets: str = ""
    provinces: str = ""
    recipients: str = ""
    digest: str = DigestSchedule.DAILY.value
    active: bool = True
    errors: dict[str, str] | None = None
    query_position: int | None = None

    @classmethod
    def of(cls, profile: Profile) -> Draft:
        return cls(
            code=profile.code,
            name=profile.name,
            unit=profile.unit,
            query=profile.query,
            outlets=", ".join(profile.outlets),
            provinces="\n".join(profile.provinces),
            recipients="\n".join(profile.recipients),
            digest=profile.digest.value,
            active=profile.active,
        )


def visible_profile(ctx: Ctx, me: Principal, code: str) -> Profile:
    """The profile of this code if the user sees it (the unit rule), else 404 (as if it did not exist)."""
    with ctx.database.session() as session:
        profile = get_profile(session, code)
    if profile is None or not sees_profile(profile, me.scope):
        raise HTTPException(status_code=404, detail=f"Không có chủ đề theo dõi mã “{code[:64]}” trong phạm vi của bạn.")
    return profile


def chosen_profile(ctx: Ctx, me: Principal, code: str) -> Profile | None:
    """The profile a page's `theo_doi` parameter names (None when empty): its counts or search within its matches."""
    return visible_profile(ctx, me, code.strip()) if code.strip() else None


ProfileParam = Annotated[str, Query(alias="theo_doi", max_length=64, description="mã chủ đề theo dõi")]


@router.get("/chu-de-theo-doi")
def profile_list(request: Request, ctx: Ctx, me: User) -> Response:
    with ctx.database.session() as session:
        profiles = [p for p in list_profiles(session) if sees_profile(p, me.scope)]
        counts = match_counts(session)
    return render(
        request,
        "profiles.html",
        {"profiles": profiles, "counts": counts, "unit_label": unit_label, "may_edit": me.user.role == Role.ADMIN},
    )


@router.get("/chu-de-theo-doi/thu-truy-van")
def trial(request: Request, ctx: Ctx, me: Admin, q: Annotated[str, Query(max_length=5000)] = "") -> Response:
    """The query over the articles fetched in the last 30 days; nothing is saved."""
    error, position, result = "", None, None
    if q.strip():
        try:
            result = try_query(ctx.database, q, since=ctx.now() - dt.timedelta(days=TRIAL_DAYS))
        except ParseError as exc:
            error, position = str(exc), exc.position
    return render(
        request,
        "profile_trial.html",
        {"q": q, "error": error, "position": position, "result": result, "days": TRIAL_DAYS},
        status=400 if error else 200,
    )


def _form_page(request: Request, draft: Draft, *, new: bool, status: int = 200) -> Response:
    units = [(u, unit_label(u)) for u in all_units()]
    context = {
        "draft": draft,
        "new": new,
        "units": units,
        "provinces": PROVINCES,
        "digests": [(d.value, label) for d, label in DIGEST_VI.items()],
        "errors": draft.errors or {},
    }
    return render(request, "profile_form.html", context, status=status)


@router.get("/chu-de-theo-doi/moi")
def new_form(request: Request, me: Admin) -> Response:
    return _form_page(request, Draft(unit=all_units()[0]), new=True)


@router.get("/chu-de-theo-doi/{code}")
def profile_page(request: Request, ctx: Ctx, me: User, code: str) -> Response:
    profile = visible_profile(ctx, me, code)
    assert profile.id is not None
    with ctx.database.session() as session:
        matches = latest_matches(session, profile.id, limit=50, scope=me.scope, user_id=me.user.id)
    return render(
        request,
        "profile.html",
        {
            "p": profile,
            "matches": matches,
            "unit": unit_label(profile.unit),
            "digest_label": DIGEST_VI[profile.digest],
            "last_week": containing(PeriodKind.WEEK, ctx.now().astimezone(VN).date()).previous(),
            "may_edit": me.user.role == Role.ADMIN,
        },
    )


@router.get("/chu-de-theo-doi/{code}/tong-hop-y-kien")
def draft_synthesis(ctx: Ctx, me: Monitor, code: str) -> Response:
    """A draft profile's “Báo cáo tổng hợp ý kiến góp ý” (DOCX); any other profile: 404."""
    profile = visible_profile(ctx, me, code)
    if profile.kind is not ProfileKind.DRAFT:
        raise HTTPException(status_code=404, detail=f"Chủ đề “{profile.code}” không phải chủ đề dự thảo văn bản.")
    from dashboards.reports.draft_report import build_draft_report, draft_report_filename

    with ctx.database.session() as session:
        data = build_draft_report(session, profile, ctx.now())
    name = draft_report_filename(profile)
    return Response(
        data,
        media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        headers={"Content-Disposition": f"attachment; filename=\"{name}\"; filename*=UTF-8''{quote(name)}"},
    )


@router.get("/chu-de-theo-doi/{code}/sua")
def edit_form(request: Request, ctx: Ctx, me: Admin, code: str) -> Response:
    return _form_page(request, Draft.of(visible_profile(ctx, me, code)), new=False)


def _checked(draft: Draft) -> Draft:
    """The draft with what is wrong with each field (Vietnamese), the query's ParseError with its position."""
    errors: dict[str, str] = {}
    position = None
    if not _CODE.match(draft.code):
        errors["code"] = (
            "Mã gồm chữ thường không dấu, chữ số và dấu gạch dưới, bắt đầu bằng chữ (ví dụ: dat_dai_ha_noi)."
        )
    if not draft.name.strip():
        errors["name"] = "Hãy đặt tên cho chủ đề."
    if draft.unit not in all_units():
        errors["unit"] = "Hãy chọn một đơn vị trong danh sách."
    if not draft.query.strip():
        errors["query"] = "Hãy nhập truy vấn."
    else:
        try:
            parse_query(draft.query)
        except ParseError as exc:
            errors["query"], position = str(exc), exc.position
    unknown = [p for p in clean_list(_SPLIT.split(draft.provinces)) if p not in PROVINCES]
    if unknown:
        errors["provinces"] = f"Không phải tỉnh/thành trong 34 đơn vị: {', '.join(unknown)}."
    wrong = [e for e in clean_list(_SPLIT.split(draft.recipients)) if not _EMAIL.match(e)]
    if wrong:
        errors["recipients"] = f"Không phải địa chỉ thư điện tử: {', '.join(wrong)}."
    if draft.digest not in {d.value for d in DigestSchedule}:
        errors["digest"] = "Hãy chọn một lịch gửi điểm tin trong danh sách."
    return replace(draft, errors=errors or None, query_position=position)


def _save(
    request: Request, ctx: Ctx, me: Principal, draft: Draft, *, new: bool, background: BackgroundTasks
) -> Response:
    checked = _checked(draft)
    with ctx.database.session() as session:
        old = get_profile(session, draft.code)
        if new and old is not None and checked.errors is None:
            checked = replace(checked, errors={"code": f"Đã có chủ đề mã “{draft.code}”."})
        if checked.errors:
            return _form_page(request, checked, new=new, status=400)
        base = old or Profile(code=draft.code, name="", kind=ProfileKind.AREA, unit=draft.unit, query="")
        profile = replace(
            base,
            name=draft.name.strip(),
            unit=draft.unit,
            query=draft.query.strip(),
            outlets=clean_list(_SPLIT.split(draft.outlets)),
            provinces=clean_list(_SPLIT.split(draft.provinces)),
            recipients=tuple(e.lower() for e in clean_list(_SPLIT.split(draft.recipients))),
            digest=DigestSchedule(draft.digest),
            active=draft.active,
        )
        save_profile(session, profile, by=me.user.email, at=ctx.now())
    if not needs_backfill(old, profile):
        return redirect(f"/chu-de-theo-doi/{profile.code}", "chu-de")
    # After the answer is sent: over 200,000 articles a backfill takes minutes (README, "Watch profiles").
    background.add_task(backfill_profile, ctx.database, profile.code)
    return redirect(f"/chu-de-theo-doi/{profile.code}", "chu-de-doi-chieu")


FormText = Annotated[str, Form(max_length=5000)]


@router.post("/chu-de-theo-doi/moi")
def create(
    request: Request,
    ctx: Ctx,
    me: Admin,
    background: BackgroundTasks,
    code: Annotated[str, Form(max_length=64)],
    name: Annotated[str, Form(max_length=300)],
    unit: Annotated[str, Form(max_length=100)],
    query: FormText,
    outlets: FormText = "",
    provinces: FormText = "",
    recipients: FormText = "",
    digest: Annotated[str, Form(max_length=16)] = DigestSchedule.DAILY.value,
    active: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    draft = Draft(
        code=code.strip(),
        name=name,
        unit=unit,
        query=query,
        outlets=outlets,
        provinces=provinces,
        recipients=recipients,
        digest=digest,
        active=bool(active),
    )
    return _save(request, ctx, me, draft, new=True, background=background)


@router.post("/chu-de-theo-doi/{code}/sua")
def edit(
    request: Request,
    ctx: Ctx,
    me: Admin,
    background: BackgroundTasks,
    code: str,
    name: Annotated[str, Form(max_length=300)],
    unit: Annotated[str, Form(max_length=100)],
    query: FormText,
    outlets: FormText = "",
    provinces: FormText = "",
    recipients: FormText = "",
    digest: Annotated[str, Form(max_length=16)] = DigestSchedule.DAILY.value,
    active: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    visible_profile(ctx, me, code)
    draft = Draft(
        code=code,
        name=name,
        unit=unit,
        query=query,
        outlets=outlets,
        provinces=provinces,
        recipients=recipients,
        digest=digest,
        active=bool(active),
    )
    return _save(request, ctx, me, draft, new=False, background=background)
