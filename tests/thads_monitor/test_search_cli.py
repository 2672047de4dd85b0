"""`thads-monitor search` as an operator runs it, on real written samples stored in a SQLite database."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from domain.records import Article, Enrichment, Outlet, OutletKind
from domain.text import fold_diacritics
from storage.articles import add_article
from storage.engine import Database
from storage.enrichments import save_enrichment
from storage.migrate import upgrade
from storage.outlets import upsert_outlet
from storage.settings import StorageSettings
from tests.conftest import REPO

pytestmark = pytest.mark.subprocess  # the installed command, one process per call

SAMPLES = REPO / "nlp" / "data" / "written-samples.jsonl"
AT = dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC)


def _seed(url: str) -> list[dict[str, str]]:
    rows = [json.loads(line) for line in SAMPLES.read_text(encoding="utf-8").splitlines()][:80]
    db = Database.from_settings(StorageSettings(database_url=url))
    upgrade(db.engine)
    with db.session() as s:
        outlet = upsert_outlet(s, Outlet(slug="baophapluat", name="Báo Pháp luật Việt Nam", domain="baophapluat.vn",
                                         kind=OutletKind.NATIONAL))  # fmt: skip
        assert outlet.id is not None
        for i, row in enumerate(rows):
            article, _ = add_article(
                s,
                Article(
                    outlet_id=outlet.id,
                    url=f"https://baophapluat.vn/bai-{i}",
                    title=row["title"],
                    sapo=row["summary"],
                    text=row["text"],
                    content_hash=f"{i:064d}",
                    fetched_at=AT + dt.timedelta(hours=i),
                ),
            )
            assert article.id is not None
            save_enrichment(
                s,
                Enrichment(
                    article_id=article.id,
                    relevant=bool(row["relevant"]),
                    relevance_score=0.9,
                    topic=row["topic"],
                    sentiment=row["sentiment"],
                    province=row["province"],
                    model_version="test",
                    enriched_at=AT,
                ),
            )
    db.dispose()
    return rows


def _run(url: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("THADS_")}
    env.update(THADS_STORAGE__DATABASE_URL=url, HOME=str(tmp_path))
    exe = str(Path(sys.executable).parent / "thads-monitor")
    return subprocess.run([exe, "search", *args], env=env, capture_output=True, text=True, check=False, timeout=120)


def test_search_prints_the_matching_articles_with_their_snippets(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'search.db'}"
    rows = _seed(url)
    target = next(r for r in rows if r["relevant"] and r["province"] == "Cần Thơ")
    words = " ".join(fold_diacritics(target["title"]).split()[:5])  # its headline, typed without diacritics
    done = _run(url, tmp_path, words, "--province", "can tho", "--limit", "3")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Tìm thấy ")
    assert target["title"] in done.stdout
    assert "Cần Thơ" in done.stdout
    assert "Báo Pháp luật Việt Nam" in done.stdout

    scoped = [r for r in rows if r["relevant"] and r["province"] == "Hà Nội"]
    listed = _run(url, tmp_path, "--province", "Hà Nội", "--limit", "50")
    assert listed.returncode == 0, listed.stderr
    assert f"Tìm thấy {len(scoped)} bài viết (hiển thị 1–{len(scoped)})." in listed.stdout
    assert all(r["title"] in listed.stdout for r in scoped)


def test_bad_options_are_named_before_the_database_is_opened(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'missing' / 'search.db'}"
    for args, message in (
        (("x", "--province", "Hà Tây"), "Lỗi: --province: “Hà Tây” không phải một trong 34 tỉnh/thành"),
        (("x", "--since", "20/11/2026"), "Lỗi: --since: “20/11/2026” không phải ngày dạng YYYY-MM-DD"),
    ):
        done = _run(url, tmp_path, *args)
        assert done.returncode == 2
        assert done.stderr.startswith(message), done.stderr
