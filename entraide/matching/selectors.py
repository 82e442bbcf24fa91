"""Read-only questions about matching, for the coordinators' case view: who could help
one request, ranked as the engine ranks them, and why nobody can when nobody can.

Only the volunteers who could reach the request are loaded (a bounding box of the largest
travel radius, and the category on PostgreSQL), then the engine's own candidate
generation filters and ranks them, so the rules stay those of the engine.
"""

import datetime as dt
import math
from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, ExpressionWrapper, F, FloatField, Max, Q, QuerySet, Value
from django.utils import timezone

from entraide.needs.categories import PUBLIC_CODES
from entraide.needs.models import HelpRequest
from entraide.needs.selectors import PUBLIC_REQUEST_FIELDS
from entraide.needs.states import RequestStatus
from entraide.people.models import VettingStatus, Volunteer

from . import adapter, engine
from .engine.arrays import build_instance
from .engine.candidates import find_candidates
from .models import ACTIVE_STATUSES, Assignment, AssignmentSource, AssignmentStatus, BlockedPair

KM_PER_DEGREE = 111.32
SUGGESTIONS = 8


@dataclass(frozen=True)
class HelperCandidate:
    """One volunteer the engine would accept for a request, with what a coordinator
    weighs before assigning by hand."""

    volunteer_id: int
    first_name: str
    zone_name: str
    distance_km: float
    categories: tuple[str, ...]
    languages: tuple[str, ...]
    open_count: int
    capacity_left: int
    last_assigned_at: dt.datetime | None


@dataclass(frozen=True)
class Suggestions:
    """The nearest eligible volunteers (nearest first), the engine's reason when there is
    none, and how far the search looked (the largest travel radius of verified volunteers)."""

    candidates: tuple[HelperCandidate, ...]
    reason: engine.UnmatchedReason | None
    search_km: float


# The nearest volunteers who speak the request's language are tried first; when none of
# them qualifies, a wider round (any language) finds who could and tells the reason.
FIRST_ROUND = 64
WIDE_ROUND = 1000
RADIUS_SLACK = 1.02  # the SQL distance is approximate: never drop one the engine keeps

_FIELDS = (
    "pk",
    "first_name",
    "zone__name",
    "home_lat",
    "home_lon",
    "radius_km",
    "categories",
    "languages",
    "availability",
    "extra_check_passed",
    "max_open_assignments",
    "max_per_week",
)


def _nearby_volunteers(
    help_request: HelpRequest, request: engine.Request, km: float, *, first: int, narrow: bool
) -> list:
    """The ``first`` verified volunteers whose own radius reaches the request, nearest
    first (an equirectangular distance in SQL, portable); ``narrow``: only those who share
    the request's language (PostgreSQL)."""
    lat, lon = request.lat, request.lon
    cos = max(0.1, math.cos(math.radians(lat)))
    dlat, dlon = km / KM_PER_DEGREE, km / (KM_PER_DEGREE * cos)
    dy = (F("home_lat") - Value(lat)) * Value(KM_PER_DEGREE)
    dx = (F("home_lon") - Value(lon)) * Value(KM_PER_DEGREE * cos)
    volunteers = Volunteer.objects.filter(
        vetting_status=VettingStatus.VERIFIED,
        paused=False,
        user__is_active=True,
        home_lat__range=(lat - dlat, lat + dlat),
        home_lon__range=(lon - dlon, lon + dlon),
    ).alias(
        d2=ExpressionWrapper(dy * dy + dx * dx, output_field=FloatField()),
        reach2=ExpressionWrapper(
            F("radius_km") * F("radius_km") * Value(RADIUS_SLACK**2), output_field=FloatField()
        ),
    )
    volunteers = volunteers.filter(d2__lte=F("reach2")).order_by("d2", "pk")
    if connection.features.supports_json_field_contains:
        volunteers = volunteers.filter(categories__contains=[help_request.category])
        if narrow and request.languages:
            volunteers = volunteers.filter(languages__contains=sorted(request.languages)[:1])
    return list(volunteers.values_list(*_FIELDS)[:first])


def _reason_when_nobody_near(help_request: HelpRequest) -> engine.UnmatchedReason:
    """Nobody verified lives near enough: is it the distance, or the kind of help?"""
    volunteers = Volunteer.objects.filter(vetting_status=VettingStatus.VERIFIED, paused=False)
    if help_request.category in adapter.EXTRA_CHECK_CATEGORIES:
        volunteers = volunteers.filter(extra_check_passed=True)
    if connection.features.supports_json_field_contains:
        offering = volunteers.filter(categories__contains=[help_request.category]).exists()
    else:
        offering = any(
            help_request.category in categories
            for categories in volunteers.values_list("categories", flat=True).iterator()
        )
    if offering:
        return engine.UnmatchedReason.NO_SUPPLY_IN_RADIUS
    return engine.UnmatchedReason.NO_SUPPLY_FOR_CATEGORY


