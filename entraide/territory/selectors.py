"""Reads of territories and zones."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from .active import territory_activated, territory_active
from .models import Incident, IncidentStatus, Postcode, Territory, Zone
from .postcodes import postcode_format

logger = logging.getLogger(__name__)

ACTIVE_INCIDENT_CACHE_KEY = "territory:active-incident"
SERVED_CACHE_KEY = "territory:served"
ACTIVE_INCIDENT_SECONDS = 60
_NONE = "none"
_NOT_SERVED = object()
_BANNER = ("id", "name", "banner_text", "hotline_message", "starts_at")
# The incident read with the territory for this request (``territory_serving``).
_SERVED_INCIDENT: ContextVar = ContextVar("entraide_served_incident", default=_NOT_SERVED)


def territory_current() -> Territory | None:
    """The deployment's territory: one deployment serves one territory."""
    return Territory.objects.order_by("id").first()


def zone_list(*, territory: Territory | None = None) -> QuerySet[Zone]:
    territory = territory or territory_current()
    return Zone.objects.filter(territory=territory).prefetch_related("postcodes")


def zone_get(*, code: str, territory: Territory | None = None) -> Zone:
    """Raise Zone.DoesNotExist when the territory has no zone with this code."""
    territory = territory or territory_current()
    return Zone.objects.get(territory=territory, code=code)


def zone_for_postcode(*, postcode: str, territory: Territory | None = None) -> Zone:
    """A postcode in the territory's format in, zone out (``postcodes.py``).

    A Canadian postcode leads to its zone through its forward sortation area when the
    full code is not in the table. Raise ValidationError with code ``malformed_postcode``
    (not the country's format; the message names it) or ``unknown_postcode`` (well
    formed, but not a postcode of this territory).
    """
    territory = territory or territory_active()
    shape = postcode_format(territory.country_code if territory else "FR")
    value = shape.normalize(postcode)
    codes = shape.lookup_codes(value)
    matches = {
        match.code: match
        for match in Postcode.objects.filter(territory=territory, code__in=codes).select_related(
            "zone"
        )
    }
    found = next((matches[code] for code in codes if code in matches), None)
    if found is None:
        raise ValidationError(
            _("%(postcode)s is not a postcode of this territory."),
            code="unknown_postcode",
            params={"postcode": value},
        )
    return found.zone


def zone_numbers(*, territory: Territory | None = None) -> dict[int, int]:
    """Each zone's short number (zone id → 1, 2, 3…), printed on the posters and typed on
    the phone menu where postcodes have letters: the zones in the order they were made,
    so a zone added later takes the next number and the others keep theirs."""
    territory = territory or territory_active()
    ids = Zone.objects.filter(territory=territory).order_by("id").values_list("id", flat=True)
    return {zone_id: number for number, zone_id in enumerate(ids, start=1)}


def zone_by_number(*, number: int, territory: Territory | None = None) -> Zone | None:
    """The zone printed with ``number`` on the posters, if any."""
    territory = territory or territory_active()
    if number < 1:
        return None
    return Zone.objects.filter(territory=territory).order_by("id")[number - 1 : number].first()


def zone_resolve(*, zone_code: str = "", postcode: str = "") -> Zone:
    """The zone a resident chose, by its code or by their postcode.

    Raise ValidationError keyed by field (``zone`` or ``postcode``).
    """
    if zone_code:
        try:
            return zone_get(code=zone_code)
        except Zone.DoesNotExist:
            raise ValidationError(
                {"zone": ValidationError(_("Choose a zone from the list."), code="unknown_zone")}
            ) from None
    if postcode:
        try:
            return zone_for_postcode(postcode=postcode)
        except ValidationError as exc:
            raise ValidationError({"postcode": exc.error_list}) from None
    raise ValidationError(
        {"zone": ValidationError(_("Choose your zone or type your postcode."), code="required")}
    )


def territory_served() -> tuple[Territory | None, Incident | None]:
    """The deployment's territory and the incident it is under now, read together.

    Every page needs both (the territory's time zone, languages and formats; the crisis
    banner), so they are cached together for a minute: one cache read a request. The
    crisis services forget them as soon as an incident starts or ends; an edit of the
    territory itself shows within a minute.
    """
    cached = cache.get(SERVED_CACHE_KEY)
    if cached is not None:
        return cached
    # One statement for both: the territory, and its active incident's fields beside it.
    active = Incident.objects.filter(territory=OuterRef("pk"), status=IncidentStatus.ACTIVE)
    territory = (
        Territory.objects.order_by("id")
        .annotate(**{f"incident_{name}": Subquery(active.values(name)[:1]) for name in _BANNER})
        .first()
    )
    incident = None
    if territory is not None and getattr(territory, "incident_id", None) is not None:
        incident = Incident(
            territory_id=territory.pk,
            status=IncidentStatus.ACTIVE,
            **{name: getattr(territory, f"incident_{name}") for name in _BANNER},
        )
        incident._state.adding = False
        incident._state.db = territory._state.db
    cache.set(SERVED_CACHE_KEY, (territory, incident), ACTIVE_INCIDENT_SECONDS)
    return territory, incident


@contextmanager
def territory_serving() -> Iterator[Territory | None]:
    """Serve a block (a request: ``platform.middleware.TerritoryLocaleMiddleware``) for the
    deployment's territory: postcodes, phones and languages follow it, and the incident
    read with it answers ``incident_active`` without another read."""
    try:
        territory, incident = territory_served()
    except DatabaseError:
        # The database is gone for a moment: serve the block with the deployment's
        # defaults, so the view's own query meets it and the platform's 503 page
        # (``DatabaseUnavailableMiddleware``) answers, not a server error.
        logger.warning("Territory unavailable: the database did not answer")
        territory, incident = None, None
    token = _SERVED_INCIDENT.set(incident)
    try:
        with territory_activated(territory):
            yield territory
    finally:
        _SERVED_INCIDENT.reset(token)


def incident_active() -> Incident | None:
    """The incident the deployment's territory is under now, if any.

    Read on every public page (the banner) and every call (the hotline's greeting), so
    it is cached: one query at most per minute and process, and the crisis page's
    services forget it as soon as an incident starts or ends. Within a request it was
    read with the territory (``territory_serving``).
    """
    served = _SERVED_INCIDENT.get()
    if served is not _NOT_SERVED:
        return served
    cached = cache.get(ACTIVE_INCIDENT_CACHE_KEY)
    if cached is not None:
        return None if cached == _NONE else cached
    first_territory = Territory.objects.order_by("id").values("id")[:1]
    incident = (
        Incident.objects.filter(
            status=IncidentStatus.ACTIVE, territory_id=Subquery(first_territory)
        )
        .only("name", "banner_text", "hotline_message", "starts_at", "territory_id", "status")
        .first()
    )
    cache.set(ACTIVE_INCIDENT_CACHE_KEY, incident or _NONE, ACTIVE_INCIDENT_SECONDS)
    return incident


def incident_forget_cached() -> None:
    """Drop the cached active incident (after one starts or ends), and the territory read
    with it."""
    cache.delete_many([ACTIVE_INCIDENT_CACHE_KEY, SERVED_CACHE_KEY])
    _SERVED_INCIDENT.set(_NOT_SERVED)


def territory_forget_cached() -> None:
    """Drop the cached territory (after it is edited, or another one is made)."""
    incident_forget_cached()
