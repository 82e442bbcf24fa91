"""Backup and restore, on both databases, as docs/backup-restore.md describes them.

A backup is taken while the platform runs (SQLite: the online backup API; PostgreSQL:
``pg_dump``). Then a person asks to be forgotten, and later the backup is restored: the
person's data comes back with it. Loading the erasure records kept apart from the backup
and running ``manage.py personal_data reapply-erasures`` forgets them again, and nobody
else's data is touched.
"""

import json
import shutil
import sqlite3
import subprocess
from urllib.parse import urlparse

import psycopg
import pytest
from django.db import connection

from .processes import manage, shell, site_env

ERASED, KEPT = "+33645000001", "+33645000002"

CREATE = (
    "import datetime as dt\n"
    "from django.utils import timezone\n"
    "from entraide.needs import services\n"
    "from entraide.territory.services import zones_import_laposte\n"
    "from django.conf import settings\n"
    "t = zones_import_laposte(path=settings.ENTRAIDE_POSTCODE_FILE, territory_name='Paris',"
    " territory_slug='paris', communes=['PARIS']).territory\n"
    f"for name, phone in (('Mireille', '{ERASED}'), ('Odile', '{KEPT}')):\n"
    "    services.help_request_create(zone=t.zones.get(code='75011'), data=services.RequestInput("
    "category='groceries', description='Des courses.', urgency=2,"
    " window_start=timezone.localdate(), window_end=timezone.localdate() + dt.timedelta(days=2),"
    " contact=services.ContactInput(first_name=name, phone=phone)))\n"
)

PHONES = (
    "from entraide.needs.models import RequestContact\n"
    "import json\n"
    "print(json.dumps(sorted(RequestContact.objects.exclude(phone='')"
    ".values_list('phone', flat=True))))"
)


def phones(env) -> list[str]:
    return json.loads(shell(env, PHONES).stdout.strip().splitlines()[-1])


def forget_then_keep_erasures_apart(env, tmp_path) -> str:
    manage(env, "personal_data", "erase", "--phone", ERASED, "--purpose", "asked by phone")
    assert phones(env) == [KEPT]
    erasures = str(tmp_path / "erasures.json")
    manage(env, "dumpdata", "platform.ErasureRecord", "--output", erasures)
    return erasures


def reapply_and_check(env, erasures: str) -> None:
    assert sorted(phones(env)) == sorted([ERASED, KEPT]), "the restore brought the data back"
    manage(env, "loaddata", erasures)
    result = manage(env, "personal_data", "reapply-erasures")
    assert "1 erasures re-applied" in result.stdout
    assert phones(env) == [KEPT]


def test_sqlite_online_backup_restore_and_erasures_reapplied(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite procedure runs with the SQLite half of the suite")
    env = site_env(tmp_path)
    manage(env, "migrate", "--noinput", "-v0")
    shell(env, CREATE)
    live, backup = tmp_path / "entraide.sqlite3", tmp_path / "backup.sqlite3"

    with sqlite3.connect(live) as source, sqlite3.connect(backup) as target:
        source.backup(target)
    with sqlite3.connect(backup) as check:
        assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)

    erasures = forget_then_keep_erasures_apart(env, tmp_path)
    with sqlite3.connect(backup) as source, sqlite3.connect(live) as target:
        source.backup(target)
    reapply_and_check(env, erasures)


def _server(url: str):
    parts = urlparse(url)
    return psycopg.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username,
        password=parts.password,
        dbname="postgres",
        autocommit=True,
        connect_timeout=3,
    )


def test_postgresql_pg_dump_restore_and_erasures_reapplied(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL procedure runs with the PostgreSQL half of the suite")
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("pg_dump/pg_restore are not installed")
    settings_dict = connection.settings_dict
    base = (
        f"postgres://{settings_dict['USER']}:{settings_dict['PASSWORD'] or ''}"
        f"@{settings_dict['HOST'] or '127.0.0.1'}:{settings_dict['PORT'] or 5432}"
    )
    live_db, restored_db = f"{settings_dict['NAME']}_live", f"{settings_dict['NAME']}_restored"
    with _server(base + "/postgres") as server:
        for name in (live_db, restored_db):
            server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            server.execute(f'CREATE DATABASE "{name}"')
    try:
        env = site_env(tmp_path, f"{base}/{live_db}")
        manage(env, "migrate", "--noinput", "-v0")
        shell(env, CREATE)
        dump = tmp_path / "entraide.dump"
        subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", f"{base}/{live_db}"],
            check=True,
            timeout=300,
        )
        erasures = forget_then_keep_erasures_apart(env, tmp_path)
        subprocess.run(
            [
                "pg_restore",
                "--no-owner",
                "--exit-on-error",
                f"--dbname={base}/{restored_db}",
                str(dump),
            ],
            check=True,
            timeout=300,
        )
        reapply_and_check(site_env(tmp_path, f"{base}/{restored_db}"), erasures)
    finally:
        with _server(base + "/postgres") as server:
            for name in (live_db, restored_db):
                server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
