"""The communications database on the web: a focal point adds a press release with its file, linked to a story;
it is listed, shown on the story's case and story pages, found by the search beside the articles (each hit saying
what it is), and refused, with the form kept, when a story is not theirs or the file is not a document."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from alerts import triage
from storage.engine import Database
from tests.dashboards.web.site import Site, build_site, csrf_of, sign_in

MONITOR, FOCAL, LEADER = "giamsat@cucthads.vn", "daumoi.hanoi@thads.vn", "lanhdao@cucthads.vn"
OTHER_FOCAL = "daumoi.cantho@thads.vn"
PDF = b"%PDF-1.4\n" + "Thông cáo báo chí số 12".encode() + b"\n%%EOF\n"
TITLE = "Thông cáo báo chí về vụ cưỡng chế thi hành án ở Đông Anh"
BODY = "Cục THADS Hà Nội thông tin về vụ cưỡng chế thi hành án.\nViệc cưỡng chế được thực hiện đúng quy định."


@dataclass(frozen=True)
class Cases:
    site: Site
    hanoi_case: int
    hanoi_story: int
    cantho_story: int


@pytest.fixture
def cases(database: Database, tmp_path: Path) -> Cases:
    site = build_site(database, tmp_path / "data")
    config = site.app.state.ctx.workflow
    with site.database.session() as session:
        hanoi = triage.confirm(session, site.stories["hanoi"].id, config=config, actor=MONITOR, now=site.clock.now)
    return Cases(site, hanoi.id, site.stories["hanoi"].id, site.stories["cantho"].id)


def _form(stories: str, **changes: str) -> dict[str, str]:
    return {
        "kind": "thong_cao",
        "title": TITLE,
        "body": BODY,
        "ngay": "2026-11-17",
        "don_vi": "Thi hành án dân sự thành phố Hà Nội",
        "tin": stories,
        **changes,
    }


def test_a_focal_point_adds_a_press_release_found_with_the_articles(cases: Cases) -> None:
    client = cases.site.client()
    sign_in(client, FOCAL)
    # The case page offers it, with the story filled in: the form as the page renders it, sent as it is.
    case_page = client.get(f"/ho-so/{cases.hanoi_case}").text
    assert "Chưa có thông cáo, phát ngôn hay văn bản nào gắn với tin này." in case_page
    assert f'href="/thong-cao?tin={cases.hanoi_story}#them"' in case_page
    form_page = client.get("/thong-cao", params={"tin": str(cases.hanoi_story)}).text
    assert f'name="tin" required maxlength="500" value="{cases.hanoi_story}"' in form_page
    done = client.post(
        "/thong-cao",
        data={"csrf_token": csrf_of(form_page), **_form(str(cases.hanoi_story))},
        files={"tep": ("Thông cáo số 12.pdf", PDF, "application/pdf")},
    )
    assert done.status_code == 303, done.text[:500]
    location = done.headers["location"]
    assert re.fullmatch(r"/thong-cao/\d+\?tb=thong-cao", location)
    page = client.get(location).text
    assert "Đã lưu văn bản vào cơ sở dữ liệu truyền thông." in page
    assert TITLE in page
    assert "Thông cáo báo chí" in page
    assert "17/11/2026" in page
    assert f'href="/ho-so/{cases.hanoi_case}"' in page  # the story it answers, through its case
    statement = location.split("?")[0]
    got = client.get(f"{statement}/tep")
    assert got.content == PDF
    assert "filename*=UTF-8''Th%C3%B4ng%20c%C3%A1o%20s%E1%BB%91%2012.pdf" in got.headers["content-disposition"]
    assert TITLE in client.get("/thong-cao").text
    assert f'href="{statement}"' in client.get(f"/ho-so/{cases.hanoi_case}").text
    # Search, without diacritics: the statement, said to be one, and the articles, each said to be an article.
    found = client.get("/tim-kiem", params={"q": "thi hanh an"}).text
    assert "<h2>Văn bản của cơ quan" in found
    section = found.split("<h2>Văn bản của cơ quan")[1].split("<h2>Bài báo</h2>")[0]
    assert f'href="{statement}"' in section
    assert '<p class="kind">Thông cáo báo chí</p>' in section
    assert "<mark>thi</mark> <mark>hành</mark> <mark>án</mark>" in section
    assert '<p class="kind">Bài báo</p>' in found.split("<h2>Bài báo</h2>")[1]
    # Words no statement holds, or a filter only articles have: the articles alone.
    assert "Văn bản của cơ quan" not in client.get("/tim-kiem", params={"q": "dong anh tham nhung"}).text
    assert "Văn bản của cơ quan" not in client.get("/tim-kiem", params={"q": "cuong che", "chu_de": "cuong_che"}).text
    # The monitor's story page shows it too; a focal point of another province sees it without the story.
    monitor = cases.site.client()
    sign_in(monitor, MONITOR)
    assert f'href="{statement}"' in monitor.get(f"/phan-loai/{cases.hanoi_story}").text
    other = cases.site.client()
    sign_in(other, OTHER_FOCAL)
    page = other.get(statement).text
    assert TITLE in page
    assert f"/ho-so/{cases.hanoi_case}" not in page


def test_refused_with_the_form_kept(cases: Cases) -> None:
    client = cases.site.client()
    token = sign_in(client, FOCAL)
    for form, files, problem, status in (
        (_form(str(cases.cantho_story)), None, f"Không có tin #{cases.cantho_story}", 400),  # another province's
        (_form("12a"), None, "“12a” không phải số tin", 400),
        (_form(""), None, "Hãy ghi số của ít nhất một tin", 400),
        (_form(str(cases.hanoi_story), ngay="17/11/2026x"), None, "không phải ngày hợp lệ", 400),
        (_form(str(cases.hanoi_story), body=" "), None, "Hãy nhập nội dung văn bản hoặc tải lên tệp", 400),
        (
            _form(str(cases.hanoi_story)),
            {"tep": ("thong-cao.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")},
            "thong-cao.pdf",
            400,
        ),
    ):
        got = client.post("/thong-cao", data={"csrf_token": token, **form}, files=files)
        assert got.status_code == status, got.text[:300]
        assert problem in got.text, got.text[:2000]
        assert "Văn bản chưa được lưu." in got.text
        assert f'value="{TITLE}"' in got.text  # what was typed stays
    assert "Chưa có văn bản nào." in client.get("/thong-cao").text


def test_leaders_read_but_do_not_add(cases: Cases) -> None:
    client = cases.site.client()
    token = sign_in(client, LEADER)
    page = client.get("/thong-cao").text
    assert "Thêm văn bản" not in page
    got = client.post("/thong-cao", data={"csrf_token": token, **_form(str(cases.hanoi_story))})
    assert got.status_code == 403


def test_a_file_alone_is_enough(cases: Cases) -> None:
    """The text left empty (a browser sends the empty field) when the document is the uploaded file."""
    client = cases.site.client()
    token = sign_in(client, FOCAL)
    got = client.post(
        "/thong-cao",
        data={"csrf_token": token, **_form(str(cases.hanoi_story), body="")},
        files={"tep": ("Phát ngôn.pdf", PDF, "application/pdf")},
    )
    assert got.status_code == 303, got.text[:500]
    assert "Nội dung ở tệp đính kèm." in client.get(got.headers["location"]).text
