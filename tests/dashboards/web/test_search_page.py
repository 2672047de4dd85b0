"""The search page as every role (both backends): how to ask for an exact phrase, the words side by side marked
as one match, and a query too long said on the page with the form kept."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from storage.engine import Database
from tests.dashboards.web.site import Site, build_site, sign_in
from tests.seeding import USERS, samples

ROLES = ["admin", "monitor", "cantho", "central", "leader", "leader_hanoi"]


@pytest.fixture
def site(database: Database, tmp_path: Path) -> Site:
    return build_site(database, tmp_path / "data")


@pytest.mark.parametrize("role", ROLES)
def test_search_page_explains_phrases_and_keeps_a_too_long_query(site: Site, role: str) -> None:
    client = site.client()
    sign_in(client, USERS[role].email)
    page = client.get("/tim-kiem")
    assert page.status_code == 200
    assert 'đặt cụm từ trong dấu ngoặc kép, ví dụ: <kbd>"thi hành án"</kbd>' in " ".join(page.text.split())
    long = "thi hành án dân sự tỉnh Cần Thơ " * 8  # 256 characters
    refused = client.get("/tim-kiem", params={"q": long, "chu_de": "khieu_nai_to_cao"})
    assert refused.status_code == 400
    assert '<form method="get" action="/tim-kiem"' in refused.text  # the search page, not an error page
    assert "Từ khóa dài 256 ký tự, quá giới hạn 200 ký tự: xin rút gọn rồi tìm lại." in refused.text
    assert f'value="{html.escape(long)}"' in refused.text  # what was typed, kept to be shortened
    assert '<option value="khieu_nai_to_cao" selected>' in refused.text
    assert "Tìm thấy" not in refused.text
    found = client.get("/tim-kiem", params={"q": long[:200]})
    assert found.status_code == 200
    assert "quá giới hạn" not in found.text


@pytest.mark.parametrize("role", ["monitor", "cantho"])
def test_words_side_by_side_are_marked_as_the_match(site: Site, role: str) -> None:
    """The Cần Thơ story: "… Mỹ Xuyên: 8 năm, bản án vẫn “nằm trên giấy”"; the words of "thi hanh an" side by
    side in its snippet are the only marks."""
    client = site.client()
    sign_in(client, USERS[role].email)
    page = client.get("/tim-kiem", params={"q": "thi hanh an"}).text
    assert html.escape(samples()["written:w4:005"]["title"]) in page
    together = 0
    for snippet in re.findall(r'<p class="snippet">(.*?)</p>', page, re.S):
        marked = re.findall(r"<mark>(.*?)</mark>", snippet)
        if re.search(r"<mark>thi</mark> <mark>hành</mark> <mark>án</mark>", snippet, re.I):
            together += 1
            assert [m.lower() for m in marked] == ["thi", "hành", "án"] * (len(marked) // 3)
    assert together
