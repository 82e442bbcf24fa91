"""Postcode formats per country: what a resident types, how it is written, what it means.

Each country has one format: its shape, an example, the French validation message that
names it, the form field's width and keyboard, how to find it inside a text message, and
the codes to look up in the territory's ``Postcode`` table. A Canadian postcode
(``H2X 1Y4``) leads to its zone through its forward sortation area (``H2X``, its first
three characters), the unit the zone tables hold; a French, Belgian or Spanish postcode
is looked up whole. A country without its own format gets a tolerant default.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class PostcodeFormat:
    country: str
    #: The whole normalised postcode (upper case, one space where the country writes one).
    shape: re.Pattern[str]
    #: A postcode inside free text (an SMS), case-insensitive, with its separators.
    search: re.Pattern[str]
    example: str
    #: "A postcode has five digits, for example 75011." — shown under a wrong postcode.
    message: Promise
    #: Shown under the form field.
    help_text: Promise
    #: Characters of the form field (its ``size`` and ``maxlength``).
    width: int
    #: True when a telephone keypad can type it (the phone menu asks for it as is).
    digits_only: bool
    #: Length of the prefix that leads to a zone when the full code is not in the table
    #: (Canada's forward sortation area); 0 for none.
    area_prefix: int = 0

    def normalize(self, raw: str) -> str:
        """The postcode as the country writes it, or ValidationError ``malformed_postcode``
        naming the expected format."""
        compact = re.sub(r"[\s\-.]", "", (raw or "").upper())
        value = _write(self.country, compact)
        if not self.shape.fullmatch(value):
            raise ValidationError(self.message, code="malformed_postcode")
        return value

    def lookup_codes(self, value: str) -> list[str]:
        """Codes to look up, most precise first: the postcode, then its area prefix."""
        codes = [value]
        if self.area_prefix and len(value) > self.area_prefix:
            codes.append(value[: self.area_prefix])
        return codes

    def find(self, text: str) -> tuple[str, tuple[int, int]] | None:
        """The first postcode written in ``text`` (normalised) and where it stands."""
        for match in self.search.finditer(text or ""):
            try:
                return self.normalize(match.group(0)), match.span()
            except ValidationError:
                continue
        return None


def _write(country: str, compact: str) -> str:
    """Compact characters → the country's written form (Canada: ``H2X1Y4`` → ``H2X 1Y4``)."""
    if country == "CA" and len(compact) == 6:
        return f"{compact[:3]} {compact[3:]}"
    return compact


FORMATS: dict[str, PostcodeFormat] = {
    "FR": PostcodeFormat(
        country="FR",
        shape=re.compile(r"\d{5}"),
        search=re.compile(r"(?<![\d\w])\d{5}(?![\d\w])"),
        example="75011",
        message=_("A postcode has five digits, for example 75011."),
        help_text=_("Five digits, for example 75011."),
        width=5,
        digits_only=True,
    ),
    "BE": PostcodeFormat(
        country="BE",
        shape=re.compile(r"[1-9]\d{3}"),
        search=re.compile(r"(?<![\d\w])[1-9]\d{3}(?![\d\w])"),
        example="5000",
        message=_("A Belgian postcode has four digits, for example 5000."),
        help_text=_("Four digits, for example 5000."),
        width=4,
        digits_only=True,
    ),
    "ES": PostcodeFormat(
        country="ES",
        # 01 to 52: the province, then three digits.
        shape=re.compile(r"(0[1-9]|[1-4]\d|5[0-2])\d{3}"),
        search=re.compile(r"(?<![\d\w])\d{5}(?![\d\w])"),
        example="08221",
        message=_(
            "A Spanish postcode has five digits and starts with the province "
            "(01 to 52), for example 08221."
        ),
        help_text=_("Five digits, for example 08221."),
        width=5,
        digits_only=True,
    ),
    "CA": PostcodeFormat(
        country="CA",
        # Letters D, F, I, O, Q, U never appear; W and Z never first.
        shape=re.compile(r"[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z]( \d[ABCEGHJ-NPRSTV-Z]\d)?"),
        # The full code, or the forward sortation area alone (H2X) as the posters print it.
        search=re.compile(
            r"(?<![A-Za-z\d])[A-Za-z]\d[A-Za-z](?:[ \-]?\d[A-Za-z]\d)?(?![A-Za-z\d])",
            re.IGNORECASE,
        ),
        example="H2X 1Y4",
        message=_(
            "A Canadian postcode is written letter, digit, letter, space, digit, letter, "
            "digit, for example H2X 1Y4."
        ),
        help_text=_("For example H2X 1Y4."),
        width=7,
        digits_only=False,
        area_prefix=3,
    ),
}

DEFAULT_FORMAT = PostcodeFormat(
    country="",
    shape=re.compile(r"[A-Z0-9]{3,10}"),
    search=re.compile(r"(?<![A-Za-z\d])\d[\dA-Za-z]{2,9}(?![A-Za-z\d])"),
    example="",
    message=_("A postcode has 3 to 10 letters or digits."),
    help_text=_("The postcode of your address."),
    width=10,
    digits_only=False,
)


def postcode_format(country: str | None) -> PostcodeFormat:
    """The format of a country's postcodes (ISO 3166 code, any case)."""
    return FORMATS.get((country or "").upper(), DEFAULT_FORMAT)
