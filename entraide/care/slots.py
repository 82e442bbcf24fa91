"""Weekly call slots: stored as ``"mon@10:00"`` (what scheduling reads), chosen on the
enrolment page as a day and a time, shown to people in words (“lundi 10:00”)."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.dates import WEEKDAYS as DAY_NAMES
from django.utils.translation import gettext as _

from .scheduling import WEEKDAYS

SLOT_PATTERN = re.compile(r"^(mon|tue|wed|thu|fri|sat|sun)@([01]\d|2[0-3]):([0-5]\d)$")
# What a time box sends (10:00, 10:00:00) and what people type without one (10h, 10h30, 9.30).
TIME_PATTERN = re.compile(r"^([01]?\d|2[0-3])\s*(?:[:hH.]\s*([0-5]\d)?(?::00)?)?$")


def day_choices() -> list[tuple[str, str]]:
    return [(code, DAY_NAMES[index]) for index, code in enumerate(WEEKDAYS)]


def parse_time(raw: str) -> str | None:
    """``"HH:MM"`` for a time as typed or sent by a time box; None when it is not one."""
    match = TIME_PATTERN.match(raw.strip())
    if not match:
        return None
    return f"{int(match.group(1)):02d}:{match.group(2) or '00'}"


def on_grid(hhmm: str) -> bool:
    return int(hhmm[-2:]) % settings.ENTRAIDE_CARE_SLOT_MINUTES == 0


def slot_label(slot: str) -> str:
    """``"mon@10:00"`` → “Monday 10:00”, in the active language."""
    day, _sep, hhmm = slot.partition("@")
    if day not in WEEKDAYS:
        return slot
    return f"{DAY_NAMES[WEEKDAYS.index(day)]} {hhmm}"


def clean_slots(slots: list[str]) -> list[str]:
    """Slots as ``"mon@10:00"`` on the grid, each once, sorted. Raise one ValidationError
    listing every mistake at once."""
    seen: list[str] = []
    errors: list[ValidationError] = []
    for raw in slots:
        slot = raw.strip().lower()
        if not slot:
            continue
        match = SLOT_PATTERN.match(slot)
        if not match or not on_grid(slot):
            errors.append(
                ValidationError(
                    _("“%(slot)s” is not a day and a time on the %(minutes)s-minute grid.")
                    % {"slot": slot_label(slot), "minutes": settings.ENTRAIDE_CARE_SLOT_MINUTES},
                    code="slot",
                )
            )
        elif slot in seen:
            errors.append(
                ValidationError(
                    _("%(slot)s is chosen twice.") % {"slot": slot_label(slot)}, code="duplicate"
                )
            )
        else:
            seen.append(slot)
    if not seen and not errors:
        errors.append(ValidationError(_("Choose at least one day and time."), code="required"))
    if errors:
        raise ValidationError(errors)
    return sorted(seen, key=lambda s: (WEEKDAYS.index(s[:3]), s[4:]))
