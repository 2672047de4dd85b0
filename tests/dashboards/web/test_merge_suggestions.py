"""Merge suggestions on a story: the stories most like it (MinHash containment of the stored signatures, as the
clustering computes them from the real articles), with a one-click merge; through the real app on both backends."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pytest

from nlp.stories import signature, to_bytes
from storage.articles import get_article
from storage.engine import Database
from storage.enrichments import get_enrichment, get_story, save_enrichment
from storage.views.queue import story_copies
from tests.dashboards.web.site import Site, build_site, sign_in
from tests.seeding import T0, add_copy, outlet, samples

MONITOR = "giamsat@cucthads.vn"


@pytest.fixture
def site(database: Database, tmp_path: Path) -> Site:
    return build_site(database, tmp_path / "data")


def sign_all(site: Site) -> None:
    """Store each relevant article's MinHash signature, as the enrichment does."""
    with site.database.session() as session:
        for story_id in range(1, 20):
            for copy in story_copies(session, story_id):
                enrichment = get_enrichment(session, copy.article_id)
                assert enrichment is not None
                article = get_article(session, copy.article_id)
                assert article is not None
                save_enrichment(session, enrichment, signature=to_bytes(signature(article.title, article.text)))


def duplicate(site: Site) -> tuple[int, int]:
    """Hà Nội's article republished by VnExpress a day later, and cut to its first half by Dân trí, each kept
    apart by clustering: stories of their own."""
    row = dict(samples()["written:w4:006"])
    paragraphs = row["text"].split("\n")
    trimmed = {**row, "text": "\n".join(paragraphs[: max(1, len(paragraphs) // 2)])}
    with site.database.session() as session:
        _, whole = add_copy(
            session, row, outlet(session, "vnexpress", "VnExpress"), at=T0 + dt.timedelta(days=1), suffix="b"
        )
        _, cut = add_copy(
            session, trimmed, outlet(session, "dantri", "Báo Dân trí"), at=T0 + dt.timedelta(days=2), suffix="c"
        )
        assert whole is not None
        assert cut is not None
    return whole.id, cut.id


def test_the_most_similar_story_is_suggested_and_merged_in_one_click(site: Site) -> None:
    copy, cut = duplicate(site)
    sign_all(site)
    hanoi, cantho = site.stories["hanoi"], site.stories["cantho"]
    client = site.client()
    token = sign_in(client, MONITOR)
    page = html.unescape(client.get(f"/phan-loai/{hanoi.id}").text)
    suggested = re.findall(r'<form method="post" action="/phan-loai/(\d+)/gop" class="inline">', page)
    assert suggested == [str(copy), str(cut)]  # the whole copy first; Cần Thơ's different story is not like it
    assert f"Gộp tin #{copy} vào tin này" in page
    assert "100 %" in page  # the same text
    assert f'action="/phan-loai/{cantho.id}/gop" class="inline"' not in page

    done = client.post(f"/phan-loai/{copy}/gop", data={"csrf_token": token, "target": str(hanoi.id)})
    assert done.headers["location"] == f"/phan-loai/{hanoi.id}?tb=gop"
    with site.database.session() as session:
        merged, gone = get_story(session, hanoi.id), get_story(session, copy)
        assert merged is not None
        assert gone is not None
        assert (merged.size, gone.merged_into_id) == (2, hanoi.id)
    after = client.get(done.headers["location"]).text
    assert re.findall(r'<form method="post" action="/phan-loai/(\d+)/gop" class="inline">', after) == [str(cut)]


def test_a_story_with_no_signature_gets_no_suggestion(site: Site) -> None:
    duplicate(site)  # signatures not stored: nothing to compare
    client = site.client()
    sign_in(client, MONITOR)
    page = client.get(f"/phan-loai/{site.stories['hanoi'].id}").text
    assert "Không có tin nào gần giống" in page
