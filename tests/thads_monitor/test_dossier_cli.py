"""`thads-monitor dossier build` and `dossier verify` as a user runs them: a dossier of a seeded case that
verifies, a file changed, removed or added named by `verify` with status 1, bad input in one line with status 2."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from dashboards.dossier.verify import verify_dossier
from storage.cases import audit_trail
from storage.engine import Database
from tests.dashboards.dossier.seed import ATTACHMENT_NAME, recorder, seed_case
from tests.dashboards.web.site import build_site
from tests.seeding import seed_users

pytestmark = pytest.mark.subprocess  # the installed command, one process per call


def _run(tmp_path: Path, db_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("THADS_")}
    env.update(THADS_STORAGE__DATABASE_URL=db_url, THADS_STORAGE__DATA_DIR=str(tmp_path / "data"), HOME=str(tmp_path))
    exe = str(Path(sys.executable).parent / "thads-monitor")
    return subprocess.run([exe, *args], env=env, capture_output=True, text=True, check=False, timeout=300)


def _rewrite(source: Path, target: Path, *, change: str | None = None, drop: str | None = None) -> None:
    """A copy of the ZIP with one member's bytes changed or one member left out (what tampering looks like)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename == drop:
                continue
            data = old.read(info.filename)
            new.writestr(info, data.replace(b"172 gram", b"17 gram") if info.filename == change else data)


@pytest.mark.browser
def test_build_then_verify_then_tamper(tmp_path: Path, database: Database, db_url: str) -> None:
    with recorder() as server:
        site = build_site(database, tmp_path / "data")
        seeded = seed_case(site, server.base)
        out = tmp_path / "ho-so.zip"
        done = _run(
            tmp_path, db_url, "dossier", "build", str(seeded.case_id), "--out", str(out), "--by", "giamsat@cucthads.vn"
        )
    assert done.returncode == 0, done.stderr
    assert server.paths == []
    found = verify_dossier(out)
    assert found.intact
    assert done.stdout.splitlines() == [
        f"Đã ghi {out} ({out.stat().st_size:,} byte, {found.checked} tệp)".replace(",", "."),
        f"SHA-256 của manifest.json: {found.manifest_sha256} (đã ghi vào lịch sử hồ sơ số {seeded.case_id})",
    ]
    with database.session() as session:
        last = audit_trail(session, seeded.case_id)[-1]
    assert (last.action, last.actor) == ("dossier", "giamsat@cucthads.vn")
    assert last.note is not None
    assert found.manifest_sha256 in last.note

    ok = _run(tmp_path, db_url, "dossier", "verify", str(out))
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout == (
        f"Hồ sơ chứng cứ vụ việc số {seeded.case_id}: đã kiểm tra {found.checked} tệp, tất cả khớp mã SHA-256 "
        f"(SHA-256 của manifest.json: {found.manifest_sha256}).\n"
    )

    snapshot = f"bai-viet/01-{seeded.article_id}/ban-luu-3.html"
    changed = tmp_path / "sua.zip"
    _rewrite(out, changed, change=snapshot)
    bad = _run(tmp_path, db_url, "dossier", "verify", str(changed))
    assert bad.returncode == 1, bad.stderr
    assert bad.stdout.splitlines() == [
        f"Đã bị sửa: {snapshot}",
        f"Hồ sơ chứng cứ vụ việc số {seeded.case_id} KHÔNG còn nguyên vẹn: 1 tệp sai khác "
        f"trong {found.checked} tệp của danh mục.",
    ]

    attachment = f"phan-hoi/01/{ATTACHMENT_NAME}"
    removed = tmp_path / "thieu.zip"
    _rewrite(out, removed, drop=attachment)
    gone = _run(tmp_path, db_url, "dossier", "verify", str(removed))
    assert gone.returncode == 1, gone.stderr
    assert gone.stdout.splitlines()[0] == f"Bị thiếu: {attachment}"


def test_bad_input_is_one_line(tmp_path: Path, database: Database, db_url: str) -> None:
    (tmp_path / "rac.zip").write_bytes(b"khong phai zip")
    not_zip = _run(tmp_path, db_url, "dossier", "verify", str(tmp_path / "rac.zip"))
    assert (not_zip.returncode, not_zip.stdout) == (2, "")
    assert not_zip.stderr == f"Lỗi: {tmp_path / 'rac.zip'} không phải tệp ZIP\n"
    seed_users_only(database)
    by = ("--by", "giamsat@cucthads.vn")
    no_case = _run(tmp_path, db_url, "dossier", "build", "999", "--out", str(tmp_path / "x.zip"), *by)
    assert (no_case.returncode, no_case.stderr) == (2, "Lỗi: không có hồ sơ số 999\n")
    assert not (tmp_path / "x.zip").exists()
    nobody = _run(tmp_path, db_url, "dossier", "build", "1", "--out", str(tmp_path / "x.zip"))
    assert (nobody.returncode, nobody.stderr) == (
        2,
        "Lỗi: cần --by EMAIL: thư điện tử của người lập, để ghi vào lịch sử hồ sơ\n",
    )
    nowhere = _run(tmp_path, db_url, "dossier", "build", "1", "--out", str(tmp_path / "khong-co" / "x.zip"), *by)
    assert nowhere.returncode == 2
    assert (
        nowhere.stderr
        == f"Lỗi: không có thư mục {tmp_path / 'khong-co'} để ghi {tmp_path / 'khong-co' / 'x.zip'} (--out)\n"
    )


def seed_users_only(database: Database) -> None:
    with database.session() as session:
        seed_users(session)
