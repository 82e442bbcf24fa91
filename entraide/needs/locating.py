"""Placing a request on the map, after it is posted (services of ``needs``).

A request is stored at once with the point it was given (snapped to the public grid) or
its zone's centre, so posting never waits for a geocoder. After ``RequestCreated`` or
``RequestUpdated``, :mod:`entraide.needs.handlers` queues the durable task
``needs.tasks.locate_request``, which calls :func:`help_request_locate`: the address is
geocoded (``territory.geocoding``), the exact point written to the private
``RequestContact`` (where matching reads it) and the public point moved to the exact
point's cell of the ≥ 500 m grid. A provider that is down or slow is asked again later
(``territory.geocoding.retry_delay``); in the meantime, and for good after the last
attempt, the request keeps the offline fallback (the postcode's centre, else the zone's)
and says so in ``RequestContact.location_precision``.
"""

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from entraide.platform.privacy import snap_to_grid
from entraide.territory.geocoding import GeocodeResult, Precision, locate, retry_delay

from .models import HelpRequest, RequestContact
from .states import REQUEST_CLOSED

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LocateOutcome:
    precision: str  # a Precision, or "" when nothing could be placed
    final: bool  # False: the provider was unavailable, ask again after ``retry_after``
    retry_after: dt.timedelta | None = None


def help_request_locate(*, help_request_id: int, attempt: int = 0) -> LocateOutcome | None:
    """Place one request's address; None when there is nothing to place (no such request,
    closed, personal data removed, or a point already placed for good).

    The network is called outside any transaction; the result is written only if the
    address is still the one that was geocoded.
    """
    contact = (
        RequestContact.objects.select_related("help_request__zone__territory")
        .filter(help_request_id=help_request_id)
        .first()
    )
    if contact is None or _nothing_to_place(contact):
        return None
    help_request = contact.help_request
    if contact.lat is not None and contact.lon is not None and not contact.location_precision:
        # A point given with the request (a map, a phone's position) is kept as it is.
        _write(help_request_id, contact.address, None, Precision.EXACT, final=True)
        return LocateOutcome(Precision.EXACT, final=True)
    located = locate(contact.address, zone=help_request.zone)
    last = attempt + 1 >= settings.ENTRAIDE_GEOCODER_ATTEMPTS
    final = not located.provider_unavailable or last
    precision = located.result.precision if located.result else ""
    _write(help_request_id, contact.address, located.result, precision, final=final)
    if located.provider_unavailable:
        logger.warning(
            "Geocoder unavailable for request %s (attempt %s)", help_request.reference, attempt + 1
        )
    return LocateOutcome(
        precision, final=final, retry_after=None if final else retry_delay(attempt)
    )


def _nothing_to_place(contact: RequestContact) -> bool:
    help_request = contact.help_request
    return (
        help_request.status in REQUEST_CLOSED
        or help_request.personal_data_removed_at is not None
        or (contact.geocoded_at is not None and contact.lat is not None)
    )


@transaction.atomic
def _write(
    help_request_id: int,
    address: str,
    result: GeocodeResult | None,
    precision: str,
    *,
    final: bool,
) -> None:
    help_request = (
        HelpRequest.objects.select_for_update().select_related("zone").get(pk=help_request_id)
    )
    contact = RequestContact.objects.select_for_update().get(help_request_id=help_request_id)
    if contact.address != address or _nothing_to_place(contact):
        return  # changed while the geocoder was asked: the next task places the new one
    if result is not None and result.precision != Precision.ZONE:
        # The point itself is private; the public one is its cell's centre on the grid.
        contact.lat, contact.lon = result.lat, result.lon
    if contact.lat is not None and contact.lon is not None:
        help_request.public_lat, help_request.public_lon = snap_to_grid(contact.lat, contact.lon)
    else:
        help_request.public_lat = help_request.zone.centroid_lat
        help_request.public_lon = help_request.zone.centroid_lon
    contact.location_precision = precision
    if final:
        contact.geocoded_at = timezone.now()
    contact.save(update_fields=["lat", "lon", "location_precision", "geocoded_at"])
    help_request.save(update_fields=["public_lat", "public_lon"])
