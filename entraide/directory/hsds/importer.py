"""Import an HSDS 3.0 tabular data package (a 211's export, another Entraide's) into the
directory, for review.

- New services become **draft** measures (the moderation cycle takes it from there),
  matched on later runs by their HSDS identifier (``Measure.hsds_id``; our own exported
  identifiers are recognised too), so running the same package twice changes nothing.
- A draft or a measure waiting for review is updated in place (a new version).
- A **published** measure is never overwritten: the change is kept as a
  ``MeasureProposal`` that a coordinator applies or dismisses.
- All or nothing: every problem of the package is reported (file too large, broken CSV,
  missing required fields, unknown enumerations, duplicate identifiers, what the
  directory itself refuses) and nothing at all is stored if there is one.
"""

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from entraide.people.models import Organisation, OrganisationKind
from entraide.platform.roles import is_coordinator
from entraide.territory.models import Territory

from .. import services
from ..models import (
    Level,
    Measure,
    MeasureProposal,
    MeasureSchedule,
    ProposalStatus,
    Theme,
    Weekday,
)
from ..states import MeasureState
from . import ids, serialise
from .package import TABLES

MAX_BYTES = 50 * 1024 * 1024
# What HSDS 3.0 requires of each table ("required" and "tabular_required").
REQUIRED = {
    "organization": ("id", "name", "description"),
    "service": ("id", "name", "status", "organization_id"),
    "location": ("id", "location_type"),
    "service_at_location": ("id", "service_id", "location_id"),
    "schedule": ("id",),
    "service_area": ("id",),
    "language": ("id",),
    "phone": ("id", "number"),
    "attribute": ("id", "link_type", "link_id", "taxonomy_term_id", "link_entity"),
    "taxonomy_term": ("id", "name", "description"),
}
ENUMS = {
    ("service", "status"): ("active", "inactive", "defunct", "temporarily closed"),
    ("location", "location_type"): ("physical", "postal", "virtual"),
    ("schedule", "freq"): ("WEEKLY", "MONTHLY"),
    ("schedule", "wkst"): ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"),
}
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)(:[0-5]\d)?$")


class PackageError(Exception):
    """The package cannot be read at all (size, format); nothing was imported."""


@dataclass
class Outcome:
    hsds_id: str
    name: str
    reasons: list[str] = field(default_factory=list)
    measure_id: int | None = None


@dataclass
class ImportReport:
    created: list[Outcome] = field(default_factory=list)
    updated: list[Outcome] = field(default_factory=list)
    proposed: list[Outcome] = field(default_factory=list)
    unchanged: list[Outcome] = field(default_factory=list)
    rejected: list[Outcome] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.rejected and not self.problems

    def lines(self) -> list[str]:
        """The report in French, as the command prints it."""
        lines = [
            _("Created (drafts to review): %(n)d") % {"n": len(self.created)},
            _("Updated (drafts): %(n)d") % {"n": len(self.updated)},
            _("Proposed changes to published measures: %(n)d") % {"n": len(self.proposed)},
            _("Unchanged: %(n)d") % {"n": len(self.unchanged)},
            _("Rejected: %(n)d") % {"n": len(self.rejected)},
        ]
        lines += [f"  ! {problem}" for problem in self.problems]
        for outcome in self.rejected:
            for reason in outcome.reasons:
                lines.append(f"  ✗ {outcome.name or '?'} [{outcome.hsds_id or '?'}] : {reason}")
        if not self.applied and not self.ok:
            lines.append(_("Nothing was imported: correct the package and run the import again."))
        elif not self.applied:
            lines.append(_("Dry run: nothing was stored."))
        return lines


# --- reading ---------------------------------------------------------------------------


