"""Periodic work: each app registers its recurring tasks at ``AppConfig.ready`` with
:func:`register`; ``manage.py run_scheduler`` enqueues them on time. The platform knows
none of the upper apps' tasks (docs/adr/0002-layers.md). Every periodic task must be safe
to run twice (the scheduler keeps its clock in memory, so a restart runs each task once
more)."""

from dataclasses import dataclass

from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Periodic:
    task_path: str
    every_seconds: int


PERIODIC: list[Periodic] = []


def register(task_path: str, *, every_seconds: int) -> None:
    """Enqueue the task at ``task_path`` every ``every_seconds``. Registering the same
    task again replaces its period (``ready`` may run more than once)."""
    PERIODIC[:] = [p for p in PERIODIC if p.task_path != task_path]
    PERIODIC.append(Periodic(task_path, every_seconds))


def enqueue(periodic: Periodic) -> None:
    import_string(periodic.task_path).enqueue()
