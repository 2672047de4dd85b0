"""The command line speaks Vietnamese everywhere (Issue 13 item 18): the framework's help and errors for every
command, the `jobs` summaries, the `cases show` history with labels, not codes."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from pathlib import Path

import pytest
import typer

from alerts import cases as workflow
from storage.cases import get_user, list_cases
from storage.engine import Database
from storage.migrate import upgrade
from storage.settings import StorageSettings
from tests.alerts.seed import T0, seed
from tests.alerts.seed import workflow as run_workflow
from tests.thads_monitor.test_cli import EXE
from thads_monitor import cli_text
from thads_monitor.cli import app
from thads_monitor.cli_text import ARGUMENT_METAVARS, localize

# What the framework writes in English when left alone (Typer's help panels, Click's usage and errors, the type
# names of the help), and codes that users should see as labels.
ENGLISH = re.compile(
    r"Usage|Options|Arguments|Commands|Show this message|\[default|\[required|required\]|Missing|Invalid value"
    r"|No such|Error|Try '|for help|Got unexpected|extra argument|Aborted|env var|Did you mean|Possible options"
    r"|is not one of|does not exist|valid integer|Input should|<int>|<str>|<bool>|<float>|<file>|<path>|<dir>"
    r"|list\[|COMMAND|\[OPTIONS\]|\[ARGS\]"
)


def _leaves() -> list[tuple[str, ...]]:
    root = localize(app)
    found: list[tuple[str, ...]] = []

    def walk(command: object, path: tuple[str, ...]) -> None:
        subcommands = getattr(command, "commands", None)
        if subcommands:
            found.append(path)  # a group has its own help too
            for name, sub in subcommands.items():
                walk(sub, (*path, name))
        else:
            found.append(path)

    walk(root, ())
    return found


COMMANDS = _leaves()


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("THADS_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    monkeypatch.setenv("COLUMNS", "100")


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = cli_text.run(app, args)
    out = capsys.readouterr()
    return status, out.out, out.err


def test_there_are_commands_to_check() -> None:
    assert len(COMMANDS) > 30
    assert ("cases", "show") in COMMANDS


@pytest.mark.usefixtures("cli")
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "thads-monitor")
def test_help_of_every_command_is_vietnamese(command: tuple[str, ...], capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = _run([*command, "--help"], capsys)
    assert status == 0, err
    assert "Cách dùng: thads-monitor" in out
    assert "Hiện hướng dẫn này rồi thoát." in out
    assert ENGLISH.findall(out) == [], out


def test_every_argument_has_a_vietnamese_name() -> None:
    root = localize(app)
    stack: list[typer.core.TyperCommand | typer.core.TyperGroup] = [root]  # type: ignore[list-item]
    arguments = set()
    while stack:
        command = stack.pop()
        stack.extend(getattr(command, "commands", {}).values())
        arguments |= {p.name for p in command.params if isinstance(p, typer.core.TyperArgument)}
    assert arguments <= set(ARGUMENT_METAVARS), arguments - set(ARGUMENT_METAVARS)


@pytest.mark.usefixtures("cli")
@pytest.mark.parametrize("command", [c for c in COMMANDS if c and c[0] not in ("db", "config")], ids=" ".join)
def test_an_unknown_option_is_one_vietnamese_line(command: tuple[str, ...], capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = _run([*command, "--khong-co"], capsys)
    assert status == 2
    assert out == ""
    assert err.startswith("Lỗi: không có tùy chọn --khong-co"), err
    assert err.strip().endswith(f"(xem: thads-monitor {' '.join(command)} -h)"), err
    assert len(err.strip().splitlines()) == 1, err
    assert ENGLISH.findall(err) == [], err


@pytest.mark.usefixtures("cli")
@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["cases", "show"], "Lỗi: thiếu tham số 'MÃ_HỒ_SƠ' (xem: thads-monitor cases show -h)"),
        (
            ["cases", "show", "abc"],
            "Lỗi: giá trị không hợp lệ cho 'MÃ_HỒ_SƠ': cần một số nguyên (xem: thads-monitor cases show -h)",
        ),
        (["cases", "show", "1", "2"], "Lỗi: thừa tham số: 2 (xem: thads-monitor cases show -h)"),
        (
            ["worker", "ai-do"],
            "Lỗi: giá trị không hợp lệ cho 'CÔNG_ĐOẠN': 'ai-do' không phải là một trong 'enrich', 'workflow', "
            "'outbox' (xem: thads-monitor worker -h)",
        ),
        (["classify", "--input", "a.jsonl"], "Lỗi: thiếu tùy chọn '--output' (xem: thads-monitor classify -h)"),
        (
            ["demo", "--port", "0"],
            "Lỗi: giá trị không hợp lệ cho '--port': phải từ 1 trở lên (xem: thads-monitor demo -h)",
        ),
        (
            ["cases", "list", "--province"],
            "Lỗi: tùy chọn --province cần một giá trị",
        ),
        (["jobz"], "Lỗi: không có lệnh 'jobz' (có phải: 'jobs'?) (xem: thads-monitor -h)"),
        (["focal-points"], None),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) else "",
)
def test_bad_invocations_are_one_vietnamese_line(
    args: list[str], expected: str | None, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = _run(args, capsys)
    assert status == 2
    assert ENGLISH.findall(out + err) == [], out + err
    if expected is None:  # a group without its command: its help, in Vietnamese
        assert "Cách dùng: thads-monitor focal-points [TÙY_CHỌN] LỆNH [THAM_SỐ]..." in out + err
    else:
        assert err.strip() == expected


@pytest.mark.subprocess
def test_the_installed_command_speaks_vietnamese_for_a_bad_invocation(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("THADS_")}
    env["HOME"] = str(tmp_path)
    done = subprocess.run([EXE, "cases", "show", "abc"], env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert done.stderr.startswith("Lỗi: giá trị không hợp lệ cho 'MÃ_HỒ_SƠ'")
    assert "Traceback" not in done.stderr


@pytest.mark.subprocess
def test_jobs_summaries_and_case_history_use_labels_not_codes(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'thads.db'}"
    database = Database.from_settings(StorageSettings(database_url=url, data_dir=tmp_path))
    upgrade(database.engine)
    seed(database)
    run_workflow(database, T0)
    with database.session() as session:
        case = next(c for c in list_cases(session) if c.priority == "P2" and c.province == "Cần Thơ")
        office = get_user(session, "daumoi.cantho@thads.vn")
        assert office is not None
        workflow.acknowledge(session, case.id, actor=office.email, at=T0 + dt.timedelta(hours=1))
        workflow.respond(
            session,
            case.id,
            kind="thong_tin_ban_dau",
            text="Cục THADS thành phố Cần Thơ đã nắm thông tin và đang kiểm tra.",
            actor=office.email,
            at=T0 + dt.timedelta(hours=2),
            attachments=(),
        )
    database.dispose()
    env = {k: v for k, v in os.environ.items() if not k.startswith("THADS_")}
    env.update(HOME=str(tmp_path), THADS_STORAGE__DATABASE_URL=url, THADS_MAIL__HOST="127.0.0.1")
    shown = subprocess.run(
        [EXE, "cases", "show", str(case.id)], env=env, capture_output=True, text=True, check=False, timeout=120
    )
    assert shown.returncode == 0, shown.stderr
    history = shown.stdout
    for code in ("thong_tin_ban_dau", "toan_quoc", "acknowledge", "assigned", "acknowledged", "assign ", "P2]"):
        assert code not in history, history
    assert "– Cần Thơ" in history
    assert "[Cần trả lời (P2)]" in history
    assert "Phản hồi – Thông tin ban đầu (daumoi.cantho@thads.vn" in history
    assert "daumoi.cantho@thads.vn: Đầu mối xác nhận đã nhận (đã giao → đã xác nhận)" in history
    assert ": Ghi nhận phản hồi (đã xác nhận → đã phản hồi)" in history
    listed = subprocess.run(
        [EXE, "focal-points", "list"], env={**env, "COLUMNS": "200"}, capture_output=True, text=True, check=False
    )
    assert "Toàn quốc" in listed.stdout
    assert "Đầu mối" in listed.stdout
    assert "toan_quoc" not in listed.stdout
    assert "dau_moi" not in listed.stdout
    worker = subprocess.run(
        [EXE, "worker", "outbox", "--once"], env=env, capture_output=True, text=True, check=False, timeout=120
    )
    assert worker.returncode == 0, worker.stderr
    jobs = subprocess.run([EXE, "jobs"], env={**env, "COLUMNS": "200"}, capture_output=True, text=True, check=False)
    assert jobs.returncode == 0, jobs.stderr
    assert "thư đã gửi" in jobs.stdout, jobs.stdout
    assert not re.search(r"\bsent\b|to retry|deferred|failed", jobs.stdout), jobs.stdout
