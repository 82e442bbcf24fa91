"""Background tasks of matching: batch re-optimisation and proposal timeouts."""

from django_tasks import task

from .services import assignments_expire_stale, match_run_batch


@task(queue_name="matching")
def run_batch_matching() -> dict:
    return match_run_batch().__dict__


@task(queue_name="matching")
def expire_stale_proposals() -> int:
    return assignments_expire_stale()
