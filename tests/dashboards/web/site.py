"""A web app on a seeded database for the web tests: users with passwords, real articles with snapshots,
a clock the test moves, helpers to sign in and read the CSRF token of a page."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr

from alerts.calendar import default_calendar
from alerts.deadlines import default_policy
from alerts.priority import default_rules
from alerts.settings import AlertSettings
from alerts.triage import WorkflowConfig
from dashboards.settings import PortalSettings, WebSettings
from dashboards.web.app import create_app
from dashboards.web.security import Passwords
from domain.records import Story, User
from storage.accounts import set_password_hash
from storage.engine import Database
from tests.conftest import web_settings
from tests.seeding import T0, add_copy, outlet, samples, seed_users

PASSWORD = "mat-khau-thu-nghiem-2026"
PORTAL_KEY = "khoa-cong-thong-tin-thu-nghiem"  # the portal importer's API key
PORTAL_URL_KEY = "khoa-ky-duong-dan-thu-nghiem"  # signs the feed's URLs
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Clock:
    now: dt.datetime = T0 + dt.timedelta(hours=2)

    def __call__(self) -> dt.datetime:
        return self.now


@dataclass
class Site:
    app: FastAPI
    database: Database
    clock: Clock
    users: dict[str, User]
    stories: dict[str, Story] = field(default_factory=dict)

    def client(self) -> TestClient:
        return TestClient(self.app, base_url="http://127.0.0.1", follow_redirects=False)


def workflow_config() -> WorkflowConfig:
    return WorkflowConfig(
        rules=default_rules(), policy=default_policy(), calendar=default_calendar(), settings=AlertSettings()
    )


@functools.cache
def password_hash() -> str:
    """PASSWORD's argon2 hash with the suite's cheap parameters, made once per process: every site's users share
    it (signing in still verifies it for real)."""
    return Passwords(web_settings()).hash(PASSWORD)


def portal_settings() -> PortalSettings:
    return PortalSettings(api_key=SecretStr(PORTAL_KEY), url_key=SecretStr(PORTAL_URL_KEY))


def build_site(
    database: Database, data_dir: Path, *, web: WebSettings | None = None, portal: PortalSettings | None = None
) -> Site:
    """Users (one of each role, focal points of Cần Thơ and Hà Nội), and real stories: Cần Thơ (two outlets),
    Hà Nội, and an irrelevant article."""
    s = samples()
    hashed = password_hash()
    with database.session() as session:
        users = seed_users(session)
        for user in users.values():
            set_password_hash(session, user.email, hashed)
        laodong, thanhnien = outlet(session, "laodong", "Báo Lao Động"), outlet(session, "thanhnien", "Báo Thanh Niên")
        _, cantho = add_copy(session, s["written:w4:005"], laodong, at=T0)
        add_copy(session, s["written:w4:005"], thanhnien, at=T0 + dt.timedelta(hours=1), story=cantho)
        _, hanoi = add_copy(session, s["written:w4:006"], laodong, at=T0)
        add_copy(session, s["written:w5:001"], thanhnien, at=T0)
    assert cantho is not None
    assert hanoi is not None
    clock = Clock()
    app = create_app(
        web=web or web_settings(secret_key="khoa-bi-mat-cho-thu-nghiem"),
        workflow=workflow_config(),
        database=database,
        data_dir=data_dir,
        now=clock,
        portal=portal or portal_settings(),
    )
    return Site(app=app, database=database, clock=clock, users=users, stories={"cantho": cantho, "hanoi": hanoi})


def csrf_of(html: str) -> str:
    """The session's CSRF token as the page's forms carry it (every form the same, none empty)."""
    found = set(CSRF.findall(html)) | ({""} if 'name="csrf_token" value=""' in html else set())
    assert len(found) == 1, f"the page's forms carry {len(found)} different CSRF tokens"
    (token,) = found
    assert token, "a form of the page has no CSRF token"
    return token


def sign_in(client: TestClient, email: str, password: str = PASSWORD) -> str:
    """Sign in through the form; returns the session's CSRF token (read from a page, as a browser would)."""
    token = csrf_of(client.get("/dang-nhap").text)
    done = client.post("/dang-nhap", data={"email": email, "password": password, "csrf_token": token})
    assert done.status_code == 303, done.text
    return csrf_of(client.get("/tai-khoan").text)
