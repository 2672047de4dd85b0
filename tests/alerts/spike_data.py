"""Real articles for the spike tests and the spike replay benchmark: the relevant articles of the VietNews THADS
pool (../shared/corpus/vietnews-thads-pool.jsonl.gz, read, never copied) with the project's hand labels
(nlp/data/labels-vietnews-pool.jsonl) stored as their enrichments.

The pool has no dates and no outlet (its articles come from tuoitre.vn, vnexpress.net and nguoiduatin.vn,
2016–2019): the tests and the benchmark give each article a publication time and one of those three outlets.

The burst: the pool holds a real run of coverage of one event, Đà Nẵng offering 1,251 billion đồng to take back
the Chi Lăng stadium (sold off in the Phạm Công Danh case, held by the banks in enforcement): six articles of
that one story, stored as one story.
"""

from __future__ import annotations

import datetime as dt
import functools
import gzip
import hashlib
import json
from dataclasses import dataclass

from sqlalchemy.orm import Session

from domain.enums import Sentiment
from domain.records import Article, Enrichment, Outlet, OutletKind
from domain.text import normalize_vietnamese
from storage.articles import add_article
from storage.enrichments import join_story, save_enrichment, start_story
from storage.outlets import upsert_outlet
from tests.conftest import REPO, shared_path

OUTLETS = (("tuoitre.vn", "Tuổi Trẻ"), ("vnexpress.net", "VnExpress"), ("nguoiduatin.vn", "Người Đưa Tin"))
# Đà Nẵng offers 1,251 billion đồng for the Chi Lăng stadium: one story, six articles.
BURST = (
    "vietnews:077480:train",
    "vietnews:019601:train",
    "vietnews:099313:train",
    "vietnews:066095:train",
    "vietnews:062642:train",
    "vietnews:019266:train",
)
CHI_LANG = "chi lăng"


@dataclass(frozen=True, slots=True, kw_only=True)
class PoolArticle:
    id: str
    title: str
    summary: str
    text: str
    topic: str | None
    sentiment: str | None
    province: str | None


@functools.cache
def relevant_pool() -> dict[str, PoolArticle]:
    """The relevant articles of the pool, by id, in the order of the corpus file."""
    labels = {}
    for line in (REPO / "nlp" / "data" / "labels-vietnews-pool.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["relevant"]:
            labels[row["id"]] = row
    found = {}
    with gzip.open(shared_path("corpus", "vietnews-thads-pool.jsonl.gz"), "rt", encoding="utf-8") as lines:
        for line in lines:
            item = json.loads(line)
            label = labels.get(item["id"])
            if label is not None:
                found[item["id"]] = PoolArticle(
                    id=item["id"],
                    title=normalize_vietnamese(item["title"]),
                    summary=normalize_vietnamese(item["summary"]),
                    text=normalize_vietnamese(item["text"]),
                    topic=label["topic"],
                    sentiment=label["sentiment"],
                    province=label["province"],
                )
    return found


def steady_articles() -> list[PoolArticle]:
    """The relevant pool articles other than the Chi Lăng coverage (the burst and the rest of that saga), with
    one copy of each headline (the pool holds a few articles twice, in two splits)."""
    seen: set[str] = set()
    out = []
    for article in relevant_pool().values():
        if CHI_LANG in article.title.lower() or CHI_LANG in article.summary.lower() or article.title in seen:
            continue
        seen.add(article.title)
        out.append(article)
    return out


def burst_articles() -> list[PoolArticle]:
    pool = relevant_pool()
    return [pool[i] for i in BURST]


def add_pool_article(
    session: Session, article: PoolArticle, *, outlet: int, at: dt.datetime, story_id: int | None = None
) -> tuple[int, int]:
    """Store the article from outlet number `outlet` (of OUTLETS), published at `at`, with its hand labels as
    its enrichment; it starts a story of its own unless `story_id` is given. Returns (article id, story id)."""
    domain, name = OUTLETS[outlet % len(OUTLETS)]
    stored = upsert_outlet(
        session, Outlet(slug=domain.replace(".", "-"), name=name, domain=domain, kind=OutletKind.NATIONAL)
    )
    assert stored.id is not None
    row, _ = add_article(
        session,
        Article(
            outlet_id=stored.id,
            url=f"https://{domain}/{article.id.replace(':', '-')}-{int(at.timestamp())}.html",
            title=article.title,
            sapo=article.summary,
            text=article.text,
            content_hash=hashlib.sha256(f"{article.id}{at.isoformat()}".encode()).hexdigest(),
            published_at=at,
            fetched_at=at + dt.timedelta(minutes=5),
        ),
    )
    assert row.id is not None
    story = join_story(session, story_id, row) if story_id is not None else start_story(session, row)
    assert story.id is not None
    save_enrichment(
        session,
        Enrichment(
            article_id=row.id,
            relevant=True,
            relevance_score=0.95,
            topic=article.topic,
            sentiment=Sentiment(article.sentiment) if article.sentiment else None,
            province=article.province,
            model_version="nhan-thu-cong",
            enriched_at=at + dt.timedelta(minutes=6),
            story_id=story.id,
        ),
    )
    return row.id, story.id