def _loads(volunteer_ids: list[int], now: dt.datetime) -> dict[int, dict]:
    """Open work (proposals included, as for an instant proposal), work this week and the
    last assignment of each volunteer, in one query."""
    week_ago = now - dt.timedelta(days=7)
    holding = [AssignmentStatus.PROPOSED, *ACTIVE_STATUSES[:2]]
    rows = (
        Assignment.objects.filter(volunteer_id__in=volunteer_ids)
        .values("volunteer_id")
        .annotate(
            open_count=Count("pk", filter=Q(status__in=holding)),
            week_count=Count("pk", filter=Q(status__in=ACTIVE_STATUSES, proposed_at__gte=week_ago)),
            last=Max("proposed_at", filter=Q(status__in=ACTIVE_STATUSES)),
        )
    )
    return {row["volunteer_id"]: dict(row) for row in rows}


def helper_suggestions(
    *, help_request: HelpRequest, limit: int = SUGGESTIONS, now: dt.datetime | None = None
) -> Suggestions:
    """The volunteers the engine would propose for ``help_request``, nearest first.

    Eligibility is the engine's: category (and the extra check for childcare), the
    volunteer's own radius, a common language, availability in the request's window, no
    block or earlier refusal on this request, and capacity left.
    """
    now = now or timezone.now()
    request = adapter.engine_request(help_request, now)
    search_km = (
        Volunteer.objects.filter(vetting_status=VettingStatus.VERIFIED).aggregate(
            km=Max("radius_km")
        )["km"]
        or 0.0
    )
    found = _rank(help_request, request, search_km, limit, now, first=FIRST_ROUND, narrow=True)
    if found is None or not found[0]:
        found = _rank(help_request, request, search_km, limit, now, first=WIDE_ROUND, narrow=False)
    if found is None:
        return Suggestions((), _reason_when_nobody_near(help_request), float(search_km))
    candidates, reason = found
    return Suggestions(tuple(candidates), reason, float(search_km))


def _rank(
    help_request: HelpRequest,
    request: engine.Request,
    search_km: float,
    limit: int,
    now: dt.datetime,
    *,
    first: int,
    narrow: bool,
) -> tuple[list[HelperCandidate], engine.UnmatchedReason | None] | None:
    """The engine's eligible candidates among the nearby volunteers, nearest first, and
    its reason when there is none; None when nobody is near enough at all."""
    nearby = _nearby_volunteers(help_request, request, search_km, first=first, narrow=narrow)
    if not nearby:
        return None
    loads = _loads([row[0] for row in nearby], now)
    rows: list = []
    facts: dict = {}
    for pk, name, zone, lat, lon, radius, cats, langs, slots, checked, cap, week in nearby:
        load = loads.get(pk, {})
        open_count = load.get("open_count", 0)
        left = max(0, min(cap - open_count, week - load.get("week_count", 0)))
        categories = frozenset(cats)
        if not checked:
            categories -= adapter.EXTRA_CHECK_CATEGORIES
        supply = engine.Supply(
            id=len(rows),
            lat=lat,
            lon=lon,
            radius_km=radius,
            categories=categories,
            languages=frozenset(langs),
            availability=adapter.availability_hours(slots),
            capacity=left,
        )
        rows.append((adapter.SupplyRef("volunteer", pk), supply))
        facts[supply.id] = (pk, name, zone, cats, langs, open_count, left, load.get("last"))
    blocked = adapter.blocked_pairs(rows, [help_request.pk])
    instance = build_instance([request], [supply for _ref, supply in rows], blocked)
    found = find_candidates(instance, limit)
    order = sorted(zip(found.sup.tolist(), found.dist_km.tolist(), strict=True), key=lambda x: x[1])
    candidates = []
    for position, distance in order[:limit]:
        pk, name, zone, cats, langs, open_count, left, last = facts[
            int(instance.supplies.ids[position])
        ]
        candidates.append(
            HelperCandidate(
                pk,
                name,
                zone,
                round(distance, 2),
                tuple(cats),
                tuple(langs),
                open_count,
                left,
                last,
            )
        )
    return candidates, None if candidates else found.reason(0)


# The list of requests near a volunteer: read from the public columns only (the point on
# the 500 m grid), then the exact rules are the engine's when they take one.
NEARBY_PAGE_SIZE = 20
PUBLIC_GRID_SLACK_KM = 0.5


@dataclass(frozen=True)
class NearbyRequest:
    """An open request near a volunteer, as the public board shows it, and how far its
    public point is from their home (rounded, the point being on the 500 m grid)."""

    help_request: HelpRequest
    distance_km: float


