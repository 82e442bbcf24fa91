#!/usr/bin/env bash
# The whole suite: lint, migrations check, then pytest on SQLite and on PostgreSQL.
# Fails when any test fails; in CI (CI=true), a missing PostgreSQL or Chromium is a failure too.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv
PG_URL=${ENTRAIDE_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/entraide}
# pytest-xdist: one worker per core; the browser tests share one worker, as do the thread
# tests (tests/conftest.py groups them). PYTEST_WORKERS=0 runs in a single process.
XDIST=(-n "${PYTEST_WORKERS:-auto}" --dist loadgroup)

echo "== ruff"
$VENV/bin/ruff check .
$VENV/bin/ruff format --check .

echo "== mypy: strict on the matching engine, checked on every services.py and selectors.py"
$VENV/bin/mypy

echo "== layers (import-linter contracts in pyproject.toml, docs/adr/0002-layers.md)"
$VENV/bin/lint-imports

echo "== migrations are up to date"
$VENV/bin/python manage.py makemigrations --check --dry-run

echo "== bandit (no high-severity finding in entraide/)"
$VENV/bin/bandit -c pyproject.toml -r entraide --severity-level high -q

echo "== pip-audit (known vulnerabilities in the installed environment)"
# Fails on a known vulnerability. When its vulnerability service cannot be reached (a
# network error, or most installed packages "could not be audited"), it says so and the
# suite goes on; the project itself is never on PyPI and is always skipped.
set +e
audit=$(timeout 300 $VENV/bin/pip-audit --local --progress-spinner off 2>&1)
audit_rc=$?
set -e
installed=$($VENV/bin/pip list --format=freeze 2>/dev/null | wc -l)
skipped=$(echo "$audit" | grep -c "could not be audited" || true)
if echo "$audit" | grep -q "known vulnerabilit.* in "; then
  echo "$audit" >&2
  exit 1
elif [ $audit_rc -ne 0 ] || [ $((skipped * 2)) -gt "$installed" ]; then
  echo "WARNING: pip-audit could not reach its vulnerability service ($skipped of $installed packages not audited); audit skipped." >&2
else
  echo "$audit" | head -n 1
fi

echo "== pytest on SQLite"
env -u DATABASE_URL $VENV/bin/pytest "${XDIST[@]}" "$@"

echo "== concurrency on a file SQLite (threads need a shared database file)"
SQLITE_FILE=$(mktemp -d)/entraide-concurrency.sqlite3
env -u DATABASE_URL SQLITE_TEST_NAME="$SQLITE_FILE" $VENV/bin/pytest tests/trust/test_concurrency.py \
  "tests/channels/test_sms.py::test_five_concurrent_retries_of_one_message_make_one_request_and_one_confirmation" \
  "tests/platform/test_login_throttle.py::test_parallel_wrong_codes_use_up_the_attempts_one_by_one"
rm -rf "$(dirname "$SQLITE_FILE")"

echo "== pytest on PostgreSQL ($PG_URL)"
if $VENV/bin/python - "$PG_URL" <<'PY'
import sys, psycopg
from urllib.parse import urlparse
u = urlparse(sys.argv[1])
try:
    psycopg.connect(host=u.hostname, port=u.port or 5432, user=u.username, dbname="postgres",
                    password=u.password, connect_timeout=3).close()
except Exception as exc:
    print(f"PostgreSQL is not answering: {exc}")
    sys.exit(1)
PY
then
  DATABASE_URL=$PG_URL $VENV/bin/pytest "${XDIST[@]}" "$@"
elif [ "${CI:-}" = "true" ]; then
  echo "CI requires PostgreSQL." >&2
  exit 1
else
  echo "WARNING: PostgreSQL is not answering; the PostgreSQL run was skipped (CI runs it)." >&2
fi
