"""The installed environment runs what the code imports: every runtime module of every package imports in a fresh
interpreter (the way the crawl child, the web workers and the scheduler's jobs import them), so a dependency that
is used but not declared fails here rather than in a user's first crawl. The crawl itself, through the installed
console script against the replay site, is tests/crawler/test_crawl.py::test_crawl_command_reports_in_vietnamese."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from importlib import import_module

import pytest

pytestmark = pytest.mark.subprocess  # fresh interpreters

PACKAGES = ("thads_monitor", "domain", "storage", "crawler", "nlp", "alerts", "dashboards")
# Alembic's environment script runs a migration when imported; it only makes sense inside `alembic`.
NOT_IMPORTABLE_ALONE = {"storage.migrations.env"}


def runtime_modules() -> list[str]:
    names: list[str] = []
    for package in PACKAGES:
        root = import_module(package)
        names.append(package)
        for info in pkgutil.walk_packages(root.__path__, prefix=f"{package}."):
            if info.name not in NOT_IMPORTABLE_ALONE:
                names.append(info.name)
    return sorted(names)


def test_every_runtime_module_imports_in_a_fresh_interpreter() -> None:
    modules = runtime_modules()
    assert "crawler.extract" in modules
    assert "crawler.process" in modules
    script = (
        "import importlib, sys, traceback\n"
        "failed = []\n"
        "for name in sys.argv[1:]:\n"
        "    try:\n"
        "        importlib.import_module(name)\n"
        "    except Exception:\n"
        "        failed.append(name + ': ' + traceback.format_exc().strip().splitlines()[-1])\n"
        "print('\\n'.join(failed))\n"
        "sys.exit(1 if failed else 0)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, *modules], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_text_cleaner_that_extraction_uses_is_installed() -> None:
    """trafilatura's jusText fallback imports lxml.html.clean, a separate distribution since lxml 5.2."""
    done = subprocess.run(
        [sys.executable, "-c", "import justext.core, lxml.html.clean"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
