"""Sessions end on the server (both backends): a cookie saved before sign-out, before "sign out everywhere"
or past its lifetime signs nobody in, on pages and in the API."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from dashboards.web.security import SESSION_COOKIE
from storage.engine import Database
from storage.sessions import end_user_sessions
from tests.dashboards.web.site import Site, build_site, sign_in

HANOI = "daumoi.hanoi@thads.vn"


@pytest.fixture
def site(database: Database, tmp_path: Path) -> Site:
    return build_site(database, tmp_path / "data")


def _with_cookie(site: Site, cookie: str) -> TestClient:
    client = site.client()
    client.cookies.set(SESSION_COOKIE, cookie, domain="127.0.0.1")
    return client


def _signed_in(client: TestClient) -> bool:
    page, api = client.get("/ho-so"), client.get("/api/ho-so")
    assert (page.status_code == 200) == (api.status_code == 200), (page.status_code, api.status_code)
    if page.status_code != 200:
        assert page.headers["location"].startswith("/dang-nhap")
        assert api.status_code == 401
    return page.status_code == 200


def test_a_cookie_saved_before_sign_out_no_longer_works(site: Site) -> None:
    client = site.client()
    token = sign_in(client, HANOI)
    saved = client.cookies[SESSION_COOKIE]
    assert _signed_in(_with_cookie(site, saved))
    out = client.post("/dang-xuat", data={"csrf_token": token})
    assert out.headers["location"] == "/dang-nhap?tb=dang-xuat"
    assert not _signed_in(_with_cookie(site, saved))
    assert not _signed_in(client)


def test_sign_out_everywhere_and_expiry(site: Site) -> None:
    laptop, phone, other = site.client(), site.client(), site.client()
    sign_in(laptop, HANOI)
    sign_in(phone, HANOI)
    sign_in(other, "daumoi.cantho@thads.vn")
    with site.database.session() as session:
        assert end_user_sessions(session, HANOI.upper(), at=site.clock()) == 2
        assert end_user_sessions(session, "khong-co@thads.vn", at=site.clock()) is None
    assert not _signed_in(laptop)
    assert not _signed_in(phone)
    assert _signed_in(other)  # someone else's sessions go on
    sign_in(laptop, HANOI)  # signing in again works
    assert _signed_in(laptop)
    # Past web.session_lifetime_h (12 h) the server no longer accepts the session, whatever the cookie says.
    site.clock.now += dt.timedelta(hours=12, minutes=1)
    assert not _signed_in(laptop)
    assert not _signed_in(other)
