"""Periodic tasks are registered by their own apps at ready; the platform lists none."""

import inspect

from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from entraide.platform import schedule


def test_each_app_registers_its_periodic_tasks():
    periods = {p.task_path: p.every_seconds for p in schedule.PERIODIC}
    assert periods["entraide.platform.tasks.deliver_due_messages"] == 60
    assert periods["entraide.needs.tasks.expire_overdue_requests"] == 3600
    assert periods["entraide.matching.tasks.run_batch_matching"] == 300
    assert periods["entraide.care.tasks.escalate_unacknowledged"] == 60
    assert periods["entraide.directory.tasks.compose_weekly_bulletins"] == 3600
    assert periods["entraide.channels.tasks.delete_due_recordings"] == 900
    assert periods["entraide.people.tasks.locate_pending_places"] == 3600
    assert len(periods) == len(schedule.PERIODIC)  # none registered twice


def test_the_platform_names_no_task_of_an_upper_app():
    source = inspect.getsource(schedule)
    for app in ("needs", "people", "matching", "channels", "care", "directory", "insight"):
        assert f"entraide.{app}" not in source


def test_registering_again_replaces_the_period():
    before = list(schedule.PERIODIC)
    try:
        schedule.register("entraide.needs.tasks.expire_overdue_requests", every_seconds=60)
        paths = [p.task_path for p in schedule.PERIODIC]
        assert paths.count("entraide.needs.tasks.expire_overdue_requests") == 1
    finally:
        schedule.PERIODIC[:] = before


def test_run_scheduler_once_enqueues_every_registered_task(db):
    call_command("run_scheduler", "--once")
    queued = set(DBTaskResult.objects.values_list("task_path", flat=True))
    assert queued == {p.task_path for p in schedule.PERIODIC}
