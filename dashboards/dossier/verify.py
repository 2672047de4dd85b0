"""Checking a dossier ZIP against its manifest.json: every file listed is there with the SHA-256 listed, and
nothing else is there."""

from __future__ import annotations

import hashlib
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

from dashboards.dossier.contents import DossierError
from dashboards.dossier.manifest import FORMAT, MANIFEST


@dataclass(frozen=True, slots=True, kw_only=True)
class Verification:
    case_id: int
    checked: int  # files listed in the manifest
    manifest_sha256: str
    modified: tuple[str, ...]
    missing: tuple[str, ...]
    extra: tuple[str, ...]

    @property
    def intact(self) -> bool:
        return not (self.modified or self.missing or self.extra)


def _listed(manifest: bytes) -> tuple[int, dict[str, str]]:
    try:
        document = json.loads(manifest)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DossierError(f"{MANIFEST} không đọc được ({exc})") from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise DossierError(f"{MANIFEST} không phải danh mục hồ sơ chứng cứ ({FORMAT})")
    files = document.get("files")
    listed: dict[str, str] = {}
    if isinstance(files, list):
        for entry in files:
            if isinstance(entry, dict) and isinstance(entry.get("path"), str) and isinstance(entry.get("sha256"), str):
                listed[entry["path"]] = entry["sha256"]
            else:
                raise DossierError(f"{MANIFEST}: mục không có đường dẫn và mã SHA-256: {str(entry)[:100]}")
    case_id = document.get("case_id")
    return (case_id if isinstance(case_id, int) else 0), listed


def _digest(archive: zipfile.ZipFile, name: str) -> str | None:
    """The SHA-256 of a member, or None when it cannot be read back (its CRC no longer matches: changed)."""
    digest = hashlib.sha256()
    try:
        with archive.open(name) as member:
            for block in iter(lambda: member.read(1 << 20), b""):
                digest.update(block)
    except (zipfile.BadZipFile, OSError, EOFError):
        return None
    return digest.hexdigest()


def verify_dossier(path: Path) -> Verification:
    """DossierError when the file is not a dossier at all (not a ZIP, no manifest)."""
    if not path.is_file():
        raise DossierError(f"không tìm thấy tệp {path}")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise DossierError(f"{path} không phải tệp ZIP") from exc
    with archive:
        names = [info.filename for info in archive.infolist() if not info.is_dir()]
        if MANIFEST not in names:
            raise DossierError(f"{path} không có {MANIFEST}: không phải hồ sơ chứng cứ")
        try:
            manifest = archive.read(MANIFEST)
        except (zipfile.BadZipFile, OSError) as exc:
            raise DossierError(f"{MANIFEST} trong {path} không đọc được ({exc})") from exc
        case_id, listed = _listed(manifest)
        present = set(names)
        modified = tuple(p for p, sha in listed.items() if p in present and _digest(archive, p) != sha)
    return Verification(
        case_id=case_id,
        checked=len(listed),
        manifest_sha256=hashlib.sha256(manifest).hexdigest(),
        modified=modified,
        missing=tuple(p for p in listed if p not in present),
        extra=tuple(sorted(present - set(listed) - {MANIFEST})),
    )
