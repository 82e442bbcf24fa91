"""What may be shown in public: scrubbed free text and coarse locations.

Public pages, feeds and API responses never show a phone number, an e-mail address, a
street address or the author's first name. Residents write those into descriptions all
the time ("call me at 06 12 34 56 78"), and some disguise them ("o6 12 34 56 78",
"odette (a) gmail point com", "zéro six douze…"), so every free text shown in public
goes through :func:`scrub_public_text` when it is written, and only the result is
stored in a public column.

Detection runs on a folded copy of the text of the same length (accents stripped,
fullwidth forms made ASCII, a letter "o" touching a digit read as zero), so every
detector finds spans in the copy that are masked in the original text. The scrubber
errs on the side of masking: a false positive hides a harmless number, a false
negative exposes a vulnerable person. It keeps dates ("12/01/2026") and order numbers
("commande 12345678") that cannot be phone numbers.
"""

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import phonenumbers
from django.conf import settings
from django.utils.translation import gettext as _

from entraide.territory.active import territory_country_known


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    kind: str  # one of _PRIORITY


# When two findings overlap, the merged span shows the mask of the first kind here.
_PRIORITY = ("email", "phone", "address", "name")


def _fold_char(char: str) -> str:
    """One character for one: "é" → "e", a fullwidth at sign → "@"; others unchanged."""
    if char.isascii():
        return char
    decomposed = unicodedata.normalize("NFKD", char)
    if decomposed and all(unicodedata.combining(mark) for mark in decomposed[1:]):
        return decomposed[0]
    return char


# A letter "o" glued to a digit is a zero in disguise: "o6 12 34 56 78", "0o".
_O_FOR_ZERO = re.compile(r"(?<![^\W\d_])[oO](?=\d)|(?<=\d)[oO](?![^\W\d_])")


def _fold(text: str) -> str:
    """A copy of ``text`` of the same length in which disguises are undone."""
    folded = "".join(_fold_char(char) for char in text)
    return _O_FOR_ZERO.sub("0", folded)


# --- e-mails -------------------------------------------------------------------------

# Anything glued to an "@" is an e-mail (RFC 5322 local parts allow !#$%&'*+/=?^`{|}~),
# and so is an "@" with spaces around it: "odette @ gmail.com".
_EMAIL = re.compile(r"[^\s@]*@[^\s@]+|[^\s@]+\s+@\s*[^\s@]+|@\s+[^\s@]+")
_AT = (
    r"(?:\s*[(\[{<]\s*(?:at|a|@|arobase|arrobas?|chez)\s*[)\]}>]\s*"
    r"|\s+(?:at|arobase|arrobas?|chez)\s+)"
)
# A dot of a domain has no space after it; a spelled one is a word or is bracketed.
_DOT = (
    r"(?:\s*[(\[{<]\s*(?:dot|point|punto|ponto)\s*[)\]}>]\s*"
    r"|\s+(?:dot|point|punto|ponto)\s+|\.(?=\w))"
)
_TLD = (
    r"(?:com|org|net|fr|be|ch|ca|qc|lu|es|pt|it|de|eu|uk|us|io|co|info|biz|cat|gouv|edu|"
    r"gov|br|ma|tn|dz|sn|re|nc|pf|mc|nl|pl|ro|me|asso|xyz|online|email)"
)
# Spelled-out forms: "odette at gmail dot com", "odette (a) gmail point fr",
# "odette chez orange point fr". The domain must end with a known TLD, so
# "be at home. Thanks" and "chez Carrefour. Merci" are left alone.
_SPELLED_EMAIL = re.compile(
    rf"[\w+\-]+(?:{_DOT}[\w+\-]+)*{_AT}[\w\-]+(?:{_DOT}[\w\-]+)*?{_DOT}{_TLD}\b",
    re.IGNORECASE,
)


def _emails(folded: str) -> list[_Span]:
    found = [_Span(m.start(), m.end(), "email") for m in _SPELLED_EMAIL.finditer(folded)]
    found += [_Span(m.start(), m.end(), "email") for m in _EMAIL.finditer(folded)]
    return found


# --- phone numbers -------------------------------------------------------------------

_SEPARATOR = r"[\s.,_*|~/()\[\]\-\u2010-\u2015\u00b7\u2022]"
# Any run of 6+ digits, split by up to five separator characters each time ("06 12",
# "06,12", "06_12", "06 | 12", "06 - - 12"), optionally starting with + or 00: phone
# numbers in every national format we serve.
_DIGIT_RUN = re.compile(rf"(?:\+|\b00)?\d(?:{_SEPARATOR}{{0,5}}\d){{5,}}")
_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_MONTH = r"(?:0?[1-9]|1[0-2])"
_YEAR = r"(?:19|20)\d\d"
_DATE = (
    rf"(?:{_DAY}[/.\-]{_MONTH}[/.\-](?:{_YEAR}|\d\d)|{_DAY}\s{_MONTH}\s{_YEAR}"
    rf"|{_YEAR}-{_MONTH}-{_DAY}|{_DAY}/{_MONTH})"
)
# "12/01/2026", "12 01 2026", "2026-01-12", "le 12/03, 14/03 et 16/03".
_DATES = re.compile(rf"{_DATE}(?:\s*(?:[,;&]|et|and|ou|or|y|e|i)\s*{_DATE})*", re.IGNORECASE)
# "commande 12345678", "référence n° 4471203", "colis : 88 41 20 13".
_ORDER_CONTEXT = re.compile(
    r"\b(?:commande|cde|order|facture|invoice|colis|parcel|dossier|ref|reference|suivi|"
    r"tracking|ticket|pedido|encomenda|comanda|factura|fatura)\b[^\d\n]{0,20}$",
    re.IGNORECASE,
)


