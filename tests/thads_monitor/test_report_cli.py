"""`thads-monitor report` as a user runs it: the files written and named, bad input in one line with status 2."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import docx
import openpyxl
import pytest

from storage.engine import Database
from tests.dashboards.reports.seed import seed

pytestmark = pytest.mark.subprocess  # the installed command, one process per call


def _run(tmp_path: Path, db_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("THADS_")}
    env.update(THADS_STORAGE__DATABASE_URL=db_url, HOME=str(tmp_path), THADS_ALERTS__APP_URL="https://thads.example.vn")
    exe = str(Path(sys.executable).parent / "thads-monitor")
    return subprocess.run([exe, *args], env=env, capture_output=True, text=True, check=False, timeout=300)


def test_report_writes_the_files_it_names(tmp_path: Path, database: Database, db_url: str) -> None:
    data = seed(database)
    out = tmp_path / "bao-cao"
    done = _run(tmp_path, db_url, "report", "--period", "2026-W47", "--province", "Cần Thơ", "--out", str(out))
    assert done.returncode == 0, done.stderr
    written = sorted(out.iterdir())
    assert [p.name for p in written] == ["bao-cao-2026-W47-can-tho.docx", "bao-cao-2026-W47-can-tho.xlsx"]
    assert done.stdout.splitlines() == [f"Đã ghi {p} ({p.stat().st_size:,} byte)".replace(",", ".") for p in written]
    document = docx.Document(io.BytesIO(written[0].read_bytes()))
    links = [h.address for p in document.paragraphs for h in p.hyperlinks]
    assert f"https://thads.example.vn/ho-so/{data.cases['A']}" in links  # the configured web app address
    book = openpyxl.load_workbook(written[1])
    assert book["Hồ sơ"].max_row == 3  # header + the two cases of Cần Thơ (A, C)
    only = _run(tmp_path, db_url, "report", "--period", "2026-11", "--format", "xlsx", "--out", str(out))
    assert only.returncode == 0, only.stderr
    assert (out / "bao-cao-2026-11.xlsx").exists()
    assert not (out / "bao-cao-2026-11.docx").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--period", "2026-W54"],
            "Lỗi: kỳ báo cáo '2026-W54': năm 2026 không có tuần 54 (tuần theo ISO 8601, từ thứ Hai)",
        ),
        (
            ["--period", "2026", "--province", "Hà Tây"],
            "Lỗi: tỉnh, thành phố 'Hà Tây' không phải một trong 34 đơn vị "
            "hành chính cấp tỉnh hiện hành (ví dụ: Hà Nội, Cần Thơ, Thanh Hóa) hoặc “toàn quốc”",
        ),
    ],
    ids=["week-54", "old-province"],  # the other refusals: tests/dashboards/reports/test_build.py
)
def test_bad_input_is_one_line_and_status_2(tmp_path: Path, args: list[str], message: str) -> None:
    done = _run(tmp_path, f"sqlite:///{tmp_path / 'none.db'}", "report", *args, "--out", str(tmp_path / "out"))
    assert done.returncode == 2
    assert done.stderr.strip() == message
    assert not (tmp_path / "out").exists()  # nothing written
