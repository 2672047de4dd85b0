"""Security of the web app, against the real app on both backends: province scoping by URL and API, CSRF,
throttling of wrong passwords, inert article HTML and sandboxed snapshots, hostile input refused with a
Vietnamese message and no change."""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from alerts.triage import confirm
from dashboards.settings import WebSettings
from dashboards.web.security import SESSION_COOKIE, Passwords
from storage.accounts import set_password_hash
from storage.cases import audit_trail, case_for_story, get_case, responses_of
from storage.engine import Database
from storage.enrichments import get_story
from storage.feedback import list_feedback
from tests.conftest import web_settings
from tests.dashboards.web.site import PASSWORD, Site, build_site, csrf_of, sign_in, workflow_config
from tests.seeding import add_copy, outlet, samples

CANTHO, HANOI, MONITOR = "daumoi.cantho@thads.vn", "daumoi.hanoi@thads.vn", "giamsat@cucthads.vn"


@pytest.fixture
def site(database: Database, tmp_path: Path) -> Site:
    return build_site(database, tmp_path / "data")


def _cases(site: Site) -> tuple[int, int]:
    """A confirmed case for each province, made as a monitor makes them."""
    ids = []
    with site.database.session() as session:
        for key in ("cantho", "hanoi"):
            case = confirm(session, site.stories[key].id, config=workflow_config(), actor=MONITOR, now=site.clock())
            ids.append(case.id)
    return ids[0], ids[1]


def test_a_focal_point_cannot_reach_another_provinces_case_by_url_or_api(site: Site) -> None:
    own, other = _cases(site)
    other_article = site.stories["hanoi"].first_article_id
    client = site.client()
    token = sign_in(client, CANTHO)
    assert client.get(f"/ho-so/{own}").status_code == 200
    for path in (
        f"/ho-so/{other}",
        f"/api/ho-so/{other}",
        f"/bai-viet/{other_article}",
        f"/bai-viet/{other_article}/ban-luu/1",
        f"/ho-so/{other}/tep/{'0' * 64}",
    ):
        assert client.get(path).status_code == 404, path
    listed = client.get("/ho-so").text
    assert f"/ho-so/{own}" in listed
    assert f"/ho-so/{other}" not in listed
    assert [c["id"] for c in client.get("/api/ho-so").json()["items"]] == [own]
    hanoi_title = samples()["written:w4:006"]["title"]
    assert client.get("/api/bai-viet", params={"q": "Đỗ Thị Nguyệt"}).json()["total"] == 0
    assert html.escape(hanoi_title) not in client.get("/tim-kiem", params={"q": "Do Thi Nguyet"}).text
    refused = client.post(f"/ho-so/{other}/xac-nhan", data={"csrf_token": token})
    assert refused.status_code == 404
    api_refused = client.post(
        f"/api/ho-so/{other}/hanh-dong", json={"action": "acknowledge"}, headers={"X-CSRF-Token": token}
    )
    assert api_refused.status_code == 404
    with site.database.session() as session:
        untouched = get_case(session, other)
        assert untouched is not None
        assert untouched.state == "assigned"
    assert client.get("/phan-loai").status_code == 403  # triage is for monitors

    leader = site.client()
    leader_token = sign_in(leader, "lanhdao.hanoi@thads.vn")
    assert leader.get(f"/ho-so/{other}").status_code == 200
    assert leader.get(f"/ho-so/{own}").status_code == 404
    assert leader.post(f"/ho-so/{other}/xac-nhan", data={"csrf_token": leader_token}).status_code == 403


def test_state_changing_requests_need_the_sessions_csrf_token(site: Site) -> None:
    story = site.stories["cantho"]
    client = site.client()
    anonymous = client.post("/dang-nhap", data={"email": MONITOR, "password": PASSWORD})
    assert anonymous.status_code == 403
    assert "CSRF" in anonymous.text
    token = sign_in(client, MONITOR)
    other = site.client()
    foreign = sign_in(other, CANTHO)
    for data in ({}, {"csrf_token": "gia-mao"}, {"csrf_token": foreign}):
        refused = client.post(f"/phan-loai/{story.id}/xac-nhan", data={"priority": "P1", **data})
        assert refused.status_code == 403
        assert "Yêu cầu bị từ chối" in refused.text
    with site.database.session() as session:
        assert case_for_story(session, story.id) is None
    api = client.post("/api/ho-so/1/hanh-dong", json={"action": "close"})
    assert api.status_code == 403
    done = client.post(f"/phan-loai/{story.id}/xac-nhan", data={"priority": "P1", "csrf_token": token})
    assert done.status_code == 303
    with site.database.session() as session:
        case = case_for_story(session, story.id)
        assert case is not None
        assert case.priority == "P1"


