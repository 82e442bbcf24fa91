"""Addresses placed on the map.

``locate(address, zone=…)`` asks the configured provider (:mod:`.providers`: the Base
Adresse Nationale for France, a Nominatim or Photon server elsewhere), keeps its answer
only when it is precise enough and lies in the person's zone, and otherwise falls back,
offline, to the postcode's centre and then the zone's (:mod:`.fallback`). Every result
says how precise it is (:class:`Precision`).

The provider is chosen by settings (``ENTRAIDE_GEOCODER_*``, docs/territories.md): by
default the BAN for a French territory when the deployment may call the network
(production), and none otherwise — tests, the demo and development stay offline.

Nothing here writes: the apps that own the points (``needs``, ``people``) call it from
durable tasks, never on the request path, and store the exact point privately and the
public one on the grid.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings

from entraide.territory.models import Zone

from .base import (
    PRECISION_ORDER,
    Geocoder,
    GeocodeResult,
    GeocoderUnavailable,
    Precision,
)
from .fallback import offline_point, postcode_of, within_zone
from .providers import BanGeocoder, NominatimGeocoder, PhotonGeocoder

__all__ = [
    "PRECISION_ORDER",
    "BanGeocoder",
    "GeocodeResult",
    "Geocoder",
    "GeocoderUnavailable",
    "Located",
    "NominatimGeocoder",
    "PhotonGeocoder",
    "Precision",
    "configured_geocoder",
    "locate",
    "offline_point",
    "postcode_of",
    "retry_delay",
]


def configured_geocoder(country_code: str) -> Geocoder | None:
    """The provider the settings name for a territory of ``country_code``, or None."""
    kind = settings.ENTRAIDE_GEOCODER
    url = settings.ENTRAIDE_GEOCODER_URL
    timeout = float(settings.ENTRAIDE_GEOCODER_TIMEOUT)
    agent = _user_agent()
    if kind == "auto":
        if not settings.ENTRAIDE_GEOCODER_NETWORK or country_code.upper() != "FR":
            return None
        kind = "ban"
    if kind == "ban":
        return BanGeocoder(
            url=url or BanGeocoder.url,
            timeout=timeout,
            min_score=settings.ENTRAIDE_GEOCODER_MIN_SCORE,
            user_agent=agent,
        )
    if kind == "nominatim" and url:
        return NominatimGeocoder(
            url=url, timeout=timeout, user_agent=agent, email=settings.ENTRAIDE_GEOCODER_EMAIL
        )
    if kind == "photon" and url:
        return PhotonGeocoder(
            url=url, timeout=timeout, user_agent=agent, language=settings.LANGUAGE_CODE[:2]
        )
    return None


def _user_agent() -> str:
    return settings.ENTRAIDE_GEOCODER_USER_AGENT or (
        f"Entraide/1.0 (+{settings.ENTRAIDE_PUBLIC_BASE_URL})"
    )


@dataclass(frozen=True)
class Located:
    """The best point known (None only when the zone has no centre) and whether the
    provider could not be asked, so that the caller may try again later."""

    result: GeocodeResult | None
    provider_unavailable: bool = False


_UNSET = object()


def locate(address: str, *, zone: Zone, postcode: str = "", geocoder: object = _UNSET) -> Located:
    """Place ``address`` in ``zone``: the provider's point when it is good and in the
    zone, else the postcode's centre, else the zone's. Never raises for a provider's
    failure: ``Located.provider_unavailable`` tells it."""
    country = zone.territory.country_code
    provider = configured_geocoder(country) if geocoder is _UNSET else geocoder
    postcode = postcode or postcode_of(address, zone)
    unavailable = False
    if provider is not None and address.strip():
        try:
            found = provider.geocode(address, postcode=postcode, country_code=country)  # type: ignore[attr-defined]
        except GeocoderUnavailable:
            found, unavailable = None, True
        if found is not None and within_zone(found, zone, max_km=settings.ENTRAIDE_GEOCODER_MAX_KM):
            return Located(found)
    return Located(offline_point(zone=zone, postcode=postcode), unavailable)


def retry_delay(attempt: int) -> dt.timedelta:
    """After a provider was unavailable: one minute, then five, then twenty-five…"""
    return dt.timedelta(minutes=5**attempt)
