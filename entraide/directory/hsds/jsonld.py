"""schema.org JSON-LD for public pages: a measure as ``GovernmentService`` (federal,
provincial, municipal level) or ``Service`` (community), its provider as
``Organization``, a zone as ``Place``. Only public fields: titles, summaries, public
links, zone names and centroids (already public on the map), an organisation's public
website, e-mail and phone. Never a person."""

import json

from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from entraide.people.models import Organisation
from entraide.territory.models import Zone

from ..models import Level, Measure
from ..states import MeasureState

CONTEXT = "https://schema.org"
GOVERNMENT_LEVELS = {Level.FEDERAL, Level.PROVINCIAL, Level.MUNICIPAL}
DAY_URIS = {
    "MO": "https://schema.org/Monday",
    "TU": "https://schema.org/Tuesday",
    "WE": "https://schema.org/Wednesday",
    "TH": "https://schema.org/Thursday",
    "FR": "https://schema.org/Friday",
    "SA": "https://schema.org/Saturday",
    "SU": "https://schema.org/Sunday",
}


def _base() -> str:
    return settings.ENTRAIDE_PUBLIC_BASE_URL.rstrip("/")


def organisation_ld(organisation: Organisation) -> dict:
    data: dict = {"@type": "Organization", "name": organisation.name}
    if organisation.description:
        data["description"] = organisation.description
    if organisation.website:
        data["url"] = organisation.website
    if organisation.public_email:
        data["email"] = organisation.public_email
    if organisation.public_phone:
        data["telephone"] = organisation.public_phone
    return data


def zone_ld(zone: Zone, *, with_context: bool = False) -> dict:
    data: dict = {
        "@type": "Place",
        "name": zone.name,
        "address": {"@type": "PostalAddress", "postalCode": zone.code, "addressCountry": "FR"},
    }
    if with_context:
        data = {"@context": CONTEXT, **data}
        data["url"] = _base() + reverse("needs:board", args=[zone.code])
    if zone.centroid_lat is not None and zone.centroid_lon is not None:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": round(zone.centroid_lat, 5),
            "longitude": round(zone.centroid_lon, 5),
        }
    return data


def measure_ld(measure: Measure) -> dict | None:
    """The measure as schema.org, or None when it is not published (drafts stay unseen)."""
    if measure.state != MeasureState.PUBLISHED:
        return None
    zones = list(measure.zones.all())
    data: dict = {
        "@context": CONTEXT,
        "@type": "GovernmentService" if measure.level in GOVERNMENT_LEVELS else "Service",
        "name": measure.title,
        "description": measure.summary,
        "url": _base() + reverse("directory:measure", args=[measure.pk]),
        "serviceType": [str(label) for label in measure.theme_labels],
        "audience": {"@type": "Audience", "audienceType": measure.eligibility},
        "availableChannel": {
            "@type": "ServiceChannel",
            "serviceUrl": measure.source_url,
            "availableLanguage": list(measure.languages),
        },
        "areaServed": [zone_ld(zone) for zone in zones]
        or {"@type": "AdministrativeArea", "name": measure.territory.name},
        "inLanguage": measure.language,
    }
    if measure.organisation is not None:
        data["provider"] = organisation_ld(measure.organisation)
    hours = [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": DAY_URIS[slot.weekday],
            "opens": slot.opens_at.strftime("%H:%M"),
            "closes": slot.closes_at.strftime("%H:%M"),
        }
        for slot in measure.schedules.all()
    ]
    if hours:
        data["hoursAvailable"] = hours
    if measure.deadline:
        data["availableChannel"]["validThrough"] = measure.deadline.isoformat()
    return data


def script_tag(data: dict | None) -> SafeString:
    """``<script type="application/ld+json">`` with <, > and & escaped inside the JSON."""
    if not data:
        return SafeString("")
    text = (
        json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )
    return format_html('<script type="application/ld+json">{}</script>', SafeString(text))
