"""The manifest of a dossier: what each file is and its SHA-256, as `manifest.json` (read by `dossier verify`)
and as SHA256SUMS (read by `sha256sum -c`)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

FORMAT = "thads-ho-so-chung-cu/1"
MANIFEST = "manifest.json"
CHECKSUMS = "SHA256SUMS"


@dataclass(frozen=True, slots=True, kw_only=True)
class Item:
    """One file of the dossier with what the manifest says about it."""

    path: str
    data: bytes
    kind: str  # snapshot_html, snapshot_pdf, diff, response, attachment, audit_csv, audit_json, cover_*, checksums
    description: str  # Vietnamese
    captured_at: dt.datetime | None = None  # a snapshot's fetch time
    url: str | None = None
    http_status: int | None = None
    capture_sha256: str | None = None  # the hash stored when it was captured or uploaded

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    def entry(self) -> dict[str, object]:
        found: dict[str, object] = {
            "path": self.path,
            "sha256": self.sha256,
            "size": len(self.data),
            "kind": self.kind,
            "description": self.description,
        }
        if self.captured_at is not None:
            found["captured_at"] = self.captured_at.astimezone(dt.UTC).isoformat()
        if self.url is not None:
            found["url"] = self.url
        if self.http_status is not None:
            found["http_status"] = self.http_status
        if self.capture_sha256 is not None:
            found["capture_sha256"] = self.capture_sha256
        return found


def checksums(items: list[Item]) -> bytes:
    """SHA256SUMS: `sha256sum -c SHA256SUMS` in the unpacked folder checks every file listed."""
    return "".join(f"{item.sha256}  {item.path}\n" for item in items).encode()


def manifest_json(
    items: list[Item], *, case_id: int, case_title: str, created_at: dt.datetime, warnings: tuple[str, ...]
) -> bytes:
    document = {
        "format": FORMAT,
        "case_id": case_id,
        "case_title": case_title,
        "created_at": created_at.astimezone(dt.UTC).isoformat(),
        "warnings": list(warnings),
        "files": [item.entry() for item in items],
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode()
