"""Writes of the courtesy-call programme: enrolment, schedule, outcomes, logs, leaving.

Every function takes keyword arguments, checks what it needs, raises ValidationError
(field → errors) or PermissionDenied, and writes an audit row for each change.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from entraide.needs.categories import PUBLIC_CODES
from entraide.needs.models import Channel
from entraide.needs.services import ContactInput, Created, RequestInput, help_request_create
from entraide.people.models import VettingStatus, Volunteer
from entraide.platform.audit import AuditContext, audit_record
from entraide.platform.phones import normalize_phone
from entraide.platform.roles import is_coordinator
from entraide.platform.validation import ErrorCollector
from entraide.territory.models import Zone

from . import notify
from .categories import ESCALATION_CATEGORIES
from .models import (
    CALL_LIFECYCLE,
    FINAL_STATUSES,
    MISSED_STATUSES,
    PERSON_LIFECYCLE,
    CallLog,
    CallStatus,
    CarePerson,
    ConsentMethod,
    CourtesyCall,
    LeaveMethod,
    PersonStatus,
    Wellbeing,
)
from .scheduling import WEEKDAYS, Caller, CallSlot, assign
from .slots import clean_slots

PHONE_CHAT = "phone_chat"


@dataclass(frozen=True)
class EnrolmentInput:
    first_name: str
    phone: str
    language: str
    call_slots: Sequence[str]
    consent_method: str
    consent_purpose: str
    emergency_contact_name: str = ""
    emergency_contact_phone: str = ""
    emergency_contact_email: str = ""
    alert_emergency_contact: bool = False


def _phone(errors: ErrorCollector, name: str, raw: str, *, required: bool) -> str:
    if not raw.strip():
        if required:
            errors.add(name, _("Give a phone number."), "required")
        return ""
    try:
        return normalize_phone(raw)
    except ValidationError as exc:
        errors.add_error(name, exc)
        return ""


@dataclass(frozen=True)
class _Enrolment:
    first_name: str
    phone: str
    emergency_phone: str
    slots: list[str]


def _enrolment_checked(data: EnrolmentInput) -> tuple[ErrorCollector, _Enrolment]:
    """Every mistake of an enrolment, by field, and the values as they would be stored."""
    errors = ErrorCollector()
    first_name = data.first_name.strip()[:60]
    if not first_name:
        errors.add("first_name", _("Give a first name."), "required")
    phone = _phone(errors, "phone", data.phone, required=True)
    emergency_phone = _phone(
        errors, "emergency_contact_phone", data.emergency_contact_phone, required=False
    )
    if data.language not in dict(settings.LANGUAGES):
        errors.add("language", _("Choose a language."), "invalid")
    if data.consent_method not in ConsentMethod.values:
        errors.add("consent_method", _("Say how consent was given."), "invalid")
    if not data.consent_purpose.strip():
        errors.add("consent_purpose", _("Say what the person agreed to."), "required")
    slots: list[str] = []
    try:
        slots = clean_slots(list(data.call_slots))
    except ValidationError as exc:
        errors.add_error("call_slots", exc)
    if data.alert_emergency_contact and not (emergency_phone or data.emergency_contact_email):
        errors.add(
            "alert_emergency_contact",
            _("Give the emergency contact's phone or e-mail."),
            "required",
        )
    return errors, _Enrolment(first_name, phone, emergency_phone, slots)


def care_person_enrol_check(*, data: EnrolmentInput, already_wrong: Iterable[str] = ()) -> None:
    """Raise ValidationError with every mistake of ``data`` at once, leaving out the fields
    in ``already_wrong`` (a form already said what is wrong with them). Stores nothing."""
    errors, _values = _enrolment_checked(data)
    skipped = set(already_wrong)
    kept = ErrorCollector()
    for field, field_errors in errors.by_field.items():
        if field not in skipped:
            kept.by_field[field] = field_errors
    kept.raise_if_any()


@transaction.atomic
def care_person_enrol(
    *,
    zone: Zone,
    data: EnrolmentInput,
    actor: User,
    audit: AuditContext | None = None,
) -> CarePerson:
    """Enrol a person who consented, recording who took the consent, when, how and why.

    Raise PermissionDenied unless ``actor`` coordinates the zone; ValidationError on bad
    input (nothing is stored).
    """
    if not is_coordinator(actor, zone=zone):
        raise PermissionDenied(_("Only a coordinator of this zone can enrol someone."))
    errors, values = _enrolment_checked(data)
    errors.raise_if_any()
    person = CarePerson.objects.create(
        zone=zone,
        first_name=values.first_name,
        phone=values.phone,
        language=data.language,
        call_slots=values.slots,
        emergency_contact_name=data.emergency_contact_name.strip()[:80],
        emergency_contact_phone=values.emergency_phone,
        emergency_contact_email=data.emergency_contact_email.strip().lower(),
        alert_emergency_contact=data.alert_emergency_contact,
        consent_given_at=timezone.now(),
        consent_method=data.consent_method,
        consent_purpose=data.consent_purpose.strip()[:255],
        consent_recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action="care.enrol",
        subject=person.reference,
        purpose=person.consent_purpose,
        context=audit,
    )
    return person


@transaction.atomic
def care_person_leave(
    *,
    person: CarePerson,
    method: str,
    actor: User | None = None,
    audit: AuditContext | None = None,
) -> CarePerson:
    """Take a person out of the programme: no more calls. Safe to call twice.

    Their data is then kept until the retention purge (``personal_data.CareSource``).
    """
    person = CarePerson.objects.select_for_update().get(pk=person.pk)
    if person.status == PersonStatus.LEFT:
        return person
    PERSON_LIFECYCLE.transition(
        person,
        PersonStatus.LEFT,
        changes={"left_at": timezone.now(), "left_method": method},
        locked=True,
    )
    for call in person.calls.select_for_update().filter(status=CallStatus.SCHEDULED):
        CALL_LIFECYCLE.transition(
            call, CallStatus.CANCELLED, changes={"volunteer": None}, locked=True
        )
    audit_record(
        actor=actor,
        action="care.leave",
        subject=person.reference,
        purpose=method,
        actor_label="" if actor else "system",
        context=audit,
    )
    return person


def care_leave_by_phone(*, phone: str, method: str = LeaveMethod.SMS_STOP) -> int:
    """Everyone enrolled with this number leaves (an SMS STOP). Return how many left."""
    people = list(CarePerson.objects.filter(phone=phone, status=PersonStatus.ACTIVE))
    for person in people:
        care_person_leave(person=person, method=method)
    return len(people)


def _occurrences(slots: Iterable[str], start: dt.datetime, end: dt.datetime) -> list[dt.datetime]:
    wanted: dict[int, list[dt.time]] = {}
    for slot in slots:
        weekday, hhmm = slot.split("@")
        wanted.setdefault(WEEKDAYS.index(weekday), []).append(dt.time.fromisoformat(hhmm))
    day = timezone.localtime(start).date()
    moments = []
    while day <= timezone.localtime(end).date():
        for at in wanted.get(day.weekday(), []):
            moment = timezone.make_aware(dt.datetime.combine(day, at))
            if start <= moment < end:
                moments.append(moment)
        day += dt.timedelta(days=1)
    return moments


def courtesy_calls_schedule(*, now: dt.datetime | None = None) -> int:
    """Create the calls of the coming days and assign them. Safe to run twice.

    Return how many calls were assigned in this run.
    """
    now = now or timezone.now()
    end = now + dt.timedelta(days=settings.ENTRAIDE_CARE_HORIZON_DAYS)
    for person in CarePerson.objects.filter(status=PersonStatus.ACTIVE):
        for moment in _occurrences(person.call_slots, now, end):
            CourtesyCall.objects.get_or_create(person=person, scheduled_for=moment)
    return courtesy_calls_assign(start=now, end=end)


def eligible_volunteers() -> list[Volunteer]:
    """Verified, not on a break, offering "a friendly phone call", with a phone to bridge."""
    volunteers = Volunteer.objects.filter(
        vetting_status=VettingStatus.VERIFIED, paused=False
    ).exclude(phone="")
    return [v for v in volunteers if PHONE_CHAT in v.categories]


def courtesy_calls_assign(*, start: dt.datetime, end: dt.datetime) -> int:
    """Assign the unassigned calls between ``start`` and ``end`` (see scheduling.py)."""
    window = CourtesyCall.objects.filter(scheduled_for__gte=start, scheduled_for__lt=end)
    open_calls = window.filter(
        volunteer__isnull=True,
        status=CallStatus.SCHEDULED,
        person__status=PersonStatus.ACTIVE,
    ).select_related("person")
    slots = [
        CallSlot(c.pk, timezone.localtime(c.scheduled_for), c.person.language) for c in open_calls
    ]
    if not slots:
        return 0
    callers = []
    for volunteer in eligible_volunteers():
        held = [
            timezone.localtime(at)
            for at in window.filter(volunteer=volunteer)
            .exclude(status=CallStatus.CANCELLED)
            .values_list("scheduled_for", flat=True)
        ]
        callers.append(
            Caller(
                volunteer_id=volunteer.pk,
                languages=frozenset(volunteer.languages),
                load=len(held),
                busy=set(held),
                availability=frozenset(volunteer.availability),
            )
        )
    assigned = 0
    for call_id, volunteer_id in assign(slots, callers).items():
        try:
            with transaction.atomic():
                assigned += CourtesyCall.objects.filter(
                    pk=call_id, volunteer__isnull=True, status=CallStatus.SCHEDULED
                ).update(volunteer_id=volunteer_id)
        except IntegrityError:
            # A parallel run booked this volunteer in this slot first; the next run retries.
            continue
    return assigned


def _may_handle_call(user: User, call: CourtesyCall) -> bool:
    return (call.volunteer is not None and call.volunteer.user_id == user.pk) or is_coordinator(
        user, zone=call.person.zone
    )


@transaction.atomic
def courtesy_call_record_outcome(
    *,
    call: CourtesyCall,
    status: str,
    duration_seconds: int | None = None,
    actor: User | None = None,
    audit: AuditContext | None = None,
) -> CourtesyCall:
    """Record how a call ended and apply the missed-call rule. A call ends once: a retried
    status callback changes nothing.

    ``actor`` is the volunteer who noted it by hand (no actor: the provider's callback).
    After ENTRAIDE_CARE_MISSED_CALLS_ALERT unanswered calls in a row, the zone's
    coordinators are alerted and, if the person agreed to it, their emergency contact.
    """
    call = (
        CourtesyCall.objects.select_for_update(of=("self",))
        .select_related("person__zone")
        .get(pk=call.pk)
    )
    if call.status in FINAL_STATUSES:
        return call
    CALL_LIFECYCLE.transition(
        call,
        status,
        changes={
            "duration_seconds": duration_seconds,
            "ended_at": timezone.now() if status in FINAL_STATUSES else None,
        },
        locked=True,
    )
    person = CarePerson.objects.select_for_update().get(pk=call.person_id)
    if status == CallStatus.ANSWERED:
        person.missed_in_row = 0
    elif status in MISSED_STATUSES:
        person.missed_in_row += 1
        if person.missed_in_row == settings.ENTRAIDE_CARE_MISSED_CALLS_ALERT:
            _alert_missed_calls(person, call)
    person.save(update_fields=["missed_in_row"])
    audit_record(
        actor=actor,
        action=f"care.call_{status}",
        subject=call.reference,
        actor_label="" if actor else "system",
        context=audit,
    )
    return call


def _alert_missed_calls(person: CarePerson, call: CourtesyCall) -> None:
    from .safety import emergency_contact_may_be_told

    count = person.missed_in_row
    url = notify.absolute_url("care:person", person.pk)
    subject, body = notify.in_language(
        settings.LANGUAGE_CODE,
        lambda: notify.missed_calls_texts(
            reference=person.reference, zone_code=person.zone.code, count=count, url=url
        ),
    )
    notify.email_coordinators(
        zone=person.zone, subject=subject, body=body, key=f"care-missed:{call.pk}"
    )
    if not person.alert_emergency_contact or not emergency_contact_may_be_told(person):
        return
    text = notify.in_language(
        person.language,
        lambda: (
            _(
                "Entraide: we could not reach %(name)s on our last %(count)s courtesy calls. "
                "Could you check that all is well?"
            )
            % {"name": person.first_name, "count": count}
        ),
    )
    for kind, address in (
        ("phone", person.emergency_contact_phone),
        ("email", person.emergency_contact_email),
    ):
        if address:
            notify.send_to(
                kind=kind,
                address=address,
                subject=_("Entraide: courtesy calls"),
                body=text,
                key=f"care-missed:{call.pk}:emergency-{kind}",
                language=person.language,
            )
    audit_record(
        actor=None,
        action="care.emergency_contact_alerted",
        subject=person.reference,
        actor_label="system",
    )


# What a volunteer may say of a call made with their own phone.
MANUAL_OUTCOMES = (CallStatus.ANSWERED, CallStatus.NO_ANSWER, CallStatus.BUSY)
# A note may still be written once the provider said the call was answered, or when the
# volunteer missed the platform's ring and called with their own phone.
LOGGABLE_STATUSES = frozenset(
    {
        CallStatus.SCHEDULED,
        CallStatus.RINGING,
        CallStatus.IN_PROGRESS,
        CallStatus.ANSWERED,
        CallStatus.VOLUNTEER_UNREACHED,
    }
)


@dataclass(frozen=True)
class LogInput:
    """A volunteer's note. Only ``outcome`` and, for an answered call, ``wellbeing`` are
    required; what follows ``wellbeing`` is read only for an answered call."""

    wellbeing: str = ""
    notes: str = ""
    needs: Sequence[str] = ()
    distress: bool = False
    distress_category: str = ""
    distress_reason: str = ""
    wants_to_leave: bool = False
    outcome: str = CallStatus.ANSWERED


def call_is_loggable(call: CourtesyCall) -> bool:
    """No note yet, and the call was not already recorded as missed or cancelled."""
    return call.status in LOGGABLE_STATUSES and not CallLog.objects.filter(call=call).exists()


def _log_errors(call: CourtesyCall, data: LogInput) -> ErrorCollector:
    errors = ErrorCollector()
    if not call_is_loggable(call):
        errors.add("outcome", _("This call's outcome is already recorded."), "duplicate")
    if data.outcome not in MANUAL_OUTCOMES:
        errors.add("outcome", _("Say how the call went."), "required")
        return errors
    if data.outcome != CallStatus.ANSWERED:
        if data.distress:
            errors.add(
                "outcome",
                _(
                    "You flagged distress, but the call was not answered: choose "
                    "“Answered”, or untick the flag."
                ),
                "distress_unanswered",
            )
        return errors
    if data.wellbeing not in Wellbeing.values:
        errors.add("wellbeing", _("Say how the person is."), "required")
    if set(data.needs) - PUBLIC_CODES:
        errors.add("needs", _("Choose needs from the list."), "invalid")
    if data.distress and data.distress_category not in ESCALATION_CATEGORIES:
        errors.add("distress_category", _("Choose the kind of distress."), "required")
    if data.distress and not data.distress_reason.strip():
        errors.add("distress_reason", _("Say what worries you."), "required")
    return errors


@transaction.atomic
def call_log_write(
    *,
    call: CourtesyCall,
    user: User,
    data: LogInput,
    audit: AuditContext | None = None,
) -> CallLog | None:
    """What the volunteer says of a call: answered (with a note), no answer or busy.

    An unanswered call counts towards the missed-call alert exactly as a bridged one; it
    has no note (None is returned). A distress flag escalates at once. Raise
    PermissionDenied unless the call is the user's (or they coordinate its zone);
    ValidationError with every mistake at once, or when the outcome is already recorded.
    """
    if not _may_handle_call(user, call):
        raise PermissionDenied(_("This call is not yours."))
    call = (
        CourtesyCall.objects.select_for_update(of=("self",))
        .select_related("person__zone", "volunteer")
        .get(pk=call.pk)
    )
    _log_errors(call, data).raise_if_any()
    if data.outcome != CallStatus.ANSWERED:
        courtesy_call_record_outcome(call=call, status=data.outcome, actor=user, audit=audit)
        return None
    return _answered_log_write(call=call, user=user, data=data, audit=audit)


def _answered_log_write(
    *, call: CourtesyCall, user: User, data: LogInput, audit: AuditContext | None
) -> CallLog:
    from .escalations import escalation_raise

    log = CallLog.objects.create(
        call=call,
        wellbeing=data.wellbeing,
        notes=data.notes.strip()[:2000],
        needs=sorted(set(data.needs)),
        distress=data.distress,
        distress_category=data.distress_category if data.distress else "",
        distress_reason=data.distress_reason.strip()[:2000] if data.distress else "",
        written_by=user,
    )
    if call.status in {CallStatus.SCHEDULED, CallStatus.RINGING, CallStatus.IN_PROGRESS}:
        courtesy_call_record_outcome(call=call, status=CallStatus.ANSWERED, actor=user, audit=audit)
    audit_record(actor=user, action="care.log", subject=call.reference, context=audit)
    person = call.person
    if data.distress:
        escalation_raise(
            source="courtesy_call",
            source_key=f"call:{call.pk}",
            category=data.distress_category,
            zone=person.zone,
            summary=log.distress_reason,
            courtesy_call=call,
            reporter_phone=person.phone,
        )
    if data.wants_to_leave:
        care_person_leave(person=person, method=LeaveMethod.PHONE, actor=user, audit=audit)
    return log


def courtesy_request_create(
    *,
    call: CourtesyCall,
    user: User,
    category: str,
    audit: AuditContext | None = None,
) -> Created:
    """One click after a call: a request for help on the person's behalf (channel operator).

    Raise PermissionDenied unless the call is the user's; ValidationError as
    help_request_create does (sensitive needs go through the distress flag instead).
    """
    if not _may_handle_call(user, call):
        raise PermissionDenied(_("This call is not yours."))
    if category not in PUBLIC_CODES:
        raise ValidationError({"category": _("Choose a need from the list.")}, code="invalid")
    person = call.person
    with transaction.atomic():
        created = help_request_create(
            zone=person.zone,
            data=RequestInput(
                category=category,
                description=notify.in_language(
                    person.language, lambda: _("Noticed during a courtesy call.")
                ),
                contact=ContactInput(first_name=person.first_name, phone=person.phone),
            ),
            channel=Channel.OPERATOR,
            language=person.language,
            actor=user,
        )
        audit_record(
            actor=user,
            action="care.request_create",
            subject=created.entry.reference,
            purpose=call.reference,
            context=audit,
        )
    return created


@transaction.atomic
def courtesy_call_bridge(
    *, call: CourtesyCall, user: User, audit: AuditContext | None = None
) -> CourtesyCall:
    """Ring the volunteer, then the person, through the provider (see bridge.py).

    Raise PermissionDenied unless the call is the user's own; ValidationError when the
    call is over, nobody can be rung, or the provider refuses.
    """
    from .bridge import BridgeError, bridging_configured, call_bridge

    call = (
        CourtesyCall.objects.select_for_update(of=("self",))
        .select_related("volunteer", "person")
        .get(pk=call.pk)
    )
    if call.volunteer is None or call.volunteer.user_id != user.pk:
        raise PermissionDenied(_("This call is not yours."))
    if call.status != CallStatus.SCHEDULED or call.person.status != PersonStatus.ACTIVE:
        raise ValidationError(_("This call cannot be placed any more."), code="closed")
    if not bridging_configured() or not call.volunteer.phone:
        raise ValidationError(_("Calls cannot be placed from the platform here."), code="no_bridge")
    try:
        provider_call_id = call_bridge().place_call(
            to=call.volunteer.phone,
            caller_id=settings.ENTRAIDE_CARE_CALLER_ID,
            connect_url=notify.absolute_url("care:bridge_connect", call.pk),
            status_url=notify.absolute_url("care:bridge_status", call.pk),
        )
    except BridgeError as exc:
        raise ValidationError(
            _("The call could not be placed; try again."), code="provider"
        ) from exc
    CALL_LIFECYCLE.transition(
        call, CallStatus.RINGING, changes={"provider_call_id": provider_call_id}, locked=True
    )
    audit_record(actor=user, action="care.bridge", subject=call.reference, context=audit)
    return call


# Twilio's CallStatus / DialCallStatus → our outcome.
PROVIDER_STATUSES = {
    "completed": CallStatus.ANSWERED,
    "answered": CallStatus.ANSWERED,
    "no-answer": CallStatus.NO_ANSWER,
    "busy": CallStatus.BUSY,
    "failed": CallStatus.FAILED,
    "canceled": CallStatus.FAILED,
}


def bridge_person_leg_ended(*, call: CourtesyCall, dial_status: str, duration: str) -> CourtesyCall:
    """The person's leg ended (the <Dial action> callback): the call's outcome."""
    status = PROVIDER_STATUSES.get(dial_status, CallStatus.FAILED)
    seconds = int(duration) if duration.isdigit() else None
    return courtesy_call_record_outcome(call=call, status=status, duration_seconds=seconds)


def bridge_volunteer_leg_status(*, call: CourtesyCall, call_status: str) -> CourtesyCall:
    """The volunteer's leg: answered → in progress; ended before the person's leg was
    dialled → the volunteer did not pick up (this does not count as a missed call)."""
    with transaction.atomic():
        locked = CourtesyCall.objects.select_for_update(of=("self",)).get(pk=call.pk)
        if call_status in {"in-progress", "answered"} and locked.status == CallStatus.RINGING:
            CALL_LIFECYCLE.transition(locked, CallStatus.IN_PROGRESS, locked=True)
        elif (
            call_status in {"no-answer", "busy", "failed", "canceled"}
            and locked.status == CallStatus.RINGING
        ):
            return courtesy_call_record_outcome(call=locked, status=CallStatus.VOLUNTEER_UNREACHED)
        elif call_status == "completed" and locked.status in {
            CallStatus.RINGING,
            CallStatus.IN_PROGRESS,
        }:
            # The volunteer hung up before the person's leg reported: nothing was said.
            return courtesy_call_record_outcome(call=locked, status=CallStatus.VOLUNTEER_UNREACHED)
        return locked
