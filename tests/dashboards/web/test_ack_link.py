"""The one-click acknowledgement link of an urgent alert (/xac-nhan/<token>), on both backends: the link in the
alert e-mail of each recipient, sign-in first and back (`next=`), a confirmation page, one use only; a forged,
altered, expired link, or one sent to someone else, gives a clear page and changes nothing; the case page shows the
internal target beside the statutory deadlines."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from alerts import triage
from alerts.ack_chain import run_ack_chain
from alerts.ack_policy import default_escalation
from domain.enums import CaseState
from storage.cases import audit_trail, get_case
from storage.engine import Database
from storage.outbox import list_notifications
from tests.dashboards.web.site import PASSWORD, Site, build_site, csrf_of

LINK = re.compile(r"Xác nhận đã nhận hồ sơ \(một lần bấm\): http://127\.0\.0\.1:8000(/xac-nhan/\S+)")


@pytest.fixture
def site(database: Database, tmp_path: Path) -> Site:
    return build_site(database, tmp_path / "data")


def _urgent_case(site: Site) -> tuple[int, dict[str, str]]:
    """Hà Nội's story confirmed as P1: its case and the acknowledgement link each recipient's alert carries."""
    with site.database.session() as session:
        config = site.app.state.ctx.workflow
        case = triage.confirm(
            session,
            site.stories["hanoi"].id,
            config=config,
            actor="giamsat@cucthads.vn",
            now=site.clock.now,
            priority="P1",
        )
    with site.database.session() as session:
        alerts = [n for n in list_notifications(session, case_id=case.id) if n.kind == "alert"]
    links = {}
    for note in alerts:
        found = LINK.search(note.text)
        assert found is not None, note.text
        assert note.html is not None
        assert f'href="http://127.0.0.1:8000{found[1]}"' in note.html
        links[note.recipient] = found[1]
    return case.id, links


def _sign_in_and_return(client: TestClient, email: str, path: str) -> None:
    """From the link, signed out: the sign-in form, then back to the link."""
    sent_to = client.get(path)
    assert sent_to.status_code == 303
    assert sent_to.headers["location"] == f"/dang-nhap?next={path}"
    token = csrf_of(client.get(sent_to.headers["location"]).text)
    done = client.post("/dang-nhap", data={"email": email, "password": PASSWORD, "csrf_token": token, "next": path})
    assert done.status_code == 303
    assert done.headers["location"] == path


def test_the_link_acknowledges_once_after_sign_in(site: Site) -> None:
    case_id, links = _urgent_case(site)
    assert set(links) == {"daumoi.hanoi@thads.vn", "vanphong@cucthads.vn"}  # the focal point and the central desk
    assert links["daumoi.hanoi@thads.vn"] != links["vanphong@cucthads.vn"]
    path = links["daumoi.hanoi@thads.vn"]
    client = site.client()
    _sign_in_and_return(client, "daumoi.hanoi@thads.vn", path)
    # The session is gone (signed out): the link asks for sign-in again, and comes back.
    csrf = csrf_of(client.get("/tai-khoan").text)
    assert client.post("/dang-xuat", data={"csrf_token": csrf}).status_code == 303
    _sign_in_and_return(client, "daumoi.hanoi@thads.vn", path)
    page = client.get(path)
    assert page.status_code == 200
    assert f"Xác nhận đã nhận hồ sơ #{case_id}" in page.text
    with site.database.session() as session:
        case = get_case(session, case_id)
    assert case is not None
    assert case.state == CaseState.ASSIGNED  # opening the page (or a mail client's preview) changes nothing
    done = client.post(path, data={"csrf_token": csrf_of(page.text)})
    assert done.status_code == 303
    assert done.headers["location"] == f"/ho-so/{case_id}?tb=acknowledge"
    with site.database.session() as session:
        case = get_case(session, case_id)
        trail = audit_trail(session, case_id)
    assert case is not None
    assert case.state == CaseState.ACKNOWLEDGED
    acknowledged = [(e.actor, e.note) for e in trail if e.action == "acknowledge"]
    assert acknowledged == [("daumoi.hanoi@thads.vn", "qua liên kết xác nhận trong thư cảnh báo khẩn")]
    again = client.get(path)
    assert again.status_code == 410
    assert "đã được dùng lúc" in again.text
    assert client.post(path, data={"csrf_token": csrf_of(page.text)}).status_code == 410
    # The chain stopped: nobody further is told, however late.
    later = site.clock.now + dt.timedelta(hours=5)
    policy, settings = default_escalation(), site.app.state.ctx.workflow.settings
    assert run_ack_chain(site.database, policy=policy, settings=settings, now=lambda: later) == 0
    shown = client.get(f"/ho-so/{case_id}").text
    assert "Chỉ tiêu nội bộ: xác nhận trong 15 phút" in shown
    assert "Thời hạn theo quy định" in shown
    assert "dừng: hồ sơ đã được xác nhận" in shown


def test_forged_altered_expired_and_someone_elses_links_are_refused(site: Site) -> None:
    case_id, links = _urgent_case(site)
    mine, theirs = links["vanphong@cucthads.vn"], links["daumoi.hanoi@thads.vn"]
    client = site.client()
    _sign_in_and_return(client, "vanphong@cucthads.vn", mine)
    forged = mine[:-2] + ("AA" if not mine.endswith("AA") else "BB")
    other_case = re.sub(r"/xac-nhan/\d+", f"/xac-nhan/{case_id + 1}", mine)
    for path in (forged, other_case, "/xac-nhan/khong-phai-lien-ket"):
        got = client.get(path)
        assert got.status_code == 400, path
        assert "Liên kết xác nhận không hợp lệ" in got.text
    someone_elses = client.get(theirs)
    assert someone_elses.status_code == 403
    assert "được gửi cho một người dùng khác" in someone_elses.text
    page = client.get(theirs)
    assert client.post(theirs, data={"csrf_token": csrf_of(client.get(mine).text)}).status_code == 403
    assert page.status_code == 403
    with site.database.session() as session:
        case = get_case(session, case_id)
    assert case is not None
    assert case.state == CaseState.ASSIGNED
    site.clock.now += dt.timedelta(hours=73)  # the policy's link_valid_h is 72
    late = site.client()
    _sign_in_and_return(late, "vanphong@cucthads.vn", mine)
    expired = late.get(mine)
    assert expired.status_code == 400
    assert "Liên kết xác nhận đã hết hạn" in expired.text
