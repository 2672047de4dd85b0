"""Assembling a case's dossier: the files (snapshots as captured, their PDFs, the diffs, the responses and their
files, the audit trail), the cover sheet, SHA256SUMS and manifest.json, in a ZIP whose entries carry the
dossier's creation time (the same evidence at the same `now` gives the same entries)."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

from crawler.extract import NotAnArticle, extract
from dashboards.dossier import cover
from dashboards.dossier.contents import ArticleEvidence, Evidence
from dashboards.dossier.cover import vn_time
from dashboards.dossier.manifest import CHECKSUMS, MANIFEST, Item, checksums, manifest_json
from dashboards.dossier.printing import PdfPrinter
from dashboards.dossier.textdiff import text_changes
from dashboards.labels import AUDIT_VI
from domain.diff import word_diff
from domain.labels import response_kind_vi
from domain.localtime import VN
from domain.records import Response


@dataclass(frozen=True, slots=True, kw_only=True)
class Dossier:
    data: bytes  # the ZIP
    filename: str
    manifest_sha256: str
    items: int  # files listed in the manifest


def snapshot_text(page: bytes, url: str) -> str:
    """The article's text in a snapshot as extraction reads it (title, lead, body), or why there is none."""
    try:
        found = extract(page, url)
    except NotAnArticle as exc:
        return f"[Trang không có bài viết: {exc}]"
    return "\n".join(part for part in (found.title, found.lead, found.text) if part)


def _article_items(number: int, evidence: ArticleEvidence, printer: PdfPrinter, warnings: list[str]) -> list[Item]:
    copy = evidence.copy
    folder = f"bai-viet/{number:02d}-{copy.article_id}"
    about = f"bài “{copy.title}” ({copy.outlet_name})"
    items: list[Item] = []
    texts: list[str] = []
    for k, snapshot in enumerate(evidence.snapshots, start=1):
        page = snapshot.html
        if hashlib.sha256(page).hexdigest() != snapshot.sha256:
            warnings.append(
                f"Bản lưu lần {k} của {about}: mã SHA-256 hiện tại không khớp mã ghi lúc thu thập ({snapshot.sha256})."
            )
        items.append(
            Item(
                path=f"{folder}/ban-luu-{k}.html",
                data=page,
                kind="snapshot_html",
                description=f"Bản lưu lần {k} của {about}: mã HTML nguyên trạng như khi thu thập",
                capture_sha256=snapshot.sha256,
                captured_at=snapshot.fetched_at,
                url=snapshot.url,
                http_status=snapshot.http_status,
            )
        )
        items.append(
            Item(
                path=f"{folder}/ban-luu-{k}.pdf",
                data=printer.print_pdf(page),
                kind="snapshot_pdf",
                description=f"Bản in PDF của bản lưu lần {k} của {about} (in không kết nối mạng)",
                captured_at=snapshot.fetched_at,
                url=snapshot.url,
                http_status=snapshot.http_status,
            )
        )
        texts.append(snapshot_text(page, snapshot.url))
        if k > 1:
            changes = text_changes(texts[-2], texts[-1], old_name=f"ban-luu-{k - 1}.html", new_name=f"ban-luu-{k}.html")
            items.append(
                Item(
                    path=f"{folder}/thay-doi-{k - 1}-{k}.diff",
                    data=(changes or "Không có thay đổi về nội dung chữ của bài.\n").encode(),
                    kind="diff",
                    description=f"Thay đổi nội dung chữ của {about} từ bản lưu lần {k - 1} sang lần {k} (theo từng từ)",
                    captured_at=snapshot.fetched_at,
                )
            )
            if changes:  # the same change as the case page words it: [-deleted-] {+inserted+}
                items.append(
                    Item(
                        path=f"{folder}/thay-doi-{k - 1}-{k}.txt",
                        data=(word_diff(texts[-2], texts[-1]).as_text() + "\n").encode(),
                        kind="diff",
                        description=(
                            f"Thay đổi của {about} từ bản lưu lần {k - 1} sang lần {k}, dễ đọc: [-từ bị xóa-] "
                            "{+từ được thêm+}"
                        ),
                        captured_at=snapshot.fetched_at,
                    )
                )
    return items


def _unique(name: str, taken: set[str]) -> str:
    stem, dot, ext = name.rpartition(".")
    stem, ext = (stem, dot + ext) if dot and stem else (name, "")
    candidate, n = name, 1
    while candidate in taken or candidate == "noi-dung.txt":
        n += 1
        candidate = f"{stem} ({n}){ext}"
    taken.add(candidate)
    return candidate


