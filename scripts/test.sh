#!/usr/bin/env bash
# The whole suite: lint, migrations check, then pytest on SQLite and on PostgreSQL.
# Fails when any test fails; in CI (CI=true), a missing PostgreSQL or Chromium is a failure too.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv
PG_URL=${ENTRAIDE_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/entraide}

echo "== ruff"
$VENV/bin/ruff check .
$VENV/bin/ruff format --check .

echo "== mypy (strict) on the matching engine"
$VENV/bin/mypy

echo "== migrations are up to date"
$VENV/bin/python manage.py makemigrations --check --dry-run

echo "== pytest on SQLite"
env -u DATABASE_URL $VENV/bin/pytest "$@"

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
  DATABASE_URL=$PG_URL $VENV/bin/pytest "$@"
elif [ "${CI:-}" = "true" ]; then
  echo "CI requires PostgreSQL." >&2
  exit 1
else
  echo "WARNING: PostgreSQL is not answering; the PostgreSQL run was skipped (CI runs it)." >&2
fi
