"""Reads of volunteering hours: a volunteer's history and totals, the entries waiting
for a coordinator, the figures of the dashboard and exports, and the public check of a
certificate (which names nobody)."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from entraide.needs.categories import category_label
from entraide.people.models import Volunteer

from .models import Certificate, HoursEntry, HoursState
from .services import certificate_code_hash

HISTORY_PAGE_SIZE = 25
TO_CONFIRM_PAGE_SIZE = 25


def volunteer_entries(*, volunteer: Volunteer) -> QuerySet[HoursEntry]:
    """A volunteer's hours, newest first (their own page)."""
    return HoursEntry.objects.filter(volunteer=volunteer).select_related("organisation", "zone")


@dataclass(frozen=True)
class Totals:
    """Minutes confirmed and waiting, per month (newest first) and per organisation."""

    confirmed: int
    proposed: int
    by_month: list[tuple[dt.date, int, int]]
    by_organisation: list[tuple[str, int, int]]


def _minutes_by(queryset: QuerySet[HoursEntry], key: str) -> list[tuple[object, int, int]]:
    rows = (
        queryset.values(key)
        .annotate(
            confirmed=Sum("minutes", filter=Q(state=HoursState.CONFIRMED), default=0),
            proposed=Sum("minutes", filter=Q(state=HoursState.PROPOSED), default=0),
        )
        .order_by(key)
    )
    return [(row[key], int(row["confirmed"]), int(row["proposed"])) for row in rows]


def volunteer_totals(*, volunteer: Volunteer) -> Totals:
    """Totals of a volunteer's confirmed and waiting hours (rejected ones count nowhere)."""
    entries = HoursEntry.objects.filter(volunteer=volunteer).exclude(state=HoursState.REJECTED)
    by_month = _minutes_by(entries.annotate(month=TruncMonth("worked_on")), "month")
    by_organisation = _minutes_by(entries, "organisation__name")
    months = [
        (month if isinstance(month, dt.date) else dt.date.fromisoformat(str(month)[:10]), c, p)
        for month, c, p in by_month
    ]
    organisations = [
        (str(name) if name else _("The city (help to neighbours)"), c, p)
        for name, c, p in by_organisation
    ]
    return Totals(
        confirmed=sum(c for _m, c, _p in months),
        proposed=sum(p for _m, _c, p in months),
        by_month=sorted(months, reverse=True),
        by_organisation=sorted(organisations, key=lambda row: (-row[1] - row[2], row[0])),
    )


def hours_to_confirm(*, zone_ids: list[int] | None) -> QuerySet[HoursEntry]:
    """Entries waiting for a coordinator in these zones (None: every zone), oldest
    first. An entry without a zone belongs to its volunteer's zone."""
    entries = HoursEntry.objects.filter(state=HoursState.PROPOSED)
    if zone_ids is not None:
        entries = entries.filter(
            Q(zone_id__in=zone_ids) | Q(zone__isnull=True, volunteer__zone_id__in=zone_ids)
        )
    return entries.select_related("volunteer", "organisation", "zone").order_by("worked_on", "pk")


@dataclass(frozen=True)
class HoursRow:
    label: str
    minutes: int
    entries: int
    volunteers: int


@dataclass(frozen=True)
class HoursSummary:
    """Confirmed hours of a period in some zones, by zone, organisation and kind of help;
    plus how many minutes still wait for a coordinator."""

    total_minutes: int
    waiting_minutes: int
    volunteers: int
    by_zone: list[HoursRow]
    by_organisation: list[HoursRow]
    by_category: list[HoursRow]


def _rollup(groups: dict[str, list[int]], people: dict[str, set[int]]) -> list[HoursRow]:
    rows = [
        HoursRow(label, minutes, entries, len(people[label]))
        for label, (minutes, entries) in groups.items()
        if minutes
    ]
    return sorted(rows, key=lambda row: (-row.minutes, row.label))


