"""Reads of territories and zones."""

import re

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from .models import Incident, IncidentStatus, Postcode, Territory, Zone

ACTIVE_INCIDENT_CACHE_KEY = "territory:active-incident"
ACTIVE_INCIDENT_SECONDS = 60
_NONE = "none"

_POSTCODE_SHAPE = re.compile(r"^\d{5}$")


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
    """Digits in, zone out.

    Raise ValidationError with code ``malformed_postcode`` (not five digits) or
    ``unknown_postcode`` (five digits, but not a postcode of this territory).
    """
    digits = re.sub(r"\s", "", postcode or "")
    if not _POSTCODE_SHAPE.match(digits):
        raise ValidationError(
            _("A postcode has five digits, for example 75011."), code="malformed_postcode"
        )
    territory = territory or territory_current()
    match = Postcode.objects.filter(territory=territory, code=digits).select_related("zone").first()
    if match is None:
        raise ValidationError(
            _("%(postcode)s is not a postcode of this territory."),
            code="unknown_postcode",
            params={"postcode": digits},
        )
    return match.zone


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


def incident_active() -> Incident | None:
    """The incident the deployment's territory is under now, if any.

    Read on every public page (the banner) and every call (the hotline's greeting), so
    it is cached: one query at most per minute and process, and the crisis page's
    services forget it as soon as an incident starts or ends.
    """
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
    """Drop the cached active incident (after one starts or ends)."""
    cache.delete(ACTIVE_INCIDENT_CACHE_KEY)
