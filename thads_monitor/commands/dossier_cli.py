"""`thads-monitor dossier`: a case's evidence dossier as a ZIP (`build`), and checking one (`verify`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from dashboards.dossier.build import assemble
from dashboards.dossier.contents import DossierError, gather, record_dossier
from dashboards.dossier.printing import PdfPrinter, PrintError
from dashboards.dossier.verify import verify_dossier
from storage.cases import get_user
from thads_monitor.commands.common import open_database, output_file, settings_of
from thads_monitor.settings import ConfigError

dossier_app = typer.Typer(
    help="Hồ sơ chứng cứ của một vụ việc (tệp ZIP kiểm tra được bằng mã SHA-256).", no_args_is_help=True
)


@dossier_app.command("build")
def build_command(
    ctx: typer.Context,
    case_id: Annotated[int, typer.Argument(help="Số hồ sơ.", min=1)],
    out: Annotated[Path, typer.Option("--out", help="Tệp ZIP sẽ ghi.", dir_okay=False)],
    by: Annotated[
        str | None,
        typer.Option(
            "--by", help="Thư điện tử của người lập (bắt buộc; được ghi vào lịch sử hồ sơ).", show_default=False
        ),
    ] = None,
) -> None:
    """Lập hồ sơ chứng cứ: mọi bản lưu bài báo (HTML nguyên trạng và PDF), thay đổi, phản hồi, tệp đính kèm, lịch
    sử xử lý, kèm danh mục mã SHA-256."""
    settings = settings_of(ctx)
    output_file(out, "--out")
    printer = PdfPrinter(settings.dossier, cache=settings.storage.data_dir / "ban-in-pdf")
    if (problem := printer.problem()) is not None:
        raise ConfigError(problem)
    now = dt.datetime.now(dt.UTC)
    with open_database(settings) as db:
        with db.session() as session:
            if not by or not by.strip():
                raise ConfigError("cần --by EMAIL: thư điện tử của người lập, để ghi vào lịch sử hồ sơ")
            user = get_user(session, by)
            if user is None or not user.active:
                raise ConfigError(f"--by: không có người dùng {by.strip().lower()}")
            actor = user.email
            try:
                evidence = gather(session, case_id)
            except DossierError as exc:
                raise ConfigError(str(exc)) from exc
        try:
            dossier = assemble(
                evidence, now=now, printer=printer, attachments_dir=settings.storage.data_dir / "tep-dinh-kem"
            )
        except PrintError as exc:
            raise ConfigError(str(exc)) from exc
        out.write_bytes(dossier.data)
        with db.session() as session:
            record_dossier(session, evidence.case, actor=actor, at=now, manifest_sha256=dossier.manifest_sha256)
    typer.echo(f"Đã ghi {out} ({len(dossier.data):,} byte, {dossier.items} tệp)".replace(",", "."))
    typer.echo(f"SHA-256 của manifest.json: {dossier.manifest_sha256} (đã ghi vào lịch sử hồ sơ số {case_id})")


@dossier_app.command("verify")
def verify_command(file: Annotated[Path, typer.Argument(help="Tệp ZIP hồ sơ chứng cứ.", dir_okay=False)]) -> None:
    """Kiểm tra hồ sơ chứng cứ: mọi tệp khớp mã SHA-256 trong manifest.json, không thiếu, không thừa."""
    try:
        found = verify_dossier(file)
    except DossierError as exc:
        raise ConfigError(str(exc)) from exc
    for path in found.modified:
        typer.echo(f"Đã bị sửa: {path}")
    for path in found.missing:
        typer.echo(f"Bị thiếu: {path}")
    for path in found.extra:
        typer.echo(f"Tệp thừa (không có trong manifest.json): {path}")
    if found.intact:
        typer.echo(
            f"Hồ sơ chứng cứ vụ việc số {found.case_id}: đã kiểm tra {found.checked} tệp, tất cả khớp mã SHA-256 "
            f"(SHA-256 của manifest.json: {found.manifest_sha256})."
        )
        return
    wrong = len(found.modified) + len(found.missing) + len(found.extra)
    typer.echo(
        f"Hồ sơ chứng cứ vụ việc số {found.case_id} KHÔNG còn nguyên vẹn: {wrong} tệp sai khác "
        f"trong {found.checked} tệp của danh mục."
    )
    raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.add_typer(dossier_app, name="dossier")
