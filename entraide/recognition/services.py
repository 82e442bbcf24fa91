"""Recording volunteering hours, deciding on them, and issuing certificates.

``hours_record`` is the one way hours come in — ``missions`` calls it for a shift, this
app's handler for a finished assignment. It is idempotent on ``(source, source_key)``: a
second call updates the minutes of an entry still waiting for a coordinator and never
adds a row.
"""

import datetime as dt
import secrets

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from entraide.people.models import Organisation, Volunteer
from entraide.platform.audit import AuditContext, audit_record
from entraide.platform.tokens import hash_token
from entraide.platform.validation import ErrorCollector
from entraide.territory.models import Territory, Zone

from .models import (
    HOURS_LIFECYCLE,
    MAX_MINUTES,
    Certificate,
    HoursEntry,
    HoursSource,
    HoursState,
)
from .permissions import can_decide_hours

# What an hour of help to a neighbour is estimated at, before the volunteer adjusts it.
DEFAULT_ASSIGNMENT_MINUTES = 60
ASSIGNMENT_MINUTES_BY_CATEGORY = {
    "groceries": 60,
    "medicines": 45,
    "pet_walking": 45,
    "childcare": 120,
    "homework": 60,
    "paperwork": 60,
    "phone_chat": 30,
    "transport": 90,
    "food_parcel": 45,
    "hygiene_kit": 45,
    "digital": 60,
}

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 16  # 32 symbols ** 16 = 2 ** 80 possible codes


def _check_minutes(errors: ErrorCollector, minutes: object) -> None:
    if not isinstance(minutes, int) or isinstance(minutes, bool):
        errors.add(
            "minutes", gettext_lazy("Give the time as a whole number of minutes."), "invalid"
        )
    elif minutes < 1:
        errors.add("minutes", gettext_lazy("The time must be at least one minute."), "too_small")
    elif minutes > MAX_MINUTES:
        errors.add(
            "minutes",
            gettext_lazy("The time cannot be more than %(max)s minutes (24 hours)."),
            "too_large",
            max=MAX_MINUTES,
        )


def hours_record(
    *,
    volunteer: Volunteer,
    source: str,
    source_key: str,
    minutes: int,
    worked_on: dt.date,
    organisation: Organisation | None = None,
    zone: Zone | None = None,
    category: str = "",
    confirmed: bool,
) -> HoursEntry:
    """Record (or update) the hours of one shift or assignment.

    Idempotent on ``(source, source_key)``: when the entry exists and is still proposed,
    its minutes, date, organisation, zone and category are updated (and it is confirmed
    when ``confirmed``); a confirmed or rejected entry is returned unchanged. Raise
    ValidationError keyed by field (nothing stored) for an unknown source, an empty key,
    minutes outside 1..1440 or a date in the future.
    """
    errors = ErrorCollector()
    if source not in HoursSource.values:
        errors.add("source", gettext_lazy("Unknown source of hours."), "invalid")
    if not source_key or len(source_key) > 80:
        errors.add(
            "source_key", gettext_lazy("A key of 1 to 80 characters is required."), "invalid"
        )
    _check_minutes(errors, minutes)
    if not isinstance(worked_on, dt.date):
        errors.add("worked_on", gettext_lazy("Give a date."), "invalid")
    elif worked_on > timezone.localdate():
        errors.add(
            "worked_on", gettext_lazy("Hours cannot be recorded for a future date."), "future"
        )
    if len(category) > 40:
        errors.add("category", gettext_lazy("Unknown kind of help."), "invalid")
    errors.raise_if_any()
    state = HoursState.CONFIRMED if confirmed else HoursState.PROPOSED
    values = {
        "volunteer": volunteer,
        "minutes": minutes,
        "worked_on": worked_on,
        "organisation": organisation,
        "zone": zone,
        "category": category,
    }
    with transaction.atomic():
        entry = (
            HoursEntry.objects.select_for_update()
            .filter(source=source, source_key=source_key)
            .first()
        )
        if entry is None:
            try:
                with transaction.atomic():
                    return HoursEntry.objects.create(
                        source=source,
                        source_key=source_key,
                        state=state,
                        confirmed_at=timezone.now() if confirmed else None,
                        **values,
                    )
            except IntegrityError:
                # Recorded at the same moment by another call: update that one instead.
                entry = HoursEntry.objects.select_for_update().get(
                    source=source, source_key=source_key
                )
        if entry.state != HoursState.PROPOSED:
            return entry
        for name, value in values.items():
            setattr(entry, name, value)
        entry.save()
        if confirmed:
            HOURS_LIFECYCLE.transition(
                entry, HoursState.CONFIRMED, changes={"confirmed_at": timezone.now()}, locked=True
            )
        return entry


