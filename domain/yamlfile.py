"""Reading administrator-edited YAML files (sources, policies, rules) with errors that name file, line, field."""

from __future__ import annotations

from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

Model = TypeVar("Model", bound=BaseModel)


class FileError(Exception):
    """A bad file; the message is `file:line: what is wrong` in the users' language."""


def line_of(node: yaml.Node, loc: tuple[int | str, ...]) -> int:
    """The 1-based line of the YAML node at a pydantic error location (as deep as it exists)."""
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if k.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            match = node.value[part]
        else:
            match = None
        if match is None:
            break
        node = match
    line: int = node.start_mark.line
    return line + 1


def duplicate_key(text: str) -> tuple[str, int] | None:
    """The first key written twice in one mapping (YAML keeps the last silently) and its 1-based line, if any."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None  # parse_yaml says what is wrong
    nodes = [root] if root is not None else []
    while nodes:
        node = nodes.pop()
        if isinstance(node, yaml.MappingNode):
            seen: set[object] = set()
            for key, value in node.value:
                if key.value in seen:
                    return str(key.value), key.start_mark.line + 1
                seen.add(key.value)
                nodes.append(value)
        elif isinstance(node, yaml.SequenceNode):
            nodes.extend(node.value)
    return None


def parse_yaml(text: str, source: str, model: type[Model], error: type[Exception] = FileError) -> Model:
    """Parse and validate; raise `error` naming `source`, the line and the field of the first problem."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data: Any = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{source}:{mark.line + 1}" if mark else source
        raise error(f"{where}: YAML không hợp lệ: {getattr(exc, 'problem', exc)}") from exc
    if node is None:
        raise error(f"{source}: tệp rỗng")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        message = str(first["msg"]).removeprefix("Value error, ")
        raise error(f"{source}:{line_of(node, first['loc'])}: trường {field}: {message}") from exc
