"""A dossier built from a seeded case with the real printer (headless Chromium): every file is listed with its
SHA-256 and verifies, snapshots are byte for byte as captured, the PDFs are real and were printed with no request
leaving the machine, the diffs, the response's file, the audit trail and the cover sheet are there."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import shutil
import subprocess
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from dashboards.dossier.build import Dossier, assemble
from dashboards.dossier.contents import gather
from dashboards.dossier.printing import PdfPrinter
from dashboards.dossier.settings import DossierSettings
from dashboards.dossier.verify import verify_dossier
from domain.localtime import VN
from storage.engine import Database
from storage.settings import StorageSettings
from tests.dashboards.dossier.seed import ATTACHMENT, ATTACHMENT_NAME, Recorder, SeededCase, recorder, seed_case
from tests.dashboards.web.site import build_site

pytestmark = pytest.mark.browser
CHROMIUM = Path("/usr/bin/chromium")


@dataclass(frozen=True)
class Built:
    seeded: SeededCase
    dossier: Dossier
    path: Path
    now: dt.datetime
    recorder: Recorder

    def member(self, name: str) -> bytes:
        with zipfile.ZipFile(self.path) as archive:
            return archive.read(name)

    def manifest(self) -> dict[str, object]:
        found = json.loads(self.member("manifest.json"))
        assert isinstance(found, dict)
        return found

    def files(self) -> dict[str, dict[str, object]]:
        entries = self.manifest()["files"]
        assert isinstance(entries, list)
        return {e["path"]: e for e in entries}


@pytest.fixture(scope="module")
def built(migrated_sqlite: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    if not CHROMIUM.exists():
        pytest.fail("/usr/bin/chromium is missing: install Debian's chromium (.ci/run does)", pytrace=False)
    folder = tmp_path_factory.mktemp("dossier")
    shutil.copyfile(migrated_sqlite, folder / "thads.db")
    database = Database.from_settings(
        StorageSettings(database_url=f"sqlite:///{folder / 'thads.db'}", data_dir=folder / "data")
    )
    try:
        with recorder() as server:
            site = build_site(database, folder / "data")
            seeded = seed_case(site, server.base)
            now = site.clock.now + dt.timedelta(days=1)
            with database.session() as session:
                evidence = gather(session, seeded.case_id)
            printer = PdfPrinter(DossierSettings(chromium=CHROMIUM))
            dossier = assemble(evidence, now=now, printer=printer, attachments_dir=folder / "data" / "tep-dinh-kem")
            path = folder / "ho-so.zip"
            path.write_bytes(dossier.data)
            yield Built(seeded=seeded, dossier=dossier, path=path, now=now, recorder=server)
    finally:
        database.dispose()


def test_every_file_is_listed_with_a_hash_that_verifies(built: Built) -> None:
    files = built.files()
    with zipfile.ZipFile(built.path) as archive:
        names = [i.filename for i in archive.infolist()]
        assert sorted(names) == sorted([*files, "manifest.json"])  # nothing unlisted, nothing listed twice
        for path, entry in files.items():
            data = archive.read(path)
            assert entry["sha256"] == hashlib.sha256(data).hexdigest(), path
            assert entry["size"] == len(data), path
    assert built.dossier.items == len(files)
    assert built.dossier.manifest_sha256 == hashlib.sha256(built.member("manifest.json")).hexdigest()
    manifest = built.manifest()
    assert manifest["case_id"] == built.seeded.case_id
    assert manifest["created_at"] == built.now.isoformat()
    assert manifest["warnings"] == []
    found = verify_dossier(built.path)
    assert found.intact
    assert found.checked == len(files)


def test_sha256sum_checks_every_file(built: Built, tmp_path: Path) -> None:
    with zipfile.ZipFile(built.path) as archive:
        archive.extractall(tmp_path)
    done = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    listed = [line.removesuffix(": OK") for line in done.stdout.splitlines()]
    assert set(listed) == set(built.files()) - {"SHA256SUMS"}


def test_snapshots_are_byte_for_byte_as_captured(built: Built) -> None:
    files = built.files()
    snapshots = sorted(p for p, e in files.items() if e["kind"] == "snapshot_html")
    assert len(snapshots) == 3
    mine = [p for p in snapshots if f"-{built.seeded.article_id}/" in p]
    assert mine == [f"bai-viet/01-{built.seeded.article_id}/ban-luu-{k}.html" for k in (1, 2, 3)]
    for path, page in zip(mine, built.seeded.pages, strict=True):
        assert built.member(path) == page
        entry = files[path]
        assert entry["capture_sha256"] == hashlib.sha256(page).hexdigest()
        assert entry["url"], path
        assert dt.datetime.fromisoformat(str(entry["captured_at"])) < built.now


def _unicode_of(pdf: bytes) -> str:
    """The characters the PDF's fonts map to (their ToUnicode tables): the text that was laid out."""
    chars: list[str] = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.DOTALL):
        try:
            cmap = zlib.decompress(stream).decode("latin-1")
        except zlib.error:
            continue
        for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.DOTALL):
            chars += [chr(int(d[:4], 16)) for _, d in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block)]
        for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.DOTALL):
            for a, b, d in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                chars += [chr(int(d[:4], 16) + i) for i in range(int(b, 16) - int(a, 16) + 1)]
    return "".join(chars)


