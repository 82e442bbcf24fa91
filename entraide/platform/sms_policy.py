"""Which numbers the platform texts: the territory's countries, mobiles only.

SMS pumping fraud makes a platform text premium-rate, shared-cost or far-away numbers it
pays for. So an SMS goes only to a mobile (or fixed-or-mobile) number of a country listed
in ENTRAIDE_SMS_COUNTRIES (by default the territory's own: ``phones.phone_region``).
Forms that take a number for SMS check it with ``validate_sms_recipient``; the outbox
refuses any other number as a last line of defence (``sms_recipient_refused``).
"""

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .phones import phone_region

SMS_NUMBER_TYPES = frozenset(
    {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}
)


def sms_countries() -> frozenset[str]:
    configured = [code for code in getattr(settings, "ENTRAIDE_SMS_COUNTRIES", None) or [] if code]
    countries = configured or [phone_region()]
    return frozenset(code.strip().upper() for code in countries if code.strip())


def validate_sms_recipient(e164: str) -> None:
    """Raise ValidationError (code ``sms_country`` or ``sms_not_mobile``) for a number
    the platform must not text."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        raise ValidationError(
            _("This number cannot receive our SMS: give a mobile number."),
            code="sms_not_mobile",
        ) from None
    if phonenumbers.region_code_for_number(number) not in sms_countries():
        raise ValidationError(
            _("We can only send SMS to mobile numbers of this territory's country."),
            code="sms_country",
        )
    if phonenumbers.number_type(number) not in SMS_NUMBER_TYPES:
        raise ValidationError(
            _("This number cannot receive our SMS: give a mobile number."),
            code="sms_not_mobile",
        )


def sms_recipient_refused(e164: str) -> bool:
    """True for a number the platform must never text (an outbox suppressor)."""
    try:
        validate_sms_recipient(e164)
    except ValidationError:
        return True
    return False
