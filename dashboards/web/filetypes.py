"""The kinds of file a response may attach (PDF, DOC, DOCX, XLSX, ODT, images, TXT, ZIP), recognised by their
content, never by their name: magic bytes, and for the ZIP-based office formats the markers inside the archive.
A name's extension must agree with the content (a ZIP named .docx is refused)."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_HEADS = (b"PK\x03\x04", b"PK\x05\x06")
IMAGE_HEADS = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*", b"BM")
TEXT_CONTROLS = frozenset("\t\n\r\f")
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


@dataclass(frozen=True, slots=True)
class Kind:
    name: str  # what users read
    extensions: frozenset[str]


KINDS: dict[str, Kind] = {
    "pdf": Kind("PDF", frozenset({"pdf"})),
    "doc": Kind("Word 97–2003 (DOC)", frozenset({"doc"})),
    "docx": Kind("Word (DOCX)", frozenset({"docx"})),
    "xlsx": Kind("Excel (XLSX)", frozenset({"xlsx"})),
    "odt": Kind("OpenDocument (ODT)", frozenset({"odt"})),
    "image": Kind("ảnh", frozenset({"png", "jpg", "jpeg", "gif", "webp", "tif", "tiff", "bmp"})),
    "txt": Kind("văn bản thuần (TXT)", frozenset({"txt"})),
    "zip": Kind("ZIP", frozenset({"zip"})),
}
ACCEPTED_VI = "PDF, DOC, DOCX, XLSX, ODT, ảnh (PNG, JPEG, GIF, WebP, TIFF, BMP), TXT, ZIP"


def _zip_kind(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and "content.xml" in names:
                with archive.open("mimetype") as f:
                    if f.read(len(ODT_MIMETYPE) + 1).strip() == ODT_MIMETYPE:
                        return "odt"
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
        return None
    if "[Content_Types].xml" in names:
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
    return "zip"


def _is_text(data: bytes) -> bool:
    for encoding, bom in (("utf-8", b"\xef\xbb\xbf"), ("utf-16", b"\xff\xfe"), ("utf-16", b"\xfe\xff")):
        if encoding == "utf-8" or data.startswith(bom):
            try:
                text = data.decode("utf-8-sig" if encoding == "utf-8" else encoding)
            except UnicodeDecodeError:
                continue
            return all(c.isprintable() or c in TEXT_CONTROLS for c in text)
    return False


def content_kind(data: bytes) -> str | None:
    """The kind of an attachment by its bytes (a key of KINDS), or None when it is none of them."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(OLE2):
        return "doc" if "WordDocument".encode("utf-16-le") in data else None
    if data.startswith(ZIP_HEADS):
        return _zip_kind(data)
    if data.startswith(IMAGE_HEADS) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP"):
        return "image"
    if data and _is_text(data):
        return "txt"
    return None


def attachment_problem(name: str, data: bytes) -> str | None:
    """Why a file cannot be attached (Vietnamese, naming the file), or None."""
    if not data:
        return f"Tệp “{name}” rỗng."
    kind = content_kind(data)
    if kind is None:
        return f"Tệp “{name}” không thuộc loại được nhận. Chỉ nhận: {ACCEPTED_VI}."
    stem, dot, extension = name.rpartition(".")
    if dot and stem and extension.lower() not in KINDS[kind].extensions:
        return (
            f"Tệp “{name}” có đuôi .{extension} nhưng nội dung là {KINDS[kind].name}: "
            "hãy đặt đúng đuôi tệp hoặc chọn đúng tệp."
        )
    return None
