"""Background tasks of the channels (run by ``manage.py db_worker``)."""

from django_tasks import task

from .recording_deletions import recording_deletions_run_due


@task()
def delete_due_recordings() -> int:
    """Delete at the provider the call recordings queued for deletion (retries included)."""
    return recording_deletions_run_due()
