"""The report of an incident: the requests made while it lasted, as one episode."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone

from entraide.needs.categories import category_label
from entraide.needs.models import HelpRequest
from entraide.territory.models import Incident, Territory


@dataclass(frozen=True)
class CategoryCount:
    code: str
    label: str
    count: int
    matters: bool


@dataclass(frozen=True)
class IncidentReport:
    incident: Incident
    until: dt.datetime
    total: int
    by_category: list[CategoryCount]


def incident_report(*, incident: Incident, now: dt.datetime | None = None) -> IncidentReport:
    """How many requests the territory received between the incident's start and its end
    (or now), per kind of help, the kinds that matter to the incident first. One query."""
    until = incident.ends_at or now or timezone.now()
    rows = (
        HelpRequest.objects.filter(
            zone__territory_id=incident.territory_id,
            created_at__gte=incident.starts_at,
            created_at__lt=until,
        )
        .order_by()
        .values("category")
        .annotate(n=Count("pk"))
    )
    counts = {row["category"]: row["n"] for row in rows}
    for code in incident.categories:
        counts.setdefault(code, 0)
    by_category = sorted(
        (
            CategoryCount(code, str(category_label(code)), n, code in incident.categories)
            for code, n in counts.items()
        ),
        key=lambda row: (not row.matters, -row.count, row.label),
    )
    return IncidentReport(incident, until, sum(counts.values()), by_category)


def incidents_of(*, territory: Territory, limit: int = 20) -> list[Incident]:
    """The territory's incidents, the latest first."""
    return list(territory.incidents.order_by("-starts_at", "-id")[:limit])
