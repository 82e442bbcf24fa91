"""Background work of the programme: periodic tasks (listed in
entraide/platform/schedule.py) and the screening of requests for distress."""

import datetime as dt
import logging

from django.utils import timezone
from django_tasks import task

from .detection import request_screen, requests_to_screen
from .escalations import escalations_climb_overdue
from .services import courtesy_calls_schedule

logger = logging.getLogger(__name__)

SCREEN_ATTEMPTS = 5
SWEEP_BATCH = 200


@task()
def schedule_courtesy_calls() -> int:
    return courtesy_calls_schedule()


@task()
def escalate_unacknowledged() -> int:
    return escalations_climb_overdue()


@task()
def screen_help_request(help_request_id: int, attempt: int = 1) -> int | None:
    """Read one request for distress; on failure, try again later (1, 4, 9, 16 minutes),
    then leave it to the sweep. Return the escalation's id, if any."""
    try:
        escalation = request_screen(help_request_id=help_request_id)
    except Exception:
        if attempt < SCREEN_ATTEMPTS:
            screen_help_request.using(
                run_after=timezone.now() + dt.timedelta(minutes=attempt**2)
            ).enqueue(help_request_id, attempt + 1)
        raise
    return escalation.pk if escalation else None


@task()
def screen_unscreened_requests() -> int:
    """The sweep: screen what the event's task could not (a lost task, a failure past its
    retries). Safe to run twice: a request raises one escalation at most."""
    screened = 0
    for help_request_id in (
        requests_to_screen().order_by("pk").values_list("pk", flat=True)[:SWEEP_BATCH]
    ):
        try:
            request_screen(help_request_id=help_request_id)
            screened += 1
        except Exception:
            logger.exception("Screening failed again for request #%s", help_request_id)
    return screened