def hours_summary(*, zone_ids: list[int], first: dt.date, last: dt.date) -> HoursSummary:
    """What the dashboard shows: aggregated, no names of people, in one query (the
    database sums per zone, organisation, kind of help and volunteer; the rows are rolled
    up here). An entry without a zone counts in its volunteer's zone."""
    city = _("The city (help to neighbours)")
    grouped = (
        HoursEntry.objects.filter(
            Q(zone_id__in=zone_ids) | Q(zone__isnull=True, volunteer__zone_id__in=zone_ids),
            state__in=[HoursState.CONFIRMED, HoursState.PROPOSED],
            worked_on__gte=first,
            worked_on__lte=last,
        )
        .annotate(zone_label=Coalesce("zone__name", "volunteer__zone__name"))
        .values("zone_label", "organisation__name", "category", "volunteer_id")
        .annotate(
            confirmed=Sum("minutes", filter=Q(state=HoursState.CONFIRMED), default=0),
            entries=Count("pk", filter=Q(state=HoursState.CONFIRMED)),
            waiting=Sum("minutes", filter=Q(state=HoursState.PROPOSED), default=0),
        )
        .order_by()
    )
    dimensions: dict[str, tuple[dict[str, list[int]], dict[str, set[int]]]] = {
        name: ({}, {}) for name in ("zone", "organisation", "category")
    }
    total = waiting = 0
    volunteers: set[int] = set()
    for row in grouped:
        waiting += int(row["waiting"])
        minutes = int(row["confirmed"])
        if not minutes:
            continue
        total += minutes
        volunteers.add(row["volunteer_id"])
        labels = {
            "zone": str(row["zone_label"] or ""),
            "organisation": row["organisation__name"] or city,
            "category": str(category_label(row["category"])) if row["category"] else _("Other"),
        }
        for name, label in labels.items():
            sums, people = dimensions[name]
            sums.setdefault(label, [0, 0])
            sums[label][0] += minutes
            sums[label][1] += int(row["entries"])
            people.setdefault(label, set()).add(row["volunteer_id"])
    return HoursSummary(
        total_minutes=total,
        waiting_minutes=waiting,
        volunteers=len(volunteers),
        by_zone=_rollup(*dimensions["zone"]),
        by_organisation=_rollup(*dimensions["organisation"]),
        by_category=_rollup(*dimensions["category"]),
    )


@dataclass(frozen=True)
class CertificateCheck:
    """What the public verification page may say of a code: whether a certificate
    exists, is valid or revoked, its period, total and issue date, and who issued it (a
    territory). Never the person."""

    found: bool
    revoked: bool = False
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    total_minutes: int = 0
    issued_on: dt.date | None = None
    territory: str = ""


def certificate_check(*, code: str) -> CertificateCheck:
    if not code or len(code) > 40:
        return CertificateCheck(found=False)
    certificate = (
        Certificate.objects.filter(code_hash=certificate_code_hash(code))
        .select_related("territory")
        .only(
            "period_start",
            "period_end",
            "total_minutes",
            "issued_at",
            "revoked_at",
            "territory__name",
        )
        .first()
    )
    if certificate is None:
        return CertificateCheck(found=False)
    return CertificateCheck(
        found=True,
        revoked=certificate.revoked_at is not None,
        period_start=certificate.period_start,
        period_end=certificate.period_end,
        total_minutes=certificate.total_minutes,
        issued_on=timezone.localtime(certificate.issued_at).date(),
        territory=certificate.territory.name,
    )


def certificate_organisations(*, certificate: Certificate) -> list[tuple[str, int]]:
    """The organisations (and the city) whose confirmed hours a certificate sums up,
    with their minutes, largest first."""
    entries = HoursEntry.objects.filter(
        volunteer_id=certificate.volunteer_id,
        state=HoursState.CONFIRMED,
        worked_on__gte=certificate.period_start,
        worked_on__lte=certificate.period_end,
    )
    rows = _minutes_by(entries, "organisation__name")
    city = _("The city (help to neighbours)")
    return sorted(
        ((str(name) if name else city, confirmed) for name, confirmed, _p in rows),
        key=lambda row: (-row[1], row[0]),
    )


def volunteer_certificates(*, volunteer: Volunteer) -> QuerySet[Certificate]:
    return Certificate.objects.filter(volunteer=volunteer)


def hours_table(*, zone_ids: list[int], first: dt.date, last: dt.date) -> list[list]:
    """Confirmed hours of a period per zone, organisation and kind of help, for the
    coordinators' CSV: labels, hours (one decimal), pieces of work, volunteers — counts
    only, never a person. An entry without a zone counts in its volunteer's zone."""
    city = _("The city (help to neighbours)")
    rows = (
        HoursEntry.objects.filter(
            Q(zone_id__in=zone_ids) | Q(zone__isnull=True, volunteer__zone_id__in=zone_ids),
            state=HoursState.CONFIRMED,
            worked_on__gte=first,
            worked_on__lte=last,
        )
        .annotate(
            zone_code=Coalesce("zone__code", "volunteer__zone__code"),
            zone_label=Coalesce("zone__name", "volunteer__zone__name"),
        )
        .values("zone_code", "zone_label", "organisation__name", "category")
        .annotate(
            minutes=Sum("minutes"),
            entries=Count("pk"),
            people=Count("volunteer_id", distinct=True),
        )
        .order_by("zone_code", "organisation__name", "category")
    )
    return [
        [
            f"{row['zone_code']} {row['zone_label']}",
            row["organisation__name"] or city,
            str(category_label(row["category"])) if row["category"] else _("Other"),
            round(int(row["minutes"] or 0) / 60, 1),
            row["entries"],
            row["people"],
        ]
        for row in rows
    ]
