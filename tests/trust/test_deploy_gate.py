"""Proof 9 — the deploy gate: production settings pass Django's deployment checks, and
every page behind a sign-in or a private link is sent with ``Cache-Control: no-store``.

Bandit and pip-audit run next to the suite in ``scripts/test.sh``.
"""

import os
import secrets
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from entraide.channels import services as channel_services
from entraide.platform.delivery import LoggingSmsSender, RecentSms, deliver
from entraide.platform.models import OutboxChannel, OutboxMessage

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
        TWILIO_ACCOUNT_SID="AC" + secrets.token_hex(16),
        TWILIO_FROM_NUMBER="+33700000000",
        ENTRAIDE_SMS_SENDER="entraide.platform.delivery.TwilioSmsSender",
        ENTRAIDE_HOTLINE_NUMBER="+33700000000",
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


def check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(MANAGE), "check", "--deploy"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_without_an_sms_sender_fails_check_deploy(tmp_path):
    """It used to "send" every SMS into a log, silently."""
    env = production_env(tmp_path)
    del env["ENTRAIDE_SMS_SENDER"]
    result = check_deploy(env)
    assert result.returncode != 0
    assert "ERRORS" in result.stderr
    assert "(entraide.E002) ENTRAIDE_SMS_SENDER is not set" in result.stderr


def test_production_with_the_logging_sender_fails_check_deploy(tmp_path):
    env = production_env(tmp_path)
    env["ENTRAIDE_SMS_SENDER"] = "entraide.platform.delivery.LoggingSmsSender"
    result = check_deploy(env)
    assert result.returncode != 0
    assert "entraide.E002" in result.stderr


def test_production_with_twilio_but_no_credentials_fails_check_deploy(tmp_path):
    env = production_env(tmp_path)
    del env["TWILIO_FROM_NUMBER"]
    result = check_deploy(env)
    assert result.returncode != 0
    assert "(entraide.E003) The Twilio SMS sender needs TWILIO_FROM_NUMBER" in result.stderr


@pytest.mark.parametrize(
    "key",
    [
        "local-only-insecure-key-never-use-in-production-0123",
        "django-insecure-" + secrets.token_urlsafe(48),
        "short-but-random-" + secrets.token_hex(8),
        "ab" * 40,
        "0123456789" * 6,
    ],
    ids=["published-default", "django-template", "short", "two-characters", "repeated"],
)
def test_production_refuses_a_weak_secret_key(tmp_path, key):
    env = production_env(tmp_path)
    env["SECRET_KEY"] = key
    result = check_deploy(env)
    assert result.returncode != 0
    assert "SECRET_KEY is too weak for production" in result.stderr
    assert "secrets.token_urlsafe(64)" in result.stderr


def test_hsts_preload_is_opt_in(tmp_path):
    script = (
        "from django.conf import settings as s; print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_PRELOAD)"
    )
    env = production_env(tmp_path)
    shell = [sys.executable, str(MANAGE), "shell", "--no-imports", "-c", script]
    default = subprocess.run(shell, env=env, capture_output=True, text=True, check=True)
    assert default.stdout.split() == ["31536000", "False"]
    env["SECURE_HSTS_PRELOAD"] = "true"
    opted_in = subprocess.run(shell, env=env, capture_output=True, text=True, check=True)
    assert opted_in.stdout.split() == ["31536000", "True"]
    assert check_deploy(env).returncode == 0


def test_the_sqlite_database_is_readable_by_its_owner_only(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    var = tmp_path / "var"
    env["ENTRAIDE_VAR_DIR"] = str(var)
    subprocess.run(
        [sys.executable, str(MANAGE), "migrate", "--noinput", "-v0"],
        env=env,
        capture_output=True,
        timeout=300,
        check=True,
    )
    files = sorted(var.glob("entraide.sqlite3*"))
    assert files, list(var.iterdir())
    assert stat.S_IMODE(var.stat().st_mode) == 0o700
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_the_logging_sms_sender_keeps_a_bounded_number_of_messages(db, monkeypatch):
    monkeypatch.setattr(LoggingSmsSender, "sent", RecentSms())
    for number in range(RecentSms.limit + 50):
        deliver(
            OutboxMessage(
                channel=OutboxChannel.SMS,
                recipient="+33612345678",
                body=f"Message {number}",
                delivery_key=f"key-{number}",
            )
        )
    assert len(LoggingSmsSender.sent) == RecentSms.limit
    assert LoggingSmsSender.sent[-1]["body"] == f"Message {RecentSms.limit + 49}"
    assert LoggingSmsSender.sent[0]["body"] == "Message 50"


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


def test_every_private_page_is_sent_with_no_store(world, monkeypatch):
    """Coordinator, operator, partner, volunteer and private-link pages, as their owner.

    The voice-message player fetches the recording from the provider: here a fake one
    (no network, no provider account in tests)."""
    monkeypatch.setattr(channel_services, "recording_download", lambda url: b"ID3 fake mp3")
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
