"""The "Gán nhãn" queue through the real app (both backends), as every role: monitors and admins see the articles
the model is least sure of and save one label per click (CSRF-checked, recorded with the user); focal points and
leaders are refused. The sources page shows the model in use and its validation figures."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from storage.engine import Database
from storage.enrichments import get_enrichment, save_enrichment
from storage.feedback import list_feedback
from storage.model_versions import ModelVersion, activate_model_version, add_model_version
from tests.dashboards.web.site import Site, build_site, sign_in
from tests.seeding import T0, add_copy, outlet, samples

ALLOWED = ["giamsat@cucthads.vn", "quantri@cucthads.vn"]
REFUSED = ["daumoi.cantho@thads.vn", "vanphong@cucthads.vn", "lanhdao@cucthads.vn", "lanhdao.hanoi@thads.vn"]


@pytest.fixture
def site(database: Database, tmp_path: Path) -> Site:
    site = build_site(database, tmp_path / "data")
    s = samples()
    with database.session() as session:
        paper = outlet(session, "vnexpress", "VnExpress")
        # Near the threshold (0.5 for the version recorded below): the model is unsure; far from it: sure.
        doubt, _ = add_copy(session, s["written:w4:002"], paper, at=T0, relevant=False, suffix="-doubt")
        assert doubt.id is not None
        read = get_enrichment(session, doubt.id)
        assert read is not None
        save_enrichment(session, replace(read, relevance_score=0.48))
        add_copy(session, s["written:w5:001"], paper, at=T0, relevant=False, score=0.02, suffix="-sure")
        add_model_version(
            session,
            ModelVersion(
                version="thads-nlp-20261201-090000",
                path="",
                created_at=T0,
                metrics={
                    "threshold": 0.5,
                    "validation": {
                        "n": 412,
                        "n_relevant": 187,
                        "relevance_precision": 0.912,
                        "relevance_recall": 0.874,
                        "relevance_f1": 0.8926,
                        "topic_accuracy": 0.7811,
                        "tone_macro_f1": 0.6402,
                        "province_accuracy": 0.9312,
                    },
                },
            ),
        )
        activate_model_version(session, "thads-nlp-20261201-090000", by="quantri@cucthads.vn", at=T0)
    return site


def _article_id(site: Site, title: str) -> int:
    from sqlalchemy import select

    from storage.tables import ArticleRow

    with site.database.session() as session:
        found = session.scalar(select(ArticleRow.id).where(ArticleRow.title == title))
    assert found is not None
    return int(found)


@pytest.mark.parametrize("email", ALLOWED)
def test_monitors_and_admins_label_what_the_model_doubts(site: Site, email: str) -> None:
    s = samples()
    doubt = _article_id(site, s["written:w4:002"]["title"])
    client = site.client()
    token = sign_in(client, email)
    page = client.get("/gan-nhan").text
    assert '<a href="/gan-nhan">Gán nhãn</a>' in page
    assert s["written:w4:002"]["title"] in page
    assert s["written:w5:001"]["title"] not in page  # 0.02: the model is sure
    assert "mô hình phân vân về <strong>có liên quan hay không</strong>" in page
    assert "Thi hành án tín dụng, ngân hàng" in page
    assert "Tiêu cực" in page
    assert "thads-nlp-20261201-090000" in page
    refused = client.post(f"/gan-nhan/{doubt}", data={"field": "relevant", "value": "co"})
    assert refused.status_code == 403  # no CSRF token
    for field, value in (("relevant", "co"), ("topic", "khieu_nai_to_cao"), ("province", "Nghệ An")):
        done = client.post(f"/gan-nhan/{doubt}", data={"csrf_token": token, "field": field, "value": value})
        assert done.status_code == 303
        assert done.headers["location"] == f"/gan-nhan?tb=gan-nhan#bai-{doubt}"
    page = client.get("/gan-nhan?tb=gan-nhan").text
    assert "Đã lưu nhãn (dùng để huấn luyện lại mô hình)." in page
    assert re.search(r'value="khieu_nai_to_cao" class="chosen"', page)  # what was given shows
    bad = client.post(f"/gan-nhan/{doubt}", data={"csrf_token": token, "field": "topic", "value": "bong_da"})
    assert bad.status_code == 409
    assert "không hợp lệ cho nhãn chủ đề" in bad.text
    # The tone completes the labels: the article leaves the queue.
    client.post(f"/gan-nhan/{doubt}", data={"csrf_token": token, "field": "sentiment", "value": "trung_lap"})
    assert s["written:w4:002"]["title"] not in client.get("/gan-nhan").text
    with site.database.session() as session:
        saved = [(f.field, f.new_value, f.by) for f in list_feedback(session, article_id=doubt)]
        enrichment = get_enrichment(session, doubt)
    assert saved == [
        ("relevant", "true", email),
        ("topic", "khieu_nai_to_cao", email),
        ("province", "Nghệ An", email),
        ("sentiment", "trung_lap", email),
    ]
    assert enrichment is not None
    assert (enrichment.relevant, enrichment.topic, enrichment.province) == (True, "khieu_nai_to_cao", "Nghệ An")


@pytest.mark.parametrize("email", REFUSED)
def test_focal_points_and_leaders_cannot_label(site: Site, email: str) -> None:
    doubt = _article_id(site, samples()["written:w4:002"]["title"])
    client = site.client()
    token = sign_in(client, email)
    assert "/gan-nhan" not in client.get("/ho-so").text
    assert client.get("/gan-nhan").status_code == 403
    refused = client.post(f"/gan-nhan/{doubt}", data={"csrf_token": token, "field": "relevant", "value": "khong"})
    assert refused.status_code == 403
    with site.database.session() as session:
        assert list_feedback(session, article_id=doubt) == []


@pytest.mark.parametrize("email", [*ALLOWED, "lanhdao@cucthads.vn", "lanhdao.hanoi@thads.vn"])
def test_sources_page_shows_the_model_in_use(site: Site, email: str) -> None:
    client = site.client()
    sign_in(client, email)
    page = client.get("/nguon-tin").text
    assert "Mô hình phân loại đang dùng" in page
    assert "thads-nlp-20261201-090000" in page
    assert "412 bài, 187 bài liên quan" in page
    assert "0,893" in page
    assert "0,781" in page
    assert "0,640" in page
    assert "0,931" in page
    assert "đưa vào dùng" in page
    assert "quantri@cucthads.vn" in page


def test_sources_page_without_a_recorded_version_shows_the_shipped_model(database: Database, tmp_path: Path) -> None:
    site = build_site(database, tmp_path / "data")
    client = site.client()
    sign_in(client, "giamsat@cucthads.vn")
    page = client.get("/nguon-tin").text
    from nlp.versions import shipped_version_name

    assert f"Phiên bản <strong>{shipped_version_name()}</strong> (kèm phần mềm)" in page
    assert "Chưa đo trên tập kiểm định cố định" in page
