"""`thads-monitor portal link`: signed addresses of the portal feed, with an expiry, to give the portal's importer
instead of the API key (`portal.url_key` signs them)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from dashboards.web.portal_access import signed_url
from domain.localtime import VN
from thads_monitor.commands.common import settings_of
from thads_monitor.settings import ConfigError

portal_app = typer.Typer(help="Nguồn tin cho Cổng thông tin (Atom, JSON).", no_args_is_help=True)
FEEDS = ("/cong-thong-tin/phan-hoi.atom", "/cong-thong-tin/phan-hoi.json")


@portal_app.command("link")
def link(
    ctx: typer.Context,
    days: Annotated[int, typer.Option(help="Số ngày đường dẫn còn hiệu lực.", min=1, max=3660)] = 90,
) -> None:
    """In đường dẫn có chữ ký (kèm hạn dùng) của nguồn tin Atom và JSON cho Cổng thông tin."""
    settings = settings_of(ctx)
    key = settings.portal.url_key.get_secret_value()
    if not key:
        raise ConfigError("chưa đặt portal.url_key (THADS_PORTAL__URL_KEY): không ký được đường dẫn")
    expires_at = dt.datetime.now(dt.UTC) + dt.timedelta(days=days)
    base = settings.alerts.app_url.rstrip("/")
    for path in FEEDS:
        typer.echo(base + signed_url(key, path, expires_at))
    local = expires_at.astimezone(VN)
    typer.echo(f"Hết hạn lúc {local:%H:%M %d/%m/%Y} (giờ Việt Nam).")


def register(app: typer.Typer) -> None:
    app.add_typer(portal_app, name="portal")