def _could_be_phone(digits: str, region: str) -> bool:
    try:
        return phonenumbers.is_possible_number(phonenumbers.parse(digits, region))
    except phonenumbers.NumberParseException:
        return False


def _kept_number(folded: str, match: re.Match, region: str) -> bool:
    """A date, or an order number that no phone of the region could be."""
    text = match.group(0)
    if _DATES.fullmatch(text):
        return True
    digits = re.sub(r"\D", "", text)
    return (
        not text.startswith(("+", "00"))
        and _ORDER_CONTEXT.search(folded[max(0, match.start() - 40) : match.start()]) is not None
        and not _could_be_phone(digits, region)
    )


_NUMBER_WORDS = {
    "zero": 0,
    "un": 1,
    "une": 1,
    "one": 1,
    "deux": 2,
    "two": 2,
    "trois": 3,
    "three": 3,
    "quatre": 4,
    "four": 4,
    "cinq": 5,
    "five": 5,
    "six": 6,
    "sept": 7,
    "seven": 7,
    "huit": 8,
    "eight": 8,
    "neuf": 9,
    "nine": 9,
    "dix": 10,
    "ten": 10,
    "onze": 11,
    "eleven": 11,
    "douze": 12,
    "twelve": 12,
    "treize": 13,
    "thirteen": 13,
    "quatorze": 14,
    "fourteen": 14,
    "quinze": 15,
    "fifteen": 15,
    "seize": 16,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "vingt": 20,
    "vingts": 20,
    "twenty": 20,
    "trente": 30,
    "thirty": 30,
    "quarante": 40,
    "forty": 40,
    "cinquante": 50,
    "fifty": 50,
    "soixante": 60,
    "sixty": 60,
    "septante": 70,
    "seventy": 70,
    "huitante": 80,
    "octante": 80,
    "eighty": 80,
    "nonante": 90,
    "ninety": 90,
}
_NUMBER_TOKEN = re.compile(r"\d+|[^\W\d_]+", re.IGNORECASE)
_NUMBER_JOINER = re.compile(rf"(?:{_SEPARATOR}|\s)*(?:\b(?:et|and)\b)?(?:{_SEPARATOR}|\s)*")


def _number_groups(values: list[int | str]) -> str:
    """["zero", 6, 12, 30, 4] read as French or English: "0612" + "34" → "061234"."""
    digits, index = [], 0
    while index < len(values):
        value = values[index]
        index += 1
        if isinstance(value, str):
            digits.append(value)
            continue
        if value == 4 and index < len(values) and values[index] == 20:
            value, index = 80, index + 1  # quatre-vingt
        if value >= 20:
            limit = 20 if value in (60, 80) else 10
            added = 0
            while index < len(values) and isinstance(values[index], int):
                nxt = values[index]
                if nxt == 0 or added + nxt >= limit or (added and nxt >= 10):
                    break
                added, index = added + nxt, index + 1
            value += added
        digits.append(str(value))
    return "".join(digits)


# Six spelled digits are still a list ("un, deux, trois…"); a phone number has more.
_SPELLED_MIN_DIGITS = 8


def _spelled_numbers(folded: str, protected: list[_Span]) -> list[_Span]:
    """Runs of number words (and digits) that spell a phone number: "zéro six douze…"."""
    found: list[_Span] = []
    run: list[tuple[int, int, int | str]] = []

    def close() -> None:
        words = [value for _s, _e, value in run if isinstance(value, int)]
        digits = _number_groups([value for _s, _e, value in run])
        if words and len(digits) >= _SPELLED_MIN_DIGITS:
            found.append(_Span(run[0][0], run[-1][1], "phone"))
        run.clear()

    for match in _NUMBER_TOKEN.finditer(folded):
        token = match.group(0)
        value = token if token.isdigit() else _NUMBER_WORDS.get(token.lower())
        inside = any(span.start <= match.start() < span.end for span in protected)
        if value is None or inside:
            close()
            continue
        if run and not _NUMBER_JOINER.fullmatch(folded[run[-1][1] : match.start()]):
            close()
        run.append((match.start(), match.end(), value))
    close()
    return found