def test_pdfs_are_real_and_printed_with_no_request_leaving(built: Built) -> None:
    files = built.files()
    pdfs = [p for p, e in files.items() if e["kind"] in ("snapshot_pdf", "cover_pdf")]
    assert len(pdfs) == 4
    for path in pdfs:
        data = built.member(path)
        assert data.startswith(b"%PDF-"), path
        assert data.rstrip().endswith(b"%%EOF"), path
        assert len(data) > 5000, (path, len(data))
    recorded = _unicode_of(built.member(f"bai-viet/01-{built.seeded.article_id}/ban-luu-2.pdf"))
    assert set("ma túy Đà Nẵng") <= set(recorded), recorded[:200]  # the article's words were laid out
    assert set("Hồ sơ chứng cứ vụ việc số") <= set(_unicode_of(built.member("bia-ho-so.pdf")))
    # The edited snapshot loads a stylesheet, an image, a frame and a script from the loopback server: none asked.
    assert built.recorder.paths == []


def test_the_recorder_would_have_seen_a_printer_that_goes_online(built: Built, tmp_path: Path) -> None:
    """The control of the test above: Chromium printing the same page plainly fetches from the server."""
    page = tmp_path / "trang.html"
    page.write_bytes(built.seeded.pages[2])
    subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={tmp_path / 'p'}",
         f"--print-to-pdf={tmp_path / 'x.pdf'}", page.as_uri()],
        capture_output=True, timeout=120, check=False,
    )  # fmt: skip
    assert "/anh.png" in built.recorder.paths
    built.recorder.paths.clear()


def test_diffs_between_consecutive_snapshots(built: Built) -> None:
    folder = f"bai-viet/01-{built.seeded.article_id}"
    edit = built.member(f"{folder}/thay-doi-2-3.diff").decode()
    assert edit.startswith("--- ban-luu-2.html\n+++ ban-luu-3.html\n")
    assert [line for line in edit.splitlines() if line[:1] in "+-" and line[:3] not in ("---", "+++")] == [
        "-127",
        "+172",
    ]
    assert "+ma" in built.member(f"{folder}/thay-doi-1-2.diff").decode()  # another page altogether
    assert f"{folder}/thay-doi-1-3.diff" not in built.files()
    readable = built.member(f"{folder}/thay-doi-2-3.txt").decode()  # as the case page words the same change
    assert "[-127-] {+172+}" in readable


def test_the_response_and_its_file(built: Built) -> None:
    files = built.files()
    path = f"phan-hoi/01/{ATTACHMENT_NAME}"
    assert built.member(path) == ATTACHMENT
    assert files[path]["capture_sha256"] == hashlib.sha256(ATTACHMENT).hexdigest()
    text = built.member("phan-hoi/01/noi-dung.txt").decode()
    assert "Loại: văn bản trả lời" in text
    assert "Cục THADS Hà Nội đã có văn bản trả lời báo Thanh Niên." in text


def test_the_audit_trail(built: Built) -> None:
    events = json.loads(built.member("nhat-ky-xu-ly.json"))
    assert [e["action"] for e in events][-2:] == ["acknowledge", "respond"]
    assert events[-1]["action_vi"] == "Ghi nhận phản hồi"
    rows = built.member("nhat-ky-xu-ly.csv").decode("utf-8-sig").splitlines()
    assert rows[0] == "id,at,actor,action,action_vi,from_state,to_state,note"
    assert len(rows) == len(events) + 1


def test_the_cover_sheet_lists_every_file_and_its_hash(built: Built) -> None:
    page = built.member("bia-ho-so.html").decode()
    assert f"<h1>Hồ sơ chứng cứ vụ việc số {built.seeded.case_id}</h1>" in page
    for path, entry in built.files().items():
        if entry["kind"] not in ("cover_html", "cover_pdf", "checksums"):
            assert str(entry["sha256"]) in page, path
    assert "sha256sum -c SHA256SUMS" in page
    assert built.now.astimezone(VN).strftime("%d/%m/%Y %H:%M:%S") in page


def test_zip_entries_carry_the_dossier_time(built: Built) -> None:
    with zipfile.ZipFile(io.BytesIO(built.dossier.data)) as archive:
        stamps = {i.date_time for i in archive.infolist()}
    assert stamps == {built.now.astimezone(VN).timetuple()[:6]}
    assert built.dossier.filename == f"ho-so-chung-cu-{built.seeded.case_id}-{built.now.astimezone(VN):%Y%m%d-%H%M}.zip"
