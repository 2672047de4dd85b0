"""Workflow commands: cases, focal points, and one run of the workflow jobs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.orm import Session

from alerts import cases as workflow
from alerts.cases import WorkflowError
from alerts.focal_points import read_users
from alerts.messages import when
from alerts.workflow import run_escalate, run_remind, run_workflow
from dashboards.labels import (
    AUDIT_VI,
    deadline_kind_vi,
    deadline_status_vi,
    priority_vi,
    response_vi,
)
from dashboards.web.filetypes import attachment_problem
from domain.enums import OPEN_STATES, DeadlineStatus
from domain.labels import province_vi, role_vi, state_vi
from storage.cases import (
    assignees,
    audit_trail,
    deadlines_of,
    get_case,
    get_user,
    list_cases,
    list_users,
    responses_of,
    upsert_user,
)
from thads_monitor.commands.common import input_file, open_database, settings_of
from thads_monitor.jobs import load_policies, signing_alert_settings
from thads_monitor.settings import ConfigError

console = Console()
cases_app = typer.Typer(help="Hồ sơ xử lý thông tin báo chí.", no_args_is_help=True)
focal_app = typer.Typer(help="Đầu mối và người dùng.", no_args_is_help=True)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# Who acted is required: the audit trail names a person the system knows, never a placeholder; the account that
# runs the command (often a service account on a server) says nothing about who decided.
By = Annotated[
    str | None,
    typer.Option(
        "--by", help="Thư điện tử của người thực hiện (bắt buộc; được ghi vào lịch sử hồ sơ).", show_default=False
    ),
]


def _actor(session: Session, by: str | None) -> str:
    """The e-mail of the active user named by --by; refuses a missing or unknown one."""
    if not by or not by.strip():
        raise ConfigError("cần --by EMAIL: thư điện tử của người thực hiện, để ghi vào lịch sử hồ sơ")
    user = get_user(session, by)
    if user is None or not user.active:
        raise ConfigError(f"--by: không có người dùng {by.strip().lower()}")
    return user.email


def _act(ctx: typer.Context, action: str, case_id: int, by: str | None, **kwargs: object) -> None:
    settings = settings_of(ctx)
    with open_database(settings) as db:
        try:
            with db.session() as session:
                actor = _actor(session, by)
                if action == "acknowledge":
                    case = workflow.acknowledge(session, case_id, actor=actor, at=_now())
                elif action == "close":
                    case = workflow.close(session, case_id, actor=actor, at=_now(), note=kwargs.get("note"))  # type: ignore[arg-type]
                elif action == "dismiss":
                    case = workflow.dismiss(session, case_id, actor=actor, at=_now(), reason=str(kwargs["reason"]))
                elif action == "conclude":
                    _, policy, calendar = load_policies(settings)
                    case = workflow.conclude(session, case_id, policy=policy, calendar=calendar, actor=actor, at=_now())
                else:
                    raise AssertionError(action)
        except WorkflowError as exc:
            raise ConfigError(str(exc)) from exc
    typer.echo(f"Hồ sơ #{case.id}: {state_vi(case.state)}.")


@cases_app.command("list")
def cases_list(
    ctx: typer.Context,
    province: Annotated[str | None, typer.Option(help="Chỉ một tỉnh/thành (hoặc toan_quoc).")] = None,
    all_states: Annotated[bool, typer.Option("--all", help="Cả hồ sơ đã đóng, đã loại.")] = False,
) -> None:
    """Liệt kê hồ sơ, khẩn nhất trước."""
    states = None if all_states else OPEN_STATES
    with open_database(settings_of(ctx)) as db, db.session() as session:
        table = Table("#", "ưu tiên", "trạng thái", "tỉnh/thành", "tiêu đề", "hạn gần nhất")
        for case in list_cases(session, states=states, province=province):
            open_ = [d for d in deadlines_of(session, case.id) if d.status == DeadlineStatus.OPEN]
            due = when(min(d.due_at for d in open_)) if open_ else "—"
            table.add_row(
                str(case.id),
                priority_vi(case.priority),
                state_vi(case.state),
                province_vi(case.province),
                case.title[:60],
                due,
            )
    console.print(table)


@cases_app.command("show")
def cases_show(ctx: typer.Context, case_id: int) -> None:
    """Chi tiết một hồ sơ: thời hạn và căn cứ, phản hồi, lịch sử xử lý."""
    with open_database(settings_of(ctx)) as db, db.session() as session:
        case = get_case(session, case_id)
        if case is None:
            raise ConfigError(f"không có hồ sơ #{case_id}")
        typer.echo(
            f"Hồ sơ #{case.id} [{priority_vi(case.priority)}] – {state_vi(case.state)} – {province_vi(case.province)}"
        )
        typer.echo(
            f"{case.title}\nLý do: {case.reason or '—'}\nTiếp nhận: {when(case.received_at)} ({case.policy_version})"
        )
        typer.echo("Đầu mối: " + (", ".join(f"{u.name} <{u.email}>" for u in assignees(session, case.id)) or "—"))
        typer.echo("Thời hạn:")
        for d in deadlines_of(session, case.id):
            typer.echo(f"  – {deadline_kind_vi(d.kind)}: {when(d.due_at)} [{deadline_status_vi(d.status)}] – {d.basis}")
        for r in responses_of(session, case.id):
            typer.echo(f"Phản hồi – {response_vi(r.kind)} ({r.by}, {when(r.at)}): {r.text[:200]}")
            for a in r.attachments:
                typer.echo(f"    tệp {a.name} (SHA-256 {a.sha256[:16]}…, {a.size} byte)")
        typer.echo("Lịch sử:")
        for e in audit_trail(session, case.id):
            moved = f" ({state_vi(e.from_state)} → {state_vi(e.to_state)})" if e.to_state != e.from_state else ""
            note = f": {e.note}" if e.note else ""
            typer.echo(f"  {when(e.at)} {e.actor}: {AUDIT_VI.get(e.action, e.action)}{moved}{note}")


@cases_app.command("assign")
def cases_assign(
    ctx: typer.Context,
    case_id: int,
    to: Annotated[list[str], typer.Option("--to", help="E-mail đầu mối (nhắc lại để giao nhiều người).")],
    by: By = None,
) -> None:
    """Giao hồ sơ cho đầu mối."""
    with open_database(settings_of(ctx)) as db:
        try:
            with db.session() as session:
                actor = _actor(session, by)
                users = []
                for email in to:
                    user = get_user(session, email)
                    if user is None:
                        raise WorkflowError(f"không có người dùng {email}")
                    users.append(user)
                case = workflow.assign(session, case_id, users, actor=actor, at=_now())
        except WorkflowError as exc:
            raise ConfigError(str(exc)) from exc
    typer.echo(f"Hồ sơ #{case.id}: {state_vi(case.state)} cho {', '.join(to)}.")


@cases_app.command("ack")
def cases_ack(ctx: typer.Context, case_id: int, by: By = None) -> None:
    """Đầu mối xác nhận đã nhận hồ sơ."""
    _act(ctx, "acknowledge", case_id, by)


@cases_app.command("respond")
def cases_respond(
    ctx: typer.Context,
    case_id: int,
    kind: Annotated[str, typer.Option(help="thong_tin_ban_dau | van_ban_tra_loi | yeu_cau_cai_chinh | bao_cao")],
    text: Annotated[str, typer.Option(help="Nội dung phản hồi.")],
    attach: Annotated[list[Path] | None, typer.Option(help="Tệp đính kèm (lưu kèm SHA-256).")] = None,
    by: By = None,
) -> None:
    """Ghi nhận phản hồi (thông tin ban đầu, văn bản trả lời, yêu cầu cải chính, báo cáo)."""
    settings = settings_of(ctx)
    files = []
    for path in attach or []:
        input_file(path, "--attach")
        problem = attachment_problem(path.name, path.read_bytes())
        if problem is not None:
            raise ConfigError(f"{problem[0].lower()}{problem[1:]}".removesuffix("."))
        files.append(workflow.store_attachment(path, settings.storage.data_dir / "tep-dinh-kem"))
    with open_database(settings) as db:
        try:
            with db.session() as session:
                actor = _actor(session, by)
                workflow.respond(
                    session, case_id, kind=kind, text=text, actor=actor, at=_now(), attachments=tuple(files)
                )
        except WorkflowError as exc:
            raise ConfigError(str(exc)) from exc
    typer.echo(f"Đã ghi nhận phản hồi cho hồ sơ #{case_id}.")


@cases_app.command("conclude")
def cases_conclude(ctx: typer.Context, case_id: int, by: By = None) -> None:
    """Ghi nhận đã có kết luận giải quyết khiếu nại: bắt đầu hạn gửi kết luận cho cơ quan báo chí."""
    _act(ctx, "conclude", case_id, by)


@cases_app.command("close")
def cases_close(ctx: typer.Context, case_id: int, by: By = None) -> None:
    """Đóng hồ sơ đã phản hồi."""
    _act(ctx, "close", case_id, by)


@cases_app.command("dismiss")
def cases_dismiss(
    ctx: typer.Context,
    case_id: int,
    reason: Annotated[str, typer.Option(help="Lý do loại hồ sơ.")],
    by: By = None,
) -> None:
    """Loại hồ sơ (cần nêu lý do)."""
    _act(ctx, "dismiss", case_id, by, reason=reason)


@focal_app.command("import")
def focal_import(ctx: typer.Context, file: Annotated[Path, typer.Argument(metavar="TỆP")]) -> None:
    """Nhập đầu mối, người dùng từ tệp CSV hoặc YAML; báo lỗi từng dòng; tệp có lỗi thì không nhập dòng nào."""
    input_file(file, "TỆP")
    result = read_users(file)
    users = result.to_import()
    if result.errors:
        for error in result.errors:
            typer.echo(f"  – {error}", err=True)
        raise ConfigError(
            f"tệp {file} có {len(result.errors)} dòng lỗi: chưa nhập người dùng nào; sửa các dòng trên rồi nhập lại"
        )
    with open_database(settings_of(ctx)) as db, db.session() as session:
        for user in users:
            upsert_user(session, user)
    typer.echo(f"Đã nhập {len(users)} người dùng.")


@focal_app.command("list")
def focal_list(ctx: typer.Context, province: Annotated[str | None, typer.Option()] = None) -> None:
    """Liệt kê đầu mối theo tỉnh/thành."""
    with open_database(settings_of(ctx)) as db, db.session() as session:
        table = Table("tỉnh/thành", "họ tên", "e-mail", "vai trò", "trưởng")
        for user in list_users(session, province=province):
            table.add_row(
                province_vi(user.province), user.name, user.email, role_vi(user.role), "có" if user.is_head else ""
            )
    console.print(table)


def workflow_command(ctx: typer.Context) -> None:
    """Chạy một lượt quy trình: lập hồ sơ từ tin cần xử lý, nhắc hạn, báo cáo vượt cấp khi quá hạn."""
    settings = settings_of(ctx)
    rules, policy, calendar = load_policies(settings)
    alerts = signing_alert_settings(settings)
    with open_database(settings) as db:
        made = run_workflow(db, rules=rules, policy=policy, calendar=calendar, settings=alerts, now=_now)
        reminded = run_remind(db, calendar=calendar, settings=alerts, now=_now)
        escalated = run_escalate(db, settings=alerts, now=_now)
    typer.echo(
        f"Hồ sơ mới: {made.cases}, nâng mức ưu tiên: {made.raised}, nhắc hạn: {reminded.reminders} thư, "
        f"quá hạn báo cáo vượt cấp: {escalated.escalations}."
    )


def register(app: typer.Typer) -> None:
    app.add_typer(cases_app, name="cases")
    app.add_typer(focal_app, name="focal-points")
    app.command("workflow")(workflow_command)