def _nearby_queryset(volunteer: Volunteer) -> QuerySet[HelpRequest]:
    """Open, non-sensitive requests whose public point is within the volunteer's travel
    radius (an equirectangular distance in SQL, as for the coordinators' suggestions), of
    the kinds of help they offer, in a language they speak (or the platform's), that
    nobody has taken and that they have not declined or been blocked from: most urgent
    first, then nearest. Only public columns are read; ``d2`` is the squared distance."""
    categories = set(volunteer.categories) & PUBLIC_CODES
    if not volunteer.extra_check_passed:
        categories -= adapter.EXTRA_CHECK_CATEGORIES
    lat, lon = volunteer.home_lat, volunteer.home_lon
    km = volunteer.radius_km + PUBLIC_GRID_SLACK_KM
    cos = max(0.1, math.cos(math.radians(lat)))
    dlat, dlon = km / KM_PER_DEGREE, km / (KM_PER_DEGREE * cos)
    dy = (F("public_lat") - Value(lat)) * Value(KM_PER_DEGREE)
    dx = (F("public_lon") - Value(lon)) * Value(KM_PER_DEGREE * cos)
    languages = {settings.LANGUAGE_CODE, *volunteer.languages}
    taken_or_refused = Assignment.objects.filter(
        Q(status__in=[AssignmentStatus.ACCEPTED, AssignmentStatus.STARTED])
        | Q(
            volunteer=volunteer,
            status__in=[
                AssignmentStatus.DECLINED,
                AssignmentStatus.EXPIRED,
                AssignmentStatus.WITHDRAWN,
            ],
        )
    ).values("help_request_id")
    blocked = BlockedPair.objects.filter(volunteer=volunteer).values("help_request_id")
    return (
        HelpRequest.objects.filter(
            status=RequestStatus.OPEN,
            category__in=sorted(categories),
            language__in=sorted(languages),
            public_lat__range=(lat - dlat, lat + dlat),
            public_lon__range=(lon - dlon, lon + dlon),
        )
        .exclude(pk__in=taken_or_refused)
        .exclude(pk__in=blocked)
        .annotate(d2=ExpressionWrapper(dy * dy + dx * dx, output_field=FloatField()))
        .filter(d2__lte=km * km)
        .only(*PUBLIC_REQUEST_FIELDS)
        .select_related("zone")
        .order_by("-urgency", "d2", "pk")
    )


def _nearby_item(help_request: HelpRequest) -> NearbyRequest:
    return NearbyRequest(help_request, round(math.sqrt(help_request.d2), 1))  # type: ignore[attr-defined]


def requests_near_volunteer(*, volunteer: Volunteer) -> list[NearbyRequest]:
    """Every request of :func:`_nearby_queryset` (for tests and small lists)."""
    return [_nearby_item(help_request) for help_request in _nearby_queryset(volunteer)]


def requests_near_volunteer_page(*, volunteer: Volunteer, number: str | None) -> Page:
    """One page of the requests near a volunteer: two queries, whatever the count."""
    paginator = Paginator(_nearby_queryset(volunteer), NEARBY_PAGE_SIZE)
    page = paginator.get_page(number)
    items = [_nearby_item(help_request) for help_request in page.object_list]
    return Page(items, page.number, paginator)


def volunteer_claims(*, zone_ids: list[int], days: int = 7, limit: int = 20) -> list[Assignment]:
    """Requests of these zones that volunteers took themselves and are still working on
    (or finished within ``days``), newest first: a coordinator checks them and may
    release one."""
    since = timezone.now() - dt.timedelta(days=days)
    return list(
        Assignment.objects.filter(
            source=AssignmentSource.VOLUNTEER,
            help_request__zone_id__in=zone_ids,
            proposed_at__gte=since,
            status__in=[AssignmentStatus.ACCEPTED, AssignmentStatus.STARTED],
        )
        .select_related("help_request__zone", "volunteer")
        .order_by("-proposed_at", "-pk")[:limit]
    )


def volunteer_booked_assignment(
    *, volunteer: Volunteer, starts: dt.datetime, ends: dt.datetime
) -> Assignment | None:
    """An accepted or started assignment of ``volunteer`` whose request is fixed at an
    hour overlapping ``starts`` to ``ends`` (see ``adapter.request_time_slot``), if any."""
    held = Assignment.objects.filter(
        volunteer=volunteer,
        status__in=[AssignmentStatus.ACCEPTED, AssignmentStatus.STARTED],
        help_request__window_start__lte=timezone.localdate(ends),
        help_request__window_end__gte=timezone.localdate(starts),
    ).select_related("help_request")
    for assignment in held:
        slot = adapter.request_time_slot(assignment.help_request)
        if slot is not None and slot[0] < ends and starts < slot[1]:
            return assignment
    return None
