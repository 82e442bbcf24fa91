"""Reads of missions: the volunteers' list (zone, date, kind of help, distance), a
volunteer's shifts, the roster, the fair-load view, and the public feeds' rows."""

import datetime as dt
import math
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from entraide.matching.models import ACTIVE_STATUSES, Assignment
from entraide.people.models import Volunteer
from entraide.platform.roles import coordinated_zone_ids, is_coordinator
from entraide.platform.tokens import hash_token
from entraide.territory.models import Zone

from .models import (
    ACTIVE,
    HOLDING,
    CalendarToken,
    Mission,
    MissionStatus,
    Shift,
    ShiftStatus,
    Signup,
    SignupStatus,
)
from .permissions import managed_organisations


@dataclass(frozen=True)
class MissionFilters:
    zone_code: str = ""
    category: str = ""
    day: dt.date | None = None
    within_km: float | None = None


def open_shifts(*, now: dt.datetime | None = None) -> QuerySet[Shift]:
    """Shifts of published missions still to come, not cancelled."""
    now = now or timezone.now()
    return Shift.objects.filter(
        status=ShiftStatus.SCHEDULED,
        starts_at__gt=now,
        mission__status=MissionStatus.PUBLISHED,
    )


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def missions_listed(
    *, filters: MissionFilters, volunteer: Volunteer | None = None
) -> QuerySet[Mission]:
    """Published missions with a shift to come matching the filters, soonest first: by
    ``next_shift_at`` (kept by the shift services, refreshed by the list and the periodic
    task once that shift has started; index ``mission_next_shift``). The distance is
    measured from the volunteer's home to the mission's zone. :func:`open_counts` adds
    the places of one page."""
    now = timezone.now()
    missions = Mission.objects.filter(status=MissionStatus.PUBLISHED, next_shift_at__gt=now)
    if filters.day is not None:
        start = timezone.make_aware(dt.datetime.combine(filters.day, dt.time.min))
        missions = missions.filter(
            Exists(
                Shift.objects.filter(
                    mission=OuterRef("pk"),
                    status=ShiftStatus.SCHEDULED,
                    starts_at__gt=now,
                    starts_at__gte=start,
                    starts_at__lt=start + dt.timedelta(days=1),
                )
            )
        )
    if filters.zone_code:
        missions = missions.filter(zone__code=filters.zone_code)
    if filters.category:
        missions = missions.filter(category=filters.category)
    if filters.within_km and volunteer is not None:
        # The distance is to the mission's zone: pick the zones near home, then filter.
        near = [
            pk
            for pk, lat, lon in Zone.objects.filter(
                centroid_lat__isnull=False, centroid_lon__isnull=False
            ).values_list("pk", "centroid_lat", "centroid_lon")
            if lat is not None
            and lon is not None
            and distance_km(volunteer.home_lat, volunteer.home_lon, lat, lon) <= filters.within_km
        ]
        missions = missions.filter(zone_id__in=near)
    return missions.select_related("zone", "organisation").order_by("next_shift_at", "id")


def open_counts(missions: list[Mission], *, day: dt.date | None = None) -> dict[int, int]:
    """Mission id → how many of its shifts to come (that day, if given) have a place left."""
    shifts = Shift.objects.filter(
        mission__in=[m.pk for m in missions],
        status=ShiftStatus.SCHEDULED,
        starts_at__gt=timezone.now(),
        taken__lt=F("places"),
    )
    if day is not None:
        start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
        shifts = shifts.filter(starts_at__gte=start, starts_at__lt=start + dt.timedelta(days=1))
    return dict(shifts.values("mission").annotate(n=Count("pk")).values_list("mission", "n"))


def mission_shifts(mission: Mission, *, upcoming_only: bool = True) -> QuerySet[Shift]:
    shifts = mission.shifts.all()
    if upcoming_only:
        shifts = shifts.filter(ends_at__gt=timezone.now())
    return shifts.order_by("starts_at", "id")


def signups_of(volunteer: Volunteer) -> QuerySet[Signup]:
    """A volunteer's sign-ups still alive, soonest shift first."""
    return (
        Signup.objects.filter(volunteer=volunteer, status__in=sorted(ACTIVE))
        .select_related("shift__mission__zone", "shift__mission__organisation")
        .order_by("shift__starts_at", "id")
    )


def active_signup_map(volunteer: Volunteer, shifts: list[Shift]) -> dict[int, Signup]:
    """Shift id → the volunteer's live sign-up on it, for the shifts shown."""
    return {
        signup.shift_id: signup
        for signup in Signup.objects.filter(
            volunteer=volunteer,
            shift__in=[s.pk for s in shifts],
            status__in=sorted(ACTIVE),
        )
    }


def sees_meeting_place(volunteer: Volunteer | None, mission: Mission) -> bool:
    """The meeting place is shown to the volunteers holding a place on one of its shifts."""
    if volunteer is None:
        return False
    return Signup.objects.filter(
        volunteer=volunteer, shift__mission=mission, status__in=sorted(HOLDING)
    ).exists()


def waiting_position(signup: Signup) -> int:
    """1 for the first person waiting."""
    return (
        Signup.objects.filter(shift_id=signup.shift_id, status=SignupStatus.WAITING)
        .filter(
            Q(created_at__lt=signup.created_at) | Q(created_at=signup.created_at, id__lt=signup.pk)
        )
        .count()
        + 1
    )


