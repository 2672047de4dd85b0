"""Uploaded names are made safe; the download header carries the Vietnamese name; only the kinds of file a
response attaches are accepted, recognised by their content."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from dashboards.web.filetypes import attachment_problem
from dashboards.web.uploads import content_disposition, safe_filename
from storage.engine import Database


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


# --- kinds of attachment, by content -----------------------------------------------------------------------


def _docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("Công văn số 125/THADS-VP trả lời báo Lao Động")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _xlsx() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["Tỉnh/thành", "Số hồ sơ"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def _odt() -> bytes:
    return _zip(
        {
            "mimetype": b"application/vnd.oasis.opendocument.text",
            "content.xml": "<office:document-content>Báo cáo</office:document-content>".encode(),
            "META-INF/manifest.xml": b"<manifest/>",
        }
    )


def _image(fmt: str) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(out, format=fmt)
    return out.getvalue()


def _doc() -> bytes:  # the OLE2 header and the directory entry of a Word 97–2003 file
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "WordDocument".encode("utf-16-le") + bytes(100)


ACCEPTED = [
    ("Công văn 125.pdf", lambda: b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"),
    ("Công văn 125.docx", _docx),
    ("Bảng số liệu.xlsx", _xlsx),
    ("Báo cáo.odt", _odt),
    ("Công văn cũ.doc", _doc),
    ("Ảnh chụp.png", lambda: _image("PNG")),
    ("Ảnh chụp.JPG", lambda: _image("JPEG")),
    ("Ảnh.webp", lambda: _image("WEBP")),
    ("Ghi chú.txt", lambda: "Cục THADS tỉnh Cần Thơ đã trả lời.\r\n".encode()),
    ("Ghi chú UTF-16.txt", lambda: "Thi hành án dân sự".encode("utf-16")),
    ("Hồ sơ.zip", lambda: _zip({"a.txt": b"x"})),
    ("khong-duoi", lambda: b"%PDF-1.7\n"),
]
REFUSED = [
    ("chuong-trinh.exe", lambda: b"MZ\x90\x00\x03" + bytes(60), "không thuộc loại được nhận"),
    ("Công văn.pdf", lambda: b"\x7fELF\x02\x01\x01" + bytes(40), "không thuộc loại được nhận"),
    ("trang.html", lambda: b"<!doctype html><script>alert(1)</script>", "có đuôi .html nhưng nội dung là văn bản"),
    ("hinh.svg", lambda: b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>', "có đuôi .svg"),
    ("Công văn.docx", lambda: _zip({"a.txt": b"x"}), "có đuôi .docx nhưng nội dung là ZIP"),
    ("Công văn.pdf", _docx, "có đuôi .pdf nhưng nội dung là Word (DOCX)"),
    ("Bảng.xls", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "không thuộc loại được nhận"),
    ("rong.txt", lambda: b"", "rỗng"),
    ("nhi-phan.txt", lambda: bytes(range(256)), "không thuộc loại được nhận"),
]


@pytest.mark.parametrize(("name", "make"), ACCEPTED, ids=[a[0] for a in ACCEPTED])
def test_accepted_kinds(name: str, make: Callable[[], bytes]) -> None:
    assert attachment_problem(name, make()) is None


@pytest.mark.parametrize(("name", "make", "why"), REFUSED, ids=[r[0] + r[2] for r in REFUSED])
def test_refused_kinds(name: str, make: Callable[[], bytes], why: str) -> None:
    problem = attachment_problem(name, make())
    assert problem is not None
    assert problem.startswith(f"Tệp “{name}”")
    assert why in problem


def test_a_refused_file_is_said_on_the_case_page_with_the_form_kept(database: Database, tmp_path: Path) -> None:
    from alerts.triage import confirm
    from storage.cases import responses_of
    from tests.dashboards.web.site import build_site, sign_in, workflow_config

    site = build_site(database, tmp_path / "data")
    with site.database.session() as session:
        case = confirm(
            session, site.stories["cantho"].id, config=workflow_config(), actor="giamsat@cucthads.vn", now=site.clock()
        )
    client = site.client()
    token = sign_in(client, "daumoi.cantho@thads.vn")
    client.post(f"/ho-so/{case.id}/xac-nhan", data={"csrf_token": token})
    typed = "Cục THADS thành phố Cần Thơ đã có Công văn số 125 trả lời báo."
    refused = client.post(
        f"/ho-so/{case.id}/phan-hoi",
        data={"csrf_token": token, "kind": "van_ban_tra_loi", "text": typed},
        files=[
            ("tep", ("Công văn 125.pdf", b"%PDF-1.4\n", "application/pdf")),
            ("tep", ("Công văn 125.docx", _zip({"a.txt": b"x"}), "application/octet-stream")),
        ],
    )
    assert refused.status_code == 400
    page = refused.text
    assert "Tệp “Công văn 125.docx” có đuôi .docx nhưng nội dung là ZIP" in page
    assert "Phản hồi chưa được ghi nhận." in page
    assert f">{typed}</textarea>" in page  # what was typed is kept
    assert '<option value="van_ban_tra_loi" selected>' in page
    assert 'action="/ho-so/' in page
    assert "Hồ sơ #" in page  # the case page itself, not an error page
    with site.database.session() as session:
        assert responses_of(session, case.id) == []
    assert not site.app.state.ctx.attachments_dir.exists() or not any(site.app.state.ctx.attachments_dir.iterdir())
    accepted = client.post(
        f"/ho-so/{case.id}/phan-hoi",
        data={"csrf_token": token, "kind": "van_ban_tra_loi", "text": typed},
        files=[("tep", ("Công văn 125.docx", _docx(), "application/octet-stream"))],
    )
    assert accepted.status_code == 303
    with site.database.session() as session:
        assert [a.name for r in responses_of(session, case.id) for a in r.attachments] == ["Công văn 125.docx"]
