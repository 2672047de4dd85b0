"""The home page (each role's starting point), the account page with the user's e-mail preferences, and the API
documentation page (rendered here from FastAPI's OpenAPI schema, so that no script or stylesheet comes from
elsewhere)."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from starlette.responses import Response

from alerts.preferences import PreferenceError, parse_quiet_hours, parse_scope
from alerts.routing import PER_USER, parse_channels, parse_telegram_chat_id, parse_zalo_user_id
from alerts.tiers import default_tiers, parse_tier
from dashboards.labels import province_choices
from dashboards.web.context import Ctx, User
from dashboards.web.routes.common import redirect
from dashboards.web.templating import render
from domain import labels
from domain.enums import AlertTier, ChannelName, Priority, Role
from storage.alert_tiers import save_tier_choice, tier_choices
from storage.channels import addresses, channel_choices, save_addresses, save_channel_choices
from storage.preferences import get_preferences, save_preferences

router = APIRouter()
START = {Role.ADMIN: "/phan-loai", Role.MONITOR: "/phan-loai", Role.DAU_MOI: "/ho-so", Role.LEADER: "/xu-huong"}


@router.get("/")
def home(me: User) -> Response:
    return redirect(START.get(me.user.role, "/ho-so"))


@router.get("/tai-khoan")
def account(request: Request, ctx: Ctx, me: User) -> Response:
    with ctx.database.session() as session:
        preferences = get_preferences(session, me.user.email)
        chosen = channel_choices(session, me.user.email) if preferences else {}
        where = addresses(session, me.user.email)
        per_priority = tier_choices(session, me.user.email) if preferences else {}
    names, policy = labels.taxonomy(), default_tiers()
    priorities = [(p, labels.priority_vi(p), per_priority.get(p), names.tiers[policy.defaults[p]]) for p in Priority]
    tiers = [(t, labels.taxonomy().tiers[t], chosen.get(t, ())) for t in AlertTier]
    channels = [(c, labels.taxonomy().channels[c]) for c in ChannelName if c in PER_USER]
    return render(
        request,
        "account.html",
        {
            "preferences": preferences,
            "provinces": province_choices(),
            "tiers": tiers,
            "channels": channels,
            "addresses": where,
            "priorities": priorities,
            "tier_names": [(t, names.tiers[t]) for t in AlertTier],
            "burst_window_min": policy.burst_window_min,
        },
    )


Clock = Annotated[str, Form(max_length=5)]


@router.post("/tai-khoan/nhan-thu")
def save_mail_preferences(
    ctx: Ctx,
    me: User,
    digest: Annotated[str, Form(max_length=8)] = "",
    scope: Annotated[str, Form(max_length=64)] = "",
    quiet_start: Clock = "",
    quiet_end: Clock = "",
) -> Response:
    """The user's own digest and quiet hours. A user confined to a province cannot widen their digest beyond it
    (the digest would otherwise mail them what the web app hides); the scope is for everyone else."""
    try:
        chosen_scope = parse_scope(scope) if scope and me.scope is None else None
        if bool(quiet_start) != bool(quiet_end):
            raise PreferenceError("giờ yên lặng cần cả giờ bắt đầu và giờ kết thúc (hoặc để trống cả hai)")
        quiet = parse_quiet_hours(f"{quiet_start}-{quiet_end}") if quiet_start else (None, None)
    except PreferenceError as exc:
        message = str(exc)
        raise HTTPException(status_code=400, detail=message[0].upper() + message[1:] + ".") from exc
    with ctx.database.session() as session:
        current = get_preferences(session, me.user.email)
        if current is None:  # the account was removed since the page was shown
            raise HTTPException(status_code=404, detail="Không tìm thấy tài khoản.")
        save_preferences(
            session,
            replace(
                current,
                digest_enabled=digest == "on",
                digest_scope=chosen_scope,
                quiet_start=quiet[0],
                quiet_end=quiet[1],
            ),
        )
    return redirect("/tai-khoan", "nhan-thu")


Choice = Annotated[list[str], Form(max_length=16)]


@router.post("/tai-khoan/kenh")
def save_channels(
    ctx: Ctx,
    me: User,
    telegram_chat_id: Annotated[str, Form(max_length=64)] = "",
    zalo_user_id: Annotated[str, Form(max_length=64)] = "",
    immediate: Choice = [],  # noqa: B006 (FastAPI copies form defaults)
    hourly: Choice = [],  # noqa: B006
    digest: Choice = [],  # noqa: B006
) -> Response:
    """The user's own chat addresses and, for each alert tier, the channels it goes out on (none: e-mail)."""
    with ctx.database.session() as session:
        current = addresses(session, me.user.email)
        if current is None:  # the account was removed since the page was shown
            raise HTTPException(status_code=404, detail="Không tìm thấy tài khoản.")
        try:
            where = replace(
                current,
                telegram_chat_id=parse_telegram_chat_id(telegram_chat_id),
                zalo_user_id=parse_zalo_user_id(zalo_user_id),
            )
            choices = {
                AlertTier.IMMEDIATE: parse_channels(immediate, where),
                AlertTier.HOURLY: parse_channels(hourly, where),
                AlertTier.DIGEST: parse_channels(digest, where),
            }
        except PreferenceError as exc:
            message = str(exc)
            raise HTTPException(status_code=400, detail=message[0].upper() + message[1:] + ".") from exc
        save_addresses(session, me.user.email, telegram_chat_id=where.telegram_chat_id, zalo_user_id=where.zalo_user_id)
        save_channel_choices(session, me.user.email, choices)
    return redirect("/tai-khoan", "kenh")


Tier = Annotated[str, Form(max_length=16)]


@router.post("/tai-khoan/nhan-tin")
def save_tiers(ctx: Ctx, me: User, P1: Tier = "", P2: Tier = "", P3: Tier = "") -> Response:
    """The user's own tier for each priority: at once, in the hourly round-up, or only in the daily digest
    (empty: the installation's default)."""
    try:
        chosen = {Priority.P1: parse_tier(P1), Priority.P2: parse_tier(P2), Priority.P3: parse_tier(P3)}
    except PreferenceError as exc:
        message = str(exc)
        raise HTTPException(status_code=400, detail=message[0].upper() + message[1:] + ".") from exc
    with ctx.database.session() as session:
        if get_preferences(session, me.user.email) is None:  # the account was removed since the page was shown
            raise HTTPException(status_code=404, detail="Không tìm thấy tài khoản.")
        for priority, tier in chosen.items():
            save_tier_choice(session, me.user.email, priority, tier)
    return redirect("/tai-khoan", "nhan-tin")


def _operations(schema: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for path, methods in schema.get("paths", {}).items():
        for method, operation in methods.items():
            params = [
                {
                    "name": p["name"],
                    "where": p.get("in", ""),
                    "required": p.get("required", False),
                    "description": p.get("description", ""),
                }
                for p in operation.get("parameters", [])
            ]
            out.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "params": params,
                    "body": "requestBody" in operation,
                }
            )
    return out


@router.get("/api/docs")
def api_docs(request: Request, me: User) -> Response:
    schema = request.app.openapi()
    return render(request, "api_docs.html", {"info": schema.get("info", {}), "operations": _operations(schema)})
