"""Background tasks of requests and offers."""

from django_tasks import task

from .services import help_requests_expire_overdue


@task()
def expire_overdue_requests() -> int:
    return help_requests_expire_overdue()
