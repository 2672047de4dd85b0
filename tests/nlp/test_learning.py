"""The model keeps learning (both backends): the monitors' judgments go into `nlp train --from-db`; a candidate
worse on the fixed validation set is kept but not promoted; a better one is promoted and the recent articles are
read again with it; `nlp use` switches back and the enrichments follow; a monitor's labels are never overwritten.

Training runs on a small real subset (tests/nlp/learning.py); the second backend reuses the models the first one
trained from the same inputs (training is a pure function of its inputs)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import nlp.retrain
from alerts.triage import correct_labels, label_article
from domain.enums import TriageState
from domain.records import Article
from nlp.classify import MODEL_DIR, Classifier, Document
from nlp.enrich import run_enrich
from nlp.promotion import not_worse
from nlp.settings import NlpSettings
from nlp.train import Example, Report, train
from nlp.validation import Figures
from nlp.versions import shipped_version_name
from storage.articles import add_article
from storage.engine import Database
from storage.enrichments import get_enrichment, get_story
from storage.model_versions import active_model_version, list_model_versions
from storage.settings import StorageSettings
from tests.nlp.learning import LearningData, learning_data
from tests.seeding import outlet
from thads_monitor.cli import app

pytestmark = pytest.mark.training  # trains candidate models

MONITOR = "giamsat@cucthads.vn"
_trained: dict[str, Path] = {}


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> LearningData:
    return learning_data(tmp_path_factory.mktemp("learning"))


@pytest.fixture
def cached_training(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """`train` as retrain calls it, trained once per distinct input (labels, extra examples) in this module."""

    def cached(corpus: Path, labels: Path, *, out: Path, extra: Sequence[Example] = (), **kw: Any) -> Report:
        key = hashlib.sha256(
            labels.read_bytes() + json.dumps([[e.title, e.relevant, e.topic, e.sentiment] for e in extra]).encode()
        ).hexdigest()
        if key not in _trained:
            folder = tmp_path_factory.mktemp("trained") / "model"
            report = train(corpus, labels, out=folder, extra=extra, **kw)
            (folder / "report.json").write_text(json.dumps(report.metrics), encoding="utf-8")
            _trained[key] = folder
        shutil.copytree(_trained[key], out)
        return Report(metrics=json.loads((out / "report.json").read_text(encoding="utf-8")))

    monkeypatch.setattr(nlp.retrain, "train", cached)
    return


def _seed(database: Database, data: LearningData) -> list[Article]:
    """Labelled pool articles neither trained on nor validated on, collected yesterday, enriched by the shipped
    model; monitors confirm one story, mark one not relevant, label two articles in the queue."""
    labels = [json.loads(line) for line in data.labels.with_name("labels.jsonl").read_text().splitlines()]
    trained = {x["id"] for x in labels}
    pool_labels = [
        json.loads(line)
        for line in (Path(__file__).resolve().parents[2] / "nlp/data/labels-vietnews-pool.jsonl")
        .read_text()
        .splitlines()
    ]
    held = {json.loads(line)["id"] for line in data.validation.read_text().splitlines()}
    fresh = [x for x in pool_labels if x["id"] not in trained | held]
    chosen = [x for x in fresh if x["relevant"]][-4:] + [x for x in fresh if not x["relevant"]][-4:]
    import gzip

    from tests.conftest import shared_path

    texts = {}
    with gzip.open(shared_path("corpus", "vietnews-thads-pool.jsonl.gz"), "rt", encoding="utf-8") as f:
        for line in f:
            item = json.loads(line)
            texts[item["id"]] = item
    now = dt.datetime.now(dt.UTC)
    articles = []
    with database.session() as session:
        paper = outlet(session, "phapluat", "Báo Pháp luật Việt Nam")
        assert paper.id is not None
        for n, label in enumerate(chosen):
            item = texts[label["id"]]
            article, _ = add_article(
                session,
                Article(
                    outlet_id=paper.id,
                    url=f"https://phapluat.vn/bai-{n}.html",
                    title=item["title"],
                    sapo=item.get("summary") or "",
                    text=item["text"][:1500],
                    content_hash=hashlib.sha256(label["id"].encode()).hexdigest(),
                    fetched_at=now - dt.timedelta(days=1, minutes=n),
                ),
            )
            articles.append(article)
    run_enrich(database, Classifier.load(use_ner=False), NlpSettings(), now=lambda: now - dt.timedelta(days=1))
    return articles


def _figures(database: Database, version: str) -> Figures:
    with database.session() as session:
        found = {v.version: v for v in list_model_versions(session)}[version]
    return Figures.from_json(found.metrics["validation"])


def _labels_now(database: Database, articles: list[Article]) -> dict[int, tuple[Any, ...]]:
    with database.session() as session:
        out = {}
        for a in articles:
            assert a.id is not None
            e = get_enrichment(session, a.id)
            assert e is not None
            out[a.id] = (e.model_version, e.relevant, e.topic, e.sentiment, e.province, e.story_id)
        return out


def _read_with(folder: Path, article: Article) -> tuple[bool, str | None]:
    result = Classifier.load(folder, use_ner=False).classify(
        Document(id="", title=article.title, summary=article.sapo, text=article.text, home_province=None)
    )
    return result.relevant, result.topic


def test_retrain_promote_and_roll_back(
    database: Database, storage_settings: StorageSettings, data: LearningData, cached_training: None
) -> None:
    articles = _seed(database, data)
    labels = {a.id: a for a in articles}
    with database.session() as session:
        read = {a.id: get_enrichment(session, a.id) for a in articles}
        story_ids = sorted({e.story_id for e in read.values() if e is not None and e.story_id is not None})
        loose = [i for i, e in read.items() if e is not None and e.story_id is None]
        assert story_ids, "the shipped model reads the seeded relevant pool articles as relevant"
        assert len(loose) >= 3, "…and the others as not relevant"
        # A monitor corrects a story's province and confirms it; two articles are labelled in the queue.
        story = get_story(session, story_ids[0])
        assert story is not None
        correct_labels(session, story.id, {"province": "Cà Mau"}, actor=MONITOR, at=dt.datetime.now(dt.UTC))
        from storage.triage import set_triage

        set_triage(session, story.id, state=TriageState.CONFIRMED, note=None, by=MONITOR, at=dt.datetime.now(dt.UTC))
        label_article(session, loose[0], "relevant", False, actor=MONITOR, at=dt.datetime.now(dt.UTC))
        for field, value in (("relevant", True), ("topic", "cuong_che_tai_san"), ("sentiment", "trung_lap")):
            label_article(session, loose[1], field, value, actor=MONITOR, at=dt.datetime.now(dt.UTC))
    corrected = story.first_article_id
    shipped = shipped_version_name()
    package_meta = (MODEL_DIR / "meta.json").read_bytes()
    env = {
        "THADS_STORAGE__DATABASE_URL": storage_settings.database_url or "",
        "THADS_STORAGE__DATA_DIR": str(storage_settings.data_dir),
        "THADS_NLP__USE_NER": "false",
    }
    runner = CliRunner()

    def cli(*args: str) -> str:
        done = runner.invoke(app, list(args), env=env)
        assert done.exit_code == 0, (done.output, done.exception)
        return done.output

    common = ["--corpus", str(data.corpus), "--validation", str(data.validation), "--background", str(data.background)]
    from nlp.versions import ActiveModel

    running = ActiveModel(database, use_ner=False)  # what a running main job reads with
    assert running().version == shipped

    # 1. A candidate trained on wrong labels is kept but not promoted.
    out = cli(
        "nlp", "train", "--from-db", "--labels", str(data.wrong_labels), "--written", str(data.wrong_written), *common
    )
    with database.session() as session:
        versions = list_model_versions(session)
        active = active_model_version(session)
    assert next(v.version for v in versions) == shipped
    assert len(versions) == 2
    worse = versions[1]
    assert active is not None
    assert active.version == shipped
    assert not not_worse(_figures(database, worse.version), _figures(database, shipped))
    assert worse.metrics["counts"]["feedback"] == 3  # the confirmed copy and the two labelled articles
    assert f"Giữ mô hình {shipped}: mô hình mới {worse.version} kém hơn" in out
    assert "F1 nhận diện tin liên quan" in out
    assert "Dữ liệu từ giám sát: 3 bài" in out
    folder = storage_settings.data_dir / "models" / worse.version
    assert Path(worse.path) == folder.resolve()
    assert {p.name for p in folder.iterdir()} >= {"meta.json", "MODEL_CARD.md", "relevance.npz", "topic.npz"}
    assert f"# Model card: {worse.version}" in (folder / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert (MODEL_DIR / "meta.json").read_bytes() == package_meta  # the package is never written to

    # 2. Switching to it: the recent articles are read again with it, the monitor's labels stay.
    before = _labels_now(database, articles)
    out = cli("nlp", "use", worse.version)
    assert f"Đang dùng mô hình {worse.version}." in out
    assert running().version == worse.version
    after = _labels_now(database, articles)
    assert {v[0] for v in after.values()} == {worse.version}
    for article_id in loose[2:]:
        assert after[article_id][1] == _read_with(folder, labels[article_id])[0]
    assert after[corrected][4] == "Cà Mau"
    assert after[corrected][1] is True
    assert after[loose[0]][1] is False
    assert after[loose[1]][1:4] == (True, "cuong_che_tai_san", "trung_lap")
    assert all(after[i][5] == before[i][5] for i in before if before[i][5] is not None)  # stories kept

    # 3. A candidate trained on the right labels is better than the one in use: promoted, articles read again.
    out = cli("nlp", "train", "--from-db", "--labels", str(data.labels), "--written", str(data.written), *common)
    with database.session() as session:
        versions = list_model_versions(session)
        active = active_model_version(session)
    better = versions[-1]
    assert active is not None
    assert active.version == better.version != worse.version
    assert not_worse(_figures(database, better.version), _figures(database, worse.version))
    assert f"Đã đưa mô hình {better.version} vào dùng (mô hình trước: {worse.version})." in out
    assert {v[0] for v in _labels_now(database, articles).values()} == {better.version}
    assert running().version == better.version
    with database.session() as session:  # the enrichment of a running job reads new articles with it
        newcomer, _ = add_article(
            session,
            replace(articles[0], id=None, url="https://phapluat.vn/bai-moi.html", content_hash="f" * 64),
        )
    run_enrich(database, running, NlpSettings(), now=lambda: dt.datetime.now(dt.UTC))
    assert newcomer.id is not None
    assert _labels_now(database, [newcomer])[newcomer.id][0] == better.version

    # 4. Roll back to the shipped models: the enrichments follow.
    cli("nlp", "use", shipped)
    back = _labels_now(database, articles)
    assert {v[0] for v in back.values()} == {shipped}
    for article_id in loose[2:]:
        assert back[article_id][1:3] == _read_with(MODEL_DIR, labels[article_id])
    assert back[corrected][4] == "Cà Mau"
    listed = cli("nlp", "models")
    for name in (shipped, worse.version, better.version):
        assert name in listed
    assert "đang dùng" in listed
