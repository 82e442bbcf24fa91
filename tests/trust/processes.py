"""Helpers for proofs that run the platform as real processes on their own database."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

MANAGE = str(Path(settings.BASE_DIR) / "manage.py")


def site_env(tmp_path: Path, database_url: str | None = None, **extra: str) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        ENTRAIDE_VAR_DIR=str(tmp_path),
        PYTHONPATH=str(settings.BASE_DIR),
        LOG_LEVEL="WARNING",
        **extra,
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def manage(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, MANAGE, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=check,
    )


def shell(env: dict[str, str], code: str, *, check: bool = True) -> subprocess.CompletedProcess:
    return manage(env, "shell", "-c", code, check=check)