def roster(shift: Shift) -> tuple[list[Signup], list[Signup]]:
    """Who holds a place (in sign-up order) and who waits (first come, first served)."""
    signups = list(
        shift.signups.filter(status__in=sorted(ACTIVE))
        .select_related("volunteer")
        .order_by("created_at", "id")
    )
    holding = [s for s in signups if s.status in HOLDING]
    waiting = [s for s in signups if s.status == SignupStatus.WAITING]
    return holding, waiting


def volunteer_for_calendar(token: str) -> Volunteer | None:
    found = (
        CalendarToken.objects.filter(token_hash=hash_token(token))
        .select_related("volunteer")
        .first()
    )
    return found.volunteer if found else None


def calendar_shifts(volunteer: Volunteer) -> QuerySet[Signup]:
    """The shifts a volunteer holds a place on, from 30 days ago on."""
    since = timezone.now() - dt.timedelta(days=30)
    return (
        Signup.objects.filter(
            volunteer=volunteer,
            status__in=sorted(HOLDING),
            shift__starts_at__gte=since,
            shift__status__in=[ShiftStatus.SCHEDULED, ShiftStatus.COMPLETED],
        )
        .select_related("shift__mission__zone", "shift__mission__organisation")
        .order_by("shift__starts_at")
    )


def public_open_shifts(*, limit: int = 500) -> QuerySet[Shift]:
    """The shifts of the public feeds: published, to come, with a place left."""
    return (
        open_shifts()
        .filter(taken__lt=F("places"))
        .select_related("mission__zone")
        .order_by("starts_at", "id")[:limit]
    )


# --- Fair load --------------------------------------------------------------------------


@dataclass(frozen=True)
class LoadRow:
    volunteer_id: int
    first_name: str
    zone_code: str
    shifts_30: int
    shifts_90: int
    assignments_30: int
    assignments_90: int

    @property
    def total_30(self) -> int:
        return self.shifts_30 + self.assignments_30

    @property
    def total_90(self) -> int:
        return self.shifts_90 + self.assignments_90


def load_scope(user: User) -> QuerySet[Volunteer]:
    """The volunteers ``user`` may see on the fair-load page: a coordinator's zones'
    verified volunteers; for an organisation, those who signed up for its missions."""
    volunteers = Volunteer.objects.filter(vetting_status="verified")
    if is_coordinator(user):
        zones = coordinated_zone_ids(user)
        return volunteers if zones is None else volunteers.filter(zone_id__in=zones)
    return volunteers.filter(
        shift_signups__shift__mission__organisation__in=managed_organisations(user)
    ).distinct()


def fair_load(*, user: User, limit: int = 20) -> tuple[list[LoadRow], list[LoadRow]]:
    """The most solicited volunteers of the last 30 days (then 90), and those not
    called for the longest (nothing in 90 days first): shifts held plus assignments
    accepted, started or done."""
    now = timezone.now()
    d30, d90 = now - dt.timedelta(days=30), now - dt.timedelta(days=90)

    def shifts_since(since: dt.datetime) -> Coalesce:
        counted = (
            Signup.objects.filter(
                volunteer=OuterRef("pk"),
                status__in=sorted(HOLDING),
                shift__starts_at__gte=since,
                shift__starts_at__lte=now,
            )
            .values("volunteer")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Coalesce(Subquery(counted, output_field=IntegerField()), 0)

    def assignments_since(since: dt.datetime) -> Coalesce:
        counted = (
            Assignment.objects.filter(
                volunteer=OuterRef("pk"),
                status__in=ACTIVE_STATUSES,
                proposed_at__gte=since,
            )
            .values("volunteer")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Coalesce(Subquery(counted, output_field=IntegerField()), 0)

    rows = (
        load_scope(user)
        .filter(paused=False)
        .annotate(
            s30=shifts_since(d30),
            s90=shifts_since(d90),
            a30=assignments_since(d30),
            a90=assignments_since(d90),
        )
        .values_list("pk", "first_name", "zone__code", "s30", "s90", "a30", "a90")
    )
    loads = [LoadRow(*row) for row in rows]
    busiest = sorted(
        (r for r in loads if r.total_90), key=lambda r: (-r.total_30, -r.total_90, r.first_name)
    )[:limit]
    quiet = sorted(loads, key=lambda r: (r.total_90, r.total_30, r.first_name))[:limit]
    return busiest, quiet


def zones_with_missions() -> QuerySet[Zone]:
    return Zone.objects.filter(
        Exists(Mission.objects.filter(zone=OuterRef("pk"), status=MissionStatus.PUBLISHED))
    ).order_by("code")


def booked_shift(volunteer: Volunteer, starts: dt.datetime, ends: dt.datetime) -> Signup | None:
    """A scheduled shift ``volunteer`` holds a place on (or waits for) overlapping
    ``starts`` to ``ends``, if any."""
    return (
        Signup.objects.filter(
            volunteer=volunteer,
            status__in=sorted(ACTIVE),
            shift__status=ShiftStatus.SCHEDULED,
            shift__starts_at__lt=ends,
            shift__ends_at__gt=starts,
        )
        .select_related("shift__mission")
        .first()
    )
