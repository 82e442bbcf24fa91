"""Background tasks of matching: batch re-optimisation, proposal timeouts, and the
instant proposal queued when a request is created or reopened."""

from django_tasks import task

from entraide.needs.models import HelpRequest

from .services import (
    assignments_expire_stale,
    assignments_reconcile,
    match_propose_instant,
    match_run_batch,
)


@task(queue_name="matching")
def run_batch_matching() -> dict:
    return match_run_batch().__dict__


@task(queue_name="matching")
def expire_stale_proposals() -> int:
    """Also closes what an event handler left open (see ``assignments_reconcile``)."""
    return assignments_expire_stale() + assignments_reconcile()


@task(queue_name="matching")
def propose_for_request(help_request_id: int) -> int | None:
    help_request = HelpRequest.objects.filter(pk=help_request_id).first()
    if help_request is None:
        return None
    assignment = match_propose_instant(help_request=help_request)
    return assignment.pk if assignment else None