def _response_items(number: int, response: Response, attachments_dir: Path, warnings: list[str]) -> list[Item]:
    folder = f"phan-hoi/{number:02d}"
    kind = response_kind_vi(response.kind)
    text = f"Loại: {kind}\nNgười ghi nhận: {response.by}\nThời điểm: {vn_time(response.at)}\n\n{response.text}\n"
    items = [
        Item(
            path=f"{folder}/noi-dung.txt",
            data=text.encode(),
            kind="response",
            description=f"Phản hồi {number} ({kind}) của {response.by}, {vn_time(response.at)}",
        )
    ]
    taken: set[str] = set()
    for attachment in response.attachments:
        stored = attachments_dir / attachment.sha256
        source = stored if stored.is_file() else Path(attachment.path)
        if not source.is_file():
            warnings.append(
                f"Phản hồi {number}: không tìm thấy tệp đính kèm “{attachment.name}” ({attachment.sha256})."
            )
            continue
        data = source.read_bytes()
        if hashlib.sha256(data).hexdigest() != attachment.sha256:
            warnings.append(
                f"Phản hồi {number}: tệp “{attachment.name}” không còn khớp mã SHA-256 ghi lúc tải lên "
                f"({attachment.sha256})."
            )
        items.append(
            Item(
                path=f"{folder}/{_unique(attachment.name, taken)}",
                data=data,
                kind="attachment",
                description=f"Tệp đính kèm “{attachment.name}” của phản hồi {number}",
                capture_sha256=attachment.sha256,
            )
        )
    return items


def _audit_items(evidence: Evidence) -> list[Item]:
    rows = [
        {
            "id": e.id,
            "at": e.at.astimezone(dt.UTC).isoformat(),
            "actor": e.actor,
            "action": e.action,
            "action_vi": AUDIT_VI.get(e.action, e.action),
            "from_state": e.from_state,
            "to_state": e.to_state,
            "note": e.note,
        }
        for e in evidence.audit
    ]
    out = io.StringIO()
    writer = csv.DictWriter(
        out, fieldnames=["id", "at", "actor", "action", "action_vi", "from_state", "to_state", "note"]
    )
    writer.writeheader()
    writer.writerows(rows)
    what = f"Lịch sử xử lý hồ sơ số {evidence.case.id} ({len(rows)} sự kiện)"
    return [
        Item(path="nhat-ky-xu-ly.csv", data=out.getvalue().encode("utf-8-sig"), kind="audit_csv", description=what),
        Item(
            path="nhat-ky-xu-ly.json",
            data=(json.dumps(rows, ensure_ascii=False, indent=2) + "\n").encode(),
            kind="audit_json",
            description=what,
        ),
    ]


def _zip(entries: list[tuple[str, bytes]], now: dt.datetime) -> bytes:
    stamp = now.astimezone(VN).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path, data in entries:
            info = zipfile.ZipInfo(path, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return out.getvalue()


def assemble(evidence: Evidence, *, now: dt.datetime, printer: PdfPrinter, attachments_dir: Path) -> Dossier:
    """The dossier of the gathered evidence, made at `now`; PrintError if a PDF cannot be printed."""
    warnings: list[str] = []
    items: list[Item] = []
    for number, article in enumerate(evidence.articles, start=1):
        items += _article_items(number, article, printer, warnings)
    for number, response in enumerate(evidence.responses, start=1):
        items += _response_items(number, response, attachments_dir, warnings)
    items += _audit_items(evidence)
    case = evidence.case
    sheet = cover.render(evidence, items, created_at=now, warnings=tuple(warnings))
    what = f"Trang bìa: danh mục hồ sơ chứng cứ vụ việc số {case.id} và mã SHA-256 của từng tệp"
    items = [
        Item(path="bia-ho-so.html", data=sheet, kind="cover_html", description=what),
        Item(path="bia-ho-so.pdf", data=printer.print_pdf(sheet), kind="cover_pdf", description=f"{what} (bản PDF)"),
        *items,
    ]
    items.append(
        Item(
            path=CHECKSUMS,
            data=checksums(items),
            kind="checksums",
            description="Mã SHA-256 của mọi tệp, để kiểm tra bằng lệnh “sha256sum -c SHA256SUMS”",
        )
    )
    manifest = manifest_json(
        items, case_id=case.id or 0, case_title=case.title, created_at=now, warnings=tuple(warnings)
    )
    data = _zip([(MANIFEST, manifest), *((item.path, item.data) for item in items)], now)
    return Dossier(
        data=data,
        filename=f"ho-so-chung-cu-{case.id}-{now.astimezone(VN):%Y%m%d-%H%M}.zip",
        manifest_sha256=hashlib.sha256(manifest).hexdigest(),
        items=len(items),
    )
