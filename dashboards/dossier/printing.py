"""PDF renderings made offline: headless Chromium prints a copy of the page in which a Content-Security-Policy
forbids every load, with name resolution and the proxy pointing nowhere besides, so that nothing leaves the
machine. The page given is never changed; only the copy printed carries the policy.

Printed PDFs are kept under the SHA-256 of the printed copy (when a folder is given): the same snapshot prints
once, and every dossier shows the same rendering of it.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import tempfile
from pathlib import Path

from dashboards.dossier.settings import DossierSettings

# Inline styles only; no script, frame, image, font or stylesheet from anywhere (data: images are in the page).
OFFLINE_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; media-src data:; "
    "script-src 'none'; frame-src 'none'; form-action 'none'; base-uri 'none'"
)
_META = f'<meta http-equiv="Content-Security-Policy" content="{OFFLINE_POLICY}">'.encode()
_HEAD = re.compile(rb"<head(?:\s[^>]*)?>", re.IGNORECASE)
_HTML = re.compile(rb"<html(?:\s[^>]*)?>", re.IGNORECASE)
_DOCTYPE = re.compile(rb"^\s*(?:\xef\xbb\xbf)?\s*<!doctype[^>]*>", re.IGNORECASE)
# Network switched off below the page too: every host name resolves to nothing, and any request that would go out
# goes to a proxy on loopback that does not exist (loopback itself included, which Chromium otherwise exempts).
_OFFLINE_ARGS = (
    "--headless",
    "--disable-gpu",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-domain-reliability",
    "--disable-breakpad",
    "--disable-quic",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-server=http://127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",
    "--no-pdf-header-footer",
)


class PrintError(Exception):
    """A PDF could not be printed; the message is Vietnamese and says why."""


def printable_copy(page: bytes) -> bytes:
    """The page with the offline policy first in its head (after `<head>`, else `<html>`, else the doctype)."""
    for pattern in (_HEAD, _HTML, _DOCTYPE):
        found = pattern.search(page)
        if found is not None:
            return page[: found.end()] + _META + page[found.end() :]
    return _META + page


class PdfPrinter:
    """Prints HTML to PDF with the configured Chromium, offline; `cache` keeps each printed PDF."""

    def __init__(self, settings: DossierSettings, cache: Path | None = None) -> None:
        self.settings = settings
        self.cache = cache

    def problem(self) -> str | None:
        """Why nothing can be printed here, in Vietnamese, or None."""
        if not os.access(self.settings.chromium, os.X_OK):
            return f"không tìm thấy Chromium để in PDF tại {self.settings.chromium} (cấu hình dossier.chromium)"
        return None

    def print_pdf(self, page: bytes) -> bytes:
        copy = printable_copy(page)
        key = hashlib.sha256(copy).hexdigest()
        kept = None if self.cache is None else self.cache / f"{key}.pdf"
        if kept is not None and kept.is_file():
            return kept.read_bytes()
        pdf = self._print(copy)
        if kept is not None:
            kept.parent.mkdir(parents=True, exist_ok=True)
            partial = kept.with_name(f".{key}.{os.getpid()}.part")
            partial.write_bytes(pdf)
            partial.replace(kept)
        return pdf

    def _print(self, copy: bytes) -> bytes:
        problem = self.problem()
        if problem is not None:
            raise PrintError(problem)
        with tempfile.TemporaryDirectory(prefix="thads-in-pdf-") as folder:
            work = Path(folder)
            source, target = work / "trang.html", work / "trang.pdf"
            source.write_bytes(copy)
            args = [
                str(self.settings.chromium),
                *_OFFLINE_ARGS,
                f"--user-data-dir={work / 'profile'}",
                f"--print-to-pdf={target}",
                source.as_uri(),
            ]
            if os.geteuid() == 0:  # Chromium refuses to run as root inside its sandbox
                args.insert(1, "--no-sandbox")
            try:
                done = subprocess.run(args, capture_output=True, timeout=self.settings.print_timeout_s, check=False)
            except subprocess.TimeoutExpired as exc:
                raise PrintError(f"Chromium không in xong PDF trong {self.settings.print_timeout_s} giây") from exc
            if not target.is_file() or target.stat().st_size == 0:
                detail = done.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["không rõ lý do"]
                raise PrintError(f"Chromium không in được PDF (mã thoát {done.returncode}): {detail[0][:200]}")
            return target.read_bytes()
