"""What a case alert says about its story, from a real written article (nlp/data/written-samples.jsonl): headline,
outlet, published time in Viet Nam, the lead cut on a word, province, topic and tone in words, why it was flagged
(the rule and the words that weighed most), how many outlets carry it, deadlines with their legal basis, and links
to the case, the article in the web app and the original."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from alerts.messages import lead
from domain.records import Explanation, Term
from storage.engine import Database
from storage.enrichments import join_story, save_enrichment, story_enrichments
from storage.explanations import save_explanation
from storage.outbox import list_notifications
from storage.tables import EnrichmentRow
from tests.alerts.seed import APP_URL, CAN_THO_P1, T0, add_sample, outlet_names, samples, seed, workflow


def test_lead_is_cut_after_a_whole_word() -> None:
    text = samples()[CAN_THO_P1]["text"]
    cut = lead(text)
    assert cut.endswith("…")
    assert len(cut) <= 301
    words = " ".join(text.split())
    assert words.startswith(cut[:-1])
    assert words[len(cut) - 1] == " "  # the next character of the text is a space: no word was split
    assert cut.startswith("Viện kiểm sát nhân dân khu vực 2 – Cần Thơ vừa ban hành kiến nghị")
    assert lead("Ngắn gọn.") == "Ngắn gọn."


def test_the_alert_says_what_and_why_with_links(database: Database) -> None:
    seed(database, [])
    with database.session() as session:
        article, story = add_sample(session, CAN_THO_P1, T0)
        assert article.id is not None
        assert story is not None
        save_explanation(
            session,
            Explanation(
                article_id=article.id,
                relevance=(
                    Term(text="thi hành án dân sự", part="title", weight=1.9),
                    Term(text="kiến nghị", part="text", weight=0.8),
                    Term(text="hồ sơ", part="text", weight=-0.2),  # weighed against: not a reason
                ),
                topic=(),
                sentiment=(),
                places=(),
                model_version="thu-nghiem",
                made_at=T0,
            ),
        )
        copy, _ = add_sample(session, "written:w4:052", T0)  # the same article again does not add an outlet
        assert copy.id == article.id
    workflow(database, T0 + dt.timedelta(minutes=5))
    with database.session() as session:
        rows = [n for n in list_notifications(session) if n.recipient == "daumoi.cantho@thads.vn"]
    (alert,) = rows
    row = samples()[CAN_THO_P1]
    text = alert.text
    assert f"Bài báo: {row['title']}" in text
    published = (T0 - dt.timedelta(minutes=20)).astimezone(dt.timezone(dt.timedelta(hours=7)))
    assert f"Báo: {outlet_names()['kiemsat.vn']} · đăng lúc {published:%d/%m/%Y %H:%M} · 1 báo đưa tin" in text
    assert "đăng lúc 16/11/2026 08:40" in text
    assert "Tỉnh/thành: Cần Thơ · Chủ đề: Sai phạm của cán bộ, cơ quan · Sắc thái: Tiêu cực" in text
    assert f"Tóm tắt: {lead(row['text'])}" in text
    assert "Lý do: Sai phạm của cán bộ, cơ quan thi hành án" in text
    assert "Từ ngữ nổi bật khi xét bài: thi hành án dân sự, kiến nghị\n" in text
    assert "(Nghị định 244/2026/NĐ-CP, Điều 7 khoản 3: chậm nhất 24 giờ" in text  # deadlines with their basis
    assert f"Xem hồ sơ: {APP_URL}/ho-so/{alert.case_id}" in text
    assert f"Xem bài trong hệ thống: {APP_URL}/bai-viet/{article.id}" in text
    assert "Bài gốc: https://kiemsat.vn/written-w4-052.html" in text
    assert alert.html is not None
    assert f'href="{APP_URL}/bai-viet/{article.id}"' in alert.html
    assert "Sắc thái</td><td" in alert.html


def test_the_number_of_outlets_carrying_the_story(database: Database) -> None:
    seed(database, [])
    with database.session() as session:
        _, story = add_sample(session, CAN_THO_P1, T0)
        assert story is not None
        other, _ = add_sample(session, "written:w3:038", T0)  # another outlet's article, joined to the story
        assert other.id is not None
        join_story(session, story.id, other)
        (copy,) = [e for a, e in story_enrichments(session, other_story(session, other.id)) if a.id == other.id]
        save_enrichment(session, replace(copy, story_id=story.id))
    workflow(database, T0 + dt.timedelta(minutes=5))
    with database.session() as session:
        alert = next(n for n in list_notifications(session) if n.recipient == "daumoi.cantho@thads.vn")
    assert "· 2 báo cùng đưa tin" in alert.text


def other_story(session: Session, article_id: int) -> int:
    story_id = session.scalar(select(EnrichmentRow.story_id).where(EnrichmentRow.article_id == article_id))
    assert story_id is not None
    return int(story_id)