def hours_for_assignment(
    *,
    assignment_id: int,
    volunteer_id: int,
    category: str,
    zone_id: int | None,
    finished_on: dt.date,
) -> HoursEntry:
    """A volunteer's assignment is done: propose an estimate of its hours (the kind of
    help's default), which the volunteer may adjust and a coordinator confirms."""
    volunteer = Volunteer.objects.get(pk=volunteer_id)
    zone = Zone.objects.filter(pk=zone_id).first() if zone_id else None
    return hours_record(
        volunteer=volunteer,
        source=HoursSource.ASSIGNMENT,
        source_key=f"assignment:{assignment_id}",
        minutes=ASSIGNMENT_MINUTES_BY_CATEGORY.get(category, DEFAULT_ASSIGNMENT_MINUTES),
        worked_on=min(finished_on, timezone.localdate()),
        zone=zone,
        category=category,
        confirmed=False,
    )


@transaction.atomic
def hours_adjust(
    *, entry: HoursEntry, volunteer: Volunteer, minutes: object, audit: AuditContext | None = None
) -> HoursEntry:
    """The volunteer corrects the time of one of their entries, while it waits for a
    coordinator. Raise PermissionDenied for someone else's entry, ValidationError for a
    bad number or an entry already decided."""
    locked = HoursEntry.objects.select_for_update().get(pk=entry.pk)
    if locked.volunteer_id != volunteer.pk:
        raise PermissionDenied(_("These hours are not yours."))
    errors = ErrorCollector()
    _check_minutes(errors, minutes)
    if locked.state != HoursState.PROPOSED:
        errors.add(
            "minutes",
            gettext_lazy(
                "These hours were already decided on by a coordinator: they cannot change."
            ),
            "decided",
        )
    errors.raise_if_any()
    assert isinstance(minutes, int)
    previous = locked.minutes
    locked.minutes = minutes
    locked.save(update_fields=["minutes", "updated_at"])
    audit_record(
        actor=volunteer.user,
        action="recognition.hours_adjust",
        subject=f"hours:{locked.pk}",
        purpose=f"{previous} → {minutes} min",
        context=audit,
    )
    return locked


@transaction.atomic
def hours_decide(
    *,
    entry: HoursEntry,
    user: User,
    confirm: bool,
    minutes: object = None,
    audit: AuditContext | None = None,
) -> HoursEntry:
    """A coordinator of the entry's zone confirms (optionally correcting the minutes) or
    rejects hours. Audited. Raise PermissionDenied outside their zones, ValidationError
    for a bad number or a move the life cycle refuses."""
    locked = (
        HoursEntry.objects.select_for_update(of=("self",))
        .select_related("zone", "volunteer")
        .get(pk=entry.pk)
    )
    if not can_decide_hours(user, locked):
        raise PermissionDenied(_("Only a coordinator of this zone can decide on these hours."))
    if locked.volunteer.user_id == user.pk:
        raise PermissionDenied(_("Another coordinator must decide on your own hours."))
    errors = ErrorCollector()
    if confirm and minutes is not None:
        _check_minutes(errors, minutes)
    target = HoursState.CONFIRMED if confirm else HoursState.REJECTED
    if not HOURS_LIFECYCLE.allows(locked.state, target):
        errors.add(
            "state",
            gettext_lazy("These hours are already “%(state)s”."),
            "invalid_transition",
            state=HOURS_LIFECYCLE.label(locked.state),
        )
    errors.raise_if_any()
    changes: dict[str, object] = {"confirmed_by": user, "confirmed_at": timezone.now()}
    if confirm and isinstance(minutes, int):
        changes["minutes"] = minutes
    HOURS_LIFECYCLE.transition(locked, target, actor=user, changes=changes, locked=True)
    audit_record(
        actor=user,
        action="recognition.hours_confirm" if confirm else "recognition.hours_reject",
        subject=f"hours:{locked.pk}",
        purpose=f"{locked.minutes} min",
        context=audit,
    )
    return locked


