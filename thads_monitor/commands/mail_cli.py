"""E-mail commands: the daily digest, the outbox, users' e-mail preferences."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from alerts.digest import run_digest
from alerts.messages import when
from alerts.preferences import PreferenceError, parse_quiet_hours, parse_scope
from alerts.routing import parse_channels, parse_telegram_chat_id, parse_zalo_user_id
from alerts.sender import OutboxSummary, add_up, deliver_channels, run_outbox
from alerts.tiers import DEFAULT_CHOICE, default_tiers, parse_priority, parse_tier
from domain.enums import AlertTier, NotificationStatus, Priority
from domain.labels import notification_kind_vi, notification_status_vi, priority_vi, province_vi, taxonomy
from storage.alert_tiers import save_tier_choice, tier_choices
from storage.cases import get_user
from storage.channels import addresses, channel_choices, save_addresses, save_channel_choices
from storage.outbox import count_by_status, list_notifications, retry_notifications
from storage.preferences import get_preferences, save_preferences
from thads_monitor.commands.common import open_database, settings_of
from thads_monitor.jobs import other_channels
from thads_monitor.settings import ConfigError

console = Console()
preferences_app = typer.Typer(help="Tùy chọn nhận thư của người dùng.", no_args_is_help=True)
digest_app = typer.Typer(help="Bản điểm tin hằng ngày.", no_args_is_help=True)
outbox_app = typer.Typer(help="Hộp thư đi: thư chờ gửi, đã gửi, bị lỗi.", no_args_is_help=True)
STATUSES = tuple(s.value for s in NotificationStatus)
DEFAULT_SCOPE = "mac_dinh"


def _refused_vi(state: str) -> str:
    """Why a message cannot be sent again: it does not exist, or the state it is in."""
    return "không tồn tại" if state == "missing" else f"đang ở trạng thái “{notification_status_vi(state)}”"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# --- preferences ------------------------------------------------------------------------------------------


@preferences_app.command("show")
def preferences_show(ctx: typer.Context, email: str) -> None:
    """Xem tùy chọn nhận thư của một người dùng."""
    with open_database(settings_of(ctx)) as db, db.session() as session:
        user, preferences = get_user(session, email), get_preferences(session, email)
    if user is None or preferences is None:
        raise ConfigError(f"không có người dùng {email}")
    scope = preferences.digest_scope
    typer.echo(f"Người dùng: {user.name} <{user.email}> – {province_vi(user.province)}")
    typer.echo(f"Bản điểm tin hằng ngày: {'bật' if preferences.digest_enabled else 'tắt'}")
    typer.echo(
        "Phạm vi: "
        + (province_vi(scope) if scope else f"mặc định (tỉnh/thành của người dùng: {province_vi(user.province)})")
    )
    quiet = preferences.quiet_start and f"{preferences.quiet_start}–{preferences.quiet_end}"
    typer.echo(f"Giờ yên lặng (thư không khẩn chờ đến hết giờ): {quiet or 'không'}")
    last = preferences.last_digest_at
    typer.echo(f"Bản điểm tin gần nhất: {when(last) if last else 'chưa có'}")


@preferences_app.command("set")
def preferences_set(
    ctx: typer.Context,
    email: str,
    digest: Annotated[bool | None, typer.Option("--digest/--no-digest", help="Bật hoặc tắt bản điểm tin.")] = None,
    scope: Annotated[
        str | None,
        typer.Option(
            help=f"Tỉnh/thành của bản điểm tin, toan_quoc (toàn quốc) hoặc {DEFAULT_SCOPE} (tỉnh của người dùng)."
        ),
    ] = None,
    quiet: Annotated[str | None, typer.Option(help="Giờ yên lặng, ví dụ 22:00-06:30.")] = None,
    no_quiet: Annotated[bool, typer.Option("--no-quiet", help="Bỏ giờ yên lặng.")] = False,
) -> None:
    """Đổi tùy chọn nhận thư: bản điểm tin, phạm vi, giờ yên lặng."""
    if quiet is not None and no_quiet:
        raise ConfigError("không dùng --quiet cùng với --no-quiet")
    try:
        new_scope = None if scope is None or scope.strip() == DEFAULT_SCOPE else parse_scope(scope)
        period = parse_quiet_hours(quiet) if quiet is not None else None
    except PreferenceError as exc:
        raise ConfigError(str(exc)) from exc
    with open_database(settings_of(ctx)) as db, db.session() as session:
        current = get_preferences(session, email)
        if current is None:
            raise ConfigError(f"không có người dùng {email}")
        changed = current
        if digest is not None:
            changed = replace(changed, digest_enabled=digest)
        if scope is not None:
            changed = replace(changed, digest_scope=new_scope)
        if period is not None:
            changed = replace(changed, quiet_start=period[0], quiet_end=period[1])
        if no_quiet:
            changed = replace(changed, quiet_start=None, quiet_end=None)
        save_preferences(session, changed)
    typer.echo(f"Đã lưu tùy chọn nhận thư của {current.email}.")
    preferences_show(ctx, email)


Tier = Annotated[
    str | None, typer.Option(help="Kênh, cách nhau bởi dấu phẩy: mail, telegram, zalo (để trống: chỉ thư điện tử).")
]


@preferences_app.command("channels")
def preferences_channels(
    ctx: typer.Context,
    email: str,
    telegram: Annotated[str | None, typer.Option(help="Mã chat Telegram (để trống để bỏ).")] = None,
    zalo: Annotated[str | None, typer.Option(help="Mã người theo dõi Zalo OA (để trống để bỏ).")] = None,
    immediate: Tier = None,
    hourly: Tier = None,
    digest: Tier = None,
) -> None:
    """Xem hoặc đổi kênh nhận cảnh báo của một người dùng: địa chỉ Telegram, Zalo và kênh của từng mức."""
    with open_database(settings_of(ctx)) as db, db.session() as session:
        current = addresses(session, email)
        if current is None:
            raise ConfigError(f"không có người dùng {email}")
        try:
            where = replace(
                current,
                telegram_chat_id=current.telegram_chat_id if telegram is None else parse_telegram_chat_id(telegram),
                zalo_user_id=current.zalo_user_id if zalo is None else parse_zalo_user_id(zalo),
            )
            given = {AlertTier.IMMEDIATE: immediate, AlertTier.HOURLY: hourly, AlertTier.DIGEST: digest}
            choices = {t: parse_channels(v.split(","), where) for t, v in given.items() if v is not None}
        except PreferenceError as exc:
            raise ConfigError(str(exc)) from exc
        if where != current or choices:
            save_addresses(session, email, telegram_chat_id=where.telegram_chat_id, zalo_user_id=where.zalo_user_id)
            save_channel_choices(session, email, choices)
            typer.echo(f"Đã lưu kênh nhận cảnh báo của {email.strip().lower()}.")
        chosen = channel_choices(session, email)
    typer.echo(f"Telegram (mã chat): {where.telegram_chat_id or 'chưa có'}")
    typer.echo(f"Zalo (mã người theo dõi OA): {where.zalo_user_id or 'chưa có'}")
    typer.echo(f"Số điện thoại (Zalo ZNS): {where.phone or 'chưa có'}")
    names = taxonomy()
    for tier in AlertTier:
        picked = chosen.get(tier)
        shown = ", ".join(names.channels[c] for c in picked) if picked else f"{names.channels['mail']} (mặc định)"
        typer.echo(f"{names.tiers[tier]}: {shown}")


@preferences_app.command("tiers")
def preferences_tiers(
    ctx: typer.Context,
    email: Annotated[str, typer.Option("--email", help="Thư điện tử của người dùng.")],
    priority: Annotated[str | None, typer.Option("--priority", help="Mức ưu tiên: P1, P2 hoặc P3.")] = None,
    tier: Annotated[
        str | None,
        typer.Option(
            "--tier",
            help="Thời điểm nhận: immediate (ngay lập tức), hourly (tổng hợp mỗi giờ), digest (chỉ trong điểm tin "
            f"hằng ngày) hoặc {DEFAULT_CHOICE} (theo mặc định).",
        ),
    ] = None,
) -> None:
    """Xem hoặc đổi thời điểm nhận cảnh báo hồ sơ của một người dùng theo từng mức ưu tiên."""
    if (priority is None) != (tier is None):
        raise ConfigError("cần cả --priority và --tier (hoặc bỏ cả hai để xem)")
    try:
        change = (parse_priority(priority), parse_tier(tier)) if priority is not None and tier is not None else None
    except PreferenceError as exc:
        raise ConfigError(str(exc)) from exc
    with open_database(settings_of(ctx)) as db, db.session() as session:
        if get_user(session, email) is None:
            raise ConfigError(f"không có người dùng {email}")
        if change is not None:
            save_tier_choice(session, email, *change)
            typer.echo(f"Đã lưu thời điểm nhận cảnh báo của {email.strip().lower()}.")
        chosen = tier_choices(session, email)
    names, policy = taxonomy(), default_tiers()
    for level in Priority:
        picked = chosen.get(level)
        shown = names.tiers[picked] if picked else f"{names.tiers[policy.defaults[level]]} (mặc định)"
        typer.echo(f"{priority_vi(level)}: {shown}")


# --- digest -----------------------------------------------------------------------------------------------


def _report(summary: OutboxSummary) -> None:
    if summary.off:
        typer.echo("Chưa cấu hình máy chủ SMTP (mail.host): thư nằm chờ trong hộp thư đi.")
    else:
        typer.echo(f"Đã gửi {summary.sent} thư; {summary.retried} thư sẽ gửi lại; {summary.failed} thư lỗi.")


@digest_app.command("send")
def digest_send(
    ctx: typer.Context,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Chỉ in ra những gì sẽ gửi; không gửi, không ghi gì.")
    ] = False,
    to: Annotated[str | None, typer.Option("--to", help="Chỉ cho người dùng này (e-mail).")] = None,
) -> None:
    """Gửi ngay bản điểm tin hôm nay cho những ai chưa nhận (mỗi người một bản mỗi ngày)."""
    settings = settings_of(ctx)
    with open_database(settings) as db:
        if to is not None:
            with db.session() as session:
                preferences = get_preferences(session, to)
            if preferences is None:
                raise ConfigError(f"không có người dùng {to}")
            if not preferences.digest_enabled:
                raise ConfigError(
                    f"người dùng {to} đã tắt bản điểm tin (bật lại: thads-monitor preferences set {to} --digest)"
                )
        summary = run_digest(db, settings.alerts, now=_now, email=to, force=True, dry_run=dry_run)
        if dry_run:
            for recipient, message in summary.previews:
                typer.echo(f"=== Tới: {recipient}\n=== Tiêu đề: {message.subject}\n\n{message.text}\n")
            skipped = f"; {summary.skipped} người không có gì mới (không gửi)" if summary.skipped else ""
            typer.echo(f"Chạy thử: {len(summary.previews)} bản điểm tin{skipped}. Không gửi thư nào, không ghi gì.")
            return
        if not summary.written and not summary.skipped:
            typer.echo("Không có bản điểm tin nào cần gửi: mọi người đã nhận bản hôm nay (hoặc đã tắt).")
            return
        typer.echo(f"Đã ghi {summary.written} bản điểm tin vào hộp thư đi; {summary.skipped} người không có gì mới.")
        _report(run_outbox(db, settings.mail, now=_now, app_url=settings.alerts.app_url))


# --- outbox -----------------------------------------------------------------------------------------------


@outbox_app.command("list")
def outbox_list(
    ctx: typer.Context,
    status: Annotated[str | None, typer.Option(help="pending (chờ gửi) | sending | sent | failed (lỗi).")] = None,
    limit: Annotated[int, typer.Option(min=1, help="Số thư mới nhất hiện ra.")] = 50,
) -> None:
    """Liệt kê thư trong hộp thư đi, mới nhất trước; thư lỗi kèm lý do."""
    if status is not None and status not in STATUSES:
        raise ConfigError(f"trạng thái {status!r} không hợp lệ (dùng: {', '.join(STATUSES)})")
    with open_database(settings_of(ctx)) as db, db.session() as session:
        rows = list_notifications(session, status=status, limit=limit, newest_first=True)
        counts = count_by_status(session)
    table = Table("#", "loại", "người nhận", "trạng thái", "lần thử", "thời điểm", "tiêu đề")
    for n in rows:
        moment = n.sent_at if n.status == NotificationStatus.SENT else n.next_attempt_at
        table.add_row(
            str(n.id),
            notification_kind_vi(n.kind)
            + (" (khẩn)" if n.urgent else "")
            + (f" · kênh {n.channel}" if n.channel != "mail" else ""),  # e-mail, the usual one, unmarked
            n.recipient,
            notification_status_vi(n.status),
            str(n.attempts),
            when(moment) if moment else "—",
            n.subject[:60],
        )
    console.print(table)
    typer.echo(" · ".join(f"{notification_status_vi(k)}: {counts.get(k, 0)}" for k in STATUSES))
    for n in rows:
        if n.last_error and n.status in (NotificationStatus.FAILED, NotificationStatus.PENDING):
            typer.echo(f"Thư #{n.id} ({notification_status_vi(n.status)}, {n.attempts} lần thử): {n.last_error}")


@outbox_app.command("retry")
def outbox_retry(
    ctx: typer.Context,
    ids: Annotated[list[int] | None, typer.Argument(help="Mã các thư lỗi cần gửi lại.")] = None,
    failed: Annotated[bool, typer.Option("--failed", help="Gửi lại mọi thư lỗi.")] = False,
) -> None:
    """Đưa thư lỗi trở lại hàng chờ gửi (đếm lại số lần thử)."""
    if not ids and not failed:
        raise ConfigError("cần nêu mã thư (ID…) hoặc --failed")
    if ids and failed:
        raise ConfigError("không dùng mã thư cùng với --failed")
    with open_database(settings_of(ctx)) as db, db.session() as session:
        again, refused = retry_notifications(session, now=_now(), ids=ids or None)
    typer.echo(
        f"Đã đưa {len(again)} thư trở lại hàng chờ gửi" + (f": {', '.join(f'#{i}' for i in again)}." if again else ".")
    )
    for notification_id, state in refused.items():
        typer.echo(f"  – thư #{notification_id} {_refused_vi(state)}: không gửi lại", err=True)
    if refused:
        raise typer.Exit(1)


@outbox_app.command("send")
def outbox_send(ctx: typer.Context) -> None:
    """Gửi ngay các thư đến hạn (như tác vụ định kỳ run_outbox), qua thư điện tử và các kênh khác đã cấu hình."""
    settings = settings_of(ctx)
    with open_database(settings) as db:
        others = other_channels(settings, db)
        if not settings.mail.enabled and not others:
            raise ConfigError(
                "chưa cấu hình máy chủ SMTP (mail.host, THADS_MAIL__HOST) hay kênh nào khác: "
                "thư vẫn nằm chờ trong hộp thư đi"
            )
        summary = OutboxSummary(off=True)
        if settings.mail.enabled:
            summary = run_outbox(db, settings.mail, now=_now, app_url=settings.alerts.app_url)
        if others:
            summary = add_up(summary, deliver_channels(db, settings.mail, others, now=_now))
    _report(summary)
    for error in summary.errors:
        typer.echo(f"  – {error}", err=True)


def register(app: typer.Typer) -> None:
    app.add_typer(preferences_app, name="preferences")
    app.add_typer(digest_app, name="digest")
    app.add_typer(outbox_app, name="outbox")
