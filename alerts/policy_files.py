"""The policy files of alerts/policy/ (rules as data): the shipped file, or a user's copy given by path."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

from domain.yamlfile import FileError, parse_yaml

Model = TypeVar("Model", bound=BaseModel)


def load_policy(name: str, model: type[Model], path: Path | None = None) -> Model:
    """Read and check `alerts/policy/<name>` (or the file at `path`); a bad file raises FileError naming it, the line
    and the field."""
    if path is None:
        text = resources.files("alerts").joinpath(f"policy/{name}").read_text("utf-8")
        source = f"alerts/policy/{name}"
    else:
        text, source = path.read_text("utf-8"), str(path)
    return parse_yaml(text, source, model, FileError)
