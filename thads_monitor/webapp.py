"""The web app wired to the settings: `build_app` for `thads-monitor serve`, `app_from_environment` for the
server's worker processes (they read the same settings: environment and config file)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fastapi import FastAPI

from alerts.triage import WorkflowConfig
from dashboards.settings import WebSettings
from dashboards.web.app import create_app
from storage.engine import Database, check_connection
from storage.errors import StorageError
from storage.migrate import require_current
from thads_monitor.jobs import load_escalation, load_policies, signing_alert_settings
from thads_monitor.settings import Settings, configure_logging, load_settings

WEB_POOL = 20  # database connections kept per server process: one per concurrent request, no reconnecting


def clock() -> dt.datetime:
    """The real clock, given to the app by the composition root (logic takes time as an argument)."""
    return dt.datetime.now(dt.UTC)


def workflow_config(settings: Settings) -> WorkflowConfig:
    rules, policy, calendar = load_policies(settings)
    return WorkflowConfig(rules=rules, policy=policy, calendar=calendar, settings=signing_alert_settings(settings))


@dataclass(frozen=True, slots=True)
class ProxyOptions:
    """uvicorn's proxy settings for every server of the app (`serve`, the demo): X-Forwarded-For is trusted only
    from the reverse proxies named in `web.forwarded_allow_ips`. uvicorn's own default trusts it from loopback,
    which lets anyone who reaches the port name any client address and slip the sign-in throttle."""

    proxy_headers: bool
    forwarded_allow_ips: str | None

    @classmethod
    def of(cls, web: WebSettings) -> ProxyOptions:
        return cls(proxy_headers=bool(web.forwarded_allow_ips), forwarded_allow_ips=web.forwarded_allow_ips or None)


def open_checked(settings: Settings) -> Database:
    """The database, answering and at the newest schema (the app does not migrate it: `init` does)."""
    database = Database.from_settings(settings.storage, pool_size=WEB_POOL, create=False)
    try:
        check_connection(database.engine)
        require_current(database.engine)
    except StorageError:
        database.dispose()
        raise
    return database


def build_app(settings: Settings, database: Database) -> FastAPI:
    return create_app(
        web=settings.web,
        workflow=workflow_config(settings),
        database=database,
        data_dir=settings.storage.data_dir,
        now=clock,
        reports=settings.reports,
        app_url=settings.alerts.app_url,
        escalation=load_escalation(settings),
        portal=settings.portal,
        dossier=settings.dossier,
    )


def app_from_environment() -> FastAPI:
    """Factory for uvicorn's worker processes (`--workers` > 1)."""
    settings = load_settings()
    configure_logging(settings.log)
    return build_app(settings, open_checked(settings))