def test_wrong_passwords_are_throttled_per_account_and_per_address(database: Database, tmp_path: Path) -> None:
    site = build_site(
        database,
        tmp_path / "data",
        web=web_settings(secret_key="k" * 32, login_max_failures_per_address=8),
    )
    client = site.client()

    def attempt(email: str, password: str) -> tuple[int, str]:
        token = csrf_of(client.get("/dang-nhap").text)  # a sign-in starts a new session: read its token
        done = client.post("/dang-nhap", data={"email": email, "password": password, "csrf_token": token})
        return done.status_code, done.text

    unknown = attempt("khong-co@thads.vn", "sai-mat-khau-1")
    wrong = attempt(CANTHO, "sai-mat-khau-1")
    assert unknown == (401, unknown[1])
    assert wrong[0] == 401
    assert "Sai thư điện tử hoặc mật khẩu." in wrong[1]
    assert "Sai thư điện tử hoặc mật khẩu." in unknown[1]  # the same answer: no account enumeration
    site.clock.now += dt.timedelta(minutes=1)
    for _ in range(4):
        attempt(CANTHO, "sai-mat-khau-2")
    status, text = attempt(CANTHO, PASSWORD)  # the right password, but the account is locked
    assert status == 429
    opens = (site.clock.now - dt.timedelta(minutes=1) + dt.timedelta(minutes=15)).astimezone(
        dt.timezone(dt.timedelta(hours=7))
    )
    assert f"Vui lòng thử lại sau {opens:%H:%M} ngày {opens:%d/%m/%Y}." in text
    assert attempt(HANOI, PASSWORD)[0] == 303  # another account from the same address still signs in
    site.clock.now += dt.timedelta(minutes=15)
    assert attempt(CANTHO, PASSWORD)[0] == 303
    for i in range(8):  # the address: 8 failures across accounts lock it for every account
        attempt(f"doan-{i}@thads.vn", "sai")
    assert attempt(HANOI, PASSWORD)[0] == 429


def test_passwords_are_hashed_with_strong_argon2_parameters_by_default() -> None:
    """The suite hashes cheaply (tests/conftest.py); production keeps argon2id's RFC 9106 low-memory profile, and
    a hash made with other parameters is redone at the next sign-in."""
    strong = Passwords(WebSettings())
    hashed = strong.hash(PASSWORD)
    assert hashed.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert strong.verify(hashed, PASSWORD)
    assert not strong.verify(hashed, PASSWORD + "x")
    assert not strong.needs_rehash(hashed)
    cheap = Passwords(web_settings()).hash(PASSWORD)
    assert cheap.startswith("$argon2id$v=19$m=64,t=1,p=1$")
    assert strong.verify(cheap, PASSWORD)  # verifying reads the parameters from the hash
    assert strong.needs_rehash(cheap)


def test_sessions_are_signed_httponly_lax_and_end_with_a_password_change(database: Database, tmp_path: Path) -> None:
    site = build_site(database, tmp_path / "data", web=web_settings(secret_key="k" * 32, cookie_secure=True))
    client = TestClient(site.app, base_url="https://127.0.0.1", follow_redirects=False)
    token = csrf_of(client.get("/dang-nhap").text)
    done = client.post("/dang-nhap", data={"email": MONITOR, "password": PASSWORD, "csrf_token": token})
    cookie = done.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert "Secure" in cookie
    assert client.get("/phan-loai").status_code == 200
    value = client.cookies[SESSION_COOKIE]
    client.cookies.set(SESSION_COOKIE, value[:-2] + ("AA" if not value.endswith("AA") else "BB"), domain="127.0.0.1")
    assert client.get("/phan-loai").status_code == 303  # an altered cookie is no session
    client.cookies.set(SESSION_COOKIE, value, domain="127.0.0.1")
    with site.database.session() as session:
        set_password_hash(session, MONITOR, "$argon2id$v=19$m=65536,t=3,p=4$bmV3$bmV3")
    assert client.get("/phan-loai").headers["location"] == "/dang-nhap?next=/phan-loai"


