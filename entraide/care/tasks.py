"""Periodic work of the programme (listed in entraide/platform/schedule.py)."""

from django_tasks import task

from .escalations import escalations_climb_overdue
from .services import courtesy_calls_schedule


@task()
def schedule_courtesy_calls() -> int:
    return courtesy_calls_schedule()


@task()
def escalate_unacknowledged() -> int:
    return escalations_climb_overdue()
