# Two commands: `make run` (set up and start with demo data) and `make test`.
# Needs only python3 and make, plus the Debian libraries listed in README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
VENV := .venv
PY := $(VENV)/bin/python
export DJANGO_SETTINGS_MODULE := carshare.settings

.PHONY: help setup run test lint typecheck pytest messages makemessages migrate seed clean bench

help:
	@echo "make run    set up, migrate, seed the demo data and start web + worker on http://127.0.0.1:8000"
	@echo "make test   set up and run ruff, mypy and the whole test suite"

.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet uv

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@

setup: $(VENV)/.synced messages

# Compiled translations are built, not committed (they are derived from the .po files).
messages: $(VENV)/.synced
	@DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv --ignore=.tools -v 0

# Each app keeps its own catalogue (<app>/locale); templates/ goes to locale/.
# `make makemessages APP=members` refreshes one app's catalogue only, from inside its folder.
# Celery's Django fix-up puts the working folder first on the import path, where the app's own
# notifications.py would hide the notifications app: that one is imported first (`-P`: not
# from the working folder).
MSG_IGNORE := --ignore=.venv --ignore=.tools --ignore=var --ignore=tests --ignore=bench --ignore=node_modules
makemessages: $(VENV)/.synced
ifdef APP
	cd $(APP) && DEBUG=1 PYTHONPATH=.. ../$(PY) -P -c "import notifications; from django.core.management import execute_from_command_line as run; run()" \
	  makemessages -l fr --no-obsolete $(MSG_IGNORE)
else
	DEBUG=1 $(PY) manage.py makemessages -l fr --no-obsolete $(MSG_IGNORE)
endif

migrate: setup
	DEBUG=1 $(PY) manage.py migrate --noinput -v 0

seed: migrate
	DEBUG=1 $(PY) manage.py seed_demo

run: seed
	@DEBUG=1 bin/run-dev

lint: $(VENV)/.synced
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(VENV)/.synced
	DEBUG=1 $(VENV)/bin/mypy .

pytest: setup
	DEBUG=1 $(VENV)/bin/pytest $(PYTEST_ARGS)

test: setup lint typecheck pytest

bench: setup
	bench/run_all.sh

clean:
	rm -rf $(VENV) .tools var/celery var/test_*.sqlite3 .mypy_cache .ruff_cache
