# Entraide: `make run` sets everything up and serves the platform; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed

.PHONY: run setup db messages test test-sqlite test-postgres lint format bench clean

run: setup db messages
	@$(PY) manage.py ensure_admin
	$(PY) manage.py runserver 127.0.0.1:8000

setup: $(INSTALLED)

$(INSTALLED): pyproject.toml
	@command -v msgfmt >/dev/null || { echo "Please install gettext (e.g. apt-get install gettext) to compile translations."; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	touch $(INSTALLED)

db: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo

messages: setup
	$(PY) manage.py compilemessages --ignore=.venv -v0

test: setup messages
	bash scripts/test.sh

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: setup
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: setup
	$(PY) bench/matching.py

clean:
	rm -rf $(VENV) var staticfiles
