"""Proof 9 — the deploy gate: production settings pass Django's deployment checks, and
every page behind a sign-in or a private link is sent with ``Cache-Control: no-store``.

Bandit and pip-audit run next to the suite in ``scripts/test.sh``.
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from .conftest import ROLES
from .test_access_matrix import (
    EVERYONE,
    EXPECTED,
    PRIVATE_TOKEN_APIS,
    client_for,
    is_denial,
    named_patterns,
    url_kwargs,
)

MANAGE = Path(settings.BASE_DIR) / "manage.py"


def production_env(tmp_path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        ENTRAIDE_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="entraide.example.fr",
        TWILIO_AUTH_TOKEN=secrets.token_hex(16),
        ENTRAIDE_VAR_DIR=str(tmp_path),
        STATIC_ROOT=str(tmp_path / "static"),
    )
    return env


def test_production_settings_pass_check_deploy_without_a_warning(tmp_path):
    result = subprocess.run(
        [sys.executable, str(MANAGE), "check", "--deploy", "--fail-level", "WARNING"],
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = production_env(tmp_path)
    del env["SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, str(MANAGE), "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_every_private_page_is_sent_with_no_store(world):
    """Coordinator, operator, partner, volunteer and private-link pages, as their owner."""
    routes = named_patterns()
    checked = []
    for name, (method, allowed) in sorted(EXPECTED.items()):
        if method != "GET" or not allowed or allowed == EVERYONE or name not in routes:
            continue
        role = next(role for role in ROLES if role in allowed)
        url = reverse(name, kwargs=url_kwargs(name, routes[name], role, world))
        headers = {}
        if name in PRIVATE_TOKEN_APIS:
            owned = world.offer if "offer" in name else world.request
            headers["X-Private-Token"] = owned.token
        response = client_for(role, world).get(url, headers=headers)
        assert response.status_code < 500 and not is_denial(response), (name, role, response)
        assert "no-store" in response.get("Cache-Control", ""), (name, url)
        checked.append(name)
    assert {"insight:dashboard", "channels:console", "needs:request_private"} <= set(checked)


def test_back_office_pages_are_sent_with_no_store(world):
    client = client_for("coordinator_a", world)
    for url in ("/admin/", reverse("admin:needs_helprequest_changelist")):
        response = client.get(url)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