def read_package(source: Path) -> dict[str, str]:
    """File name → text of a package folder or zip; PackageError if it cannot be read."""
    files: dict[str, bytes] = {}
    if source.is_dir():
        total = sum(p.stat().st_size for p in source.iterdir() if p.is_file())
        if total > MAX_BYTES:
            raise PackageError(_("The package is larger than 50 MB; split it."))
        files = {p.name: p.read_bytes() for p in source.iterdir() if p.suffix in (".csv", ".json")}
    elif source.is_file():
        if source.stat().st_size > MAX_BYTES:
            raise PackageError(_("The package is larger than 50 MB; split it."))
        try:
            with zipfile.ZipFile(source) as archive:
                members = [m for m in archive.infolist() if not m.is_dir()]
                if sum(m.file_size for m in members) > MAX_BYTES:
                    raise PackageError(_("The package is larger than 50 MB once unzipped."))
                for member in members:
                    name = Path(member.filename).name
                    if name.endswith((".csv", ".json")):
                        files[name] = archive.read(member)
        except zipfile.BadZipFile:
            raise PackageError(_("This file is neither a folder nor a zip archive.")) from None
    else:
        raise PackageError(_("No such file or folder: %(path)s") % {"path": source})
    texts = {}
    for name, raw in files.items():
        try:
            texts[name] = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise PackageError(
                _("%(file)s is not UTF-8 text; export it again as UTF-8.") % {"file": name}
            ) from None
    return texts


def _rows(name: str, text: str, problems: list[str]) -> list[dict]:
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
        header = reader.fieldnames or []
        rows = []
        for row in reader:
            if None in row or any(value is None for value in row.values()):
                problems.append(
                    _("%(file)s, line %(line)d: not the same number of columns as the header.")
                    % {"file": name, "line": reader.line_num}
                )
                continue
            rows.append({key.strip(): (value or "").strip() for key, value in row.items()})
    except csv.Error as exc:
        problems.append(_("%(file)s is not valid CSV: %(error)s") % {"file": name, "error": exc})
        return []
    if "id" not in header:
        problems.append(_("%(file)s has no “id” column.") % {"file": name})
        return []
    return rows


def parse_tables(texts: dict[str, str]) -> tuple[dict[str, list[dict]], list[str]]:
    """Rows of each known table, and every problem of form: missing required values,
    unknown enumerations, duplicate identifiers."""
    problems: list[str] = []
    tables: dict[str, list[dict]] = {name: [] for name in TABLES}
    if "services.csv" not in texts:
        problems.append(_("The package has no services.csv."))
    for table, (path, _columns) in TABLES.items():
        if path not in texts:
            continue
        rows = _rows(path, texts[path], problems)
        seen: set[str] = set()
        for line, row in enumerate(rows, start=2):
            for column in REQUIRED[table]:
                if not row.get(column):
                    problems.append(
                        _("%(file)s, line %(line)d: “%(column)s” is required.")
                        % {"file": path, "line": line, "column": column}
                    )
            for (enum_table, column), allowed in ENUMS.items():
                value = row.get(column, "")
                if enum_table == table and value and value not in allowed:
                    problems.append(
                        _(
                            "%(file)s, line %(line)d: “%(value)s” is not a known %(column)s "
                            "(%(allowed)s)."
                        )
                        % {
                            "file": path,
                            "line": line,
                            "value": value[:60],
                            "column": column,
                            "allowed": ", ".join(allowed),
                        }
                    )
            if row.get("id"):
                if row["id"] in seen:
                    problems.append(
                        _("%(file)s, line %(line)d: the identifier %(id)s appears twice.")
                        % {"file": path, "line": line, "id": row["id"][:60]}
                    )
                seen.add(row["id"])
        tables[table] = rows
    return tables, problems


# --- mapping to the directory ----------------------------------------------------------


@dataclass
class Incoming:
    hsds_id: str
    name: str
    data: services.MeasureInput | None
    schedules: list[tuple[str, dt.time, dt.time, str]]
    organisation_row: dict | None
    publisher: bool
    reasons: list[str]


def _term_codes(tables: dict[str, list[dict]]) -> dict[str, str]:
    codes = {ids.term_id(term["code"]): term["code"] for term in serialise.taxonomy_terms()}
    for term in tables["taxonomy_term"]:
        if term.get("code"):
            codes[term["id"]] = term["code"]
    return codes


def _time(value: str) -> dt.time | None:
    match = _TIME.match(value)
    if not match:
        return None
    return dt.time(int(match.group(1)), int(match.group(2)))


