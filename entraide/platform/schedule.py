"""Periodic work: each app lists its recurring tasks here; ``manage.py run_scheduler``
enqueues them on time. Every periodic task must be safe to run twice (the scheduler keeps
its clock in memory, so a restart runs each task once more)."""

from dataclasses import dataclass

from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Periodic:
    task_path: str
    every_seconds: int


PERIODIC: list[Periodic] = [
    Periodic("entraide.platform.tasks.deliver_due_messages", 60),
    Periodic("entraide.platform.tasks.purge_expired_personal_data", 24 * 3600),
    Periodic("entraide.needs.tasks.expire_overdue_requests", 3600),
    Periodic("entraide.directory.tasks.publish_weekly_bulletins", 3600),
    Periodic("entraide.matching.tasks.expire_stale_proposals", 300),
    Periodic("entraide.matching.tasks.run_batch_matching", 300),
    Periodic("entraide.care.tasks.schedule_courtesy_calls", 3600),
    Periodic("entraide.care.tasks.escalate_unacknowledged", 60),
    Periodic("entraide.care.tasks.screen_unscreened_requests", 300),
    Periodic("entraide.channels.tasks.delete_due_recordings", 900),
]


def enqueue(periodic: Periodic) -> None:
    import_string(periodic.task_path).enqueue()
