"""Writes of missions: publishing missions and their shifts (one by one or from a rule),
signing up, the waiting list, cancelling, reminders, the roster on the day and the hours.

Every function takes keyword arguments, checks all its input, raises one
ValidationError (field → errors, nothing stored) or PermissionDenied, and writes an
audit row for each change. Messages to volunteers go through the outbox, in the
transaction of the change that causes them.
"""

import datetime as dt
import itertools
import logging
import math
import uuid
from dataclasses import dataclass, field

from dateutil import rrule
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, OuterRef, Subquery
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from entraide.matching.adapter import request_time_slot
from entraide.matching.selectors import volunteer_booked_assignment
from entraide.needs.categories import PUBLIC_CODES
from entraide.people.models import Organisation, VettingStatus, Volunteer
from entraide.platform.audit import AuditContext, audit_record
from entraide.platform.models import OutboxChannel
from entraide.platform.outbox import SmsCapReached, outbox_enqueue
from entraide.platform.roles import is_coordinator
from entraide.platform.tokens import hash_token, new_private_token
from entraide.platform.validation import ErrorCollector
from entraide.recognition.services import hours_record
from entraide.territory.models import Zone

from . import selectors
from .models import (
    ACTIVE,
    HOLDING,
    MISSION_LIFECYCLE,
    SHIFT_LIFECYCLE,
    SIGNUP_LIFECYCLE,
    CalendarToken,
    Mission,
    MissionEvent,
    MissionStatus,
    Shift,
    ShiftStatus,
    Signup,
    SignupEvent,
    SignupStatus,
)
from .permissions import can_manage, managed_organisations

logger = logging.getLogger(__name__)

MAX_PLACES = 500
MAX_SHIFTS_PER_RULE = 104
MAX_DEADLINE_HOURS = 14 * 24
MAX_SHIFT_HOURS = 24
# Check-in opens this long before a shift starts.
CHECK_IN_OPENS = dt.timedelta(hours=2)
# Time is counted by the quarter of an hour started, within the shift.
QUARTER = 15


# --- Missions -------------------------------------------------------------------------


@dataclass
class MissionInput:
    title: str = ""
    description: str = ""
    zone: Zone | None = None
    category: str = ""
    organisation: Organisation | None = None
    meeting_place: str = ""
    required_categories: list[str] = field(default_factory=list)
    requires_extra_check: bool = False
    minimum_age: int | None = 0
    accessibility_notes: str = ""
    cancel_deadline_hours: int | None = 24


def _check_mission(data: MissionInput, errors: ErrorCollector) -> None:
    if not data.title.strip():
        errors.add("title", _("Give the mission a title."), "required")
    elif len(data.title.strip()) > 160:
        errors.add("title", _("The title is too long (160 characters at most)."), "max_length")
    if not data.description.strip():
        errors.add("description", _("Describe what the volunteers will do."), "required")
    if data.zone is None:
        errors.add("zone", _("Choose the zone where the mission takes place."), "required")
    if data.category not in PUBLIC_CODES:
        errors.add("category", _("Choose the kind of help."), "invalid_category")
    unknown = [code for code in data.required_categories if code not in PUBLIC_CODES]
    if unknown:
        errors.add("required_categories", _("Unknown skill."), "invalid_category")
    if data.minimum_age is None or not 0 <= data.minimum_age <= 99:
        errors.add("minimum_age", _("Give an age between 0 and 99."), "invalid_age")
    if data.cancel_deadline_hours is None or not (
        0 <= data.cancel_deadline_hours <= MAX_DEADLINE_HOURS
    ):
        errors.add(
            "cancel_deadline_hours",
            _("Give a number of hours between 0 and %(max)s."),
            "invalid_deadline",
            max=MAX_DEADLINE_HOURS,
        )


def _check_organisation(actor: User, organisation: Organisation | None, zone: Zone | None) -> None:
    if organisation is None:
        if not is_coordinator(actor, zone=zone):
            raise PermissionDenied(_("Only a coordinator publishes the city's missions."))
    elif not (
        is_coordinator(actor, zone=zone)
        or managed_organisations(actor).filter(pk=organisation.pk).exists()
    ):
        raise PermissionDenied(_("You do not manage this organisation's missions."))