def _schedules(service_id: str, rows: list[dict], reasons: list[str]):
    slots = []
    for row in rows:
        if row.get("freq") != "WEEKLY":
            reasons.append(
                _("Only weekly opening hours can be imported (schedule %(id)s).")
                % {"id": row["id"]}
            )
            continue
        opens, closes = _time(row.get("opens_at", "")), _time(row.get("closes_at", ""))
        if opens is None or closes is None or closes <= opens:
            reasons.append(
                _(
                    "Opening hours %(id)s: give opens_at and closes_at as HH:MM, "
                    "closing after opening."
                )
                % {"id": row["id"]}
            )
            continue
        days = [day.strip().upper() for day in row.get("byday", "").split(",") if day.strip()]
        if not days or any(day not in Weekday.values for day in days):
            reasons.append(
                _("Opening hours %(id)s: byday must list days such as MO,TU,WE.")
                % {"id": row["id"]}
            )
            continue
        note = row.get("description", "")
        if note.startswith("Local time ("):
            note = ""
        slots += [(day, opens, closes, note[:200]) for day in days]
    return slots


def map_services(tables: dict[str, list[dict]], territory: Territory) -> list[Incoming]:
    terms = _term_codes(tables)
    by_service: dict[str, dict[str, list[dict]]] = {}
    for table in ("schedule", "service_area", "language"):
        for row in tables[table]:
            by_service.setdefault(row.get("service_id", ""), {}).setdefault(table, []).append(row)
    attributes: dict[str, list[tuple[str, str]]] = {}
    for row in tables["attribute"]:
        attributes.setdefault(row["link_id"], []).append(
            (terms.get(row["taxonomy_term_id"], ""), row.get("value", ""))
        )
    organisations = {row["id"]: row for row in tables["organization"]}
    zones = {zone.code: zone for zone in territory.zones.all()}
    incoming = []
    for row in tables["service"]:
        reasons: list[str] = []
        service_id = row["id"]
        related = by_service.get(service_id, {})
        codes = attributes.get(service_id, [])
        values = {code: value for code, value in codes if code in serialise.VALUE_TERMS}
        levels = [code.split(":", 1)[1] for code, _v in codes if code.startswith("level:")]
        themes = [code.split(":", 1)[1] for code, _v in codes if code.startswith("theme:")]
        for code in [*levels[:1]]:
            if code not in Level.values:
                reasons.append(_("“%(value)s” is not a level of the directory.") % {"value": code})
        for code in themes:
            if code not in Theme.values:
                reasons.append(_("“%(value)s” is not a theme of the directory.") % {"value": code})
        if not themes:
            reasons.append(
                _(
                    "No theme: add an attribute with a term “theme:…” of the entraide "
                    "taxonomy (e.g. theme:food_security)."
                )
            )
        deadline = None
        if values.get("deadline"):
            try:
                deadline = dt.date.fromisoformat(values["deadline"])
            except ValueError:
                reasons.append(
                    _("The deadline “%(value)s” is not a date (YYYY-MM-DD).")
                    % {"value": values["deadline"][:20]}
                )
        zone_list = []
        for area in related.get("service_area", []):
            uri = area.get("uri", "")
            if uri.startswith("zone:"):
                zone = zones.get(uri[5:])
                if zone is None:
                    reasons.append(
                        _("The zone %(code)s is not a zone of %(territory)s.")
                        % {"code": uri[5:], "territory": territory.name}
                    )
                else:
                    zone_list.append(zone)
        languages = tuple(
            dict.fromkeys(
                lang["code"].lower() for lang in related.get("language", []) if lang.get("code")
            )
        ) or ("fr",)
        schedules = _schedules(service_id, related.get("schedule", []), reasons)
        organisation_row = organisations.get(row["organization_id"])
        if organisation_row is None:
            reasons.append(
                _("Its organization %(id)s is not in organizations.csv.")
                % {"id": row["organization_id"][:60]}
            )
        org_codes = [code for code, _v in attributes.get(row["organization_id"], [])]
        data = services.MeasureInput(
            title=row.get("name", ""),
            summary=row.get("description", ""),
            level=levels[0] if levels else Level.COMMUNITY,
            eligibility=row.get("eligibility_description", ""),
            benefits=values.get("benefits") or row.get("description", ""),
            how_to_apply=row.get("application_process", ""),
            source_url=row.get("url", ""),
            themes=tuple(dict.fromkeys(t for t in themes if t in Theme.values)),
            deadline=deadline,
            languages=languages,
            language=values.get("written_in") or "fr",
            zones=tuple(sorted(set(zone_list), key=lambda z: z.code)),
        )
        incoming.append(
            Incoming(
                hsds_id=service_id,
                name=row.get("name", ""),
                data=data,
                schedules=sorted(set(schedules)),
                organisation_row=organisation_row,
                publisher=serialise.PUBLISHER_TERM in org_codes,
                reasons=reasons,
            )
        )
    return incoming


