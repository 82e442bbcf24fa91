"""Background tasks of people: placing homes and organisations' places on the map."""

from django.utils import timezone
from django_tasks import task

from .locating import organisation_offer_locate, places_locate_pending, volunteer_locate


@task()
def locate_volunteer(volunteer_id: int, attempt: int = 0) -> str | None:
    outcome = volunteer_locate(volunteer_id=volunteer_id, attempt=attempt)
    if outcome is None:
        return None
    if outcome.retry_after is not None:
        locate_volunteer.using(run_after=timezone.now() + outcome.retry_after).enqueue(
            volunteer_id, attempt + 1
        )
    return outcome.precision


@task()
def locate_organisation_offer(offer_id: int, attempt: int = 0) -> str | None:
    outcome = organisation_offer_locate(offer_id=offer_id, attempt=attempt)
    if outcome is None:
        return None
    if outcome.retry_after is not None:
        locate_organisation_offer.using(run_after=timezone.now() + outcome.retry_after).enqueue(
            offer_id, attempt + 1
        )
    return outcome.precision


@task()
def locate_pending_places() -> int:
    return places_locate_pending()
