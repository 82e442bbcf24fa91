"""Background tasks of requests and offers."""

from django_tasks import task

from .services import help_requests_expire_overdue


@task()
def expire_overdue_requests() -> int:
    return help_requests_expire_overdue()


@task()
def locate_request(help_request_id: int, attempt: int = 0) -> str | None:
    """Place the request's address; while the geocoder is unavailable, try again later
    (a few times, further apart each time), keeping the offline point meanwhile."""
    from django.utils import timezone

    from .locating import help_request_locate

    outcome = help_request_locate(help_request_id=help_request_id, attempt=attempt)
    if outcome is None:
        return None
    if outcome.retry_after is not None:
        locate_request.using(run_after=timezone.now() + outcome.retry_after).enqueue(
            help_request_id, attempt + 1
        )
    return outcome.precision