def test_article_html_and_scripts_are_shown_inert_and_snapshots_are_sandboxed(site: Site) -> None:
    hostile = dict(samples()["written:w4:005"])
    hostile["title"] = "Chấp hành viên <script>alert('tiêu đề')</script> bị tố"
    hostile["text"] = (
        'Đoạn một <img src=x onerror="alert(1)"> thi hành án.\n<b>đậm</b> và </p><script>alert(2)</script>'
    )
    with site.database.session() as session:
        article, story = add_copy(session, hostile, outlet(session, "baoxau", "Báo Thử"), at=site.clock(), suffix="x")
        assert story is not None
    client = site.client()
    sign_in(client, MONITOR)
    page = client.get(f"/bai-viet/{article.id}")
    assert page.status_code == 200
    assert "<script>alert" not in page.text
    assert "<img src=x" not in page.text
    assert "&lt;script&gt;alert(&#39;tiêu đề&#39;)&lt;/script&gt;" in page.text
    assert "&lt;b&gt;đậm&lt;/b&gt;" in page.text
    assert "script-src 'none'" in page.headers["content-security-policy"]
    assert page.headers["x-content-type-options"] == "nosniff"
    found = client.get("/tim-kiem", params={"q": "doan mot thi hanh an"}).text
    assert str(escape(hostile["title"])) in found
    assert "<script>alert" not in found
    assert "<img src=x" not in found
    assert "<mark>" in found
    frame = f'<iframe sandbox src="/bai-viet/{article.id}/ban-luu/'
    assert frame in page.text
    snapshot_path = page.text.split(frame, 1)[1].split('"', 1)[0]
    snapshot = client.get(f"/bai-viet/{article.id}/ban-luu/{snapshot_path}")
    assert snapshot.status_code == 200
    assert snapshot.headers["content-security-policy"] == (
        "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'"
    )
    assert snapshot.headers["x-content-type-options"] == "nosniff"
    assert b"<script>document.body.insertAdjacentHTML" in snapshot.content  # as captured, but cannot run


def test_hostile_input_gets_a_vietnamese_error_and_changes_nothing(site: Site) -> None:
    own, _ = _cases(site)
    story = site.stories["cantho"]
    client = site.client()
    token = sign_in(client, MONITOR)

    def post(path: str, **data: object) -> tuple[int, str]:
        done = client.post(path, data={"csrf_token": token, **data})
        return done.status_code, done.text

    status, text = post(f"/phan-loai/{story.id}/loai", reason="x" * 2001)
    assert status == 400
    assert "Trường “lý do” (biểu mẫu): dài quá 2000 ký tự." in text
    status, text = post("/phan-loai/abc/loai", reason="trùng")
    assert (status, "Trường “số tin” (đường dẫn): phải là một số nguyên." in text) == (400, True)
    assert post(f"/phan-loai/{10**30}/loai", reason="trùng")[0] == 400
    status, text = post("/phan-loai/987654/loai", reason="trùng")
    assert (status, "Không có tin #987654" in text) == (404, True)
    status, text = post(f"/phan-loai/{story.id}/xac-nhan", priority="P9")
    assert (status, "Trường “mức ưu tiên” (biểu mẫu)" in text) == (400, True)
    status, text = post(f"/phan-loai/{story.id}/gop", target="mười")
    assert (status, "phải là một số nguyên" in text) == (400, True)
    status, text = post(
        f"/phan-loai/{story.id}/sua-nhan",
        relevant="co",
        topic="khieu_nai_to_cao",
        sentiment="tieu_cuc",
        province="Sóc Trăng",
    )
    assert status == 409
    assert "Giá trị “Sóc Trăng” không hợp lệ cho nhãn tỉnh/thành" in text
    status, text = post(f"/ho-so/{own}/dong")
    assert status == 409
    assert f"Không thể đóng hồ sơ #{own} đang ở trạng thái “đã giao”." in text
    with site.database.session() as session:
        case = get_case(session, own)
        assert case is not None
        assert case.state == "assigned"
        still = get_story(session, story.id)
        assert still is not None
        assert still.triage_state == "confirmed"
        assert list_feedback(session) == []
        events = len(audit_trail(session, own))
    focal = site.client()
    focal_token = sign_in(focal, CANTHO)
    assert focal.post(f"/ho-so/{own}/dong", data={"csrf_token": focal_token}).status_code == 403  # not their role
    big = focal.post(
        f"/ho-so/{own}/phan-hoi",
        data={"csrf_token": focal_token, "kind": "thong_tin_ban_dau", "text": "Đã trả lời."},
        files={"tep": ("lon.pdf", b"%PDF" + b"0" * (11 * 1024 * 1024), "application/pdf")},
    )
    assert big.status_code == 413
    assert "quá lớn" in big.text
    api = focal.post(f"/api/ho-so/{own}/hanh-dong", json={"action": 5}, headers={"X-CSRF-Token": focal_token})
    assert api.status_code == 422
    assert "Dữ liệu không hợp lệ" in api.json()["detail"]
    with site.database.session() as session:
        assert responses_of(session, own) == []
        assert len(audit_trail(session, own)) == events
    assert not (site.app.state.ctx.attachments_dir).exists() or not any(site.app.state.ctx.attachments_dir.iterdir())
    assert client.get("/dang-nhap", params={"next": "https://ke-xau.example/"}).status_code == 200
    fresh = site.client()
    login_token = csrf_of(fresh.get("/dang-nhap").text)
    away = fresh.post(
        "/dang-nhap",
        data={"email": MONITOR, "password": PASSWORD, "csrf_token": login_token, "next": "//ke-xau.example/"},
    )
    assert away.headers["location"] == "/"
