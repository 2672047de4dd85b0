"""The import-linter contract of DESIGN.md holds now and breaks when a layer is crossed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.subprocess  # lint-imports on copies of the tree

PACKAGES = ["thads_monitor", "dashboards", "alerts", "nlp", "crawler", "storage", "domain"]


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(root))
    return subprocess.run(
        [
            str(Path(sys.executable).parent / "lint-imports"),
            "--no-cache",
            "--config",
            str(root / "pyproject.toml"),
        ],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of the packages and the contract, to break on purpose."""
    for name in PACKAGES:
        shutil.copytree(REPO / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_contract_is_kept(tree: Path) -> None:
    done = lint_imports(tree)
    assert done.returncode == 0, done.stdout


@pytest.mark.parametrize(
    ("module", "imported"),
    [
        ("domain/records.py", "storage"),
        ("storage/tables.py", "crawler"),
        ("crawler/__init__.py", "nlp"),
        ("alerts/__init__.py", "dashboards"),
    ],
    ids=["domain-imports-storage", "storage-imports-crawler", "crawler-imports-nlp", "alerts-imports-dashboards"],
)
def test_contract_breaks_on_a_forbidden_import(tree: Path, module: str, imported: str) -> None:
    with (tree / module).open("a", encoding="utf-8") as f:
        f.write(f"\nimport {imported}  # forbidden\n")
    done = lint_imports(tree)
    assert done.returncode != 0
    assert "BROKEN" in done.stdout
