"""Phone numbers: parsed and stored in E.164 with Google's ``phonenumbers``, read and
shown the way the territory's country writes them.

A number typed without its country code is read in the territory's region (its
``country_code``: ``06 12 34 56 78`` in France, ``514 555-0199`` in Québec, where the
region is CA and the code +1). ``ENTRAIDE_DEFAULT_PHONE_REGION`` overrides the region;
``ENTRAIDE_PHONE_REGIONS`` (e.g. ``CA,US``) lists the only countries whose numbers are
accepted — empty, any valid number is (a relative abroad may ask for a parent).
"""

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from entraide.territory.active import territory_country, territory_known


def phone_region() -> str:
    """The region a national number is read in: the setting, else the territory's."""
    return (settings.ENTRAIDE_DEFAULT_PHONE_REGION or territory_country()).upper()


def phone_regions_allowed() -> frozenset[str]:
    """Countries whose numbers are accepted; empty for any."""
    configured = getattr(settings, "ENTRAIDE_PHONE_REGIONS", None) or []
    return frozenset(code.strip().upper() for code in configured if code.strip())


def normalize_phone(raw: str, region: str | None = None) -> str:
    """Return ``raw`` as an E.164 string ("+33612345678", "+15145550199").

    Raise ValidationError(code="invalid_phone") when it is not a valid number, and
    (code="phone_country") when its country is not among ``ENTRAIDE_PHONE_REGIONS``.
    """
    region = region or phone_region()
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(
            _("“%(value)s” is not a valid phone number."),
            code="invalid_phone",
            params={"value": raw},
        ) from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("“%(value)s” is not a valid phone number."),
            code="invalid_phone",
            params={"value": raw},
        )
    allowed = phone_regions_allowed()
    if allowed and phonenumbers.region_code_for_number(number) not in allowed:
        raise ValidationError(
            _("We only take phone numbers of %(countries)s."),
            code="phone_country",
            params={"countries": ", ".join(_country_names(allowed))},
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _country_names(codes: frozenset[str]) -> list[str]:
    """Countries by their French names where known (+ the calling code), else the code."""
    names = []
    for code in sorted(codes):
        calling = phonenumbers.country_code_for_region(code)
        label = str(COUNTRY_NAMES.get(code, code))
        names.append(f"{label} (+{calling})" if calling else label)
    return names


COUNTRY_NAMES = {
    "FR": _("France"),
    "CA": _("Canada"),
    "US": _("United States"),
    "BE": _("Belgium"),
    "ES": _("Spain"),
    "CH": _("Switzerland"),
    "LU": _("Luxembourg"),
    "PT": _("Portugal"),
    "BR": _("Brazil"),
    "EC": _("Ecuador"),
}


def is_mobile(e164: str) -> bool:
    """True when the number can receive SMS (mobile, or fixed-or-mobile)."""
    number = phonenumbers.parse(e164, None)
    return phonenumbers.number_type(number) in {
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    }


def format_for_display(phone: str) -> str:
    """A number as people dial it: national format at home ("01 43 55 66 77"),
    international abroad ("+1 514-555-0199" is "(514) 555-0199" in Québec); a text that
    is no number (a setting typed by hand) unchanged."""
    region = phone_region()
    try:
        number = phonenumbers.parse(phone, region)
    except phonenumbers.NumberParseException:
        return phone
    formats = phonenumbers.PhoneNumberFormat
    home = phonenumbers.region_code_for_number(number) == region
    return phonenumbers.format_number(number, formats.NATIONAL if home else formats.INTERNATIONAL)


def public_hotline_number() -> str:
    """The number residents call and text (home page, posters); "" when none is set.

    The territory's own number first (a municipality hosted beside others has its own),
    then the deployment's."""
    territory = territory_known()
    own = getattr(territory, "hotline_number", "") if territory else ""
    return own or settings.ENTRAIDE_HOTLINE_NUMBER or settings.ENTRAIDE_OPERATOR_NUMBER