def mission_create(*, data: MissionInput, actor: User, audit: AuditContext) -> Mission:
    """A new draft mission of ``data.organisation`` (None: the city's)."""
    errors = ErrorCollector()
    _check_mission(data, errors)
    errors.raise_if_any()
    _check_organisation(actor, data.organisation, data.zone)
    assert data.zone is not None
    with transaction.atomic():
        mission = Mission.objects.create(
            organisation=data.organisation,
            zone=data.zone,
            title=data.title.strip(),
            description=data.description.strip(),
            category=data.category,
            meeting_place=data.meeting_place.strip(),
            required_categories=sorted(set(data.required_categories)),
            requires_extra_check=data.requires_extra_check,
            minimum_age=data.minimum_age or 0,
            accessibility_notes=data.accessibility_notes.strip(),
            cancel_deadline_hours=data.cancel_deadline_hours or 0,
            created_by=actor,
        )
        MissionEvent.objects.create(mission=mission, to_status=mission.status, actor=actor)
        audit_record(actor=actor, action="mission.create", subject=mission.reference, context=audit)
    return mission


def mission_update(
    *, mission: Mission, data: MissionInput, actor: User, audit: AuditContext
) -> Mission:
    """New details for ``mission`` (its organisation stays)."""
    if not can_manage(actor, mission):
        raise PermissionDenied(_("You do not manage this mission."))
    errors = ErrorCollector()
    _check_mission(data, errors)
    if mission.status in (MissionStatus.CANCELLED, MissionStatus.CLOSED):
        errors.add("title", _("A cancelled or closed mission cannot be changed."), "closed")
    errors.raise_if_any()
    if data.zone != mission.zone:
        _check_organisation(actor, mission.organisation, data.zone)
    assert data.zone is not None
    with transaction.atomic():
        mission.zone = data.zone
        mission.title = data.title.strip()
        mission.description = data.description.strip()
        mission.category = data.category
        mission.meeting_place = data.meeting_place.strip()
        mission.required_categories = sorted(set(data.required_categories))
        mission.requires_extra_check = data.requires_extra_check
        mission.minimum_age = data.minimum_age or 0
        mission.accessibility_notes = data.accessibility_notes.strip()
        mission.cancel_deadline_hours = data.cancel_deadline_hours or 0
        mission.save()
        audit_record(actor=actor, action="mission.update", subject=mission.reference, context=audit)
    return mission


def mission_move(
    *, mission: Mission, to: str, actor: User, audit: AuditContext, reason: str = ""
) -> Mission:
    """Publish, cancel or close ``mission``. Publishing needs a shift to come; cancelling
    cancels its shifts to come and tells the people signed up."""
    if not can_manage(actor, mission):
        raise PermissionDenied(_("You do not manage this mission."))
    now = timezone.now()
    with transaction.atomic():
        changes: dict = {}
        if to == MissionStatus.PUBLISHED:
            if not mission.shifts.filter(status=ShiftStatus.SCHEDULED, starts_at__gt=now).exists():
                raise ValidationError(
                    {"shifts": [_("Add at least one shift to come before publishing.")]},
                    code="no_shift",
                )
            changes["published_at"] = now
        MISSION_LIFECYCLE.transition(
            mission,
            to,
            actor=actor,
            reason=reason,
            history_model=MissionEvent,
            changes=changes,
        )
        if to == MissionStatus.CANCELLED:
            for shift in mission.shifts.filter(status=ShiftStatus.SCHEDULED, starts_at__gt=now):
                _shift_cancel(shift, actor=actor, reason=reason)
        audit_record(actor=actor, action=f"mission.{to}", subject=mission.reference, context=audit)
    return mission


def mission_next_shift_refresh(mission_ids: list[int] | None = None, *, now=None) -> int:
    """Keep each mission's ``next_shift_at`` (the list's order) equal to the start of
    its next scheduled shift: for ``mission_ids``, or for every mission whose next shift
    has started (what the periodic task and the list call). Returns the rows changed."""
    now = now or timezone.now()
    missions = Mission.objects.all()
    if mission_ids is None:
        missions = missions.filter(next_shift_at__lte=now)
    else:
        missions = missions.filter(pk__in=mission_ids)
    upcoming = Shift.objects.filter(
        mission=OuterRef("pk"), status=ShiftStatus.SCHEDULED, starts_at__gt=now
    ).order_by("starts_at")
    return missions.update(next_shift_at=Subquery(upcoming.values("starts_at")[:1]))


# --- Shifts ---------------------------------------------------------------------------


@dataclass
class ShiftInput:
    day: dt.date | None = None
    start: dt.time | None = None
    end: dt.time | None = None
    places: int | None = None


@dataclass
class RuleInput:
    """Every ``weekdays`` (0 = Monday) from ``first_day``, ``count`` times or until
    ``until``, from ``start`` to ``end``."""

    first_day: dt.date | None = None
    start: dt.time | None = None
    end: dt.time | None = None
    places: int | None = None
    weekdays: list[int] = field(default_factory=list)
    count: int | None = None
    until: dt.date | None = None


