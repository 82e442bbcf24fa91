"""The dashboard's figures, each aggregated by the database in a bounded number of queries.

Definitions (also in docs/insight.md):

- *open*: a request whose status is ``open`` (nobody found yet), whatever its age.
- *overdue*: open for longer than its urgency allows (:data:`WAIT_LIMITS`).
- *matched*: the request has an accepted, started or done assignment (at most one, the
  database enforces it); *time to match* is that assignment's ``responded_at`` minus the
  request's ``created_at``; *time to completion* its ``finished_at`` once done.
- *match rate*: requests created in the period that were matched ÷ those not cancelled.
- *active* volunteer: accepted at least one assignment in the period; *overloaded*: more
  than :func:`overload_threshold` in the 7 days before the period's end; *idle*: verified,
  not paused, and accepted nothing in the period.
"""

import datetime as dt
from dataclasses import dataclass, field
from functools import reduce
from itertools import pairwise
from operator import or_

from django.apps import apps
from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from entraide.matching.models import ACTIVE_STATUSES
from entraide.needs.categories import CATEGORIES
from entraide.needs.models import HelpOffer, OfferCategory, Urgency
from entraide.needs.states import OfferStatus, RequestStatus
from entraide.people.models import VettingStatus, Volunteer

from .access import Scope
from .models import RequestFact
from .periods import Period
from .rollups import facts_ensure_fresh
from .stats import percentiles

WAIT_LIMITS: dict[int, dt.timedelta] = {
    Urgency.CRITICAL: dt.timedelta(hours=4),
    Urgency.HIGH: dt.timedelta(hours=24),
    Urgency.NORMAL: dt.timedelta(hours=72),
    Urgency.LOW: dt.timedelta(days=7),
}

# Upper bounds (seconds) of the time-to-match histogram's buckets; the last is open-ended.
MATCH_BUCKETS: tuple[int, ...] = (3600, 4 * 3600, 24 * 3600, 3 * 86400, 7 * 86400)


def overload_threshold() -> int:
    """More assignments than this in 7 days makes a volunteer overloaded."""
    return int(getattr(settings, "ENTRAIDE_INSIGHT_OVERLOAD_PER_WEEK", 3))


def overdue_q(now: dt.datetime) -> Q:
    return reduce(
        or_, (Q(urgency=level, created_at__lt=now - limit) for level, limit in WAIT_LIMITS.items())
    )


@dataclass
class ZoneRow:
    zone_id: int
    code: str
    name: str
    open: int = 0
    overdue: int = 0
    created: int = 0
    cancelled: int = 0
    matched: int = 0
    done: int = 0
    offers: int = 0

    @property
    def match_rate(self) -> float | None:
        base = self.created - self.cancelled
        return self.matched / base if base else None

    @property
    def unmet(self) -> int:
        """How the map and the ranking order zones: open requests, overdue ones twice."""
        return self.open + self.overdue


@dataclass
class Durations:
    count: int = 0
    median: float | None = None
    p90: float | None = None


@dataclass
class Dashboard:
    zones: list[ZoneRow]
    open_by_category: dict[str, dict[int, int]]
    overdue_by_urgency: dict[int, int]
    offers_by_category: dict[str, int]
    to_match: Durations
    to_completion: Durations
    match_histogram: list[int]
    volunteers: dict[str, int]
    timeline: dict[dt.date, dict[str, int]]
    care: dict[str, int] | None = None
    as_of: dt.datetime | None = None
    totals: ZoneRow = field(init=False)

    def __post_init__(self) -> None:
        totals = ZoneRow(0, "", "")
        for row in self.zones:
            for name in ("open", "overdue", "created", "cancelled", "matched", "done", "offers"):
                setattr(totals, name, getattr(totals, name) + getattr(row, name))
        self.totals = totals

    @property
    def category_rows(self) -> list[dict]:
        """Open requests by category and urgency, with the open offers that cover each."""
        rows = []
        for category in CATEGORIES:
            by_urgency = self.open_by_category.get(category.code, {})
            offers = self.offers_by_category.get(category.code, 0)
            if not by_urgency and not offers:
                continue
            rows.append(
                {
                    "code": category.code,
                    "label": category.label,
                    "by_urgency": [by_urgency.get(level, 0) for level in URGENCY_ORDER],
                    "open": sum(by_urgency.values()),
                    "offers": offers,
                }
            )
        return rows


