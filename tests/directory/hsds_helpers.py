"""Shared by the HSDS tests: measures with opening hours, and validation of HSDS output
against the vendored Open Referral schemas (tests/data/hsds/schema, CC BY-SA 4.0)."""

import datetime as dt
import json
from functools import cache
from pathlib import Path

from django.utils import timezone
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from entraide.directory import services
from entraide.directory.models import MeasureSchedule
from entraide.directory.states import MeasureState
from entraide.people.models import Organisation, OrganisationKind

SCHEMAS = Path(__file__).resolve().parents[1] / "data" / "hsds" / "schema"


@cache
def registry() -> Registry:
    resources = []
    for path in SCHEMAS.glob("*.json"):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append(
            (path.name, Resource.from_contents(contents, default_specification=DRAFT202012))
        )
    return Registry().with_resources(resources)


def schema(name: str) -> dict:
    return json.loads((SCHEMAS / f"{name}.json").read_text(encoding="utf-8"))


def errors(name: str, instance: dict) -> list[str]:
    """Every way ``instance`` breaks the HSDS schema ``name`` (empty: valid)."""
    validator = Draft202012Validator(
        {"$ref": f"{name}.json"}, registry=registry(), format_checker=FormatChecker()
    )
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(instance)
    ]


def tabular_errors(name: str, rows: list[dict]) -> list[str]:
    """A CSV table against its HSDS schema: one-to-one fields, with ``required`` and
    ``tabular_required`` both required, numbers read back as numbers."""
    full = schema(name)
    scalar = {k: v for k, v in full["properties"].items() if v.get("type") in ("string", "number")}
    table_schema = {
        "type": "object",
        "properties": scalar,
        "required": [*full.get("required", []), *full.get("tabular_required", [])],
        "additionalProperties": False,
    }
    validator = Draft202012Validator(table_schema, format_checker=FormatChecker())
    found = []
    for line, row in enumerate(rows, start=2):
        instance = {}
        for key, value in row.items():
            if value == "":
                continue
            instance[key] = float(value) if scalar.get(key, {}).get("type") == "number" else value
        found += [f"{name} line {line}: {e.message}" for e in validator.iter_errors(instance)]
    return found


def organisation(**extra) -> Organisation:
    values = {
        "name": "Banque alimentaire de l'Est",
        "kind": OrganisationKind.COMMUNITY,
        "description": "Distribue des colis aux familles.",
        "website": "https://banque-est.example.org",
        "public_phone": "+33140000000",
        "public_email": "accueil@banque-est.example.org",
        "verified": True,
    }
    values.update(extra)
    return Organisation.objects.create(**values)


def measure_input(**overrides) -> services.MeasureInput:
    values = {
        "title": "Aide alimentaire d'urgence",
        "summary": "Des colis alimentaires pour les familles qui ont perdu leurs revenus.",
        "level": "municipal",
        "eligibility": "Toute famille du territoire, sans condition de statut.",
        "benefits": "Un colis par semaine pendant un mois.",
        "how_to_apply": "Appeler le centre d'action sociale de son arrondissement.",
        "source_url": "https://www.example.org/aide-alimentaire",
        "themes": ("food_security",),
        "deadline": timezone.localdate() + dt.timedelta(days=60),
        "languages": ("fr", "en"),
    }
    values.update(overrides)
    return services.MeasureInput(**values)


def published(territory, coordinator, *, hours=(), organisation=None, **overrides):
    measure = services.measure_create(
        territory=territory,
        data=measure_input(**overrides),
        actor=coordinator,
        organisation=organisation,
    )
    for day, opens, closes in hours:
        MeasureSchedule.objects.create(
            measure=measure, weekday=day, opens_at=dt.time(*opens), closes_at=dt.time(*closes)
        )
    services.measure_transition(
        measure=measure, to_state=MeasureState.PENDING_REVIEW, actor=coordinator
    )
    return services.measure_transition(
        measure=measure, to_state=MeasureState.PUBLISHED, actor=coordinator
    )
