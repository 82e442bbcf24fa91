"""Measures and organisations as HSDS 3.0 objects (plain dicts, JSON-ready).

Only what is public by nature leaves: a measure's published texts, its zones (as service
areas), opening hours, languages, themes and level (as taxonomy attributes); an
organisation's name, description, website, public e-mail and public phone. Never a
person: HSDS ``contact`` rows name people, so none is ever written; the phone and
e-mail are the organisation's own public ones.
"""

import datetime as dt
import json
from collections.abc import Iterable
from functools import lru_cache

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language

from entraide.people.models import Organisation
from entraide.territory.models import Territory

from ..models import Level, Measure, MeasureSchedule, MeasureStatus, MeasureTheme, Theme
from ..states import MeasureState
from . import ids

HSDS_VERSION = "3.0"
TAXONOMY = "entraide"
# Attributes of a service that carry a value rather than a classification.
VALUE_TERMS = {
    "benefits": "What the measure gives",
    "deadline": "Last day to apply (YYYY-MM-DD)",
    "written_in": "Language the texts are written in (ISO 639-1)",
}
PUBLISHER_TERM = "publisher"
LANGUAGE_NAMES = {
    "fr": "French",
    "en": "English",
    "es": "Spanish",
    "ca": "Catalan",
    "pt": "Portuguese",
    "ar": "Arabic",
    "de": "German",
    "it": "Italian",
    "zh": "Chinese",
}


def taxonomy_terms() -> list[dict]:
    """Every term of the ``entraide`` taxonomy: themes, levels, value attributes."""
    return [dict(term) for term in _terms(get_language() or "")]


@lru_cache(maxsize=16)
def _terms(language: str) -> tuple[dict, ...]:
    terms = [
        {"code": f"theme:{code}", "name": str(Theme(code).label), "description": "Theme"}
        for code in Theme.values
    ]
    terms += [
        {"code": f"level:{code}", "name": str(Level(code).label), "description": "Level"}
        for code in Level.values
    ]
    terms += [
        {"code": code, "name": code, "description": text} for code, text in VALUE_TERMS.items()
    ]
    terms.append(
        {
            "code": PUBLISHER_TERM,
            "name": PUBLISHER_TERM,
            "description": "The territory's directory itself publishes this measure",
        }
    )
    return tuple(
        {
            "id": ids.term_id(term["code"]),
            "code": term["code"],
            "name": term["name"],
            "description": term["description"],
            "taxonomy_id": ids.term_id(f"taxonomy:{TAXONOMY}"),
            "language": "en",
        }
        for term in terms
    )


def _term(code: str) -> dict:
    return dict(_terms_by_code(get_language() or "")[code])


@lru_cache(maxsize=16)
def _terms_by_code(language: str) -> dict[str, dict]:
    return {term["code"]: term for term in _terms(language)}


def published_measures(territory: Territory | None = None) -> QuerySet[Measure]:
    queryset = Measure.objects.filter(state=MeasureState.PUBLISHED)
    if territory is not None:
        queryset = queryset.filter(territory=territory)
    return (
        queryset.select_related("territory", "organisation")
        .prefetch_related(
            Prefetch("themes", queryset=MeasureTheme.objects.order_by("id")),
            Prefetch("schedules", queryset=MeasureSchedule.objects.order_by("id")),
            "zones",
        )
        .order_by("id")
    )


def public_organisations() -> QuerySet[Organisation]:
    """Organisations that run a published measure, and verified partner organisations."""
    return (
        Organisation.objects.filter(Q(measures__state=MeasureState.PUBLISHED) | Q(verified=True))
        .distinct()
        .order_by("id")
    )


def organisation_id(organisation: Organisation | None, territory: Territory) -> str:
    if organisation is None:
        return ids.local_id("territory", territory.pk)
    return ids.local_id("organisation", organisation.pk)


def _attribute(link_id: str, entity: str, code: str, value: str = "") -> dict:
    return {
        "id": ids.child_id(link_id, "attribute", code),
        "link_id": link_id,
        "link_type": code.split(":", 1)[0],
        "link_entity": entity,
        "taxonomy_term_id": ids.term_id(code),
        "value": value,
        "taxonomy_term": _term(code),
    }


def organisation_dict(organisation: Organisation) -> dict:
    org_id = ids.local_id("organisation", organisation.pk)
    data: dict = {
        "id": org_id,
        "name": organisation.name,
        "description": organisation.description or organisation.name,
        "phones": [],
        "contacts": [],
        "attributes": [],
    }
    if organisation.website:
        data["website"] = organisation.website
    if organisation.public_email:
        data["email"] = organisation.public_email
    if organisation.public_phone:
        data["phones"].append(
            {
                "id": ids.child_id(org_id, "phone", 1),
                "organization_id": org_id,
                "number": organisation.public_phone,
                "type": "voice",
                "description": "Public line of the organisation",
            }
        )
    return data


def publisher_dict(territory: Territory) -> dict:
    """The territory's directory, as the organisation of measures nobody else runs."""
    org_id = ids.local_id("territory", territory.pk)
    return {
        "id": org_id,
        "name": f"Entraide — {territory.name}",
        "description": f"Directory of aid measures of {territory.name}, kept by its coordinators.",
        "website": settings.ENTRAIDE_PUBLIC_BASE_URL.rstrip("/") + "/directory/",
        "phones": [],
        "contacts": [],
        "attributes": [_attribute(org_id, "organization", PUBLISHER_TERM, "territory")],
    }


