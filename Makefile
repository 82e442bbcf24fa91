# Entraide: `make run` sets everything up and serves the platform; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed

AXE := node_modules/axe-core/axe.min.js

# The demo territory: paris (La Poste's file, the default), montreal or namur. A deployment
# serves one territory, so each other one keeps its own data folder (var/<territory>/).
TERRITORY ?= paris
ifneq ($(TERRITORY),paris)
export ENTRAIDE_VAR_DIR ?= $(CURDIR)/var/$(TERRITORY)
endif

.PHONY: run setup lock db messages axe leaflet test test-fast lint format bench soak load clean

run: setup messages db leaflet
	@$(PY) manage.py ensure_admin
	$(PY) manage.py run_local

setup: $(INSTALLED)

# The exact versions come from requirements/lock.txt, so CI installs what was tested.
LOCK := requirements/lock.txt

$(INSTALLED): pyproject.toml $(LOCK)
	@command -v msgfmt >/dev/null || { echo "Please install gettext (e.g. apt-get install gettext) to compile translations."; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[dev]' -c $(LOCK)
	touch $(INSTALLED)

# Refresh the lock file: install pyproject.toml's ranges into a fresh virtualenv and
# record exactly what came in. Run after changing a dependency; commit the result.
LOCK_VENV := $(VENV)-lock

lock:
	rm -rf $(LOCK_VENV)
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/pip install --quiet --upgrade pip
	$(LOCK_VENV)/bin/pip install --quiet -e '.[dev]'
	{ echo "# Exact versions of every Python package, as installed from nothing by 'pip install -e .[dev]'."; \
	  echo "# 'make setup' installs with these as constraints; refresh with 'make lock'."; \
	  $(LOCK_VENV)/bin/pip freeze --exclude-editable; } > $(LOCK)
	rm -rf $(LOCK_VENV)

db: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo --territory $(TERRITORY)

messages: setup
	$(PY) manage.py compilemessages --ignore=.venv -v0

test: setup messages axe leaflet
	bash scripts/test.sh

# The quick loop while coding: the suite on SQLite only, in parallel, no lint nor PostgreSQL.
test-fast: setup messages
	env -u DATABASE_URL $(VENV)/bin/pytest -n auto --dist loadgroup -p no:cacheprovider

# Test-only: axe-core from the npm registry for the accessibility audit (tests/a11y/).
axe: $(AXE)

$(AXE): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $(AXE)

# Leaflet from npm, copied into the insight app's static files for the coordinators' map.
LEAFLET := entraide/insight/static/insight/leaflet/leaflet.js

leaflet: $(LEAFLET)

$(LEAFLET): package.json package-lock.json
	test -f node_modules/leaflet/dist/leaflet.js || npm ci --no-audit --no-fund
	mkdir -p $(@D)
	cp -R node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css \
	      node_modules/leaflet/dist/images $(@D)/

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: setup
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: setup
	$(PY) bench/matching.py

# Slow trust proofs (docs/trust.md): crash injection with real worker processes, then the
# 50 concurrent writers on a file SQLite and on PostgreSQL.
SOAK_PG_URL ?= postgres://postgres@127.0.0.1:5432/entraide_trust
soak: setup
	env -u DATABASE_URL $(VENV)/bin/pytest -m slow tests/trust
	env -u DATABASE_URL SQLITE_TEST_NAME=$(CURDIR)/var/soak.sqlite3 $(VENV)/bin/pytest tests/trust/test_concurrency.py
	rm -f var/soak.sqlite3*
	DATABASE_URL=$(SOAK_PG_URL) $(VENV)/bin/pytest tests/trust/test_concurrency.py

# Load test on PostgreSQL with several gunicorn processes (bench/load.py; figures in docs/trust.md).
load: setup
	$(PY) bench/load.py

clean:
	rm -rf $(VENV) var staticfiles
