"""The installed environment runs what the code imports: every runtime module of every package imports in a fresh
interpreter (the way the crawl child, the web workers and the scheduler's jobs import them), so a dependency that
is used but not declared fails here rather than in a user's first crawl. The crawl itself, through the installed
console script against the replay site, is tests/crawler/test_crawl.py::test_crawl_command_reports_in_vietnamese."""

from __future__ import annotations

import json
import os
import pkgutil
import subprocess
import sys
from importlib import import_module
from pathlib import Path

import pytest

pytestmark = pytest.mark.subprocess  # fresh interpreters

PACKAGES = ("thads_monitor", "domain", "storage", "crawler", "nlp", "alerts", "dashboards")
# Alembic's environment script runs a migration when imported; it only makes sense inside `alembic`.
NOT_IMPORTABLE_ALONE = {"storage.migrations.env"}


# The optional extras of pyproject.toml: what each one brings, and the runtime modules that import it.
EXTRA_MODULES = {"train": ("sklearn",), "distributed": ("redis", "scrapy_redis")}
NEEDS_TRAIN = {
    "nlp.train",
    "nlp.metrics",
    "nlp.library_set",
    "nlp.retrain",
    "nlp.feedback",
    "nlp.validation",
    "nlp.comments_train",
    "nlp.stance_train",
}
# Run before the code under test in a fresh interpreter: the extras' modules are absent, as after `pip install .`
# (`make run`). A None in sys.modules makes `import` fail and importlib.util.find_spec answer None.
BLOCKED = sorted(m for modules in EXTRA_MODULES.values() for m in modules)
WITHOUT_EXTRAS = f"import sys\nfor name in {BLOCKED!r}:\n    sys.modules[name] = None\n"


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


def test_the_core_install_reads_articles_without_the_extras() -> None:
    """Without `[train]` and `[distributed]`, every runtime module but the training ones imports, the shipped
    models read a real article (plain arrays, no pickles), and a one-machine crawl sets up; the training modules
    are exactly those that need scikit-learn."""
    script = WITHOUT_EXTRAS + (
        "import importlib, json\n"
        "core, training = json.loads(sys.argv[1]), json.loads(sys.argv[2])\n"
        "for name in core:\n"
        "    importlib.import_module(name)\n"
        "refused = []\n"
        "for name in training:\n"
        "    try:\n"
        "        importlib.import_module(name)\n"
        "    except ModuleNotFoundError as exc:\n"
        "        refused.append((name, (exc.name or '').split('.')[0]))\n"
        "from nlp.classify import Classifier, Document\n"
        "sample = json.loads(open(sys.argv[3], encoding='utf-8').readline())\n"
        "result = Classifier.load().classify(Document(id='1', title=sample['title'], text=sample['text']))\n"
        "from crawler.distributed import Claims, scrapy_redis_settings\n"
        "from crawler.settings import CrawlerSettings\n"
        "claims = Claims.from_settings(CrawlerSettings())\n"
        "print(json.dumps({'refused': sorted(refused), 'relevant': result.relevant,\n"
        "                  'claimed': sorted(claims.take(['https://a.vn/1'])),\n"
        "                  'scheduler': scrapy_redis_settings(CrawlerSettings()).get('SCHEDULER')}))\n"
    )
    modules = runtime_modules()
    core = [m for m in modules if m not in NEEDS_TRAIN]
    samples = Path(import_module("nlp").__path__[0]) / "data" / "written-samples.jsonl"
    done = subprocess.run(
        [sys.executable, "-c", script, json.dumps(core), json.dumps(sorted(NEEDS_TRAIN)), str(samples)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["refused"] == [[name, "sklearn"] for name in sorted(NEEDS_TRAIN)]
    assert isinstance(out["relevant"], bool)
    assert out["claimed"] == ["https://a.vn/1"]
    assert out["scheduler"] is None


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (
            ["nlp", "train", "--corpus", "."],
            {},
            "Lỗi: huấn luyện mô hình cần gói scikit-learn chưa được cài; "
            "cài bằng: pip install 'thads-press-monitor[train]'",
        ),
        (
            ["config", "show"],
            {"THADS_CRAWLER__REDIS_URL": "redis://127.0.0.1:6379/0"},
            "thu thập trên nhiều máy cần gói redis và scrapy-redis chưa được cài; "
            "cài bằng: pip install 'thads-press-monitor[distributed]'",
        ),
    ],
)
def test_a_command_that_needs_a_missing_extra_says_which_in_one_line(
    args: list[str], env: dict[str, str], message: str, tmp_path: Path
) -> None:
    script = (
        WITHOUT_EXTRAS + "sys.argv = ['thads-monitor', *sys.argv[1:]]\nfrom thads_monitor.cli import main\nmain()\n"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("THADS_")}
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**clean, "XDG_CONFIG_HOME": str(tmp_path), "HOME": str(tmp_path), **env},
        cwd=tmp_path,
    )
    assert done.returncode == 2, done.stderr
    assert message in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1  # one line, no traceback