def organisation_of(measure: Measure) -> dict:
    if measure.organisation is None:
        return publisher_dict(measure.territory)
    return organisation_dict(measure.organisation)


def location_dict(measure: Measure, service_id: str) -> dict:
    """Where one applies: the official source page, a virtual location (measures have no
    counter of their own; the zones they cover are service areas)."""
    return {
        "id": ids.child_id(service_id, "location", "source"),
        "location_type": "virtual",
        "url": measure.source_url,
        "organization_id": organisation_id(measure.organisation, measure.territory),
        "name": measure.title[:200],
        "description": "Official source: how to apply",
        "phones": [],
        "contacts": [],
        "schedules": [],
        "languages": [],
        "attributes": [],
    }


def schedule_dicts(measure: Measure, service_id: str) -> list[dict]:
    zone_name = settings.TIME_ZONE
    return [
        {
            "id": ids.child_id(service_id, "schedule", f"{slot.weekday}{slot.opens_at:%H%M}"),
            "service_id": service_id,
            "freq": "WEEKLY",
            "interval": 1,
            "wkst": "MON",
            "byday": slot.weekday,
            "opens_at": slot.opens_at.strftime("%H:%M"),
            "closes_at": slot.closes_at.strftime("%H:%M"),
            "description": slot.description or f"Local time ({zone_name})",
            "attributes": [],
        }
        for slot in measure.schedules.all()
    ]


def service_area_dicts(measure: Measure, service_id: str) -> list[dict]:
    zones = list(measure.zones.all())
    if not zones:
        return [
            {
                "id": ids.child_id(service_id, "area", "territory"),
                "service_id": service_id,
                "name": measure.territory.name,
                "description": "The whole territory",
                "extent_type": "text",
                "extent": measure.territory.name,
                "attributes": [],
            }
        ]
    areas = []
    for zone in sorted(zones, key=lambda z: z.code):
        area = {
            "id": ids.child_id(service_id, "area", zone.code),
            "service_id": service_id,
            "name": zone.name,
            "description": f"Zone {zone.code}",
            "uri": f"zone:{zone.code}",
            "attributes": [],
        }
        if zone.polygon:
            area["extent_type"] = "geojson"
            area["extent"] = json.dumps(zone.polygon, separators=(",", ":"))
        areas.append(area)
    return areas


def language_dicts(measure: Measure, service_id: str) -> list[dict]:
    return [
        {
            "id": ids.child_id(service_id, "language", code),
            "service_id": service_id,
            "name": LANGUAGE_NAMES.get(code, code),
            "code": code,
            "attributes": [],
        }
        for code in measure.languages
    ]


def service_attributes(measure: Measure, service_id: str) -> list[dict]:
    attributes = [_attribute(service_id, "service", f"level:{measure.level}")]
    attributes += [
        _attribute(service_id, "service", f"theme:{code}") for code in measure.theme_codes
    ]
    attributes.append(_attribute(service_id, "service", "benefits", measure.benefits))
    attributes.append(_attribute(service_id, "service", "written_in", measure.language))
    if measure.deadline:
        attributes.append(
            _attribute(service_id, "service", "deadline", measure.deadline.isoformat())
        )
    return attributes


def service_status(measure: Measure, today: dt.date) -> str:
    return "inactive" if measure.status_on(today) == MeasureStatus.ENDED else "active"


def service_dict(measure: Measure, *, today: dt.date | None = None) -> dict:
    """One measure as a fully nested HSDS service."""
    today = today or timezone.localdate()
    service_id = ids.measure_id(measure)
    location = location_dict(measure, service_id)
    link_id = ids.child_id(service_id, "service_at_location", "source")
    return {
        "id": service_id,
        "organization_id": organisation_id(measure.organisation, measure.territory),
        "name": measure.title,
        "description": measure.summary,
        "url": measure.source_url,
        "status": service_status(measure, today),
        "eligibility_description": measure.eligibility,
        "application_process": measure.how_to_apply,
        "assured_date": (measure.content_changed_at or measure.updated_at).date().isoformat(),
        "schedules": schedule_dicts(measure, service_id),
        "languages": language_dicts(measure, service_id),
        "service_areas": service_area_dicts(measure, service_id),
        "service_at_locations": [
            {
                "id": link_id,
                "service_id": service_id,
                "location_id": location["id"],
                "location": location,
                "phones": [],
                "contacts": [],
                "schedules": [],
                "attributes": [],
            }
        ],
        "phones": [],
        "contacts": [],
        "attributes": service_attributes(measure, service_id),
        "organization": organisation_of(measure),
    }


def service_at_location_dict(measure: Measure) -> dict:
    service_id = ids.measure_id(measure)
    location = location_dict(measure, service_id)
    return {
        "id": ids.child_id(service_id, "service_at_location", "source"),
        "service_id": service_id,
        "location_id": location["id"],
        "location": location,
        "phones": [],
        "contacts": [],
        "schedules": schedule_dicts(measure, service_id),
        "attributes": [],
    }


def organisation_full(data: dict, measures: Iterable[Measure]) -> dict:
    """An organisation with the locations of its published measures."""
    return {
        **data,
        "locations": [location_dict(m, ids.measure_id(m)) for m in measures],
    }
