"""The printed copy of a page carries the offline policy first in its head; the page itself is not changed; a
missing Chromium is said in Vietnamese before anything is printed. (Printing itself: test_build, with Chromium.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboards.dossier.printing import OFFLINE_POLICY, PdfPrinter, PrintError, printable_copy
from dashboards.dossier.settings import DossierSettings
from tests.conftest import shared_path

META = f'<meta http-equiv="Content-Security-Policy" content="{OFFLINE_POLICY}">'.encode()


@pytest.mark.parametrize(
    ("page", "printed"),
    [
        (b"<!doctype html><html><HEAD lang=vi><title>t</title>", b"<!doctype html><html><HEAD lang=vi>" + META),
        (b"<!DOCTYPE html>\n<html lang='vi'><body>x", b"<!DOCTYPE html>\n<html lang='vi'>" + META),
        (b"<!doctype html><p>x", b"<!doctype html>" + META),
        (b"<p>x</p>", META),
    ],
    ids=["head", "html", "doctype", "fragment"],
)
def test_the_policy_goes_first(page: bytes, printed: bytes) -> None:
    copy = printable_copy(page)
    assert copy.startswith(printed)
    assert copy.replace(META, b"", 1) == page


def test_a_recorded_page_keeps_every_byte_but_the_policy() -> None:
    page = shared_path("fixtures", "html", "thanhnien1.html").read_bytes()
    copy = printable_copy(page)
    assert copy.count(META) == 1
    assert copy.index(META) < copy.lower().index(b"<script")  # before anything that could load
    assert copy.replace(META, b"", 1) == page


def test_the_policy_forbids_every_load() -> None:
    rules = dict(rule.strip().split(" ", 1) for rule in OFFLINE_POLICY.split(";"))
    assert rules["default-src"] == "'none'"
    assert all("http" not in value and "*" not in value for value in rules.values())


def test_no_chromium_is_said_before_printing(tmp_path: Path) -> None:
    printer = PdfPrinter(DossierSettings(chromium=tmp_path / "chromium"), cache=tmp_path / "pdf")
    assert (
        printer.problem()
        == f"không tìm thấy Chromium để in PDF tại {tmp_path / 'chromium'} (cấu hình dossier.chromium)"
    )
    with pytest.raises(PrintError, match="không tìm thấy Chromium"):
        printer.print_pdf(b"<p>x</p>")
    assert not (tmp_path / "pdf").exists()
