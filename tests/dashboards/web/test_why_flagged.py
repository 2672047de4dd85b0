"""Why a story was flagged, in the queue, on the story and on the case: the rule that set the priority, the terms
that weighed most (read by the real models from the real articles), the places that decided the province."""

from __future__ import annotations

import html
from pathlib import Path

import pytest

from alerts.triage import confirm
from domain.records import Explanation
from nlp.classify import Classifier, Document
from storage.engine import Database
from storage.explanations import save_explanation
from tests.dashboards.web.site import Site, build_site, sign_in, workflow_config
from tests.seeding import T0, samples

MONITOR = "giamsat@cucthads.vn"
KEYS = {"cantho": "written:w4:005", "hanoi": "written:w4:006"}


@pytest.fixture(scope="module")
def classifier() -> Classifier:
    return Classifier.load(use_ner=False)


@pytest.fixture
def site(database: Database, tmp_path: Path) -> Site:
    return build_site(database, tmp_path / "data")


def explain(site: Site, classifier: Classifier) -> dict[str, Explanation]:
    """What the enrichment stores for the first article of each story, read by the shipped models."""
    made = {}
    with site.database.session() as session:
        for name, key in KEYS.items():
            row = samples()[key]
            reasons = classifier.classify(
                Document(id=key, title=row["title"], summary=row["summary"], text=row["text"])
            ).reasons
            assert reasons is not None
            made[name] = Explanation(
                article_id=site.stories[name].first_article_id,
                relevance=reasons.relevance,
                topic=reasons.topic,
                sentiment=reasons.sentiment,
                places=reasons.places,
                model_version=classifier.version,
                made_at=T0,
            )
            save_explanation(session, made[name])
    return made


def shown(page: str) -> str:
    return html.unescape(page)


def test_the_queue_the_story_and_the_case_say_why(site: Site, classifier: Classifier) -> None:
    why = explain(site, classifier)
    hanoi = site.stories["hanoi"]
    with site.database.session() as session:
        case = confirm(session, hanoi.id, config=workflow_config(), actor=MONITOR, now=site.clock())
    client = site.client()
    sign_in(client, MONITOR)
    queue = shown(client.get("/phan-loai", params={"trang_thai": "all"}).text)
    assert queue.count("Vì sao được đánh dấu") == 2
    assert f"Vì sao được đánh dấu: {case.reason}" in queue  # the rule that set the priority
    for made in why.values():
        assert f"“{made.relevance[0].text}”" in queue.replace("<q>", "“").replace("</q>", "”")
        assert f"<q>{made.places[0].text}</q> (trong tên cơ quan thi hành án)" in queue

    story = shown(client.get(f"/phan-loai/{hanoi.id}").text)
    assert case.reason is not None
    assert case.reason.startswith("Giám sát xác nhận khi phân loại (quy tắc: ")
    assert f"<dt>Mức ưu tiên</dt><dd>{case.reason}</dd>" in story
    for term in why["hanoi"].topic:
        assert f"<q>{term.text}</q>" in story
    assert f"<q>{why['hanoi'].sentiment[0].text}</q>" in story
    assert "<q>Hà Nội</q> (trong tên cơ quan thi hành án)" in story

    case_page = shown(client.get(f"/ho-so/{case.id}").text)
    assert "Vì sao được đánh dấu" in case_page
    assert f"<q>{why['hanoi'].relevance[1].text}</q>" in case_page
    assert "<q>Hà Nội</q> (trong tên cơ quan thi hành án)" in case_page


def test_a_story_without_a_case_shows_the_rule_it_matches_now(site: Site, classifier: Classifier) -> None:
    explain(site, classifier)
    client = site.client()
    sign_in(client, MONITOR)
    story = shown(client.get(f"/phan-loai/{site.stories['cantho'].id}").text)
    # Cần Thơ's story: a complaint, negative (the sample's hand labels), in two outlets
    assert (
        "<dt>Mức ưu tiên</dt><dd>Phê bình, phản ánh, khiếu nại cần văn bản trả lời (P2; chưa lập hồ sơ)</dd>" in story
    )


def test_an_article_read_before_explanations_existed_says_so(site: Site) -> None:
    client = site.client()
    sign_in(client, MONITOR)
    story = shown(client.get(f"/phan-loai/{site.stories['cantho'].id}").text)
    assert "chưa có (bài được đọc trước khi hệ thống ghi lại lý do)" in story
