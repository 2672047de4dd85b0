"""The article page names entities in Vietnamese (names from domain/taxonomy.yaml), on both backends."""

from __future__ import annotations

import dataclasses
import html
from pathlib import Path

import pytest

from domain.labels import taxonomy
from nlp.entities import find_entities
from storage.engine import Database
from storage.enrichments import get_enrichment, save_enrichment
from tests.dashboards.web.site import Site, build_site, sign_in
from tests.seeding import USERS, samples


@pytest.fixture
def site(database: Database, tmp_path: Path) -> Site:
    site = build_site(database, tmp_path / "data")
    row = samples()["written:w4:005"]  # the Cần Thơ story: "… Mỹ Xuyên: 8 năm, bản án vẫn “nằm trên giấy”"
    said = "Ông Trần Văn Hùng, Cục trưởng Cục THADS tỉnh Lạng Sơn đã nói."
    text = f"{row['title']}\n{row['summary']}\n{row['text']}\n{said}"
    with database.session() as session:
        enrichment = get_enrichment(session, site.stories["cantho"].first_article_id)
        assert enrichment is not None
        save_enrichment(session, dataclasses.replace(enrichment, entities=find_entities(text)))
    return site


@pytest.mark.parametrize("role", ["admin", "monitor", "leader"])
def test_entities_are_labelled_in_vietnamese(site: Site, role: str) -> None:
    client = site.client()
    sign_in(client, USERS[role].email)
    page = client.get(f"/bai-viet/{site.stories['cantho'].first_article_id}")
    assert page.status_code == 200
    entities = page.text.split('<ul class="entities">', 1)[1].split("</ul>", 1)[0]
    labels = [label for label in taxonomy().entities.values() if f'<span class="meta">{label}</span>' in entities]
    assert {"Cơ quan thi hành án", "Người"} <= set(labels)
    assert f'<span class="meta">Cơ quan thi hành án</span> {html.escape("Cục THADS tỉnh Lạng Sơn")}</li>' in entities
    assert '<span class="meta">Người</span> Trần Văn Hùng</li>' in entities
    for code in ("body", "person", "judgment", "decision", "money", "location"):
        assert f">{code}<" not in entities
    assert "Lạng Sơn đã" not in entities
