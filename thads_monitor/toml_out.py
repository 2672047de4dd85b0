"""A small TOML writer for `config show` (the standard library only reads TOML)."""

from __future__ import annotations

import json
from typing import Any


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)  # a JSON string is a valid TOML basic string


def dumps_toml(data: dict[str, Any], _prefix: str = "") -> str:
    """Scalars first, then one [section] per nested dict; None values are written as comments."""
    lines: list[str] = []
    tables: list[tuple[str, dict[str, Any]]] = []
    for key, value in data.items():
        if isinstance(value, dict):
            tables.append((f"{_prefix}{key}", value))
        elif value is None:
            lines.append(f"# {key} = (chưa đặt)")
        else:
            lines.append(f"{key} = {_value(value)}")
    out = "\n".join(lines) + ("\n" if lines else "")
    for name, table in tables:
        out += f"\n[{name}]\n" + dumps_toml(table, f"{name}.")
    return out
