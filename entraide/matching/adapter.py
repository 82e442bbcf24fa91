"""The one bridge between Django models and the pure engine: models in, engine types out.

Supply ids in the engine are positions in the list returned by :func:`load_supply`, so
volunteers and organisation offers can share one id space.

Rows the engine cannot use (a NaN or out-of-range coordinate, a negative radius...) never
abort matching: :func:`load_supply` leaves such supplies out, the engine skips such
requests (``MatchResult.rejected``), and both are logged here with the row's primary key
and the reason (never the coordinates themselves).
"""

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from entraide.needs.models import HelpRequest, TimeOfDay
from entraide.people.models import OrganisationOffer, VettingStatus, Volunteer

from . import engine
from .models import ACTIVE_STATUSES, OPEN_STATUSES, Assignment, AssignmentStatus, BlockedPair

logger = logging.getLogger(__name__)

# Categories a volunteer may only serve after an extra check (e.g. a criminal record check).
EXTRA_CHECK_CATEGORIES = frozenset({"childcare"})
PERIOD_HOURS = {"morning": (8, 12), "afternoon": (12, 18), "evening": (18, 21)}
WEEKDAY_INDEX = {
    day: index for index, day in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))
}


@dataclass(frozen=True)
class SupplyRef:
    kind: str  # "volunteer" or "organisation_offer"
    pk: int


def availability_hours(slots: list[str]) -> frozenset[int]:
    """["mon:morning", "sat:evening"] → the hour-of-week slots they cover."""
    hours: set[int] = set()
    for slot in slots:
        day, _sep, period = slot.partition(":")
        if day in WEEKDAY_INDEX and period in PERIOD_HOURS:
            start, end = PERIOD_HOURS[period]
            hours.update(WEEKDAY_INDEX[day] * 24 + hour for hour in range(start, end))
    return frozenset(hours) or engine.ALWAYS_AVAILABLE


def hour_of_week(moment: dt.datetime) -> int:
    local = timezone.localtime(moment)
    return local.weekday() * 24 + local.hour


