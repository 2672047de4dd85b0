"""The command-line framework's own words in Vietnamese: help panels, usage lines, type names, the help option,
and the messages of a bad invocation (unknown option, missing argument, invalid value).

Typer vendors its copy of Click with the English texts written in the code (no gettext catalog to install), so
they are replaced here through the framework's hooks: the help renderer's module constants, the help formatter,
each parameter's metavar and type label, and a translation of the usage errors from what they carry (the
parameter, the option name) rather than from their English text wherever the error says it. `localize` is applied
once to the command tree before it runs (thads_monitor.cli.main).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import typer
from typer import _click, rich_utils
from typer._click import decorators as click_decorators
from typer._click.exceptions import (
    BadParameter,
    ClickException,
    MissingParameter,
    NoArgsIsHelpError,
    NoSuchOption,
    UsageError,
)
from typer.core import TyperArgument, TyperGroup, TyperOption, _TyperParameter

HELP_OPTION_TEXT = "Hiện hướng dẫn này rồi thoát."
USAGE_PREFIX = "Cách dùng: "
OPTIONS_METAVAR = "[TÙY_CHỌN]"
SUBCOMMAND_METAVAR = "LỆNH [THAM_SỐ]..."

RICH_TEXT = {
    "DEPRECATED_STRING": "(không còn dùng) ",
    "DEFAULT_STRING": "[mặc định: {}]",
    "ENVVAR_STRING": "[biến môi trường: {}]",
    "REQUIRED_LONG_STRING": "[bắt buộc]",
    "ARGUMENTS_PANEL_TITLE": "Tham số",
    "OPTIONS_PANEL_TITLE": "Tùy chọn",
    "COMMANDS_PANEL_TITLE": "Lệnh",
    "ERRORS_PANEL_TITLE": "Lỗi",
    "ABORTED_TEXT": "Đã hủy.",
    "RICH_HELP": "Xem [blue]'{command_path} {help_option}'[/] để biết cách dùng.",
}

# Positional arguments, by their name in the code: what the usage line and the errors call them.
ARGUMENT_METAVARS = {
    "case_id": "MÃ_HỒ_SƠ",
    "email": "THƯ_ĐIỆN_TỬ",
    "target": "TỆP_HOẶC_URL",
    "stage": "CÔNG_ĐOẠN",
    "words": "TỪ_KHÓA",
    "ids": "MÃ_THƯ",
    "file": "TỆP",
    "version": "PHIÊN_BẢN",
    "code": "MÃ_CHỦ_ĐỀ",
}

# Type labels in the help (`<int>`), word by word.
TYPE_WORDS = {
    "int": "số",
    "float": "số",
    "str": "chữ",
    "text": "chữ",
    "bool": "có/không",
    "Path": "đường dẫn",
    "path": "đường dẫn",
    "file": "tệp",
    "dir": "thư mục",
    "datetime": "ngày giờ",
    "range": "khoảng",
}

# The detail of an invalid value (pydantic's words, or the vendored Click's), as patterns over its English text.
VALUE_DETAILS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r"Input should be a valid integer"), lambda m: "cần một số nguyên"),
    (re.compile(r"Input should be a valid number"), lambda m: "cần một số"),
    (re.compile(r"Input should be a valid boolean"), lambda m: "cần có hoặc không"),
    (re.compile(r"Input should be greater than or equal to (\S+)"), lambda m: f"phải từ {m[1]} trở lên"),
    (re.compile(r"Input should be greater than (\S+)"), lambda m: f"phải lớn hơn {m[1]}"),
    (re.compile(r"Input should be less than or equal to (\S+)"), lambda m: f"phải không quá {m[1]}"),
    (re.compile(r"Input should be less than (\S+)"), lambda m: f"phải nhỏ hơn {m[1]}"),
    (re.compile(r"'(.*)' is not (?:one of )?(.*?)\.?$"), lambda m: f"'{m[1]}' không phải là một trong {m[2]}"),
    (re.compile(r"(?:file|dir|directory|path) '(.*)' does not exist", re.I), lambda m: f"không có '{m[1]}'"),
    (re.compile(r"(?:file|dir|directory|path) '(.*)' is a file", re.I), lambda m: f"'{m[1]}' là tệp, cần thư mục"),
    (re.compile(r"(?:file|dir|directory|path) '(.*)' is a directory", re.I), lambda m: f"'{m[1]}' là thư mục"),
    (re.compile(r"(?:file|dir|directory|path) '(.*)' is not (\w+)", re.I), lambda m: f"không dùng được '{m[1]}'"),
)

# Usage errors that carry nothing but their English text.
USAGE_MESSAGES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (
        re.compile(r"No such command '(.*?)'\.?(?: Did you mean (.*)\?)?$"),
        lambda m: f"không có lệnh '{m[1]}'" + (f" (có phải: {m[2]}?)" if m[2] else ""),
    ),
    (re.compile(r"Got unexpected extra arguments? ?\(?s?\)? \((.*)\)$"), lambda m: f"thừa tham số: {m[1]}"),
    (re.compile(r"Option '(.*)' requires an argument\.?"), lambda m: f"tùy chọn {m[1]} cần một giá trị"),
    (re.compile(r"Option '(.*)' requires (\d+) arguments\.?"), lambda m: f"tùy chọn {m[1]} cần {m[2]} giá trị"),
    (re.compile(r"Option '(.*)' does not take a value\.?"), lambda m: f"tùy chọn {m[1]} không nhận giá trị"),
    (re.compile(r"Missing command\.?"), lambda m: "thiếu lệnh"),
)


def _value_detail(message: str) -> str | None:
    text = message.removeprefix("Value error, ").strip()
    for pattern, render in VALUE_DETAILS:
        found = pattern.search(text)
        if found:
            return render(found)
    return None


def _hint(exc: BadParameter) -> str:
    if exc.param_hint is not None:
        hints = [exc.param_hint] if isinstance(exc.param_hint, str) else list(exc.param_hint)
        return " / ".join(hints)
    return exc.param.get_error_hint() if exc.param is not None else ""


def usage_error(exc: UsageError) -> str:
    """The Vietnamese line for a bad invocation (without the `Lỗi: ` prefix)."""
    if isinstance(exc, MissingParameter):
        kind = "tham số" if isinstance(exc.param, TyperArgument) else "tùy chọn"
        return f"thiếu {kind} {_hint(exc)}".rstrip()
    if isinstance(exc, NoSuchOption):
        near = f" (gần giống: {', '.join(sorted(exc.possibilities))})" if exc.possibilities else ""
        return f"không có tùy chọn {exc.option_name}{near}"
    if isinstance(exc, BadParameter):
        detail = _value_detail(exc.message)
        hint = _hint(exc)
        if hint:
            return f"giá trị không hợp lệ cho {hint}" + (f": {detail}" if detail else "")
        return "giá trị không hợp lệ" + (f": {detail}" if detail else "")
    for pattern, render in USAGE_MESSAGES:
        found = pattern.search(exc.message)
        if found:
            return render(found)
    return "cách gọi lệnh không đúng"


def error_line(exc: ClickException) -> str:
    """One line for stderr: what is wrong, and where to read how the command is used."""
    message = usage_error(exc) if isinstance(exc, UsageError) else "không thực hiện được lệnh"
    ctx = exc.ctx if isinstance(exc, UsageError) else None
    where = f" (xem: {ctx.command_path} -h)" if ctx is not None else ""
    return f"Lỗi: {message}{where}"


def _type_label(label: str) -> str:
    inner = label[1:-1] if label.startswith("<") and label.endswith(">") else label
    listed = inner.startswith("list[") and inner.endswith("]")
    if listed:
        inner = inner[5:-1]
    if "|" not in inner:  # choices are values: kept as they are
        inner = " ".join(TYPE_WORDS.get(word, word) for word in inner.split())
    return f"<{inner}{'…' if listed else ''}>"


def _walk(command: _click.Command) -> Iterator[_click.Command]:
    yield command
    if isinstance(command, TyperGroup):
        for sub in command.commands.values():
            yield from _walk(sub)


_installed = False


def install() -> None:
    """The framework-wide texts (once per process): help panels, usage prefix, help option, type labels."""
    global _installed
    if _installed:
        return
    _installed = True
    for name, text in RICH_TEXT.items():
        setattr(rich_utils, name, text)

    original_help_option = click_decorators.help_option

    def help_option(param_decls: list[str]) -> Callable[[_click.Command], _click.Command]:
        add = original_help_option(param_decls)

        def apply(command: _click.Command) -> _click.Command:
            command = add(command)
            option = command.params[-1]
            if isinstance(option, TyperOption):
                option.help = HELP_OPTION_TEXT
            return command

        return apply

    click_decorators.help_option = help_option

    write_usage = _click.HelpFormatter.write_usage

    def write_usage_vi(self: _click.HelpFormatter, prog: str, args: str = "", prefix: str | None = None) -> None:
        write_usage(self, prog, args, USAGE_PREFIX if prefix is None else prefix)

    _click.HelpFormatter.write_usage = write_usage_vi  # type: ignore[method-assign]

    display_type = _TyperParameter.display_type

    def display_type_vi(self: _TyperParameter, ctx: _click.Context) -> str:
        return _type_label(display_type(self, ctx))

    _TyperParameter.display_type = display_type_vi  # type: ignore[method-assign]


def localize(app: typer.Typer) -> _click.Command:
    """The app's command tree, speaking Vietnamese (see the module's docstring)."""
    install()
    root = typer.main.get_command(app)
    for command in _walk(root):
        command.options_metavar = OPTIONS_METAVAR
        if isinstance(command, TyperGroup):
            command.subcommand_metavar = SUBCOMMAND_METAVAR
        for param in command.params:
            if isinstance(param, TyperArgument) and param.name in ARGUMENT_METAVARS:
                param.metavar = ARGUMENT_METAVARS[param.name]
    return root


def run(app: typer.Typer, args: list[str] | None = None) -> Any:
    """Run the app; a bad invocation is one Vietnamese line on stderr and exit status 2, as for every user error.
    Returns the exit status (0 when the command returned normally)."""
    command = localize(app)
    try:
        result = command.main(args=args, prog_name="thads-monitor", standalone_mode=False)
    except NoArgsIsHelpError as exc:  # `thads-monitor cases`: the group's help (rich has printed it already)
        if exc.format_message().strip():
            typer.echo(exc.format_message(), err=True)
        return 2
    except ClickException as exc:
        typer.echo(error_line(exc), err=True)
        return exc.exit_code
    except typer.Abort:
        typer.echo(RICH_TEXT["ABORTED_TEXT"], err=True)
        return 1
    return result if isinstance(result, int) else 0
