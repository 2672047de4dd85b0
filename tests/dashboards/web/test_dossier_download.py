"""The evidence dossier from the case page: a link for whoever sees the case, a ZIP that verifies, the download
kept in the audit trail with the manifest's SHA-256; not found outside the province; a clear page when no PDF can
be printed."""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from dashboards.dossier.printing import PdfPrinter
from dashboards.dossier.settings import DossierSettings
from dashboards.dossier.verify import verify_dossier
from storage.cases import audit_trail
from storage.engine import Database
from tests.dashboards.dossier.seed import recorder, seed_case
from tests.dashboards.web.site import build_site, sign_in


@pytest.mark.browser
def test_download_from_the_case_page(database: Database, tmp_path: Path) -> None:
    with recorder() as server:
        site = build_site(database, tmp_path / "data")
        seeded = seed_case(site, server.base)
        client = site.client()
        sign_in(client, "daumoi.hanoi@thads.vn")
        page = client.get(f"/ho-so/{seeded.case_id}").text
        link = f'href="/ho-so/{seeded.case_id}/ho-so-chung-cu"'
        assert link in page
        got = client.get(f"/ho-so/{seeded.case_id}/ho-so-chung-cu")
    assert got.status_code == 200, got.text[:300]
    assert server.paths == []
    assert got.headers["content-type"] == "application/zip"
    assert got.headers["content-disposition"].startswith(f'attachment; filename="ho-so-chung-cu-{seeded.case_id}-')
    path = tmp_path / "tai-ve.zip"
    path.write_bytes(got.content)
    found = verify_dossier(path)
    assert found.intact
    assert found.checked > 10
    with zipfile.ZipFile(io.BytesIO(got.content)) as archive:
        manifest = archive.read("manifest.json")
    assert got.headers["x-manifest-sha256"] == hashlib.sha256(manifest).hexdigest() == found.manifest_sha256
    with database.session() as session:
        last = audit_trail(session, seeded.case_id)[-1]
    assert (last.action, last.actor, last.at) == ("dossier", "daumoi.hanoi@thads.vn", site.clock.now)
    assert last.note is not None
    assert found.manifest_sha256 in last.note
    # The case page's timeline shows it, in Vietnamese.
    assert "Lập hồ sơ chứng cứ" in client.get(f"/ho-so/{seeded.case_id}").text

    other = site.client()
    sign_in(other, "daumoi.cantho@thads.vn")
    assert other.get(f"/ho-so/{seeded.case_id}/ho-so-chung-cu").status_code == 404


def test_no_printer_is_said_plainly(database: Database, tmp_path: Path) -> None:
    site = build_site(database, tmp_path / "data")
    seeded = seed_case(site, "http://127.0.0.1:9")
    ctx = site.app.state.ctx
    site.app.state.ctx = replace(ctx, printer=PdfPrinter(DossierSettings(chromium=tmp_path / "khong-co-chromium")))
    client = site.client()
    sign_in(client, "giamsat@cucthads.vn")
    got = client.get(f"/ho-so/{seeded.case_id}/ho-so-chung-cu")
    assert got.status_code == 503
    assert "Chưa lập được hồ sơ chứng cứ: không tìm thấy Chromium để in PDF" in got.text
    with database.session() as session:
        assert audit_trail(session, seeded.case_id)[-1].action != "dossier"