def _aware(day: dt.date, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time))


def _check_slot(
    data: ShiftInput, errors: ErrorCollector, now: dt.datetime
) -> tuple[dt.datetime, dt.datetime] | None:
    """The start and end of one shift, or the errors that stop it."""
    if data.day is None:
        errors.add("day", _("Give the date of the shift."), "required")
    if data.start is None:
        errors.add("start", _("Give the start time."), "required")
    if data.end is None:
        errors.add("end", _("Give the end time."), "required")
    _check_places(data.places, errors)
    if data.day is None or data.start is None or data.end is None:
        return None
    starts, ends = _aware(data.day, data.start), _aware(data.day, data.end)
    if ends <= starts:
        errors.add("end", _("The shift must end after it starts."), "end_before_start")
        return None
    if ends - starts > dt.timedelta(hours=MAX_SHIFT_HOURS):
        errors.add("end", _("A shift lasts 24 hours at most."), "too_long")
        return None
    if starts <= now:
        errors.add("day", _("This shift would start in the past."), "past")
        return None
    return starts, ends


def _check_places(places: int | None, errors: ErrorCollector) -> None:
    if places is None:
        errors.add("places", _("Give the number of places."), "required")
    elif places < 1:
        errors.add("places", _("A shift needs at least one place."), "places_positive")
    elif places > MAX_PLACES:
        errors.add(
            "places", _("%(max)s places at most per shift."), "places_too_many", max=MAX_PLACES
        )


def _overlapping(
    mission: Mission, starts: dt.datetime, ends: dt.datetime, exclude: int | None = None
) -> Shift | None:
    shifts = mission.shifts.filter(
        status=ShiftStatus.SCHEDULED, starts_at__lt=ends, ends_at__gt=starts
    )
    if exclude is not None:
        shifts = shifts.exclude(pk=exclude)
    return shifts.first()


