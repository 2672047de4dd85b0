"""verify_dossier on small hand-made dossiers (the one built from a case: test_build and the CLI tests)."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest

from dashboards.dossier.contents import DossierError
from dashboards.dossier.manifest import FORMAT
from dashboards.dossier.verify import verify_dossier

FILES = {"a/tep.txt": b"noi dung goc", "b.html": b"<p>Trang</p>"}


def small_dossier(path: Path) -> Path:
    """Two files and their manifest, stored uncompressed (so that a test can change bytes in place)."""
    entries = [{"path": p, "sha256": hashlib.sha256(d).hexdigest(), "size": len(d)} for p, d in FILES.items()]
    manifest = {"format": FORMAT, "case_id": 7, "files": entries}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest))
        for name, data in FILES.items():
            archive.writestr(name, data)
    return path


def test_an_intact_dossier(tmp_path: Path) -> None:
    found = verify_dossier(small_dossier(tmp_path / "a.zip"))
    assert found.intact
    assert (found.case_id, found.checked) == (7, 2)


def test_a_listed_file_missing_and_one_unlisted(tmp_path: Path) -> None:
    source = small_dossier(tmp_path / "a.zip")
    target = tmp_path / "b.zip"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            if info.filename != "b.html":
                new.writestr(info, old.read(info))
        new.writestr("c.txt", b"them")
    found = verify_dossier(target)
    assert (found.modified, found.missing, found.extra) == ((), ("b.html",), ("c.txt",))


def test_verify_names_every_kind_of_change(tmp_path: Path) -> None:
    """Without the command: a member changed in place (its CRC no longer matches), one added, one removed."""
    path = small_dossier(tmp_path / "a.zip")
    raw = path.read_bytes()
    flipped = tmp_path / "b.zip"
    flipped.write_bytes(raw.replace(b"noi dung goc", b"noi dung sua"))  # stored uncompressed: bytes changed in place
    assert verify_dossier(flipped).modified == ("a/tep.txt",)
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("them.txt", b"khong co trong danh muc")
    assert verify_dossier(path).extra == ("them.txt",)
    assert not verify_dossier(path).intact


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.write_bytes(b"khong phai zip"), "không phải tệp ZIP"),
        (
            lambda p: zipfile.ZipFile(p, "w").writestr("a.txt", b"x"),
            "không có manifest.json: không phải hồ sơ chứng cứ",
        ),
        (lambda p: zipfile.ZipFile(p, "w").writestr("manifest.json", b"{"), "manifest.json không đọc được"),
        (lambda p: None, "không tìm thấy tệp"),
    ],
    ids=["not-zip", "no-manifest", "bad-manifest", "missing"],
)
def test_verify_refuses_what_is_not_a_dossier(tmp_path: Path, make: object, message: str) -> None:
    path = tmp_path / "ho-so.zip"
    assert callable(make)
    make(path)
    with pytest.raises(DossierError, match=message):
        verify_dossier(path)
