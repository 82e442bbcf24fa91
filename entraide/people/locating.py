"""Placing volunteers' homes and organisations' places on the map (services of ``people``).

Both are stored at once at their zone's centre (or at a point given with them); a durable
task (``people.tasks``) then geocodes the address (``territory.geocoding``) and writes the
point — private: the home point is read only by matching and coordinators. A provider that
is down or slow is asked again later, a few times; meanwhile, and for good after the last
attempt, the place keeps the offline fallback and says how precise it is. Queued after
``VolunteerHomeChanged`` (``people.handlers``), after an organisation offer's address is
changed in the back office, and by the periodic :func:`places_locate_pending`.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from entraide.needs.locating import LocateOutcome
from entraide.territory.geocoding import GeocodeResult, Precision, locate, retry_delay
from entraide.territory.models import Zone

from .models import OrganisationOffer, Volunteer

logger = logging.getLogger(__name__)


def _outcome(result: GeocodeResult | None, unavailable: bool, attempt: int) -> LocateOutcome:
    final = not unavailable or attempt + 1 >= settings.ENTRAIDE_GEOCODER_ATTEMPTS
    return LocateOutcome(
        result.precision if result else "",
        final=final,
        retry_after=None if final else retry_delay(attempt),
    )


def volunteer_locate(*, volunteer_id: int, attempt: int = 0) -> LocateOutcome | None:
    """Place a volunteer's home address; None when there is none to place."""
    volunteer = Volunteer.objects.select_related("zone__territory").filter(pk=volunteer_id).first()
    if volunteer is None or not volunteer.home_address or volunteer.home_geocoded_at:
        return None
    address = volunteer.home_address
    located = locate(address, zone=volunteer.zone)
    outcome = _outcome(located.result, located.provider_unavailable, attempt)
    with transaction.atomic():
        locked = Volunteer.objects.select_for_update().select_related("zone").get(pk=volunteer_id)
        if locked.home_address != address or locked.home_geocoded_at:
            return None  # changed meanwhile: the task queued by the change places it
        lat, lon = _point(located.result, locked.zone)
        if lat is not None and lon is not None:
            locked.home_lat, locked.home_lon = lat, lon
        locked.home_precision = outcome.precision
        locked.home_geocoded_at = timezone.now() if outcome.final else None
        locked.save(update_fields=["home_lat", "home_lon", "home_precision", "home_geocoded_at"])
    return outcome


def organisation_offer_locate(*, offer_id: int, attempt: int = 0) -> LocateOutcome | None:
    """Place an organisation offer's address in the first of its zones that holds it."""
    offer = OrganisationOffer.objects.filter(pk=offer_id).first()
    if offer is None or not offer.address or offer.geocoded_at:
        return None
    zones = list(offer.zones.select_related("territory").order_by("code"))
    if not zones:
        return None
    address = offer.address
    located = locate(address, zone=zones[0])
    for zone in zones[1:]:
        if located.result is None or located.result.precision in (
            Precision.ZONE,
            Precision.POSTCODE,
        ):
            candidate = locate(address, zone=zone)
            if candidate.result and candidate.result.precision in (
                Precision.EXACT,
                Precision.STREET,
            ):
                located = candidate
    outcome = _outcome(located.result, located.provider_unavailable, attempt)
    with transaction.atomic():
        locked = OrganisationOffer.objects.select_for_update().get(pk=offer_id)
        if locked.address != address or locked.geocoded_at:
            return None
        if located.result is not None:
            locked.lat, locked.lon = located.result.lat, located.result.lon
        locked.location_precision = outcome.precision
        locked.geocoded_at = timezone.now() if outcome.final else None
        locked.save(update_fields=["lat", "lon", "location_precision", "geocoded_at"])
    return outcome


def organisation_offer_address_changed(*, offer: OrganisationOffer) -> None:
    """The back office changed an offer's address: place it again, after the commit."""
    OrganisationOffer.objects.filter(pk=offer.pk).update(geocoded_at=None, location_precision="")
    if offer.address:
        offer_id = offer.pk
        transaction.on_commit(lambda: enqueue_offer_locate(offer_id=offer_id))


def _point(result: GeocodeResult | None, zone: Zone) -> tuple[float | None, float | None]:
    if result is None:
        return zone.centroid_lat, zone.centroid_lon
    return result.lat, result.lon


def enqueue_volunteer_locate(*, volunteer_id: int) -> None:
    from .tasks import locate_volunteer

    locate_volunteer.enqueue(volunteer_id, 0)


def enqueue_offer_locate(*, offer_id: int) -> None:
    from .tasks import locate_organisation_offer

    locate_organisation_offer.enqueue(offer_id, 0)


def places_locate_pending(*, limit: int = 200) -> int:
    """Queue the places never placed (an offer typed in the back office, a task lost):
    addresses without a final placing, at most ``limit`` of each kind per run. A place
    whose provider is still down is waiting for its own retry and is queued again only
    once that retry is long overdue (no placing at all after a day)."""
    stale = timezone.now() - retry_delay(settings.ENTRAIDE_GEOCODER_ATTEMPTS) * 2
    volunteers = Volunteer.objects.filter(
        home_geocoded_at__isnull=True, created_at__lt=stale
    ).exclude(home_address="")
    offers = OrganisationOffer.objects.filter(geocoded_at__isnull=True).exclude(address="")
    queued = 0
    for volunteer_id in volunteers.values_list("pk", flat=True)[:limit]:
        enqueue_volunteer_locate(volunteer_id=volunteer_id)
        queued += 1
    for offer_id in offers.filter(created_at__lt=stale).values_list("pk", flat=True)[:limit]:
        enqueue_offer_locate(offer_id=offer_id)
        queued += 1
    return queued
