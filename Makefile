# One entry point for people and CI. `make run` installs and starts the demo: the main job on the embedded
# SQLite default with a local news site, a local mailbox and the web app (`make run DEMO_ARGS="--corpus PATH"`);
# `make check` runs every check CI runs (format, lint, types, layers, tests); `make test-fast` the quick tests.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run install install-test check format lint types layers test test-fast readme

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'

DEMO_ARGS ?=

run: install
	$(BIN)/thads-monitor demo $(DEMO_ARGS)

check: install-test format lint types layers test

format:
	$(BIN)/ruff format --check .

lint:
	$(BIN)/ruff check .

types:
	$(BIN)/mypy

layers:
	$(BIN)/lint-imports

test:
	$(BIN)/pytest

# The inner loop: every test but those needing PostgreSQL, a browser, other processes or model training, and the
# slow ones, spread over the cores (pytest-xdist). `make check` still runs everything.
FAST_MARKERS := not slow and not postgres and not browser and not subprocess and not training
FAST_WORKERS ?= auto

# Installs the test tools again only when pyproject.toml changed: the inner loop skips pip.
$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# PYTHONDONTWRITEBYTECODE is unset for the run: with it, every worker compiles the project and re-rewrites the
# asserts of every test module on each run (half of the collection time); the caches go to ignored __pycache__/.
# --dist loadscope sends a module's tests to one worker: its module-scoped fixtures (the seeded databases and sites,
# the built reports) are built once, not once per worker (a quarter of the CPU time on two workers).
test-fast: $(VENV)/.test-installed
	env -u PYTHONDONTWRITEBYTECODE $(BIN)/pytest -m "$(FAST_MARKERS)" -n $(FAST_WORKERS) --dist loadscope

readme:
	$(BIN)/python -m thads_monitor.settings
