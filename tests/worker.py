"""Run the background worker the way production does, inside a test."""

from django.core.management import call_command


def run_queued_tasks() -> None:
    """Run every queued task that is due with the real ``manage.py db_worker``, then
    return (tasks queued by those tasks and already due run too)."""
    call_command(
        "db_worker",
        "--batch",
        "--queue-name",
        "*",
        "--no-startup-delay",
        "--no-reload",
        verbosity=0,
    )