def _messages(exc: ValidationError) -> list[str]:
    return [f"{name}: {message}" for name, errors in exc.message_dict.items() for message in errors]


def _content(data: services.MeasureInput, schedules, organisation: Organisation | None) -> dict:
    return {
        "title": data.title,
        "summary": data.summary,
        "level": data.level,
        "eligibility": data.eligibility,
        "benefits": data.benefits,
        "how_to_apply": data.how_to_apply,
        "source_url": data.source_url,
        "themes": sorted(data.themes),
        "deadline": data.deadline.isoformat() if data.deadline else None,
        "languages": list(data.languages),
        "language": data.language,
        "zones": sorted(zone.code for zone in data.zones),
        "schedules": [
            [day, f"{o:%H:%M}", f"{c:%H:%M}", note] for day, o, c, note in sorted(schedules)
        ],
        "organisation": organisation.pk if organisation else None,
    }


def measure_content(measure: Measure) -> dict:
    return {
        "title": measure.title,
        "summary": measure.summary,
        "level": measure.level,
        "eligibility": measure.eligibility,
        "benefits": measure.benefits,
        "how_to_apply": measure.how_to_apply,
        "source_url": measure.source_url,
        "themes": sorted(measure.theme_codes),
        "deadline": measure.deadline.isoformat() if measure.deadline else None,
        "languages": list(measure.languages),
        "language": measure.language,
        "zones": sorted(zone.code for zone in measure.zones.all()),
        "schedules": sorted(
            [s.weekday, f"{s.opens_at:%H:%M}", f"{s.closes_at:%H:%M}", s.description]
            for s in measure.schedules.all()
        ),
        "organisation": measure.organisation_id,
    }


def content_input(content: dict, territory: Territory) -> services.MeasureInput:
    zones = tuple(territory.zones.filter(code__in=content["zones"]).order_by("code"))
    return services.MeasureInput(
        title=content["title"],
        summary=content["summary"],
        level=content["level"],
        eligibility=content["eligibility"],
        benefits=content["benefits"],
        how_to_apply=content["how_to_apply"],
        source_url=content["source_url"],
        themes=tuple(content["themes"]),
        deadline=dt.date.fromisoformat(content["deadline"]) if content["deadline"] else None,
        languages=tuple(content["languages"]),
        language=content["language"],
        zones=zones,
    )


def schedules_replace(measure: Measure, slots: list) -> None:
    measure.schedules.all().delete()
    MeasureSchedule.objects.bulk_create(
        [
            MeasureSchedule(
                measure=measure,
                weekday=day,
                opens_at=dt.time.fromisoformat(opens) if isinstance(opens, str) else opens,
                closes_at=dt.time.fromisoformat(closes) if isinstance(closes, str) else closes,
                description=note,
            )
            for day, opens, closes, note in slots
        ]
    )


def _organisation(item: Incoming, created: dict[str, Organisation]) -> Organisation | None:
    row = item.organisation_row
    if row is None or item.publisher:
        return None
    ours = {
        ids.local_id("organisation", pk): pk
        for pk in Organisation.objects.values_list("pk", flat=True)
    }
    if row["id"] in ours:
        return Organisation.objects.get(pk=ours[row["id"]])
    if row["id"] in created:
        return created[row["id"]]
    existing = Organisation.objects.filter(name__iexact=row["name"]).order_by("pk").first()
    if existing is None:
        existing = Organisation.objects.create(
            name=row["name"][:160],
            kind=OrganisationKind.COMMUNITY,
            description=row.get("description", ""),
            website=row.get("website", "")[:200],
            public_email=row.get("email", ""),
            verified=False,
        )
    created[row["id"]] = existing
    return existing