URGENCY_ORDER = (Urgency.CRITICAL, Urgency.HIGH, Urgency.NORMAL, Urgency.LOW)


def _open_requests(scope: Scope, rows: dict[int, ZoneRow], now: dt.datetime):
    by_category: dict[str, dict[int, int]] = {}
    overdue_by_urgency: dict[int, int] = {}
    grouped = (
        RequestFact.objects.filter(zone_id__in=scope.zone_ids, status=RequestStatus.OPEN)
        .values("zone_id", "category", "urgency")
        .annotate(n=Count("pk"), overdue=Count("pk", filter=overdue_q(now)))
        .order_by()
    )
    for item in grouped:
        row = rows[item["zone_id"]]
        row.open += item["n"]
        row.overdue += item["overdue"]
        levels = by_category.setdefault(item["category"], {})
        levels[item["urgency"]] = levels.get(item["urgency"], 0) + item["n"]
        overdue_by_urgency[item["urgency"]] = (
            overdue_by_urgency.get(item["urgency"], 0) + item["overdue"]
        )
    return by_category, overdue_by_urgency


def _facts_in(scope: Scope, period: Period) -> QuerySet[RequestFact]:
    """The rollup's rows of the requests created in the period (``rollups.py``)."""
    return RequestFact.objects.filter(
        zone_id__in=scope.zone_ids, created_at__gte=period.start, created_at__lt=period.end
    )


def _flow(scope: Scope, period: Period, rows: dict[int, ZoneRow]) -> None:
    grouped = (
        _facts_in(scope, period)
        .values("zone_id")
        .annotate(
            created=Count("pk"),
            cancelled=Count("pk", filter=Q(status=RequestStatus.CANCELLED)),
            matched=Count("pk", filter=Q(matched=True)),
            done=Count("pk", filter=Q(status=RequestStatus.DONE)),
        )
        .order_by()
    )
    for item in grouped:
        row = rows[item["zone_id"]]
        row.created, row.cancelled = item["created"], item["cancelled"]
        row.matched, row.done = item["matched"], item["done"]


def _time_to_match(scope: Scope, period: Period) -> tuple[Durations, list[int]]:
    """The active assignment's answer time, for requests created in the period (at most
    one active assignment per request, so one row per request in the rollup)."""
    matches = _facts_in(scope, period).filter(match_seconds__isnull=False)
    buckets = {
        f"b{index}": Count("pk", filter=Q(match_seconds__lt=bound))
        for index, bound in enumerate(MATCH_BUCKETS)
    }
    counts = matches.aggregate(n=Count("pk"), **buckets)
    cumulative = [counts[f"b{index}"] for index in range(len(MATCH_BUCKETS))] + [counts["n"]]
    histogram = [cumulative[0]] + [b - a for a, b in pairwise(cumulative)]
    values = percentiles(matches, "match_seconds", (0.5, 0.9), count=counts["n"])
    return Durations(counts["n"], values[0.5], values[0.9]), histogram


def _time_to_completion(scope: Scope, period: Period) -> Durations:
    done = _facts_in(scope, period).filter(done_seconds__isnull=False)
    count = done.count()
    values = percentiles(done, "done_seconds", (0.5, 0.9), count=count)
    return Durations(count, values[0.5], values[0.9])