def _phones(folded: str, region: str) -> list[_Span]:
    protected, found = [], []
    for match in _DIGIT_RUN.finditer(folded):
        if _kept_number(folded, match, region):
            protected.append(_Span(match.start(), match.end(), "kept"))
        else:
            found.append(_Span(match.start(), match.end(), "phone"))
    for match in phonenumbers.PhoneNumberMatcher(
        folded, region, leniency=phonenumbers.Leniency.POSSIBLE
    ):
        if not any(k.start <= match.start and match.end <= k.end for k in protected):
            found.append(_Span(match.start, match.end, "phone"))
    return found + _spelled_numbers(folded, protected)


# --- street addresses ----------------------------------------------------------------

_STREET_WORDS = (
    r"rue|r|avenue|av|ave|bd|bld|blvd|boulevard|place|pl|chemin|ch|allee|impasse|imp|"
    r"quai|cours|route|rte|square|sq|passage|villa|cite|rond-point|sentier|faubourg|fbg|"
    r"esplanade|parvis|hameau|lotissement|residence|"
    r"street|st|road|rd|lane|drive|way|"
    r"calle|c/|c\.|avenida|avda|plaza|paseo|carrer|passeig|placa|travessera|"
    r"rua|travessa|largo|praca|estrada"
)
_STREET = rf"(?:{_STREET_WORDS})(?:\.|\b)"
_CONNECTOR = r"(?:(?:de\s+la|de\s+l'|du|de|des|dans\s+la|sur\s+la|of)\s+)?"
_STOP = r"(?!(?:et|and|y|i|e|pour|svp|merci|avec|vers|entre|for|with|please)\b)"
# "12 rue des Lilas", "12bis, avenue Foch", "17 bis de la rue Oberkampf", "17 r Oberkampf".
_STREET_NUMBER_FIRST = re.compile(
    rf"\b\d{{1,4}}\s*(?:bis|ter|quater|[a-d]\b)?\s*,?\s*{_CONNECTOR}{_STREET}\s*"
    rf"[^\s,.;:!?]+(?:\s+{_STOP}[^\s,.;:!?]+){{0,4}}",
    re.IGNORECASE,
)
# "calle Mayor 5", "rua Augusta, 120".
_STREET_NAME_FIRST = re.compile(
    rf"\b{_STREET}\s*(?:[^\s,.;:!?\d]+\s+){{0,4}}?[^\s,.;:!?\d]+\s*,?\s*\d{{1,4}}\b",
    re.IGNORECASE,
)
# English order: "221 Baker Street", "10 Downing St".
_STREET_TYPE_LAST = re.compile(
    r"\b\d{1,5}\s+(?:[^\s,.;:!?\d]+\s+){1,3}"
    r"(?:street|st|road|rd|avenue|ave|lane|ln|drive|dr|way|boulevard|blvd|court|ct|place|pl)\b",
    re.IGNORECASE,
)


def _addresses(folded: str) -> list[_Span]:
    patterns = (_STREET_NUMBER_FIRST, _STREET_NAME_FIRST, _STREET_TYPE_LAST)
    return [_Span(m.start(), m.end(), "address") for p in patterns for m in p.finditer(folded)]


# --- first names ---------------------------------------------------------------------


def _names(folded: str, names: Iterable[str]) -> list[_Span]:
    """The author's own first name, whole and by parts: "Jean-Pierre", "Jean", "Pierre"."""
    words: set[str] = set()
    for name in names:
        name = _fold((name or "").strip())
        if len(name) >= 2:
            words.add(name)
            words |= {part for part in re.split(r"[\s\-']+", name) if len(part) >= 3}
    found = []
    for word in sorted(words, key=len, reverse=True):
        pattern = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)", re.IGNORECASE)
        found += [_Span(m.start(), m.end(), "name") for m in pattern.finditer(folded)]
    return found


# --- masking -------------------------------------------------------------------------


def _merged(spans: list[_Span]) -> list[_Span]:
    merged: list[_Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        last = merged[-1] if merged else None
        if last is not None and span.start < last.end:
            kind = min(last.kind, span.kind, key=_PRIORITY.index)
            merged[-1] = _Span(last.start, max(last.end, span.end), kind)
        else:
            merged.append(span)
    return merged


def scrub_public_text(text: str, region: str | None = None, *, names: Iterable[str] = ()) -> str:
    """Return ``text`` with phone numbers, e-mails, street addresses and ``names`` masked.

    ``names`` are the author's own first names (from the entry's private contact): a
    resident signs "Merci, Odette" far more often than they write a phone number.
    """
    region = region or settings.ENTRAIDE_DEFAULT_PHONE_REGION or territory_country_known() or "FR"
    masks = {
        "email": _("[e-mail hidden]"),
        "phone": _("[phone hidden]"),
        "address": _("[address hidden]"),
        "name": _("[name hidden]"),
    }
    folded = _fold(text)
    spans = _emails(folded) + _phones(folded, region) + _addresses(folded) + _names(folded, names)
    for span in reversed(_merged(spans)):
        text = text[: span.start] + masks[span.kind] + text[span.end :]
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