def _existing(territory: Territory) -> dict[str, Measure]:
    found = {}
    for measure in Measure.objects.filter(territory=territory).prefetch_related(
        "themes", "zones", "schedules"
    ):
        found[ids.measure_id(measure)] = measure
        found.setdefault(ids.local_id("measure", measure.pk), measure)
    return found


@transaction.atomic
def hsds_import(
    *, source: Path, territory: Territory, actor: User, label: str = "", dry_run: bool = False
) -> ImportReport:
    """Import the package at ``source`` (folder or zip) for review; see the module.

    Raise PermissionDenied unless ``actor`` is a coordinator.
    """
    if not is_coordinator(actor):
        raise PermissionDenied(_("Only coordinators can import into the directory."))
    report = ImportReport()
    try:
        texts = read_package(source)
    except PackageError as exc:
        report.problems.append(str(exc))
        return report
    tables, problems = parse_tables(texts)
    report.problems += problems
    if problems:
        return report
    label = label or source.name
    existing = _existing(territory)
    new_orgs: dict[str, Organisation] = {}
    savepoint = transaction.savepoint()
    for item in map_services(tables, territory):
        outcome = Outcome(hsds_id=item.hsds_id, name=item.name, reasons=list(item.reasons))
        measure = existing.get(item.hsds_id)
        assert item.data is not None
        try:
            services.measure_check(
                territory=territory,
                data=item.data,
                previous_deadline=measure.deadline if measure else None,
            )
        except ValidationError as exc:
            outcome.reasons += _messages(exc)
        if outcome.reasons:
            report.rejected.append(outcome)
            continue
        organisation = _organisation(item, new_orgs)
        content = _content(item.data, item.schedules, organisation)
        if measure is None:
            created = services.measure_create(
                territory=territory, data=item.data, actor=actor, organisation=organisation
            )
            Measure.objects.filter(pk=created.pk).update(hsds_id=item.hsds_id)
            schedules_replace(created, item.schedules)
            outcome.measure_id = created.pk
            report.created.append(outcome)
            continue
        outcome.measure_id = measure.pk
        if measure_content(measure) == content:
            report.unchanged.append(outcome)
        elif measure.state == MeasureState.PUBLISHED:
            pending = measure.proposals.filter(status=ProposalStatus.PENDING)
            if any(p.content == content for p in pending):
                report.unchanged.append(outcome)
            else:
                MeasureProposal.objects.create(measure=measure, content=content, source=label[:200])
                report.proposed.append(outcome)
        else:
            services.measure_update(
                measure=measure, data=item.data, actor=actor, note=f"HSDS: {label}"[:255]
            )
            if organisation != measure.organisation:
                Measure.objects.filter(pk=measure.pk).update(organisation=organisation)
            schedules_replace(measure, item.schedules)
            report.updated.append(outcome)
    if report.ok and not dry_run:
        transaction.savepoint_commit(savepoint)
        report.applied = True
    else:
        transaction.savepoint_rollback(savepoint)
    return report


@transaction.atomic
def proposal_decide(*, proposal: MeasureProposal, actor: User, apply: bool) -> MeasureProposal:
    """A coordinator applies an imported change to a published measure (a new version,
    still published) or dismisses it."""
    if not is_coordinator(actor):
        raise PermissionDenied(_("Only coordinators can decide on proposed changes."))
    locked = MeasureProposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.status != ProposalStatus.PENDING:
        raise ValidationError(_("This proposed change was already decided."), code="decided")
    if apply:
        measure = locked.measure
        content = locked.content
        services.measure_update(
            measure=measure,
            data=content_input(content, measure.territory),
            actor=actor,
            note=f"HSDS: {locked.source}"[:255],
        )
        if content.get("organisation") != measure.organisation_id:
            Measure.objects.filter(pk=measure.pk).update(
                organisation_id=content.get("organisation")
            )
        schedules_replace(measure, content["schedules"])
    locked.status = ProposalStatus.APPLIED if apply else ProposalStatus.DISMISSED
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at"])
    return locked
