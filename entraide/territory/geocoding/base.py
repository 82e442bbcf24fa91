"""What every geocoder shares: the result, its precision, the one failure worth retrying,
and a small JSON-over-HTTP GET with a short timeout (standard library only)."""

import enum
import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Protocol


class Precision(enum.StrEnum):
    """How close a point is to the place it stands for, best first."""

    EXACT = "exact"  # the house number (or a point the person gave themselves)
    STREET = "street"  # the street or the locality, not the house
    POSTCODE = "postcode"  # the postcode's centre (offline)
    ZONE = "zone"  # the zone's centre (offline)


PRECISION_ORDER = (Precision.EXACT, Precision.STREET, Precision.POSTCODE, Precision.ZONE)


@dataclass(frozen=True)
class GeocodeResult:
    lat: float
    lon: float
    precision: Precision
    label: str = ""
    score: float | None = None
    source: str = ""  # "ban", "nominatim", "photon", "offline"


class GeocoderUnavailable(Exception):
    """The provider did not answer usefully (down, slow, 5xx, not JSON): worth retrying."""


class Geocoder(Protocol):
    name: str

    def geocode(self, address: str, *, postcode: str, country_code: str) -> GeocodeResult | None:
        """The best point for the address, or None when the provider knows none good
        enough. Raise :class:`GeocoderUnavailable` when it cannot be asked now."""
        ...


def get_json(url: str, params: dict[str, str], *, timeout: float, user_agent: str) -> object:
    """GET ``url?params`` and decode its JSON body.

    Raise :class:`GeocoderUnavailable` on a network error, a timeout, a 5xx or 429 answer
    or a body that is not JSON; return None on another 4xx (the query itself is refused).
    """
    query = urllib.parse.urlencode(params)
    full = f"{url}{'&' if '?' in url else '?'}{query}"
    request = urllib.request.Request(
        full, headers={"User-Agent": user_agent, "Accept": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read(2_000_000)
    except urllib.error.HTTPError as exc:
        if exc.code >= 500 or exc.code == 429:
            raise GeocoderUnavailable(f"HTTP {exc.code}") from exc
        return None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise GeocoderUnavailable(type(exc).__name__) from exc
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise GeocoderUnavailable("not JSON") from exc
