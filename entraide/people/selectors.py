"""Reads of volunteers and organisations for the coordinators' pages, narrowed to the
zones a coordinator covers (``platform.roles.coordinated_zone_ids``)."""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from entraide.platform.roles import coordinated_zone_ids
from entraide.territory.models import Zone

from .models import Organisation, OrganisationOffer, VettingEvent, VettingStatus, Volunteer

# The assignment states (matching's) that hold a volunteer's or an offer's capacity:
# people sits below matching, so it names the states rather than importing them.
WORKING_STATES = ("accepted", "started")
WEEK_STATES = ("proposed", "accepted", "started", "done")


@dataclass(frozen=True)
class VolunteerFilters:
    status: str = ""
    zone_code: str = ""
    skill: str = ""


ZoneIds = set[int] | None  # a coordinator's zones (``coordinated_zone_ids``); None: all


def coordinator_zones(zone_ids: ZoneIds) -> QuerySet[Zone]:
    """The zones of ``zone_ids`` (all of them for a territory coordinator)."""
    zones = Zone.objects.order_by("code")
    return zones if zone_ids is None else zones.filter(pk__in=zone_ids)


def _in_scope(zone_ids: ZoneIds) -> QuerySet[Volunteer]:
    volunteers = Volunteer.objects.all()
    return volunteers if zone_ids is None else volunteers.filter(zone_id__in=zone_ids)


def volunteer_list(*, zone_ids: ZoneIds, filters: VolunteerFilters) -> QuerySet[Volunteer]:
    """The volunteers of the coordinator's zones, newest sign-ups waiting first, each
    with ``load`` (accepted or started assignments) and ``last_seen`` (last sign-in).

    One query, however many rows: the zone is joined and the load counted in SQL.
    """
    volunteers = _filtered(_in_scope(zone_ids), filters)
    return (
        volunteers.select_related("zone", "user")
        .only(
            "first_name",
            "vetting_status",
            "paused",
            "categories",
            "languages",
            "created_at",
            "zone__code",
            "zone__name",
            "user__last_login",
        )
        .annotate(load=Count("assignments", filter=Q(assignments__status__in=WORKING_STATES)))
        .order_by("vetting_status", "-created_at", "pk")
    )


def _filtered(volunteers: QuerySet[Volunteer], filters: VolunteerFilters) -> QuerySet[Volunteer]:
    if filters.status:
        volunteers = volunteers.filter(vetting_status=filters.status)
    if filters.zone_code:
        volunteers = volunteers.filter(zone__code=filters.zone_code)
    if filters.skill:
        # A JSON list of codes: the quoted code is in its text on every database.
        volunteers = volunteers.filter(categories__icontains=f'"{filters.skill}"')
    return volunteers


def volunteer_counts(*, zone_ids: ZoneIds, filters: VolunteerFilters) -> dict[str, int]:
    """Vetting state → how many volunteers of the coordinator's zones are in it (the
    zone and skill filters applied, not the state filter), with every state present."""
    scoped = _filtered(
        _in_scope(zone_ids), VolunteerFilters(zone_code=filters.zone_code, skill=filters.skill)
    )
    counts = dict.fromkeys(VettingStatus.values, 0)
    for row in scoped.order_by().values("vetting_status").annotate(n=Count("pk")):
        counts[row["vetting_status"]] = row["n"]
    return counts


def volunteer_for_coordinator(*, user: AbstractBaseUser, pk: int) -> Volunteer:
    """One volunteer of the coordinator's zones, with their vetting history.

    Raise Volunteer.DoesNotExist for a volunteer outside them (the page is then a 404:
    their existence is not revealed either).
    """
    return (
        _in_scope(coordinated_zone_ids(user))
        .select_related("zone", "user")
        .annotate(load=Count("assignments", filter=Q(assignments__status__in=WORKING_STATES)))
        .prefetch_related(
            Prefetch("vetting", queryset=volunteer_history_queryset(), to_attr="history")
        )
        .get(pk=pk)
    )


def volunteer_history_queryset() -> QuerySet[VettingEvent]:
    return VettingEvent.objects.select_related("by").order_by("-created_at", "-id")


@dataclass(frozen=True)
class OfferCapacity:
    offer: OrganisationOffer
    used: int

    @property
    def remaining(self) -> int:
        return max(0, self.offer.capacity_per_week - self.used)


def organisation_list(
    *, user: AbstractBaseUser, now: dt.datetime | None = None
) -> list[tuple[Organisation, list[OfferCapacity]]]:
    """The organisations working in the coordinator's zones, each with its active offers
    and what is left of their weekly capacity (assignments of the last seven days, as
    matching counts them). Four queries, however many organisations."""
    now = now or timezone.now()
    zone_ids = coordinated_zone_ids(user)
    organisations = Organisation.objects.order_by("name")
    if zone_ids is not None:
        organisations = organisations.filter(zones__in=zone_ids).distinct()
    offers = OrganisationOffer.objects.filter(active=True).annotate(
        used=Count(
            "assignments",
            filter=Q(
                assignments__status__in=WEEK_STATES,
                assignments__proposed_at__gte=now - dt.timedelta(days=7),
            ),
        )
    )
    listed = organisations.prefetch_related(
        Prefetch("offers", queryset=offers.order_by("title"), to_attr="active_offers"),
        "zones",
    )
    return [
        (organisation, [OfferCapacity(offer, offer.used) for offer in organisation.active_offers])
        for organisation in listed
    ]
