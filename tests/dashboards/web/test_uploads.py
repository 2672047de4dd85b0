"""Uploaded names are made safe; the download header carries the Vietnamese name."""

from __future__ import annotations

import pytest

from dashboards.web.uploads import content_disposition, safe_filename


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("Công văn số 12.pdf", "Công văn số 12.pdf"),
        ("C:\\Users\\an\\..\\Công văn.docx", "Công văn.docx"),
        ("../../etc/passwd", "passwd"),
        ("ba\u0301o ca\u0301o.pdf", "báo cáo.pdf"),  # NFD from some systems → NFC
        ("a\x00b\r\nc<d>|e.txt", "abc_d_e.txt"),
        ("...", "tep-dinh-kem"),
        (".htaccess", "htaccess"),
        ("", "tep-dinh-kem"),
        ("x" * 300 + ".pdf", "x" * 116 + ".pdf"),
    ],
)
def test_safe_filename(raw: str, safe: str) -> None:
    assert safe_filename(raw) == safe


def test_download_header_has_an_ascii_fallback_and_the_utf8_name() -> None:
    assert content_disposition('Quyết định "số 5".pdf') == (
        'attachment; filename="Quyet dinh _so 5_.pdf"; '
        "filename*=UTF-8''Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh%20%22s%E1%BB%91%205%22.pdf"
    )
