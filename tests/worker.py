"""Run the background worker the way production does, inside a test."""

from unittest import mock

from django.core.management import call_command


def run_queued_tasks() -> None:
    """Run every queued task that is due with the real ``manage.py db_worker``, then
    return (tasks queued by those tasks and already due run too).

    The worker drops "old" database connections between tasks; inside a test's
    transaction that would close the test's own connection (PostgreSQL), so that one
    housekeeping call is skipped — the tasks themselves run unchanged."""
    with mock.patch(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    ):
        call_command(
            "db_worker",
            "--batch",
            "--queue-name",
            "*",
            "--no-startup-delay",
            "--no-reload",
            verbosity=0,
        )
