"""Reads of territories and zones."""

import re

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .models import Postcode, Territory, Zone

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
