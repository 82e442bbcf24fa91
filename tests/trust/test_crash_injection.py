"""Proof 5 — crash injection, with real processes on a file SQLite database.

1. A ``manage.py db_worker`` sends SMS through a fake provider that is slow to answer;
   it is SIGKILLed in the middle of a send, then restarted. Every message reaches the
   provider, each delivery key is delivered once to the handset (the provider dedupes
   by key, as the delivery key is meant for), and every outbox row ends up sent.
2. A web process dies right after committing a change that queued an SMS, before its
   delivery task could be enqueued. The row is there; the sweep delivers it.

Slow (about a minute): ``make soak`` runs it.
"""

import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from .fake_sms import received
from .processes import MANAGE, manage, shell, site_env

pytestmark = pytest.mark.slow

MESSAGES = 30


@pytest.fixture
def site(tmp_path):
    env = site_env(
        tmp_path,
        ENTRAIDE_SMS_SENDER="tests.trust.fake_sms.RecordingSmsSender",
        FAKE_SMS_LOG=str(tmp_path / "provider.log"),
    )
    manage(env, "migrate", "--noinput", "-v0")
    return tmp_path, env


def worker(env, delay: float) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            MANAGE,
            "db_worker",
            "--queue-name",
            "*",
            "--interval",
            "0.2",
            "--no-reload",
            "--no-startup-delay",
        ],
        env={**env, "FAKE_SMS_DELAY": str(delay)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def outbox(tmp_path) -> dict[str, str]:
    with sqlite3.connect(tmp_path / "entraide.sqlite3") as db:
        return dict(db.execute("SELECT delivery_key, status FROM platform_outboxmessage"))


def wait_for(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def sweep_now(env) -> None:
    """What run_scheduler does every minute, after the claim lease (5 min) has run out."""
    shell(
        env,
        "from django.utils import timezone;"
        "from entraide.platform.models import OutboxMessage;"
        "OutboxMessage.objects.filter(status='pending').update(next_attempt_at=timezone.now());"
        "from entraide.platform.tasks import deliver_due_messages;"
        "deliver_due_messages.enqueue()",
    )


def test_worker_killed_in_the_middle_of_sending_loses_and_duplicates_nothing(site):
    tmp_path, env = site
    log = env["FAKE_SMS_LOG"]
    shell(
        env,
        "from django.db import transaction\n"
        "from entraide.platform.outbox import outbox_enqueue\n"
        f"for i in range({MESSAGES}):\n"
        "    with transaction.atomic():\n"
        "        outbox_enqueue(channel='sms', recipient=f'+336100000{i:02d}',"
        " body=f'Message {i}', delivery_key=f'crash-{i}')\n",
    )
    keys = {f"crash-{i}" for i in range(MESSAGES)}
    assert set(outbox(tmp_path)) == keys

    first = worker(env, delay=1.0)
    try:
        assert wait_for(lambda: len(received(log)) >= 3, timeout=60)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            first.kill()
    killed_at = len(received(log))
    assert killed_at < MESSAGES, "the worker finished before it could be killed"
    assert any(status == "pending" for status in outbox(tmp_path).values())

    second = worker(env, delay=0)
    try:
        sweep_now(env)
        assert wait_for(lambda: set(outbox(tmp_path).values()) == {"sent"}, timeout=120)
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=20)

    accepted = received(log)
    assert set(accepted) == keys, "a message never reached the provider"
    assert len(set(accepted)) == MESSAGES, "the handset received a message twice"
    # At most the one message in flight at the kill was sent twice to the provider.
    assert len(accepted) - MESSAGES <= 1, accepted
    print(
        f"crash: killed after {killed_at} sends; {len(accepted)} provider calls for "
        f"{MESSAGES} messages; {MESSAGES} delivered once each"
    )


def test_web_process_dying_right_after_commit_loses_nothing(site):
    tmp_path, env = site
    log = env["FAKE_SMS_LOG"]
    died = shell(
        env,
        "import os, signal\n"
        "from django.db import transaction\n"
        "from entraide.platform.outbox import outbox_enqueue\n"
        "with transaction.atomic():\n"
        "    transaction.on_commit(lambda: os.kill(os.getpid(), signal.SIGKILL))\n"
        "    outbox_enqueue(channel='sms', recipient='+33612121212', body='Votre demande',"
        " delivery_key='after-commit')\n",
        check=False,
    )
    assert died.returncode == -signal.SIGKILL
    assert outbox(tmp_path) == {"after-commit": "pending"}
    with sqlite3.connect(tmp_path / "entraide.sqlite3") as db:
        tasks = db.execute("SELECT count(*) FROM django_tasks_database_dbtaskresult").fetchone()
    assert tasks == (0,), "the delivery task was enqueued: the process did not die in time"

    process = worker(env, delay=0)
    try:
        sweep_now(env)
        assert wait_for(lambda: outbox(tmp_path) == {"after-commit": "sent"}, timeout=60)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)
    assert received(log) == ["after-commit"]