def _when(value: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


def _check_no_overlap(
    mission: Mission,
    slots: list[tuple[dt.datetime, dt.datetime]],
    errors: ErrorCollector,
    field_name: str,
) -> None:
    ordered = sorted(slots)
    for (_a_start, a_end), (b_start, _b_end) in itertools.pairwise(ordered):
        if b_start < a_end:
            errors.add(
                field_name,
                _("Two shifts would overlap on %(when)s."),
                "overlap",
                when=_when(b_start),
            )
            return
    for starts, ends in ordered:
        other = _overlapping(mission, starts, ends)
        if other is not None:
            errors.add(
                field_name,
                _("This overlaps the shift of %(when)s already planned for this mission."),
                "overlap",
                when=_when(other.starts_at),
            )
            return


def _create_shifts(
    *,
    mission: Mission,
    slots: list[tuple[dt.datetime, dt.datetime]],
    places: int,
    series: str,
    actor: User,
    audit: AuditContext,
) -> list[Shift]:
    with transaction.atomic():
        Mission.objects.select_for_update().get(pk=mission.pk)
        errors = ErrorCollector()
        _check_no_overlap(mission, slots, errors, "day" if not series else "first_day")
        errors.raise_if_any()
        shifts = Shift.objects.bulk_create(
            Shift(mission=mission, starts_at=s, ends_at=e, places=places, series=series)
            for s, e in slots
        )
        mission_next_shift_refresh([mission.pk])
        audit_record(
            actor=actor,
            action="mission.shifts_add",
            subject=f"{mission.reference} x{len(shifts)}",
            context=audit,
        )
    return shifts


def _check_open_mission(mission: Mission, actor: User, errors: ErrorCollector) -> None:
    if not can_manage(actor, mission):
        raise PermissionDenied(_("You do not manage this mission."))
    if mission.status in (MissionStatus.CANCELLED, MissionStatus.CLOSED):
        errors.add("day", _("A cancelled or closed mission gets no new shifts."), "closed")


def shift_add(*, mission: Mission, data: ShiftInput, actor: User, audit: AuditContext) -> Shift:
    """One shift for ``mission``: in the future, ending after it starts, not overlapping
    another of its shifts, with at least one place."""
    errors = ErrorCollector()
    _check_open_mission(mission, actor, errors)
    slot = _check_slot(data, errors, timezone.now())
    errors.raise_if_any()
    assert slot is not None and data.places is not None
    return _create_shifts(
        mission=mission, slots=[slot], places=data.places, series="", actor=actor, audit=audit
    )[0]


def rule_slots(rule: RuleInput) -> list[tuple[dt.datetime, dt.datetime]]:
    """The starts and ends the rule gives (python-dateutil's rrule), at most
    MAX_SHIFTS_PER_RULE + 1 of them."""
    assert rule.first_day and rule.start and rule.end
    until = None
    if rule.until is not None:
        until = dt.datetime.combine(rule.until, dt.time(23, 59))
    dates = rrule.rrule(
        rrule.WEEKLY,
        dtstart=dt.datetime.combine(rule.first_day, rule.start),
        byweekday=sorted(set(rule.weekdays)),
        count=rule.count if until is None else None,
        until=until,
    )
    slots = []
    for start in dates:
        slots.append((_aware(start.date(), rule.start), _aware(start.date(), rule.end)))
        if len(slots) > MAX_SHIFTS_PER_RULE:
            break
    return slots


def shifts_add_recurring(
    *, mission: Mission, rule: RuleInput, actor: User, audit: AuditContext
) -> list[Shift]:
    """The shifts of a weekly rule (e.g. every Saturday 9:00-12:00 for 8 weeks), each
    stored as its own shift, to be changed or cancelled one by one."""
    errors = ErrorCollector()
    _check_open_mission(mission, actor, errors)
    now = timezone.now()
    if rule.first_day is None:
        errors.add("first_day", _("Give the date of the first shift."), "required")
    if rule.start is None:
        errors.add("start", _("Give the start time."), "required")
    if rule.end is None:
        errors.add("end", _("Give the end time."), "required")
    _check_places(rule.places, errors)
    if not rule.weekdays or any(not 0 <= day <= 6 for day in rule.weekdays):
        errors.add("weekdays", _("Choose at least one day of the week."), "required")
    if rule.count is None and rule.until is None:
        errors.add("count", _("Give a number of weeks or a last date."), "required")
    elif rule.until is None and rule.count is not None and not 1 <= rule.count <= 52:
        errors.add("count", _("Between 1 and 52 shifts."), "invalid_count")
    if rule.start and rule.end and rule.end <= rule.start:
        errors.add("end", _("The shift must end after it starts."), "end_before_start")
    if rule.first_day and rule.until and rule.until < rule.first_day:
        errors.add("until", _("The last date comes before the first."), "until_before_first")
    if rule.first_day and rule.start and _aware(rule.first_day, rule.start) <= now:
        errors.add("first_day", _("The first shift would start in the past."), "past")
    errors.raise_if_any()
    assert rule.places is not None
    slots = rule_slots(rule)
    if not slots:
        errors.add("weekdays", _("This rule gives no shift."), "empty_rule")
    elif len(slots) > MAX_SHIFTS_PER_RULE:
        errors.add(
            "until",
            _("This rule gives more than %(max)s shifts: choose an earlier last date."),
            "too_many",
            max=MAX_SHIFTS_PER_RULE,
        )
    elif slots[0][0] <= now:
        errors.add("first_day", _("The first shift would start in the past."), "past")
    errors.raise_if_any()
    return _create_shifts(
        mission=mission,
        slots=slots,
        places=rule.places,
        series=uuid.uuid4().hex,
        actor=actor,
        audit=audit,
    )


def shift_update(*, shift: Shift, data: ShiftInput, actor: User, audit: AuditContext) -> Shift:
    """New date, times or places for one shift. Fewer places than people already signed
    up is refused; more places promote the waiting list."""
    mission = shift.mission
    if not can_manage(actor, mission):
        raise PermissionDenied(_("You do not manage this mission."))
    with transaction.atomic():
        shift = Shift.objects.select_for_update().get(pk=shift.pk)
        errors = ErrorCollector()
        if shift.status != ShiftStatus.SCHEDULED:
            errors.add("day", _("Only a shift still to come can be changed."), "not_scheduled")
        slot = _check_slot(data, errors, timezone.now())
        if data.places is not None and data.places < shift.taken:
            errors.add(
                "places",
                _("%(taken)s people already hold a place: keep at least %(taken)s places."),
                "below_taken",
                taken=shift.taken,
            )
        if slot is not None:
            other = _overlapping(mission, *slot, exclude=shift.pk)
            if other is not None:
                errors.add(
                    "day",
                    _("This overlaps the shift of %(when)s already planned for this mission."),
                    "overlap",
                    when=_when(other.starts_at),
                )
        errors.raise_if_any()
        assert slot is not None and data.places is not None
        shift.starts_at, shift.ends_at = slot
        shift.places = data.places
        shift.save(update_fields=["starts_at", "ends_at", "places"])
        mission_next_shift_refresh([mission.pk])
        Signup.objects.filter(shift=shift, reminded_at__isnull=False).update(reminded_at=None)
        while shift.taken < shift.places and _promote_next(shift):
            pass
        audit_record(actor=actor, action="shift.update", subject=f"S-{shift.pk}", context=audit)
    return shift


def shift_cancel(*, shift: Shift, actor: User, audit: AuditContext, reason: str = "") -> Shift:
    """Cancel one shift; everyone on it (holding a place or waiting) is told."""
    if not can_manage(actor, shift.mission):
        raise PermissionDenied(_("You do not manage this mission."))
    with transaction.atomic():
        _shift_cancel(shift, actor=actor, reason=reason)
        audit_record(actor=actor, action="shift.cancel", subject=f"S-{shift.pk}", context=audit)
    return shift


def _shift_cancel(shift: Shift, *, actor: User, reason: str) -> None:
    SHIFT_LIFECYCLE.transition(shift, ShiftStatus.CANCELLED)
    for signup in shift.signups.filter(
        status__in=[SignupStatus.CONFIRMED, SignupStatus.WAITING]
    ).select_related("volunteer__user"):
        SIGNUP_LIFECYCLE.transition(
            signup,
            SignupStatus.CANCELLED,
            actor=actor,
            reason=reason or "shift cancelled",
            history_model=SignupEvent,
        )
        _tell(
            signup,
            "cancelled",
            gettext_noop("Shift cancelled: %(title)s"),
            gettext_noop(
                "The shift of %(when)s of the mission “%(title)s” is cancelled. "
                "Thank you for your help; other shifts are on %(url)s"
            ),
        )
    Shift.objects.filter(pk=shift.pk).update(taken=0)
    shift.taken = 0
    mission_next_shift_refresh([shift.mission_id])


# --- Sign-ups -------------------------------------------------------------------------


def _can_sign_up(
    shift: Shift, volunteer: Volunteer, age_confirmed: bool, now: dt.datetime
) -> ErrorCollector:
    errors = ErrorCollector()
    mission = shift.mission
    if mission.status != MissionStatus.PUBLISHED or shift.status != ShiftStatus.SCHEDULED:
        errors.add("shift", _("This shift is no longer open."), "not_open")
    elif shift.starts_at <= now:
        errors.add("shift", _("This shift has already started."), "started")
    if volunteer.vetting_status != VettingStatus.VERIFIED:
        errors.add("shift", _("Only verified volunteers can sign up for a shift."), "not_verified")
    elif volunteer.paused:
        errors.add("shift", _("Your volunteering is paused: resume it first."), "paused")
    missing = [code for code in mission.required_categories if code not in volunteer.categories]
    if missing:
        errors.add(
            "shift",
            _("This mission asks for skills that are not on your profile."),
            "missing_skill",
        )
    if mission.requires_extra_check and not volunteer.extra_check_passed:
        errors.add(
            "shift",
            _("This mission needs an extra check (such as for childcare) you have not passed."),
            "extra_check",
        )
    if mission.minimum_age and not age_confirmed:
        errors.add(
            "age_confirmed",
            _("Confirm that you are at least %(age)s years old."),
            "age",
            age=mission.minimum_age,
        )
    return errors


def _busy_reason(volunteer: Volunteer, starts: dt.datetime, ends: dt.datetime) -> str | None:
    """Why ``volunteer`` cannot give ``starts`` to ``ends`` to a shift: another shift they
    are booked on, or a request they agreed to help with at those hours."""
    clash = selectors.booked_shift(volunteer, starts, ends)
    if clash is not None:
        return _("You are already signed up for “%(title)s” at the same time (%(when)s).") % {
            "title": clash.shift.mission.title,
            "when": _when(clash.shift.starts_at),
        }
    helping = volunteer_booked_assignment(volunteer=volunteer, starts=starts, ends=ends)
    if helping is not None:
        slot = request_time_slot(helping.help_request)
        return _(
            "You agreed to help with request %(reference)s at that time (%(when)s): "
            "choose another shift, or hand the request back first."
        ) % {
            "reference": helping.help_request.reference,
            "when": _when(max(starts, slot[0]) if slot else starts),
        }
    return None


def shift_clash_for_request(
    volunteer: Volunteer, starts: dt.datetime, ends: dt.datetime
) -> str | None:
    """The matching app's busy check (registered in ``apps.py``): a request fixed at
    ``starts`` to ``ends`` cannot be accepted over a shift the volunteer is booked on."""
    clash = selectors.booked_shift(volunteer, starts, ends)
    if clash is None:
        return None
    return _(
        "You are signed up for “%(title)s” at that time (%(when)s): cancel that shift "
        "first, or decline this request."
    ) % {"title": clash.shift.mission.title, "when": _when(clash.shift.starts_at)}


def signup_create(
    *, shift: Shift, volunteer: Volunteer, audit: AuditContext, age_confirmed: bool = False
) -> Signup:
    """Sign ``volunteer`` up for ``shift``: a place if one is left, else the waiting list.

    The volunteer's row is locked first (one sign-up of theirs at a time, so two
    overlapping shifts cannot both be booked), then the shift's (one place given at a
    time: of several people asking at once for the last place, exactly one gets it).
    """
    with transaction.atomic():
        Volunteer.objects.select_for_update().filter(pk=volunteer.pk).first()
        shift = Shift.objects.select_for_update().select_related("mission").get(pk=shift.pk)
        now = timezone.now()
        errors = _can_sign_up(shift, volunteer, age_confirmed, now)
        mine = Signup.objects.filter(volunteer=volunteer, status__in=sorted(ACTIVE))
        if mine.filter(shift=shift).exists():
            errors.add("shift", _("You are already signed up for this shift."), "already")
        else:
            if (why := _busy_reason(volunteer, shift.starts_at, shift.ends_at)) is not None:
                errors.add("shift", why, "overlap")
        errors.raise_if_any()
        has_place = shift.taken < shift.places
        try:
            with transaction.atomic():
                signup = Signup.objects.create(
                    shift=shift,
                    volunteer=volunteer,
                    status=SignupStatus.CONFIRMED if has_place else SignupStatus.WAITING,
                    confirmed_at=now if has_place else None,
                )
        except IntegrityError as exc:
            if not mine.filter(shift=shift).exists():
                raise
            raise ValidationError(
                {"shift": [_("You are already signed up for this shift.")]}, code="already"
            ) from exc
        if has_place:
            Shift.objects.filter(pk=shift.pk).update(taken=F("taken") + 1)
            shift.taken += 1
        SignupEvent.objects.create(signup=signup, to_status=signup.status, actor=volunteer.user)
        audit_record(
            actor=volunteer.user,
            action="signup.create" if has_place else "signup.wait",
            subject=f"S-{shift.pk}",
            context=audit,
        )
    return signup


def cancel_deadline(signup: Signup) -> dt.datetime:
    """Until when the volunteer can give their place back themselves."""
    return signup.shift.starts_at - dt.timedelta(hours=signup.shift.mission.cancel_deadline_hours)


def signup_cancel(*, signup: Signup, actor: User, audit: AuditContext, reason: str = "") -> Signup:
    """Give a place back (or leave the waiting list). The volunteer can until the
    mission's deadline; the mission's managers at any time before the start. The place
    goes to the first person waiting, who is told."""
    shift = signup.shift
    mission = shift.mission
    own = signup.volunteer.user_id == actor.pk
    manager = can_manage(actor, mission)
    if not (own or manager):
        raise PermissionDenied(_("This is not your sign-up."))
    with transaction.atomic():
        shift = Shift.objects.select_for_update().get(pk=shift.pk)
        signup = (
            Signup.objects.select_for_update().select_related("shift__mission").get(pk=signup.pk)
        )
        now = timezone.now()
        errors = ErrorCollector()
        if signup.status not in (SignupStatus.CONFIRMED, SignupStatus.WAITING):
            errors.add("signup", _("This sign-up can no longer be cancelled."), "not_active")
        elif shift.starts_at <= now:
            errors.add("signup", _("The shift has already started."), "started")
        elif (
            signup.status == SignupStatus.CONFIRMED
            and not manager
            and now > cancel_deadline(signup)
        ):
            errors.add(
                "signup",
                _(
                    "The deadline to cancel has passed (%(hours)s hours before the start): "
                    "please contact the organisers."
                ),
                "deadline",
                hours=mission.cancel_deadline_hours,
            )
        errors.raise_if_any()
        held = signup.status == SignupStatus.CONFIRMED
        SIGNUP_LIFECYCLE.transition(
            signup,
            SignupStatus.CANCELLED,
            actor=actor,
            reason=reason,
            history_model=SignupEvent,
            locked=True,
        )
        if held:
            Shift.objects.filter(pk=shift.pk).update(taken=F("taken") - 1)
            shift.taken -= 1
            _promote_next(shift)
        audit_record(actor=actor, action="signup.cancel", subject=f"S-{shift.pk}", context=audit)
    return signup


def _promote_next(shift: Shift) -> Signup | None:
    """Give a free place of ``shift`` (locked by the caller) to the first person waiting,
    and tell them."""
    waiting = (
        Signup.objects.select_for_update(of=("self",))
        .filter(shift=shift, status=SignupStatus.WAITING)
        .select_related("volunteer__user", "shift__mission")
        .order_by("created_at", "id")
        .first()
    )
    if waiting is None or shift.taken >= shift.places:
        return None
    SIGNUP_LIFECYCLE.transition(
        waiting,
        SignupStatus.CONFIRMED,
        reason="promoted from the waiting list",
        history_model=SignupEvent,
        changes={"confirmed_at": timezone.now()},
        locked=True,
    )
    Shift.objects.filter(pk=shift.pk).update(taken=F("taken") + 1)
    shift.taken += 1
    _tell(
        waiting,
        "promoted",
        gettext_noop("A place for you: %(title)s"),
        gettext_noop(
            "A place came free: you are now signed up for the shift of %(when)s of the "
            "mission “%(title)s”. If you cannot come, cancel on %(url)s"
        ),
    )
    return waiting


# --- Messages -------------------------------------------------------------------------


def _tell(signup: Signup, kind: str, subject: str, body: str) -> None:
    """E-mail (and SMS to a verified phone) to the volunteer of ``signup``, in their
    language: ``subject`` and ``body`` are marked with gettext_noop and translated here."""
    volunteer = signup.volunteer
    shift = signup.shift
    url = _absolute(reverse("missions:mine"))
    with translation.override(volunteer.preferred_language or "fr"):
        facts = {
            "title": shift.mission.title,
            "when": _when(shift.starts_at),
            "url": url,
        }
        subject_text = _(subject) % facts
        body_text = _(body) % facts
    key = f"missions:{kind}:{signup.pk}:{shift.starts_at:%Y%m%d%H%M}"
    if volunteer.user.email:
        outbox_enqueue(
            channel=OutboxChannel.EMAIL,
            recipient=volunteer.user.email,
            subject=subject_text,
            body=body_text,
            delivery_key=key,
            language=volunteer.preferred_language,
        )
    if volunteer.phone and volunteer.phone_verified:
        try:
            outbox_enqueue(
                channel=OutboxChannel.SMS,
                recipient=volunteer.phone,
                body=body_text,
                delivery_key=key + ":sms",
                language=volunteer.preferred_language,
            )
        except SmsCapReached:
            logger.warning("SMS cap reached for volunteer #%s", volunteer.pk)


def _absolute(path: str) -> str:
    from django.conf import settings

    return settings.ENTRAIDE_PUBLIC_BASE_URL + path


def reminders_send(*, now: dt.datetime | None = None) -> int:
    """Remind everyone holding a place on a shift that starts within the next day, once:
    the sign-up is marked reminded in the same transaction as its messages, whose
    delivery keys would stop a second copy anyway."""
    now = now or timezone.now()
    due = Signup.objects.filter(
        status=SignupStatus.CONFIRMED,
        reminded_at__isnull=True,
        shift__status=ShiftStatus.SCHEDULED,
        shift__starts_at__gt=now,
        shift__starts_at__lte=now + dt.timedelta(days=1),
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(due):
        with transaction.atomic():
            signup = (
                Signup.objects.select_for_update(of=("self",))
                .select_related("volunteer__user", "shift__mission")
                .filter(pk=pk, reminded_at__isnull=True, status=SignupStatus.CONFIRMED)
                .first()
            )
            if signup is None:
                continue
            _tell(
                signup,
                "reminder",
                gettext_noop("Reminder: %(title)s"),
                gettext_noop(
                    "Reminder: you are expected on %(when)s for the mission “%(title)s”. "
                    "The meeting place is on %(url)s — if you cannot come, tell the "
                    "organisers there."
                ),
            )
            Signup.objects.filter(pk=pk).update(reminded_at=now)
            sent += 1
    return sent


# --- The roster on the day ------------------------------------------------------------


class RosterAction:
    CHECK_IN = "check_in"
    CHECK_OUT = "check_out"
    NO_SHOW = "no_show"


def roster_mark(
    *, shift: Shift, signup_id: int | None, action: str, actor: User, audit: AuditContext
) -> Signup:
    """Check someone in or out, or mark them absent, on ``shift``'s roster. Someone who
    is not on it (waiting, cancelled, another shift) is refused. Checking out counts
    the time spent, by the quarter of an hour started, within the shift, and records
    it as confirmed hours."""
    if not can_manage(actor, shift.mission):
        raise PermissionDenied(_("You do not manage this mission."))
    with transaction.atomic():
        signup = (
            Signup.objects.select_for_update(of=("self",))
            .select_related("volunteer__user", "shift__mission")
            .filter(pk=signup_id, shift=shift, status__in=sorted(HOLDING))
            .first()
            if signup_id
            else None
        )
        now = timezone.now()
        errors = ErrorCollector()
        if signup is None:
            errors.add(
                "signup",
                _("This person is not on the roster of this shift: they cannot be checked in."),
                "not_on_roster",
            )
        elif shift.status == ShiftStatus.CANCELLED:
            errors.add("signup", _("This shift is cancelled."), "cancelled")
        elif now < shift.starts_at - CHECK_IN_OPENS:
            errors.add(
                "signup",
                _("Check-in opens two hours before the shift starts."),
                "too_early",
            )
        errors.raise_if_any()
        assert signup is not None
        changes: dict[str, object]
        if action == RosterAction.CHECK_IN:
            target, changes = SignupStatus.CHECKED_IN, {"checked_in_at": now}
        elif action == RosterAction.CHECK_OUT:
            minutes = _minutes_counted(shift, signup.checked_in_at or shift.starts_at, now)
            target = SignupStatus.CHECKED_OUT
            changes = {"checked_out_at": now, "minutes": minutes}
        elif action == RosterAction.NO_SHOW:
            target, changes = SignupStatus.NO_SHOW, {}
        else:
            raise ValidationError({"action": [_("Unknown action.")]}, code="invalid_action")
        SIGNUP_LIFECYCLE.transition(
            signup,
            target,
            actor=actor,
            history_model=SignupEvent,
            changes=changes,
            locked=True,
        )
        if target == SignupStatus.CHECKED_OUT:
            _record_hours(signup)
        audit_record(actor=actor, action=f"signup.{action}", subject=f"S-{shift.pk}", context=audit)
    return signup


def _minutes_counted(shift: Shift, arrived: dt.datetime, left: dt.datetime) -> int:
    start = max(arrived, shift.starts_at - CHECK_IN_OPENS)
    seconds = (left - start).total_seconds()
    quarters = max(1, math.ceil(seconds / 60 / QUARTER))
    return min(quarters * QUARTER, max(shift.minutes, QUARTER))


def _record_hours(signup: Signup) -> None:
    shift = signup.shift
    mission = shift.mission
    hours_record(
        volunteer=signup.volunteer,
        source="shift",
        source_key=f"signup-{signup.pk}",
        minutes=signup.minutes or 0,
        worked_on=timezone.localtime(shift.starts_at).date(),
        organisation=mission.organisation,
        zone=mission.zone,
        category=mission.category,
        confirmed=True,
    )


def shifts_complete(*, now: dt.datetime | None = None) -> int:
    """Close the shifts that have ended: whoever is still checked in is checked out with
    the shift's length (from their arrival), and their hours are recorded. Safe to run
    twice: a completed shift is not read again, and hours are keyed by sign-up."""
    now = now or timezone.now()
    ended = Shift.objects.filter(status=ShiftStatus.SCHEDULED, ends_at__lte=now).values_list(
        "pk", flat=True
    )
    done = 0
    for pk in list(ended):
        with transaction.atomic():
            shift = (
                Shift.objects.select_for_update()
                .select_related("mission")
                .filter(pk=pk, status=ShiftStatus.SCHEDULED)
                .first()
            )
            if shift is None:
                continue
            for signup in (
                shift.signups.select_for_update(of=("self",))
                .filter(status=SignupStatus.CHECKED_IN)
                .select_related("volunteer", "shift__mission")
            ):
                SIGNUP_LIFECYCLE.transition(
                    signup,
                    SignupStatus.CHECKED_OUT,
                    reason="shift ended",
                    history_model=SignupEvent,
                    changes={
                        "checked_out_at": shift.ends_at,
                        "minutes": _minutes_counted(
                            shift, signup.checked_in_at or shift.starts_at, shift.ends_at
                        ),
                    },
                    locked=True,
                )
                _record_hours(signup)
            SHIFT_LIFECYCLE.transition(shift, ShiftStatus.COMPLETED, locked=True)
            done += 1
    mission_next_shift_refresh(now=now)
    return done


# --- Calendar link --------------------------------------------------------------------


def calendar_token_renew(*, volunteer: Volunteer, audit: AuditContext) -> str:
    """A new private calendar link for ``volunteer``; the previous one stops working.
    The token is returned once; only its hash is kept."""
    token = new_private_token()
    with transaction.atomic():
        CalendarToken.objects.update_or_create(
            volunteer=volunteer, defaults={"token_hash": hash_token(token)}
        )
        audit_record(
            actor=volunteer.user,
            action="missions.calendar_link",
            subject=f"V-{volunteer.pk}",
            context=audit,
        )
    return token


def calendar_token_revoke(*, volunteer: Volunteer, audit: AuditContext) -> None:
    with transaction.atomic():
        CalendarToken.objects.filter(volunteer=volunteer).delete()
        audit_record(
            actor=volunteer.user,
            action="missions.calendar_revoke",
            subject=f"V-{volunteer.pk}",
            context=audit,
        )
