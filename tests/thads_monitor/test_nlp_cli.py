"""`thads-monitor classify`: one output line per input line, bad lines named by number, the rest go on."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.subprocess  # the installed command, one process per call


def test_classify_jsonl_with_a_bad_line(tmp_path: Path) -> None:
    good = {
        "id": "a1",
        "title": "Cưỡng chế giao nhà theo bản án",
        "summary": "",
        "text": "Chi cục THADS huyện Đức Trọng tổ chức cưỡng chế, chấp hành viên kê biên nhà đất theo bản án.",
    }
    lines = [
        json.dumps(good, ensure_ascii=False),
        "{không phải json",
        json.dumps({"id": "a3", "title": "Thiếu text"}),
        json.dumps({"id": "a4", "title": "Bóng đá", "text": "Đội tuyển thắng 2-0 trên sân Mỹ Đình."}),
    ]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    env = {k: v for k, v in os.environ.items() if not k.startswith("THADS_")} | {"HOME": str(tmp_path)}
    exe = str(Path(sys.executable).parent / "thads-monitor")
    done = subprocess.run(
        [exe, "classify", "--input", str(src), "--output", str(out)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Đã phân loại 2 bài, 2 dòng lỗi" in done.stdout
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert rows[0]["id"] == "a1"
    assert rows[0]["relevant"] is True
    assert rows[0]["province"] == "Lâm Đồng"
    assert rows[1] == {"line": 2, "error": rows[1]["error"]}
    assert rows[1]["error"].startswith("dòng 2:")
    assert rows[2]["line"] == 3
    assert "text" in rows[2]["error"]
    assert rows[3] == {
        "id": "a4",
        "relevant": False,
        "relevance_score": 0.0,
        "topic": None,
        "sentiment": None,
        "province": None,
        "entities": [],
    }


def test_nlp_use_an_unknown_version_is_one_line_naming_the_known_ones(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("THADS_")} | {
        "HOME": str(tmp_path),
        "THADS_STORAGE__DATABASE_URL": f"sqlite:///{tmp_path / 'nlp.db'}",
    }
    exe = str(Path(sys.executable).parent / "thads-monitor")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([exe, *args], env=env, capture_output=True, text=True, check=False, timeout=120)

    assert run("init").returncode == 0
    shipped = json.loads((Path(__file__).resolve().parents[2] / "nlp/models/meta.json").read_text())["version"]
    done = run("nlp", "use", "thads-nlp-khong-co")
    assert done.returncode == 2
    assert done.stderr.strip() == f"Lỗi: không có phiên bản mô hình “thads-nlp-khong-co” (các phiên bản: {shipped})"
    listed = run("nlp", "models")
    assert listed.returncode == 0, listed.stderr
    assert shipped in listed.stdout
    assert "đang dùng" in listed.stdout
    helped = run("nlp", "train", "--help")
    assert "0,005" in helped.stdout
    assert "không kém mô hình đang dùng" in " ".join(helped.stdout.split())
