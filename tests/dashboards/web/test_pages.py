"""The pages and their actions through the real app (both backends): the triage queue and a story's actions,
the case page with a response and its attachment, trends, timeliness, sources, the API and its documentation."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

import pytest

from storage.cases import assignees, audit_trail, case_for_story, get_case
from storage.engine import Database
from storage.enrichments import get_enrichment, get_story
from storage.feedback import list_feedback
from tests.dashboards.web.site import Site, build_site, sign_in
from tests.seeding import samples

MONITOR = "giamsat@cucthads.vn"


@pytest.fixture
def site(database: Database, tmp_path: Path) -> Site:
    return build_site(database, tmp_path / "data")


def test_triage_queue_and_a_storys_actions(site: Site) -> None:
    cantho, hanoi = site.stories["cantho"], site.stories["hanoi"]
    client = site.client()
    token = sign_in(client, MONITOR)
    queue = client.get("/phan-loai").text
    assert "2 tin chờ" in queue
    assert queue.index(samples()["written:w4:005"]["title"]) < queue.index(samples()["written:w4:006"]["title"])
    assert "Báo Lao Động" in queue
    assert "Khiếu nại, tố cáo, phản ánh" in queue
    page = client.get(f"/phan-loai/{hanoi.id}").text
    assert "Sửa nhãn" in page
    assert "Gộp tin này vào tin số" in page
    # The model said Hà Nội for a Cần Thơ story in this test's telling: correct it, then confirm.
    relabel = client.post(
        f"/phan-loai/{hanoi.id}/sua-nhan",
        data={
            "csrf_token": token,
            "relevant": "co",
            "topic": "khieu_nai_to_cao",
            "sentiment": "trung_lap",
            "province": "Cần Thơ",
        },
    )
    assert relabel.headers["location"] == f"/phan-loai/{hanoi.id}?tb=sua-nhan"
    assert "Đã lưu nhãn đã sửa" in client.get(relabel.headers["location"]).text
    confirmed = client.post(
        f"/phan-loai/{hanoi.id}/xac-nhan", data={"csrf_token": token, "priority": "P3", "note": "theo dõi tiếp"}
    )
    case_id = int(confirmed.headers["location"].split("/")[2].split("?")[0])
    with site.database.session() as session:
        assert {(f.field, f.new_value) for f in list_feedback(session)} == {
            ("province", "Cần Thơ"),
            ("sentiment", "trung_lap"),
        }
        enrichment = get_enrichment(session, hanoi.first_article_id)
        assert enrichment is not None
        assert enrichment.province == "Cần Thơ"
        case = get_case(session, case_id)
        assert case is not None
        assert (case.priority, case.province) == ("P3", "Cần Thơ")
        assert [u.email for u in assignees(session, case_id)] == ["daumoi.cantho@thads.vn"]
    merged = client.post(f"/phan-loai/{cantho.id}/gop", data={"csrf_token": token, "target": str(hanoi.id)})
    assert merged.headers["location"] == f"/phan-loai/{hanoi.id}?tb=gop"
    dismissed = client.post(
        f"/phan-loai/{hanoi.id}/loai",
        data={"csrf_token": token, "reason": "Đã trả lời năm trước", "next": "/phan-loai"},
    )
    assert dismissed.headers["location"] == "/phan-loai?tb=da-loai"
    with site.database.session() as session:
        gone = get_story(session, cantho.id)
        assert gone is not None
        assert gone.merged_into_id == hanoi.id
        case = case_for_story(session, hanoi.id)
        assert case is not None
        assert case.state == "dismissed"
        assert [e.action for e in audit_trail(session, case.id)][-2:] == ["merge", "dismiss"]
    assert "Không còn tin nào chờ phân loại." in client.get("/phan-loai").text


def test_case_page_response_with_attachment_and_download(site: Site) -> None:
    client = site.client()
    token = sign_in(client, MONITOR)
    confirmed = client.post(f"/phan-loai/{site.stories['cantho'].id}/xac-nhan", data={"csrf_token": token})
    case_url = confirmed.headers["location"].split("?")[0]
    page = client.get(case_url).text
    assert "Nghị định 237/2026/NĐ-CP, Điều 18 khoản 3" in page  # the legal basis of the deadline
    assert "còn " in page  # a countdown
    assert "Giao đầu mối" in page  # monitors may assign…
    assert "Ghi nhận phản hồi" not in page  # …but do not respond
    focal = site.client()
    focal_token = sign_in(focal, "daumoi.cantho@thads.vn")
    assert "Xác nhận đã nhận" in focal.get(case_url).text
    assert focal.post(f"{case_url}/xac-nhan", data={"csrf_token": focal_token}).status_code == 303
    pdf = b"%PDF-1.4\n" + "Công văn số 125/THADS-VP trả lời báo Lao Động".encode()
    answered = focal.post(
        f"{case_url}/phan-hoi",
        data={"csrf_token": focal_token, "kind": "van_ban_tra_loi", "text": "Đã có văn bản trả lời <b>báo</b>."},
        files={"tep": ("../../etc/Công văn 125.pdf", pdf, "application/pdf")},
    )
    assert answered.status_code == 303
    page = focal.get(case_url).text
    digest = hashlib.sha256(pdf).hexdigest()
    assert f'href="{case_url}/tep/{digest}">Công văn 125.pdf</a>' in page
    assert "Đã có văn bản trả lời &lt;b&gt;báo&lt;/b&gt;." in page
    download = focal.get(f"{case_url}/tep/{digest}")
    assert download.content == pdf
    assert download.headers["content-disposition"] == (
        "attachment; filename=\"Cong van 125.pdf\"; filename*=UTF-8''C%C3%B4ng%20v%C4%83n%20125.pdf"
    )
    assert (site.app.state.ctx.attachments_dir / digest).read_bytes() == pdf
    assert re.search(r"đã phản hồi", page)


def test_trends_timeliness_sources_and_api(site: Site) -> None:
    client = site.client()
    token = sign_in(client, MONITOR)
    client.post(f"/phan-loai/{site.stories['cantho'].id}/xac-nhan", data={"csrf_token": token})
    site.clock.now += dt.timedelta(days=2)
    sign_in(client, MONITOR)  # two days later: the 12-hour session has ended
    trends = client.get("/xu-huong", params={"ky": 7})
    assert trends.status_code == 200
    assert "<strong>3</strong> tin liên quan" in trends.text  # two copies in Cần Thơ, one in Hà Nội
    assert trends.text.count("<svg") == 4
    assert "Khiếu nại, tố cáo, phản ánh" in trends.text
    assert client.get("/xu-huong", params={"ky": 8}).status_code == 400
    assert "Cần Thơ" in client.get("/dung-han").text
    assert client.get("/nguon-tin").status_code == 200
    data = client.get("/api/xu-huong", params={"ky": 7}).json()
    assert {p["name"]: p["count"] for p in data["provinces"]} == {"Cần Thơ": 2, "Hà Nội": 1}
    assert client.get("/api/openapi.json").json()["paths"].keys() >= {"/api/ho-so", "/api/bai-viet", "/api/xu-huong"}
    docs = client.get("/api/docs").text
    assert "GET /api/ho-so/{case_id}" in docs
    assert "X-CSRF-Token" in docs
    focal = site.client()
    sign_in(focal, "daumoi.hanoi@thads.vn")
    own = focal.get("/api/xu-huong", params={"ky": 7}).json()
    assert {p["name"] for p in own["provinces"]} == {"Hà Nội"}  # their province's figures only
    assert focal.get("/nguon-tin").status_code == 403
    assert "Hà Nội" in focal.get("/xu-huong").text


def test_reports_page_downloads_the_report_in_the_users_scope(site: Site) -> None:
    import io

    import docx
    import openpyxl

    client = site.client()
    sign_in(client, MONITOR)
    page = client.get("/bao-cao").text
    assert '<option value="2026-W47">Tuần 47 năm 2026: 16/11/2026–22/11/2026 (đang diễn ra)' in page
    assert '<option value="2026-W46" selected>Tuần 46 năm 2026: 09/11/2026–15/11/2026</option>' in page  # last week
    assert '<option value="Cần Thơ">Cần Thơ</option>' in page
    got = client.get("/bao-cao/tai-ve", params={"ky": "2026-W47", "dinh_dang": "docx"})
    assert got.status_code == 200
    assert got.headers["content-disposition"].endswith("filename*=UTF-8''bao-cao-2026-W47.docx")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(got.content)).paragraphs)
    assert "BÁO CÁO" in text
    assert "tuần 47 năm 2026" in text
    annex = client.get("/bao-cao/tai-ve", params={"ky": "2026-W47", "dinh_dang": "xlsx", "tinh": "can tho"})
    assert annex.headers["content-disposition"].endswith("bao-cao-2026-W47-can-tho.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(annex.content), read_only=True)
    assert len(book.sheetnames) >= 6
    refused = client.get("/bao-cao/tai-ve", params={"ky": "2026-W60"})
    assert refused.status_code == 400
    assert "không có tuần 60" in refused.text
    assert client.get("/bao-cao/tai-ve", params={"ky": "2026-W47", "tinh": "Gotham"}).status_code == 400
    # A focal point of Hà Nội asking for Cần Thơ's report gets Hà Nội's: the scope is not the form's to choose.
    focal = site.client()
    sign_in(focal, "daumoi.hanoi@thads.vn")
    theirs = focal.get("/bao-cao/tai-ve", params={"ky": "2026-W47", "tinh": "Cần Thơ"})
    assert theirs.headers["content-disposition"].endswith("bao-cao-2026-W47-ha-noi.docx")
    assert "Hà Nội" in "\n".join(p.text for p in docx.Document(io.BytesIO(theirs.content)).paragraphs)


def test_account_page_saves_the_users_mail_preferences(site: Site) -> None:
    from storage.preferences import get_preferences

    client = site.client()
    token = sign_in(client, MONITOR)
    saved = client.post(
        "/tai-khoan/nhan-thu",
        data={"csrf_token": token, "scope": "Cần Thơ", "quiet_start": "22:00", "quiet_end": "06:30"},
    )
    assert saved.headers["location"] == "/tai-khoan?tb=nhan-thu"
    page = client.get(saved.headers["location"]).text
    assert "Đã lưu cài đặt nhận thư." in page
    assert '<option value="Cần Thơ" selected>' in page
    with site.database.session() as session:
        preferences = get_preferences(session, MONITOR)
    assert preferences is not None
    assert (preferences.digest_enabled, preferences.digest_scope) == (False, "Cần Thơ")  # the box was left empty
    assert (preferences.quiet_start, preferences.quiet_end) == ("22:00", "06:30")
    half = client.post("/tai-khoan/nhan-thu", data={"csrf_token": token, "digest": "on", "quiet_start": "22:00"})
    assert half.status_code == 400
    assert "cả giờ bắt đầu và giờ kết thúc" in half.text
    assert client.post("/tai-khoan/nhan-thu", data={"csrf_token": token, "scope": "Gotham"}).status_code == 400
    # A focal point cannot widen their digest beyond their province.
    focal = site.client()
    focal_token = sign_in(focal, "daumoi.hanoi@thads.vn")
    focal.post("/tai-khoan/nhan-thu", data={"csrf_token": focal_token, "digest": "on", "scope": "toan_quoc"})
    with site.database.session() as session:
        theirs = get_preferences(session, "daumoi.hanoi@thads.vn")
    assert theirs is not None
    assert (theirs.digest_enabled, theirs.digest_scope, theirs.quiet_start) == (True, None, None)


@pytest.mark.parametrize(
    ("email", "spreading"),
    [
        ("quantri@cucthads.vn", True),
        (MONITOR, True),
        ("lanhdao@cucthads.vn", True),
        ("daumoi.cantho@thads.vn", True),
        ("daumoi.hanoi@thads.vn", False),
        ("lanhdao.hanoi@thads.vn", False),
    ],
)
def test_trends_spreading_lists_stories_of_two_outlets_or_more(site: Site, email: str, spreading: bool) -> None:
    """Cần Thơ's story runs in Báo Lao Động and Báo Thanh Niên; Hà Nội's in Báo Lao Động only: not spreading."""
    client = site.client()
    sign_in(client, email)
    page = client.get("/xu-huong", params={"ky": 7})
    assert page.status_code == 200
    section = page.text.split("<h2>Tin đang lan rộng")[1]
    assert "từ 2 cơ quan báo chí trở lên" in section
    assert samples()["written:w4:006"]["title"] not in section
    assert (samples()["written:w4:005"]["title"] in section) is spreading
    assert ("Không có tin nào đang lan rộng." in section) is not spreading
    assert 'viewBox="0 0 1200 ' in page.text  # the charts are drawn at the page's width
