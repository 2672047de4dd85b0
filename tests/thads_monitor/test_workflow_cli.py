"""The workflow commands as a user runs them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.subprocess  # the installed command, one process per call


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("THADS_")}
    env.update(THADS_STORAGE__DATABASE_URL=f"sqlite:///{tmp_path / 'wf.db'}", HOME=str(tmp_path))
    exe = str(Path(sys.executable).parent / "thads-monitor")
    return subprocess.run([exe, *args], env=env, capture_output=True, text=True, check=False, timeout=120)


def test_focal_points_cases_and_workflow_commands(tmp_path: Path) -> None:
    assert _run(tmp_path, "init").returncode == 0
    csv_file = tmp_path / "dau-moi.csv"
    csv_file.write_text(
        "email,name,role,province,head\nan@thads.vn,Nguyễn Văn An,đầu mối,Cần Thơ,\nsai,Lê B,đầu mối,Hà Nội,\n",
        encoding="utf-8",
    )
    done = _run(tmp_path, "focal-points", "import", str(csv_file))
    assert done.returncode == 2
    assert "dòng 3: trường email" in done.stderr
    assert done.stderr.strip().splitlines()[-1] == (
        f"Lỗi: tệp {csv_file} có 1 dòng lỗi: chưa nhập người dùng nào; sửa các dòng trên rồi nhập lại"
    )
    assert "an@thads.vn" not in _run(tmp_path, "focal-points", "list").stdout  # nothing from a file with errors
    csv_file.write_text("email,name,role,province,head\nan@thads.vn,Nguyễn Văn An,đầu mối,Cần Thơ,\n", encoding="utf-8")
    done = _run(tmp_path, "focal-points", "import", str(csv_file))
    assert done.returncode == 0, done.stderr
    assert "Đã nhập 1 người dùng." in done.stdout
    listed = _run(tmp_path, "focal-points", "list")
    assert "an@thads.vn" in listed.stdout
    assert "Cần Thơ" in listed.stdout
    run = _run(tmp_path, "workflow")
    assert run.returncode == 0, run.stderr
    assert "Hồ sơ mới: 0" in run.stdout
    missing = _run(tmp_path, "cases", "ack", "42", "--by", "An@thads.vn")
    assert missing.returncode == 2
    assert missing.stderr.strip() == "Lỗi: không có hồ sơ #42"
    # Who acted is required and must be a user: the audit trail never records a placeholder.
    nobody = _run(tmp_path, "cases", "ack", "42")
    assert (nobody.returncode, nobody.stderr.strip()) == (
        2,
        "Lỗi: cần --by EMAIL: thư điện tử của người thực hiện, để ghi vào lịch sử hồ sơ",
    )
    stranger = _run(tmp_path, "cases", "close", "42", "--by", "ai@thads.vn")
    assert (stranger.returncode, stranger.stderr.strip()) == (2, "Lỗi: --by: không có người dùng ai@thads.vn")
    exe = tmp_path / "cong-van.pdf"
    exe.write_bytes(b"MZ\x90\x00" + bytes(60))
    refused = _run(
        tmp_path,
        "cases",
        "respond",
        "42",
        "--kind",
        "bao_cao",
        "--text",
        "Báo cáo",
        "--attach",
        str(exe),
        "--by",
        "an@thads.vn",
    )
    assert refused.returncode == 2
    assert refused.stderr.startswith("Lỗi: tệp “cong-van.pdf” không thuộc loại được nhận")
