"""Coordinators' exports (CSV, GeoJSON) and the public open-data counts.

Coordinators' exports stream rows from the database; contact columns appear only when
asked for, and every export writes one audit row. The open-data counts are aggregated
by the database and cells with fewer than :data:`OPEN_DATA_MIN_CELL` requests are left
out, so that no count can point at one household.

Two formats, two readers. The CSV is opened by a person in spreadsheet software: its
columns are named in the reader's language and every code is written as its label
("Courses", "Ouverte", "Dans les 24 heures"), dates as local "YYYY-MM-DD HH:MM"; it
has no code column. The GeoJSON is read by mapping software: its property names and
values are the stable codes of the public API ("category": "groceries", "status":
"open"), whatever the reader's language. The open-data counts are for machines too.
"""

import datetime as dt
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy

from entraide.needs import history
from entraide.needs.categories import PUBLIC_CODES, category_label
from entraide.needs.models import Channel, HelpOffer, HelpRequest, TimeOfDay, Urgency
from entraide.needs.selectors import PUBLIC_OFFER_FIELDS, PUBLIC_REQUEST_FIELDS
from entraide.needs.states import OfferStatus, RequestStatus
from entraide.platform.audit import AuditContext, audit_record
from entraide.platform.csv_safe import cell_text, csv_lines
from entraide.territory.models import Territory
from entraide.territory.services import LAPOSTE_ATTRIBUTION

from .access import Scope
from .hxl import with_hxl
from .periods import Period

OPEN_DATA_MIN_CELL = 5

# Operational columns a coordinator needs; none is free text or says who someone is.
OPERATIONAL_COLUMNS = ("channel", "language", "status_changed_at")


def _columns(public_fields: tuple[str, ...]) -> tuple[str, ...]:
    """The export's columns: the public ones (the zone by its code), then operational ones."""
    public = tuple(
        "zone__code" if name == "zone" else name for name in public_fields if name != "id"
    )
    return public + OPERATIONAL_COLUMNS


# "Without contact data", an export holds exactly what is public, plus the operational
# columns: the same lists as the board and the public API (needs.selectors).
REQUEST_COLUMNS = _columns(PUBLIC_REQUEST_FIELDS)
OFFER_COLUMNS = _columns(PUBLIC_OFFER_FIELDS)
CONTACT_COLUMNS = ("first_name", "phone", "email", "address")
KINDS = ("requests", "offers")
FORMATS = ("csv", "geojson")


@dataclass(frozen=True)
class ExportSpec:
    kind: str
    fmt: str
    with_contacts: bool
    hxl: bool = False

    @property
    def filename(self) -> str:
        return f"{self.kind}.{self.fmt}"


_HEADER_NAMES = {
    "zone__code": "zone",
    "public_description": "description",
    "public_availability": "availability",
}

# The CSV's column titles, for the person who opens it.
CSV_TITLES = {
    "reference": gettext_lazy("Reference"),
    "zone": gettext_lazy("Zone"),
    "category": gettext_lazy("Kind of help"),
    "categories": gettext_lazy("Kinds of help"),
    "urgency": gettext_lazy("Urgency"),
    "description": gettext_lazy("Description (without personal data)"),
    "availability": gettext_lazy("Availability (without personal data)"),
    "public_lat": gettext_lazy("Approximate latitude"),
    "public_lon": gettext_lazy("Approximate longitude"),
    "window_start": gettext_lazy("From"),
    "window_end": gettext_lazy("Until"),
    "time_of_day": gettext_lazy("Time of day"),
    "status": gettext_lazy("Status"),
    "created_at": gettext_lazy("Created"),
    "channel": gettext_lazy("Channel"),
    "language": gettext_lazy("Language"),
    "status_changed_at": gettext_lazy("Status changed"),
    "first_name": gettext_lazy("First name"),
    "phone": gettext_lazy("Phone"),
    "email": gettext_lazy("E-mail"),
    "address": gettext_lazy("Address"),
}


def _label(choices) -> Callable[[object], str]:
    def words(code) -> str:
        return str(choices(code).label) if code in choices.values else cell_text(code)

    return words


def _local_minute(value) -> str:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return cell_text(value)


# How the CSV writes a column's codes; columns not named here are written as they are.
CSV_WORDS: dict[str, Callable[[object], str]] = {
    "category": lambda code: str(category_label(code)),
    "categories": lambda codes: ", ".join(str(category_label(code)) for code in codes),
    "urgency": _label(Urgency),
    "time_of_day": _label(TimeOfDay),
    "channel": _label(Channel),
    "language": lambda code: history.language_name(code) if code else "",
    "created_at": _local_minute,
    "status_changed_at": _local_minute,
}


def _header(columns: tuple[str, ...]) -> list[str]:
    return [_HEADER_NAMES.get(column, column) for column in columns]


def _csv_rows(
    header: list[str], rows: Iterator[tuple], spec: ExportSpec
) -> tuple[list[str], Iterator[list]]:
    """The titles and rows of the CSV: every code in words (see the module's docstring)."""
    statuses = RequestStatus if spec.kind == "requests" else OfferStatus
    words = {**CSV_WORDS, "status": _label(statuses)}
    titles = [str(CSV_TITLES.get(name, name)) for name in header]

    def lines() -> Iterator[list]:
        for row in rows:
            yield [
                words[name](value) if name in words and value is not None else value
                for name, value in zip(header, row, strict=True)
            ]

    return titles, lines()


