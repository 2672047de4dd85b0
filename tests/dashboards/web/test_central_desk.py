"""Cases of a province without focal points go to the central desk; when that desk is a monitor (as in the
demo), the monitor handles them in the web app: acknowledges, responds with attachments, reassigns to any focal
point. No form is shown that cannot succeed. Both backends."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from alerts.triage import confirm
from storage.cases import assignees, get_case, get_user, responses_of, upsert_user
from storage.engine import Database
from storage.views.queue import story_copies
from tests.dashboards.web.site import Site, build_site, sign_in, workflow_config
from tests.seeding import T0, add_copy, outlet, samples

MONITOR = "giamsat@cucthads.vn"


@pytest.fixture
def site(database: Database, tmp_path: Path) -> Site:
    """The demo's arrangement: the monitor is the central desk (province toan_quoc), and no other user is."""
    built = build_site(database, tmp_path / "data")
    with built.database.session() as session:
        for email, province in ((MONITOR, "toan_quoc"), ("vanphong@cucthads.vn", None)):
            user = get_user(session, email)
            assert user is not None
            upsert_user(session, dataclasses.replace(user, province=province, active=province is not None))
    return built


def _nghe_an_case(site: Site, suffix: str = "") -> int:
    """A story labelled Nghệ An, a province without focal points, confirmed by the rules' routing."""
    with site.database.session() as session:
        source = outlet(session, "nghean", "Báo Nghệ An")
        _, story = add_copy(session, samples()["written:w1:041"], source, at=T0, province="Nghệ An", suffix=suffix)
        assert story is not None
        case = confirm(session, story.id, config=workflow_config(), actor=MONITOR, now=site.clock())
        assert [u.email for u in assignees(session, case.id)] == [MONITOR]  # routed to the central desk
    return case.id


def test_the_central_desk_acknowledges_and_responds_with_an_attachment(site: Site) -> None:
    case_id = _nghe_an_case(site)
    client = site.client()
    token = sign_in(client, MONITOR)
    page = client.get(f"/ho-so/{case_id}").text
    assert f'action="/ho-so/{case_id}/xac-nhan"' in page
    assert f'action="/ho-so/{case_id}/phan-hoi"' in page
    assert "Lê Thị Cúc – Hà Nội" in page  # any focal point can be given the case
    assert "Nguyễn Văn An – Cần Thơ" in page
    assert client.post(f"/ho-so/{case_id}/xac-nhan", data={"csrf_token": token}).status_code == 303
    pdf = b"%PDF-1.4\n" + "Công văn số 30/CTHADS-VP trả lời Báo Nghệ An".encode()
    answered = client.post(
        f"/ho-so/{case_id}/phan-hoi",
        data={"csrf_token": token, "kind": "thong_tin_ban_dau", "text": "Cục đã cung cấp thông tin ban đầu."},
        files={"tep": ("Công văn 30.pdf", pdf, "application/pdf")},
    )
    assert answered.status_code == 303, answered.text
    with site.database.session() as session:
        case = get_case(session, case_id)
        assert case is not None
        assert case.state == "responded"
        (response,) = responses_of(session, case_id)
        assert (response.by, [a.name for a in response.attachments]) == (MONITOR, ["Công văn 30.pdf"])


def test_the_central_desk_reassigns_and_an_empty_choice_is_said_on_the_page(site: Site) -> None:
    case_id = _nghe_an_case(site)
    client = site.client()
    token = sign_in(client, MONITOR)
    empty = client.post(f"/ho-so/{case_id}/giao", data={"csrf_token": token})
    assert empty.status_code == 400
    assert "Hãy chọn ít nhất một đầu mối để giao hồ sơ." in empty.text
    assert f'action="/ho-so/{case_id}/giao"' in empty.text  # the case page with its form, not a dead end
    moved = client.post(f"/ho-so/{case_id}/giao", data={"csrf_token": token, "assignees": "daumoi.cantho@thads.vn"})
    assert moved.status_code == 303
    with site.database.session() as session:
        assert [u.email for u in assignees(session, case_id)] == ["daumoi.cantho@thads.vn"]
    page = client.get(f"/ho-so/{case_id}").text  # no longer theirs: the focal point's actions are gone
    assert f'action="/ho-so/{case_id}/xac-nhan"' not in page
    assert f'action="/ho-so/{case_id}/phan-hoi"' not in page
    focal = site.client()
    sign_in(focal, "daumoi.cantho@thads.vn")  # a focal point of Cần Thơ, given a case of Nghệ An
    assert f'action="/ho-so/{case_id}/xac-nhan"' in focal.get(f"/ho-so/{case_id}").text
    assert f'href="/ho-so/{case_id}"' in focal.get("/ho-so").text
    with site.database.session() as session:
        case = get_case(session, case_id)
        assert case is not None
        article = story_copies(session, case.story_id)[0].article_id
    assert focal.get(f"/bai-viet/{article}").status_code == 200  # and the articles of that case
    other = site.client()
    sign_in(other, "daumoi.hanoi@thads.vn")
    assert other.get(f"/ho-so/{case_id}").status_code == 404
    assert other.get(f"/bai-viet/{article}").status_code == 404


def test_others_cannot_act_on_a_central_desk_case(site: Site) -> None:
    case_id = _nghe_an_case(site)
    for email, status in (("daumoi.hanoi@thads.vn", 404), ("lanhdao@cucthads.vn", 403)):
        client = site.client()
        token = sign_in(client, email)
        assert client.post(f"/ho-so/{case_id}/xac-nhan", data={"csrf_token": token}).status_code == status, email
    with site.database.session() as session:
        case = get_case(session, case_id)
        assert case is not None
        assert case.state == "assigned"


def test_no_assign_form_without_any_focal_point(site: Site) -> None:
    case_id = _nghe_an_case(site)
    with site.database.session() as session:
        for email in ("daumoi.cantho@thads.vn", "daumoi.hanoi@thads.vn"):
            user = get_user(session, email)
            assert user is not None
            upsert_user(session, dataclasses.replace(user, active=False))
    client = site.client()
    sign_in(client, MONITOR)
    page = client.get(f"/ho-so/{case_id}").text
    assert f'action="/ho-so/{case_id}/giao"' not in page
    assert "Chưa có đầu mối nào trong hệ thống để giao." in page
