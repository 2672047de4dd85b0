"""Communication incidents through the real app on both backends: three stories chosen in the triage queue become
an incident, its page shows every publication and action in time order, it is closed with a summary, a focal point
of another province does not find it, and a spike alert offers to declare one with its stories."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pytest

from alerts import cases as workflow
from alerts.triage import confirm
from storage.engine import Database
from storage.incidents import get_incident, list_incidents
from storage.spikes import SpikeRecord, add_spike_alert
from storage.views.queue import story_copies
from tests.dashboards.web.site import Site, build_site, csrf_of, sign_in, workflow_config
from tests.seeding import T0, add_copy, outlet, samples

MONITOR = "giamsat@cucthads.vn"
H = dt.timedelta(hours=1)


@pytest.fixture
def site(database: Database, tmp_path: Path) -> Site:
    """The site's Cần Thơ and Hà Nội stories (published at T0, a copy of Cần Thơ's at T0 + 1 h), and a third real
    story (Bắc Ninh) published at T0 + 3 h; Hà Nội's confirmed into a case answered at T0 + 2 h."""
    built = build_site(database, tmp_path / "data")
    with database.session() as session:
        _, bacninh = add_copy(
            session, samples()["written:w4:007"], outlet(session, "dantri", "Báo Dân trí"), at=T0 + 3 * H
        )
        assert bacninh is not None
        built.stories["bacninh"] = bacninh
        case = confirm(session, built.stories["hanoi"].id, config=workflow_config(), actor=MONITOR, now=T0 + H)
        workflow.respond(
            session,
            case.id,
            kind="thong_tin_ban_dau",
            text="Cục THADS Hà Nội đã cung cấp thông tin ban đầu.",
            actor="daumoi.hanoi@thads.vn",
            at=T0 + 2 * H,
        )
    return built


def positions(page: str, needles: list[str]) -> list[int]:
    """Where each text first appears in the page's timeline."""
    start = page.index('<ol class="timeline">')
    found = [page.find(n, start) for n in needles]
    assert all(i >= 0 for i in found), [n for n, i in zip(needles, found, strict=True) if i < 0]
    return found


def test_declared_from_three_stories_of_the_queue_then_handled_and_closed(site: Site) -> None:
    ids = [site.stories[k].id for k in ("cantho", "hanoi", "bacninh")]
    client = site.client()
    token = sign_in(client, MONITOR)
    # the queue's bulk action opens the declaration form with the three stories ticked
    chosen = client.post(
        "/phan-loai/hang-loat", data={"csrf_token": token, "action": "su-co", "tin": [str(i) for i in ids]}
    )
    assert chosen.status_code == 303
    form = client.get(chosen.headers["location"])
    assert form.status_code == 200
    for i in ids:
        assert f'name="tin" value="{i}" checked' in form.text
    site.clock.now = T0 + 4 * H
    declared = client.post(
        "/su-co",
        data={
            "csrf_token": csrf_of(form.text),
            "title": "Báo chí đồng loạt phản ánh chậm thi hành án",
            "summary": "Ba tin trên ba báo trong một buổi sáng.",
            "severity": "high",
            "owner": "vanphong@cucthads.vn",
            "tin": [str(i) for i in ids],
        },
    )
    assert declared.status_code == 303, declared.text
    incident_id = int(re.fullmatch(r"/su-co/(\d+)\?tb=su-co-moi", declared.headers["location"])[1])  # type: ignore[index]
    site.clock.now = T0 + 5 * H
    acted = client.post(
        f"/su-co/{incident_id}/hoat-dong",
        data={"csrf_token": token, "kind": "rebuttal", "text": "Cục phát ngôn bác bỏ thông tin sai về số tiền."},
    )
    assert acted.status_code == 303
    page = client.get(f"/su-co/{incident_id}").text
    assert "Sự cố #" in page
    assert "Văn phòng Cục" in page
    assert "Cao" in page
    # the timeline: the publications, the case's handling and the agency's action, in time order
    s = samples()
    order = positions(
        page,
        [
            "Báo Lao Động: <a",  # T0: Cần Thơ and Hà Nội on Lao Động
            f'Báo Thanh Niên: <a href="{html.escape(story_copies_url(site, "cantho", 1))}"',  # T0 + 1 h
            "Giám sát xác nhận tin",  # T0 + 1 h: Hà Nội's case
            "Thông tin ban đầu</span> – daumoi.hanoi@thads.vn",  # T0 + 2 h
            html.escape(s["written:w4:007"]["title"]),  # T0 + 3 h, Dân trí
            "Bác bỏ thông tin sai</span> – giamsat@cucthads.vn",  # T0 + 5 h
        ],
    )
    assert order == sorted(order), order
    # closing needs a summary; then the page says how it ended and offers no more actions
    assert client.post(f"/su-co/{incident_id}/ket-thuc", data={"csrf_token": token, "summary": ""}).status_code == 400
    closed = client.post(
        f"/su-co/{incident_id}/ket-thuc",
        data={"csrf_token": token, "summary": "Các báo đã đăng ý kiến phản hồi; sự cố kết thúc."},
    )
    assert closed.status_code == 303
    page = client.get(f"/su-co/{incident_id}").text
    assert "Các báo đã đăng ý kiến phản hồi; sự cố kết thúc." in page
    assert "Đã kết thúc" in page
    assert f'action="/su-co/{incident_id}/hoat-dong"' not in page
    again = client.post(f"/su-co/{incident_id}/hoat-dong", data={"csrf_token": token, "kind": "note", "text": "x"})
    assert again.status_code == 409
    assert "đã kết thúc" in again.text
    listed = client.get("/su-co").text
    assert f'href="/su-co/{incident_id}"' in listed
    with site.database.session() as session:
        incident = get_incident(session, incident_id)
        assert incident is not None
        assert incident.story_ids == tuple(sorted(ids))
    # a story's page names its incident
    assert f'href="/su-co/{incident_id}"' in client.get(f"/phan-loai/{ids[0]}").text


