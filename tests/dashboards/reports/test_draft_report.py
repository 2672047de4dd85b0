"""The “Báo cáo tổng hợp ý kiến góp ý” of a draft profile, for a real draft discussed in the press: the Ministry of
Education's draft university admission rules 2026 (dự thảo Quy chế tuyển sinh đại học năm 2026), four real articles
of shared/corpus/news-2026-sample among others, on SQLite and PostgreSQL. The report is opened with python-docx:
feedback grouped by provision then stance, each point a verbatim passage of its article with outlet, date and link;
the article after the consultation window is left out; the CLI writes the same report."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import os
import unicodedata
from pathlib import Path
from typing import Any

import docx
import pytest
from typer.testing import CliRunner

from dashboards.reports.draft_report import GENERAL, STANCE_ORDER, build_draft_report, collect_feedback, quoted
from domain.localtime import VN
from domain.profiles import UNIT_MINISTRY, Profile
from domain.watch_profiles import ProfileKind
from nlp.profile_match import backfill_profile
from nlp.stance import STANCE_LABELS, article_of
from storage.engine import Database
from storage.profiles import get_profile, save_profile
from storage.settings import StorageSettings
from tests.conftest import shared_path
from tests.dashboards.web.site import build_site, sign_in
from tests.nlp.test_profile_match import store
from tests.seeding import USERS
from thads_monitor.cli import app

CODE = "du_thao_quy_che_tuyen_sinh"
DRAFT = ("e673e350", "03715eaa", "2d28694f", "abf13a91")  # the draft's articles (3–8 February 2026)
AFTER_WINDOW = "2d28694f"  # 8 February, 09:00 in Viet Nam: after the window
NOW = dt.datetime(2026, 3, 1, 8, 0, tzinfo=VN)


def _rows() -> tuple[dict[str, Any], ...]:
    rows: list[dict[str, Any]] = []
    with gzip.open(shared_path("corpus", "news-2026-sample.jsonl.gz"), "rt", encoding="utf-8") as f:
        for n, line in enumerate(f):
            row = json.loads(line)
            if n < 40 or row["id"].split(":")[1][:8] in DRAFT:
                rows.append(row)
    return tuple(rows)


def seed_draft(database: Database) -> dict[int, dict[str, Any]]:
    stored = store(database, _rows())
    with database.session() as session:
        save_profile(
            session,
            Profile(
                code=CODE,
                name="Dự thảo Quy chế tuyển sinh đại học năm 2026",
                kind=ProfileKind.DRAFT,
                unit=UNIT_MINISTRY,
                query='"quy chế tuyển sinh" OR title:("tuyển sinh đại học" AND "dự thảo")',
                drafting_body="Bộ Giáo dục và Đào tạo",
                consultation_start=dt.date(2026, 2, 1),
                consultation_end=dt.date(2026, 2, 7),
            ),
            by="quantri@cucthads.vn",
            at=NOW,
        )
    backfill_profile(database, CODE)
    return stored


def _nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


def test_the_synthesis_report_groups_real_feedback_by_provision_then_stance(database: Database) -> None:
    stored = seed_draft(database)
    by_key = {row["id"].split(":")[1][:8]: (i, row) for i, row in stored.items()}
    with database.session() as session:
        profile = get_profile(session, CODE)
        assert profile is not None
        assert (profile.drafting_body, profile.consultation_end) == ("Bộ Giáo dục và Đào tạo", dt.date(2026, 2, 7))
        feedback = collect_feedback(session, profile, NOW)
        data = build_draft_report(session, profile, NOW)
    in_window = {by_key[k][0] for k in DRAFT if k != AFTER_WINDOW}
    assert {a.article_id for a in feedback.articles} == in_window
    assert len(feedback.points) >= 10
    assert {p.stance for p in feedback.points} == set(STANCE_ORDER)

    document = docx.Document(io.BytesIO(data))
    paragraphs = document.paragraphs
    texts = [p.text for p in paragraphs]
    assert texts[0] == "BÁO CÁO TỔNG HỢP Ý KIẾN GÓP Ý"
    assert "Dự thảo: Dự thảo Quy chế tuyển sinh đại học năm 2026" in texts
    assert "Cơ quan chủ trì soạn thảo: Bộ Giáo dục và Đào tạo" in texts
    assert "Thời gian lấy ý kiến: từ ngày 01/02/2026 đến ngày 07/02/2026." in texts
    assert f"ghi nhận {len(feedback.points)} ý kiến góp ý." in "\n".join(texts)

    # Walk section 2: provision headings (Heading 2), stance labels, quotes each followed by its source.
    start = texts.index("2. Ý kiến theo điều khoản")
    end = texts.index("3. Danh sách bài báo")
    provisions: list[str] = []
    stances: list[list[str]] = []
    quotes = 0
    sources = {_nfc(row["text"]): row for _, row in stored.items()}
    labels = {f"{STANCE_LABELS[s]}": s for s in STANCE_ORDER}
    for k in range(start + 1, end):
        paragraph, value = paragraphs[k], texts[k]
        if paragraph.style is not None and paragraph.style.name == "Heading 2":
            provisions.append(value)
            stances.append([])
        elif value.rsplit(" (", 1)[0] in labels:
            stances[-1].append(labels[value.rsplit(" (", 1)[0]])
        elif value.startswith("“"):
            quotes += 1
            quote = value.removeprefix("“").removesuffix("”")
            owners = [row for text, row in sources.items() if quote in text]
            assert len(owners) == 1, quote  # verbatim, the source's spelling
            row = owners[0]
            assert row["id"].split(":")[1][:8] in DRAFT
            source = texts[k + 1]
            day = dt.datetime.fromisoformat(row["date"]).astimezone(VN).strftime("%d/%m/%Y")
            assert source == f"Nguồn: {row['outlet']}, ngày {day}, {row['title']}"
            links = [r.target_ref for r in paragraphs[k + 1].part.rels.values() if r.is_external]
            assert row["url"] in links
    assert quotes == sum(max(1, len(p.provisions)) for p in feedback.points)
    assert provisions[-1] == GENERAL
    numbered = [article_of(p) or 0 for p in provisions[:-1]]
    assert numbered == sorted(numbered)
    for order in stances:
        assert order == [s for s in STANCE_ORDER if s in order]  # oppose, propose, support
    assert not any(by_key[AFTER_WINDOW][1]["title"] in t for t in texts)
    listed = [[c.text for c in r.cells] for r in document.tables[-1].rows]
    assert listed[0] == ["Ngày", "Cơ quan báo chí", "Tiêu đề", "Đường dẫn"]
    assert {r[2] for r in listed[1:]} == {stored[i]["title"] for i in in_window}


def test_the_cli_writes_the_report_and_refuses_a_non_draft_profile(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("THADS_")}
    url = f"sqlite:///{tmp_path / 'thads.db'}"
    env.update(HOME=str(tmp_path), THADS_STORAGE__DATA_DIR=str(tmp_path / "data"), THADS_STORAGE__DATABASE_URL=url)
    runner = CliRunner()
    assert runner.invoke(app, ["init"], env=env).exit_code == 0
    database = Database.from_settings(StorageSettings(database_url=url))
    store(database, _rows())
    database.dispose()
    made = runner.invoke(
        app,
        [
            "profiles",
            "draft",
            CODE,
            "--name",
            "Dự thảo Quy chế tuyển sinh đại học năm 2026",
            "--body",
            "Bộ Giáo dục và Đào tạo",
            "--query",
            '"quy chế tuyển sinh"',
            "--from",
            "01/02/2026",
            "--to",
            "07/02/2026",
        ],
        env=env,
    )
    assert made.exit_code == 0, made.output
    assert f"Đã lưu chủ đề dự thảo {CODE}:" in made.output
    out = tmp_path / "tong-hop.docx"
    done = runner.invoke(app, ["profiles", "report-draft", CODE, "--out", str(out)], env=env)
    assert done.exit_code == 0, done.output
    texts = [p.text for p in docx.Document(str(out)).paragraphs]
    assert texts[0] == "BÁO CÁO TỔNG HỢP Ý KIẾN GÓP Ý"
    assert any(t.startswith("“") for t in texts)
    runner.invoke(app, ["profiles", "load"], env=env)
    refused = runner.invoke(app, ["profiles", "report-draft", "thads", "--out", str(out)], env=env)
    assert refused.exit_code != 0
    assert "không phải chủ đề dự thảo" in str(refused.exception)
    bad = runner.invoke(
        app, ["profiles", "draft", "x", "--name", "A", "--query", '"a"', "--from", "31/02/2026"], env=env
    )
    assert "không đúng dạng ngày/tháng/năm" in str(bad.exception)


def test_the_report_is_downloaded_from_the_draft_profiles_page(database: Database, tmp_path: Path) -> None:
    site = build_site(database, tmp_path / "data")
    seed_draft(database)
    client = site.client()
    sign_in(client, USERS["monitor"].email)
    page = client.get(f"/chu-de-theo-doi/{CODE}").text
    assert "Cơ quan chủ trì soạn thảo</dt><dd>Bộ Giáo dục và Đào tạo" in page
    assert "từ 01/02/2026 đến 07/02/2026" in page
    assert f'href="/chu-de-theo-doi/{CODE}/tong-hop-y-kien"' in page
    got = client.get(f"/chu-de-theo-doi/{CODE}/tong-hop-y-kien")
    assert got.status_code == 200
    assert "tong-hop-y-kien-du-thao-quy-che-tuyen-sinh.docx" in got.headers["content-disposition"]
    texts = [p.text for p in docx.Document(io.BytesIO(got.content)).paragraphs]
    assert texts[0] == "BÁO CÁO TỔNG HỢP Ý KIẾN GÓP Ý"
    assert client.get("/chu-de-theo-doi/thads/tong-hop-y-kien").status_code in {404}


@pytest.mark.parametrize(
    ("passage", "shown"),
    [
        ("Cần sửa Điều 12 cho rõ.", "“Cần sửa Điều 12 cho rõ.”"),
        ("“Đề nghị giữ nguyên khoản 3”", "“Đề nghị giữ nguyên khoản 3”"),
        ('"Không đồng ý với dự thảo"', '"Không đồng ý với dự thảo"'),
        ("“Mở ngoặc nhưng chưa đóng", "““Mở ngoặc nhưng chưa đóng”"),
    ],
)
def test_a_quote_is_marked_once(passage: str, shown: str) -> None:
    assert quoted(passage) == shown