def _rows(scope: Scope, period: Period, spec: ExportSpec) -> tuple[list[str], Iterator[tuple]]:
    model = HelpRequest if spec.kind == "requests" else HelpOffer
    columns = REQUEST_COLUMNS if spec.kind == "requests" else OFFER_COLUMNS
    queryset = model.objects.filter(
        zone_id__in=scope.zone_ids, created_at__gte=period.start, created_at__lt=period.end
    ).order_by("created_at", "id")
    header = _header(columns)
    if spec.kind == "offers":
        header.append("categories")
    contact = [
        f"contact__{name}"
        for name in CONTACT_COLUMNS
        if spec.kind == "requests" or name != "address"
    ]
    if spec.with_contacts:
        header += [name.removeprefix("contact__") for name in contact]

    def rows() -> Iterator[tuple]:
        if spec.kind == "requests":
            fields = list(columns) + (contact if spec.with_contacts else [])
            yield from queryset.values_list(*fields).iterator(chunk_size=2000)
            return
        related = ["zone", "contact"] if spec.with_contacts else ["zone"]
        offers = queryset.select_related(*related).prefetch_related("categories")
        for offer in offers.iterator(chunk_size=2000):
            values = [_path(offer, name) for name in columns]
            values.append(tuple(sorted(offer.category_codes)))
            if spec.with_contacts:
                values += [_path(offer, name) for name in contact]
            yield tuple(values)

    return header, rows()


def _path(entry: HelpOffer, name: str):
    """``zone__code`` read from a loaded offer; None when the contact was purged."""
    target = entry
    for part in name.split("__"):
        target = getattr(target, part, None) if target is not None else None
    return target


def export_stream(
    *,
    user: AbstractBaseUser,
    scope: Scope,
    period: Period,
    spec: ExportSpec,
    audit: AuditContext | None = None,
) -> Iterator[str]:
    """Write the audit row, then yield the export's text, chunk by chunk."""
    audit_record(
        actor=user,
        action=f"export_{spec.kind}",
        subject=f"{spec.filename}:{_scope_code(scope)}",
        purpose="with contact data" if spec.with_contacts else "without contact data",
        actor_label="coordinator",
        context=audit,
    )
    header, rows = _rows(scope, period, spec)
    if spec.fmt == "csv":
        titles, lines = _csv_rows(header, rows, spec)
        yield from csv_lines(titles, with_hxl(header, lines) if spec.hxl else lines)
        return
    yield '{"type": "FeatureCollection", "features": [\n'
    lat, lon = header.index("public_lat"), header.index("public_lon")
    first = True
    for row in rows:
        properties = {
            name: " ".join(value) if name == "categories" else cell_text(value)
            for index, (name, value) in enumerate(zip(header, row, strict=True))
            if index not in (lat, lon)
        }
        geometry = (
            {"type": "Point", "coordinates": [row[lon], row[lat]]} if row[lat] is not None else None
        )
        feature = {"type": "Feature", "geometry": geometry, "properties": properties}
        yield ("" if first else ",\n") + json.dumps(feature, ensure_ascii=False)
        first = False
    yield "\n]}\n"


def open_data_cells(*, territory: Territory, first: dt.date, last: dt.date) -> list[dict]:
    """Requests per zone, category and day, from ``first`` to ``last`` (inclusive).

    Sensitive categories are never counted, and cells below the threshold are dropped
    by the database (``HAVING COUNT(*) >= k``).
    """
    start = timezone.make_aware(dt.datetime.combine(first, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min))
    cells = (
        HelpRequest.objects.filter(
            zone__territory=territory,
            category__in=PUBLIC_CODES,
            created_at__gte=start,
            created_at__lt=end,
        )
        .annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
        .values("zone__code", "zone__name", "category", "day")
        .annotate(requests=Count("id"))
        .filter(requests__gte=OPEN_DATA_MIN_CELL)
        .order_by("day", "zone__code", "category")
    )
    return [
        {
            "zone": cell["zone__code"],
            "zone_name": cell["zone__name"],
            "category": cell["category"],
            "day": cell["day"].isoformat(),
            "requests": cell["requests"],
        }
        for cell in cells
    ]


def open_data_attribution(territory: Territory) -> str:
    return territory.data_attribution or LAPOSTE_ATTRIBUTION


def _scope_code(scope: Scope) -> str:
    """What the audit row names: a zone's code, an area's (``area:R06``) or ``all``."""
    if scope.zone is not None:
        return scope.zone.code
    return f"area:{scope.area.code}" if scope.area is not None else "all"


HOURS_TITLES = (
    gettext_lazy("Zone"),
    gettext_lazy("Organisation"),
    gettext_lazy("Kind of help"),
    gettext_lazy("Confirmed hours"),
    gettext_lazy("Pieces of work"),
    gettext_lazy("Volunteers"),
)


def hours_export_stream(
    *, user: AbstractBaseUser, scope: Scope, period: Period, audit: AuditContext | None = None
) -> Iterator[str]:
    """Write the audit row, then yield the confirmed volunteering hours of the period per
    zone, organisation and kind of help: counts only, never a person."""
    from entraide.recognition.selectors import hours_table

    audit_record(
        actor=user,
        action="export_hours",
        subject=f"hours.csv:{_scope_code(scope)}",
        purpose="aggregated, without names",
        actor_label="coordinator",
        context=audit,
    )
    days = period.days
    rows = hours_table(zone_ids=scope.zone_ids, first=days[0], last=days[-1])
    yield from csv_lines([str(title) for title in HOURS_TITLES], rows)
