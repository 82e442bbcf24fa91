"""What may be shown in public: scrubbed free text and coarse locations.

Public pages, feeds and API responses never show a phone number, an e-mail address or a
street address. Residents write those into descriptions all the time ("call me at
06 12 34 56 78"), so every free text shown in public goes through :func:`scrub_public_text`.
The scrubber errs on the side of masking: a false positive hides a harmless number, a
false negative exposes a vulnerable person.
"""

import math
import re

import phonenumbers
from django.conf import settings
from django.utils.translation import gettext as _

# Any run of 6+ digits, possibly split by spaces, dots, dashes, slashes or brackets,
# optionally starting with + or 00: phone numbers in every national format we serve.
_DIGIT_RUN = re.compile(r"(?:\+|\b00)?\d(?:[\s.\-/()]{0,3}\d){5,}")
# Anything glued to an "@" is an e-mail (RFC 5322 local parts allow !#$%&'*+/=?^`{|}~).
_EMAIL = re.compile(r"[^\s@]*@[^\s@]+")
# Spelled-out forms: "odette at gmail dot com", "odette (at) gmail (dot) com".
_SPELLED_EMAIL = re.compile(
    r"[\w.+\-]+\s*(?:\(at\)|\[at\]|\{at\}|\s(?:at|arobase)\s)\s*[\w\-]+"
    r"(?:\s*(?:\.|\(dot\)|\[dot\]|\s(?:dot|point)\s)\s*[\w\-]+)+",
    re.IGNORECASE,
)
_STREET_WORDS = (
    r"rue|r\.|avenue|av\.?|bd|boulevard|blvd|place|pl\.|chemin|ch\.|all[ée]e|impasse|imp\.|"
    r"quai|cours|route|rte|square|passage|villa|cit[ée]|rond-point|sentier|faubourg|fbg|"
    r"esplanade|parvis|hameau|lotissement|r[ée]sidence|"
    r"street|st\.?|road|rd\.?|lane|drive|way|"
    r"calle|c/|avenida|avda\.?|plaza|paseo|carrer|c\.|passeig|pla[çc]a|travessera|"
    r"rua|travessa|largo|pra[çc]a|estrada"
)
# "12 rue des Lilas", "12bis, avenue Foch", "calle Mayor 5", "rua Augusta, 120".
_STREET_NUMBER_FIRST = re.compile(
    rf"\b\d{{1,4}}\s*(?:bis|ter|quater|[a-d])?\s*,?\s*(?:{_STREET_WORDS})\s+[^\s,.;:!?]+"
    rf"(?:\s+(?!et\b|and\b|y\b|i\b|e\b)[^\s,.;:!?]+){{0,4}}",
    re.IGNORECASE,
)
_STREET_NAME_FIRST = re.compile(
    rf"\b(?:{_STREET_WORDS})\s+(?:[^\s,.;:!?\d]+\s+){{0,4}}?[^\s,.;:!?\d]+\s*,?\s*\d{{1,4}}\b",
    re.IGNORECASE,
)

# English order: "221 Baker Street", "10 Downing St".
_STREET_TYPE_LAST = re.compile(
    r"\b\d{1,5}\s+(?:[^\s,.;:!?\d]+\s+){1,3}"
    r"(?:street|st|road|rd|avenue|ave|lane|ln|drive|dr|way|boulevard|blvd|court|ct|place|pl)\b",
    re.IGNORECASE,
)


def scrub_public_text(text: str, region: str | None = None) -> str:
    """Return ``text`` with phone numbers, e-mails and street addresses masked."""
    region = region or settings.ENTRAIDE_DEFAULT_PHONE_REGION
    masked_phone = _("[phone hidden]")
    masked_email = _("[e-mail hidden]")
    masked_address = _("[address hidden]")

    text = _EMAIL.sub(masked_email, text)
    text = _SPELLED_EMAIL.sub(masked_email, text)
    for match in reversed(list(phonenumbers.PhoneNumberMatcher(text, region))):
        text = text[: match.start] + masked_phone + text[match.end :]
    text = _DIGIT_RUN.sub(masked_phone, text)
    text = _STREET_NUMBER_FIRST.sub(masked_address, text)
    text = _STREET_NAME_FIRST.sub(masked_address, text)
    text = _STREET_TYPE_LAST.sub(masked_address, text)
    return text


_METERS_PER_DEGREE_LAT = 111_320.0


def snap_to_grid(lat: float, lon: float, meters: int | None = None) -> tuple[float, float]:
    """Snap a point to the centre of its cell in a grid of ``meters`` (at least 500 m).

    The longitude step is computed at the snapped latitude, so all points of one cell
    land on the same public point and the exact position cannot be told apart within it.
    """
    meters = max(500, meters or settings.ENTRAIDE_PUBLIC_GRID_METERS)
    lat_step = meters / _METERS_PER_DEGREE_LAT
    snapped_lat = (math.floor(lat / lat_step) + 0.5) * lat_step
    lon_step = meters / (_METERS_PER_DEGREE_LAT * max(math.cos(math.radians(snapped_lat)), 0.01))
    snapped_lon = (math.floor(lon / lon_step) + 0.5) * lon_step
    return round(snapped_lat, 5), round(snapped_lon, 5)
