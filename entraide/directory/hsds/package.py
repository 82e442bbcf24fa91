"""The HSDS tabular data package: one CSV file per table and ``datapackage.json``
(Frictionless Data), as a folder or a zip.

Tables and columns follow the HSDS 3.0 schemas (the one-to-one fields of each table);
the rows are the flattened objects of ``serialise``, so the API and the package say the
same thing.
"""

import csv
import io
import json
import zipfile
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from entraide.territory.models import Territory

from . import serialise

# table → (file, columns). Types are those of the HSDS schemas (datapackage_type).
TABLES: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "organization": (
        "organizations.csv",
        [
            ("id", "string"),
            ("name", "string"),
            ("alternate_name", "string"),
            ("description", "string"),
            ("email", "string"),
            ("website", "string"),
            ("legal_status", "string"),
            ("uri", "string"),
            ("parent_organization_id", "string"),
        ],
    ),
    "service": (
        "services.csv",
        [
            ("id", "string"),
            ("organization_id", "string"),
            ("name", "string"),
            ("alternate_name", "string"),
            ("description", "string"),
            ("url", "string"),
            ("email", "string"),
            ("status", "string"),
            ("eligibility_description", "string"),
            ("application_process", "string"),
            ("assured_date", "date"),
        ],
    ),
    "location": (
        "locations.csv",
        [
            ("id", "string"),
            ("location_type", "string"),
            ("url", "string"),
            ("organization_id", "string"),
            ("name", "string"),
            ("description", "string"),
            ("latitude", "number"),
            ("longitude", "number"),
        ],
    ),
    "service_at_location": (
        "service_at_location.csv",
        [
            ("id", "string"),
            ("service_id", "string"),
            ("location_id", "string"),
            ("description", "string"),
        ],
    ),
    "schedule": (
        "schedules.csv",
        [
            ("id", "string"),
            ("service_id", "string"),
            ("location_id", "string"),
            ("service_at_location_id", "string"),
            ("valid_from", "date"),
            ("valid_to", "date"),
            ("dtstart", "date"),
            ("until", "date"),
            ("wkst", "string"),
            ("freq", "string"),
            ("interval", "number"),
            ("byday", "string"),
            ("description", "string"),
            ("opens_at", "time"),
            ("closes_at", "time"),
        ],
    ),
    "service_area": (
        "service_areas.csv",
        [
            ("id", "string"),
            ("service_id", "string"),
            ("name", "string"),
            ("description", "string"),
            ("extent", "string"),
            ("extent_type", "string"),
            ("uri", "string"),
        ],
    ),
    "language": (
        "languages.csv",
        [
            ("id", "string"),
            ("service_id", "string"),
            ("location_id", "string"),
            ("phone_id", "string"),
            ("name", "string"),
            ("code", "string"),
            ("note", "string"),
        ],
    ),
    "phone": (
        "phones.csv",
        [
            ("id", "string"),
            ("location_id", "string"),
            ("service_id", "string"),
            ("organization_id", "string"),
            ("contact_id", "string"),
            ("service_at_location_id", "string"),
            ("number", "string"),
            ("extension", "number"),
            ("type", "string"),
            ("description", "string"),
        ],
    ),
    "attribute": (
        "attributes.csv",
        [
            ("id", "string"),
            ("link_id", "string"),
            ("taxonomy_term_id", "string"),
            ("link_type", "string"),
            ("link_entity", "string"),
            ("value", "string"),
        ],
    ),
    "taxonomy_term": (
        "taxonomy_terms.csv",
        [
            ("id", "string"),
            ("code", "string"),
            ("name", "string"),
            ("description", "string"),
            ("parent_id", "string"),
            ("language", "string"),
            ("taxonomy_id", "string"),
            ("term_uri", "string"),
        ],
    ),
}


def package_tables(territory: Territory | None = None) -> dict[str, list[dict]]:
    """Every table's rows: published measures, their organisations, the taxonomy."""
    tables: dict[str, list[dict]] = {name: [] for name in TABLES}
    organisations: dict[str, dict] = {}
    today = timezone.localdate()
    for measure in serialise.published_measures(territory):
        service = serialise.service_dict(measure, today=today)
        organisation = service.pop("organization")
        organisations.setdefault(organisation["id"], organisation)
        tables["service"].append(service)
        for link in service["service_at_locations"]:
            tables["location"].append(link["location"])
            tables["service_at_location"].append(link)
        tables["schedule"] += service["schedules"]
        tables["service_area"] += service["service_areas"]
        tables["language"] += service["languages"]
        tables["attribute"] += service["attributes"]
    for organisation in serialise.public_organisations():
        data = serialise.organisation_dict(organisation)
        organisations.setdefault(data["id"], data)
    for organisation in organisations.values():
        tables["organization"].append(organisation)
        tables["phone"] += organisation["phones"]
        tables["attribute"] += organisation["attributes"]
    tables["taxonomy_term"] = serialise.taxonomy_terms()
    return tables


def _csv(rows: list[dict], columns: list[tuple[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([name for name, _type in columns])
    for row in rows:
        writer.writerow(["" if row.get(name) is None else row.get(name) for name, _t in columns])
    return out.getvalue()


def datapackage(counts: dict[str, int]) -> dict:
    return {
        "name": "entraide-hsds",
        "title": "Entraide — aid measures (Open Referral HSDS 3.0)",
        "profile": "tabular-data-package",
        "version": serialise.HSDS_VERSION,
        "created": timezone.now().replace(microsecond=0).isoformat(),
        "homepage": settings.ENTRAIDE_PUBLIC_BASE_URL.rstrip("/") + "/directory/",
        "licenses": [{"name": "etalab-2.0", "title": "Licence Ouverte 2.0"}],
        "resources": [
            {
                "name": name,
                "path": path,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "count": counts.get(name, 0),
                "schema": {
                    "fields": [{"name": column, "type": kind} for column, kind in columns],
                    "primaryKey": "id",
                },
            }
            for name, (path, columns) in TABLES.items()
        ],
    }


def package_files(territory: Territory | None = None) -> dict[str, str]:
    """File name → text of the whole package."""
    tables = package_tables(territory)
    files = {path: _csv(tables[name], columns) for name, (path, columns) in TABLES.items()}
    counts = {name: len(rows) for name, rows in tables.items()}
    files["datapackage.json"] = json.dumps(datapackage(counts), ensure_ascii=False, indent=2)
    return files


def package_write_zip(target, territory: Territory | None = None) -> None:
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in package_files(territory).items():
            archive.writestr(name, text.encode("utf-8"))


def package_write_dir(folder: Path, territory: Territory | None = None) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in package_files(territory).items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