def _new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalise_code(code: str) -> str:
    """What a person typed, in the printed form: upper case, groups of four."""
    raw = "".join(ch for ch in code.upper() if ch.isalnum())
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def certificate_code_hash(code: str) -> str:
    return hash_token(normalise_code(code))


def _issuing_territory(volunteer: Volunteer) -> Territory:
    return volunteer.zone.territory


@transaction.atomic
def certificate_issue(
    *,
    volunteer: Volunteer,
    period_start: object,
    period_end: object,
    audit: AuditContext | None = None,
) -> tuple[Certificate, str]:
    """Issue a certificate of the volunteer's confirmed hours between two dates
    (inclusive) and return it with its code — shown once, on the PDF; only its hash is
    kept. Raise ValidationError keyed by field for bad dates or a period without
    confirmed hours."""
    errors = ErrorCollector()
    today = timezone.localdate()
    if not isinstance(period_start, dt.date):
        errors.add("period_start", gettext_lazy("Give the first day of the period."), "required")
    if not isinstance(period_end, dt.date):
        errors.add("period_end", gettext_lazy("Give the last day of the period."), "required")
    elif period_end > today:
        errors.add("period_end", gettext_lazy("The period cannot end in the future."), "future")
    if (
        isinstance(period_start, dt.date)
        and isinstance(period_end, dt.date)
        and period_start > period_end
    ):
        errors.add(
            "period_start",
            gettext_lazy("The first day must come before the last day."),
            "order",
        )
    errors.raise_if_any()
    assert isinstance(period_start, dt.date) and isinstance(period_end, dt.date)
    entries = HoursEntry.objects.filter(
        volunteer=volunteer,
        state=HoursState.CONFIRMED,
        worked_on__gte=period_start,
        worked_on__lte=period_end,
    )
    total = sum(entries.values_list("minutes", flat=True))
    count = entries.count()
    if not count:
        errors.add(
            "period_start",
            gettext_lazy("No confirmed hours in this period: there is nothing to certify yet."),
            "empty",
        )
        errors.raise_if_any()
    code = _new_code()
    certificate = Certificate.objects.create(
        volunteer=volunteer,
        territory=_issuing_territory(volunteer),
        code_hash=certificate_code_hash(code),
        period_start=period_start,
        period_end=period_end,
        total_minutes=total,
        entry_count=count,
    )
    audit_record(
        actor=volunteer.user,
        action="recognition.certificate_issue",
        subject=f"certificate:{certificate.pk}",
        context=audit,
    )
    return certificate, code


@transaction.atomic
def certificate_revoke(
    *, certificate: Certificate, user: User, reason: str, audit: AuditContext | None = None
) -> Certificate:
    """Revoke a certificate (its holder, or a coordinator of the holder's zone): the
    verification page then says so. Idempotent."""
    locked = (
        Certificate.objects.select_for_update(of=("self",))
        .select_related("volunteer__zone")
        .get(pk=certificate.pk)
    )
    is_holder = locked.volunteer.user_id == user.pk
    if not is_holder and not can_decide_hours(user, locked.volunteer):
        raise PermissionDenied(_("You cannot revoke this certificate."))
    if locked.revoked_at is None:
        locked.revoked_at = timezone.now()
        locked.revoked_reason = reason[:255]
        locked.save(update_fields=["revoked_at", "revoked_reason"])
        audit_record(
            actor=user,
            action="recognition.certificate_revoke",
            subject=f"certificate:{locked.pk}",
            purpose=reason,
            context=audit,
        )
    return locked


def parse_minutes(value: str) -> object:
    """A form's "minutes" or "h:mm" field as an int, or the text as typed (then refused
    by the service with a clear message)."""
    value = (value or "").strip()
    if ":" in value:
        hours, _sep, mins = value.partition(":")
        if hours.isdigit() and mins.isdigit() and len(mins) <= 2:
            return int(hours) * 60 + int(mins)
        return value
    if value.isdigit():
        return int(value)
    return value


__all__ = [
    "ValidationError",
    "certificate_issue",
    "certificate_revoke",
    "hours_adjust",
    "hours_decide",
    "hours_for_assignment",
    "hours_record",
]
