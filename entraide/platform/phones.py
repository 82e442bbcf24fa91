"""Phone numbers: parsed and stored in E.164 with Google's ``phonenumbers``."""

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def normalize_phone(raw: str, region: str | None = None) -> str:
    """Return ``raw`` as an E.164 string ("+33612345678").

    Raise ValidationError(code="invalid_phone") when it is not a valid number.
    """
    region = region or settings.ENTRAIDE_DEFAULT_PHONE_REGION
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
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def is_mobile(e164: str) -> bool:
    """True when the number can receive SMS (mobile, or fixed-or-mobile)."""
    number = phonenumbers.parse(e164, None)
    return phonenumbers.number_type(number) in {
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    }


def format_for_display(phone: str) -> str:
    """A number as people dial it: national format at home ("01 43 55 66 77"),
    international abroad; a text that is no number (a setting typed by hand) unchanged."""
    region = settings.ENTRAIDE_DEFAULT_PHONE_REGION
    try:
        number = phonenumbers.parse(phone, region)
    except phonenumbers.NumberParseException:
        return phone
    formats = phonenumbers.PhoneNumberFormat
    home = phonenumbers.region_code_for_number(number) == region
    return phonenumbers.format_number(number, formats.NATIONAL if home else formats.INTERNATIONAL)


def public_hotline_number() -> str:
    """The number residents call and text (home page, posters); "" when none is set."""
    return settings.ENTRAIDE_HOTLINE_NUMBER or settings.ENTRAIDE_OPERATOR_NUMBER