def story_copies_url(site: Site, key: str, index: int) -> str:
    with site.database.session() as session:
        return story_copies(session, site.stories[key].id)[index].url


def test_a_focal_point_sees_the_incidents_of_their_province_only(site: Site) -> None:
    monitor = site.client()
    token = sign_in(monitor, MONITOR)
    cantho = site.stories["cantho"].id
    data = {"csrf_token": token, "title": "Sự cố ở Cần Thơ", "severity": "low", "owner": MONITOR, "tin": str(cantho)}
    location = monitor.post("/su-co", data=data).headers["location"]
    incident = location.split("?")[0]
    hanoi = site.client()
    sign_in(hanoi, "daumoi.hanoi@thads.vn")
    assert hanoi.get(incident).status_code == 404
    assert f'href="{incident}"' not in hanoi.get("/su-co").text
    cantho_client = site.client()
    token = sign_in(cantho_client, "daumoi.cantho@thads.vn")
    page = cantho_client.get(incident)
    assert page.status_code == 200
    assert 'action="' + incident + '/hoat-dong"' not in page.text  # reads, does not act
    refused = cantho_client.post(incident + "/hoat-dong", data={"csrf_token": token, "kind": "note", "text": "x"})
    assert refused.status_code == 403


def test_a_spike_alert_offers_an_incident_with_its_stories(site: Site) -> None:
    with site.database.session() as session:
        articles = [c.article_id for key in ("cantho", "bacninh") for c in story_copies(session, site.stories[key].id)]
        assert add_spike_alert(
            session,
            SpikeRecord(
                dimension="topic",
                key="khieu_nai_to_cao",
                window_start=T0,
                window_end=T0 + 4 * H,
                count=len(articles),
                baseline_mean=0.2,
                p_value=0.0001,
                article_ids=tuple(articles),
                drivers={},
                created_at=T0 + 4 * H,
            ),
        )
    site.clock.now = T0 + 5 * H
    client = site.client()
    token = sign_in(client, MONITOR)
    listed = client.get("/su-co").text
    link = re.search(r'href="(/su-co/moi\?dot-bien=(\d+))"', listed)
    assert link is not None, listed
    form = client.get(link[1].replace("&amp;", "&")).text
    expected = sorted((site.stories["cantho"].id, site.stories["bacninh"].id))
    assert sorted(int(i) for i in re.findall(r'name="tin" value="(\d+)" checked', form)) == expected
    assert f'name="dot_bien" value="{link[2]}"' in form
    declared = client.post(
        "/su-co",
        data={
            "csrf_token": token,
            "title": "Tin tăng đột biến về khiếu nại",
            "severity": "medium",
            "owner": MONITOR,
            "tin": [str(i) for i in expected],
            "dot_bien": link[2],
        },
    )
    assert declared.status_code == 303, declared.text
    with site.database.session() as session:
        (incident,) = list_incidents(session)
    assert incident.spike_alert_id == int(link[2])
    assert list(incident.story_ids) == expected


def test_bad_input_gets_a_vietnamese_error_and_declares_nothing(site: Site) -> None:
    client = site.client()
    token = sign_in(client, MONITOR)
    assert client.get("/su-co/moi", params={"tin": str(2**60)}).status_code == 400
    assert client.get("/su-co/moi", params={"dot-bien": "999"}).status_code == 404
    form = {"csrf_token": token, "title": "Sự cố", "severity": "low", "owner": MONITOR}
    typed = client.post("/su-co", data={**form, "them": "12, mười ba"})
    assert typed.status_code == 400
    assert "“mười” không phải số tin hợp lệ." in typed.text
    none = client.post("/su-co", data=form)
    assert none.status_code == 409
    assert "Cần chọn ít nhất một tin để lập sự cố" in none.text
    unknown = client.post("/su-co", data={**form, "tin": "424242"})
    assert unknown.status_code == 404
    assert "Không tìm thấy tin số 424242" in unknown.text
    leader = client.post("/su-co", data={**form, "tin": str(site.stories["hanoi"].id), "owner": "lanhdao@cucthads.vn"})
    assert leader.status_code == 409
    assert "Người phụ trách" in leader.text
    with site.database.session() as session:
        assert list_incidents(session) == []