def request_window(help_request: HelpRequest, now: dt.datetime) -> tuple[int, int]:
    """The request's time window as hour-of-week slots, from now at the earliest.

    A one-day window keeps only the chosen time of day; longer windows cover whole days
    (capped at one week, the engine's horizon).
    """
    tz = timezone.get_current_timezone()
    start = now
    if help_request.window_start:
        start = max(now, dt.datetime.combine(help_request.window_start, dt.time(), tzinfo=tz))
    end = start + dt.timedelta(days=7)
    if help_request.window_end:
        day_after = help_request.window_end + dt.timedelta(days=1)
        end = min(end, dt.datetime.combine(day_after, dt.time(), tzinfo=tz))
    hours = max(1, min(engine.HOURS_PER_WEEK, int((end - start).total_seconds() // 3600)))
    first = hour_of_week(start)
    if hours <= 24 and help_request.time_of_day != TimeOfDay.ANY:
        period_start, period_end = PERIOD_HOURS[help_request.time_of_day]
        day_start = first - first % 24
        first = max(first, day_start + period_start)
        hours = max(1, day_start + period_end - first)
    return first, first + hours


def request_time_slot(help_request: HelpRequest) -> tuple[dt.datetime, dt.datetime] | None:
    """When helping with ``help_request`` takes the helper's time, if it is fixed: a
    one-day window with a chosen time of day (Tuesday afternoon → Tuesday 12:00 to 18:00).
    Any longer window leaves the helper free to choose, so it holds no particular hour."""
    day = help_request.window_start
    if day is None or help_request.window_end != day or help_request.time_of_day == TimeOfDay.ANY:
        return None
    tz = timezone.get_current_timezone()
    start_hour, end_hour = PERIOD_HOURS[help_request.time_of_day]
    return (
        dt.datetime.combine(day, dt.time(start_hour), tzinfo=tz),
        dt.datetime.combine(day, dt.time(end_hour), tzinfo=tz),
    )


def engine_request(help_request: HelpRequest, now: dt.datetime) -> engine.Request:
    contact = getattr(help_request, "contact", None)
    lat = contact.lat if contact and contact.lat is not None else help_request.zone.centroid_lat
    lon = contact.lon if contact and contact.lon is not None else help_request.zone.centroid_lon
    start, end = request_window(help_request, now)
    # A regional variant (Québec French, "fr-ca") is spoken by whoever speaks its language.
    language = help_request.language.split("-")[0]
    needs_language = language != settings.LANGUAGE_CODE
    request = engine.Request(
        id=help_request.pk,
        lat=float("nan") if lat is None else lat,
        lon=float("nan") if lon is None else lon,
        category=help_request.category,
        urgency=help_request.urgency,
        window_start=start,
        window_end=end,
        languages=frozenset({language}) if needs_language else frozenset(),
    )
    if (problem := engine.request_problem(request)) is not None:
        logger.warning("matching skips help request %s: %s", help_request.pk, problem)
    return request


def rejection_reasons(result: engine.MatchResult) -> dict[int, str]:
    """Help request pk -> why the engine skipped it (invalid data), for display or logs."""
    return {row.id: row.reason for row in result.rejected if row.kind == "request"}


def _valid_supply(ref: SupplyRef, supply: engine.Supply) -> bool:
    problem = engine.supply_problem(supply)
    if problem is not None:
        logger.warning("matching skips %s %s: %s", ref.kind.replace("_", " "), ref.pk, problem)
    return problem is None


def _volunteer_categories(volunteer: Volunteer) -> frozenset[str]:
    categories = frozenset(volunteer.categories)
    return categories if volunteer.extra_check_passed else categories - EXTRA_CHECK_CATEGORIES


def load_supply(
    *, count_proposals: bool, now: dt.datetime
) -> list[tuple[SupplyRef, engine.Supply]]:
    """Every verified, unpaused volunteer and active organisation offer, with the capacity
    they have left (zero included, so that "capacity exhausted" can be told apart).

    Accepted and started assignments always use capacity; open proposals do too for the
    instant path (``count_proposals``), not for the batch path, which may move them.
    """
    week_ago = now - dt.timedelta(days=7)
    holding = list(ACTIVE_STATUSES[:2]) + ([AssignmentStatus.PROPOSED] if count_proposals else [])
    volunteers = (
        Volunteer.objects.filter(
            vetting_status=VettingStatus.VERIFIED, paused=False, user__is_active=True
        )
        .annotate(
            open_count=Count("assignments", filter=Q(assignments__status__in=holding)),
            week_count=Count(
                "assignments",
                filter=Q(
                    assignments__status__in=ACTIVE_STATUSES, assignments__proposed_at__gte=week_ago
                ),
            ),
        )
        .order_by("pk")
    )
    rows: list[tuple[SupplyRef, engine.Supply]] = []
    for volunteer in volunteers:
        remaining = min(
            volunteer.max_open_assignments - volunteer.open_count,
            volunteer.max_per_week - volunteer.week_count,
        )
        categories = _volunteer_categories(volunteer)
        if not categories:
            continue
        ref = SupplyRef("volunteer", volunteer.pk)
        supply = engine.Supply(
            id=len(rows),
            lat=_coordinate(volunteer.home_lat),
            lon=_coordinate(volunteer.home_lon),
            radius_km=volunteer.radius_km,
            categories=categories,
            languages=frozenset(volunteer.languages),
            availability=availability_hours(volunteer.availability),
            capacity=max(0, remaining),
        )
        if _valid_supply(ref, supply):
            rows.append((ref, supply))
    offers = (
        OrganisationOffer.objects.filter(active=True)
        .annotate(
            week_count=Count(
                "assignments",
                filter=Q(
                    assignments__status__in=[*OPEN_STATUSES, AssignmentStatus.DONE],
                    assignments__proposed_at__gte=week_ago,
                ),
            )
        )
        .order_by("pk")
    )
    for offer in offers:
        remaining = offer.capacity_per_week - offer.week_count
        if not offer.categories:
            continue
        ref = SupplyRef("organisation_offer", offer.pk)
        supply = engine.Supply(
            id=len(rows),
            lat=_coordinate(offer.lat),
            lon=_coordinate(offer.lon),
            radius_km=offer.radius_km,
            categories=frozenset(offer.categories),
            languages=frozenset(offer.languages),
            capacity=max(0, remaining),
        )
        if _valid_supply(ref, supply):
            rows.append((ref, supply))
    return rows


def _coordinate(value: float | None) -> float:
    """A missing coordinate becomes NaN, which the engine rejects with a clear reason."""
    return float("nan") if value is None else float(value)


def blocked_pairs(
    rows: list[tuple[SupplyRef, engine.Supply]], request_ids: list[int]
) -> frozenset[tuple[int, int]]:
    """Coordinator blocks and earlier refusals, as (request id, engine supply id) pairs."""
    supply_id = {ref: supply.id for ref, supply in rows}
    pairs: set[tuple[int, int]] = set()
    blocks = BlockedPair.objects.filter(help_request_id__in=request_ids).values_list(
        "help_request_id", "volunteer_id"
    )
    refusals = Assignment.objects.filter(
        help_request_id__in=request_ids,
        status__in=[
            AssignmentStatus.DECLINED,
            AssignmentStatus.EXPIRED,
            AssignmentStatus.WITHDRAWN,
        ],
        volunteer__isnull=False,
    ).values_list("help_request_id", "volunteer_id")
    for request_id, volunteer_id in [*blocks, *refusals]:
        engine_id = supply_id.get(SupplyRef("volunteer", volunteer_id))
        if engine_id is not None:
            pairs.add((request_id, engine_id))
    return frozenset(pairs)