def _offers(scope: Scope, rows: dict[int, ZoneRow]) -> dict[str, int]:
    for item in (
        HelpOffer.objects.filter(zone_id__in=scope.zone_ids, status=OfferStatus.OPEN)
        .values("zone_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        rows[item["zone_id"]].offers = item["n"]
    return {
        item["category"]: item["n"]
        for item in OfferCategory.objects.filter(
            offer__zone_id__in=scope.zone_ids, offer__status=OfferStatus.OPEN
        )
        .values("category")
        .annotate(n=Count("id"))
        .order_by()
    }


def _volunteers(scope: Scope, period: Period) -> dict[str, int]:
    accepted = Q(assignments__status__in=ACTIVE_STATUSES)
    week_start = period.end - dt.timedelta(days=7)
    return (
        Volunteer.objects.filter(zone_id__in=scope.zone_ids, vetting_status=VettingStatus.VERIFIED)
        .annotate(
            in_period=Count(
                "assignments",
                filter=accepted
                & Q(
                    assignments__responded_at__gte=period.start,
                    assignments__responded_at__lt=period.end,
                ),
            ),
            last_week=Count(
                "assignments",
                filter=accepted
                & Q(
                    assignments__responded_at__gte=week_start,
                    assignments__responded_at__lt=period.end,
                ),
            ),
        )
        .aggregate(
            verified=Count("id"),
            active=Count("id", filter=Q(in_period__gt=0)),
            overloaded=Count("id", filter=Q(last_week__gt=overload_threshold())),
            idle=Count("id", filter=Q(in_period=0, paused=False)),
            paused=Count("id", filter=Q(paused=True)),
        )
    )


def _timeline(scope: Scope, period: Period) -> dict[dt.date, dict[str, int]]:
    days: dict[dt.date, dict[str, int]] = {day: {} for day in period.days}
    for item in (
        _facts_in(scope, period)
        .annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
        .values("day", "category")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        days.setdefault(item["day"], {})[item["category"]] = item["n"]
    return days


def _care(scope: Scope, period: Period, now: dt.datetime) -> dict[str, int] | None:
    """Courtesy calls due and missed in the period, escalations open now: only when the
    care app is installed (read through the app registry, so insight does not need it)."""
    if not apps.is_installed("entraide.care"):
        return None
    calls = apps.get_model("care", "CourtesyCall").objects.filter(
        person__zone_id__in=scope.zone_ids,
        scheduled_for__gte=period.start,
        scheduled_for__lt=period.end,
    )
    figures = calls.aggregate(
        calls_due=Count("id", filter=Q(status="scheduled", scheduled_for__lt=now)),
        calls_missed=Count("id", filter=Q(status__in=["no_answer", "busy", "failed"])),
    )
    escalations = apps.get_model("care", "Escalation").objects.filter(
        status__in=["open", "unrouted"]
    )
    zone_filter = Q(zone_id__in=scope.zone_ids)
    if scope.whole_territory and scope.zone is None:
        zone_filter |= Q(zone__isnull=True)
    figures["escalations_open"] = escalations.filter(zone_filter).count()
    return figures


def dashboard_figures(*, scope: Scope, period: Period, now: dt.datetime | None = None) -> Dashboard:
    """Every figure of the dashboard for ``scope`` over ``period`` (about a dozen queries).

    Request figures are read from the rollup (``rollups.py``), brought up to date first
    when the worker has not done so lately; ``as_of`` says when they were exact."""
    as_of = facts_ensure_fresh()
    now = now or timezone.now()
    zones = [zone for zone in scope.zones if zone.pk in set(scope.zone_ids)]
    rows = {zone.pk: ZoneRow(zone.pk, zone.code, zone.name) for zone in zones}
    open_by_category, overdue_by_urgency = _open_requests(scope, rows, now)
    _flow(scope, period, rows)
    offers_by_category = _offers(scope, rows)
    to_match, histogram = _time_to_match(scope, period)
    return Dashboard(
        zones=list(rows.values()),
        open_by_category=open_by_category,
        overdue_by_urgency=overdue_by_urgency,
        offers_by_category=offers_by_category,
        to_match=to_match,
        to_completion=_time_to_completion(scope, period),
        match_histogram=histogram,
        volunteers=_volunteers(scope, period),
        timeline=_timeline(scope, period),
        care=_care(scope, period, now),
        as_of=as_of,
    )
