"""Periodic work of missions (registered in apps.py): the reminders the day before and
the shifts that have ended. Both are safe to run twice."""

from django_tasks import task

from .services import reminders_send, shifts_complete


@task()
def send_shift_reminders() -> int:
    return reminders_send()


@task()
def complete_ended_shifts() -> int:
    return shifts_complete()
