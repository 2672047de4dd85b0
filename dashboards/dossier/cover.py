"""The dossier's cover sheet (HTML, printed to PDF beside it): the case, every file with what it is and its
SHA-256, and how to check them."""

from __future__ import annotations

import datetime as dt
import functools

from jinja2 import Environment, PackageLoader, select_autoescape

from dashboards.dossier.contents import Evidence
from dashboards.dossier.manifest import CHECKSUMS, MANIFEST, Item
from domain.labels import priority_vi, province_vi, state_vi
from domain.localtime import VN


def vn_time(moment: dt.datetime) -> str:
    return f"{moment.astimezone(VN):%d/%m/%Y %H:%M:%S} (giờ Việt Nam)"


@functools.cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("dashboards.dossier", "templates"),
        autoescape=select_autoescape(default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(evidence: Evidence, items: list[Item], *, created_at: dt.datetime, warnings: tuple[str, ...]) -> bytes:
    case = evidence.case
    page = (
        _environment()
        .get_template("cover.html")
        .render(
            case=case,
            priority=priority_vi(case.priority),
            state=state_vi(case.state),
            province=province_vi(case.province),
            received=vn_time(case.received_at),
            created=vn_time(created_at),
            articles=len(evidence.articles),
            snapshots=sum(len(a.snapshots) for a in evidence.articles),
            responses=len(evidence.responses),
            items=items,
            warnings=warnings,
            vn_time=vn_time,
            manifest=MANIFEST,
            checksums=CHECKSUMS,
        )
    )
    return page.encode()
