"""The webhook token in this repository signs only the simulator on a developer's
machine: anywhere else the platform refuses to start with it, and refuses webhooks
signed with it."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.checks import run_checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from entraide.channels.models import CallSession, InboundMessage
from entraide.channels.providers import LOCAL_WEBHOOK_TOKEN
from entraide.channels.simulator import WebhookRefused
from entraide.needs.models import HelpRequest

MANAGE = Path(settings.BASE_DIR) / "manage.py"


def test_the_tests_run_in_local_mode_with_the_local_token():
    assert os.environ.get("ENTRAIDE_ENV", "local") == "local"
    assert settings.TWILIO_AUTH_TOKEN == LOCAL_WEBHOOK_TOKEN
    assert "channels.E001" not in {message.id for message in run_checks()}


@pytest.mark.parametrize("command", [["check"], ["check", "--deploy"]])
def test_outside_local_mode_the_public_token_stops_every_command(monkeypatch, command):
    monkeypatch.setenv("ENTRAIDE_ENV", "staging")
    with pytest.raises(SystemCheckError) as refused:
        call_command(*command)
    assert "channels.E001" in str(refused.value)
    assert "TWILIO_AUTH_TOKEN is the public local simulator token" in str(refused.value)


def test_outside_local_mode_webhooks_signed_with_the_public_token_are_refused(
    monkeypatch, sms, phone_call
):
    monkeypatch.setenv("ENTRAIDE_ENV", "staging")
    with pytest.raises(WebhookRefused) as text:
        sms().send("AIDE 75011 COURSES")
    with pytest.raises(WebhookRefused) as call:
        phone_call().start()
    assert text.value.status == call.value.status == 403
    assert InboundMessage.objects.count() == 0
    assert CallSession.objects.count() == 0
    assert HelpRequest.objects.count() == 0


def production(tmp_path, **overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        ENTRAIDE_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="entraide.example.fr",
        ENTRAIDE_VAR_DIR=str(tmp_path),
        STATIC_ROOT=str(tmp_path / "static"),
        **overrides,
    )
    return env


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(MANAGE), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_refuses_to_start_with_the_public_token(tmp_path):
    result = manage(production(tmp_path, TWILIO_AUTH_TOKEN=LOCAL_WEBHOOK_TOKEN), "check")
    assert result.returncode != 0
    assert "channels.E001" in result.stderr
    assert "It is only accepted when ENTRAIDE_ENV=local." in result.stderr

    accepted = manage(production(tmp_path, TWILIO_AUTH_TOKEN=secrets.token_hex(16)), "check")
    assert "channels." not in accepted.stdout + accepted.stderr
