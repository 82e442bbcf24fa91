"""The providers, each speaking its server's real protocol.

- :class:`BanGeocoder`: the Base Adresse Nationale (France), ``/search/`` answering a
  GeoJSON FeatureCollection whose features carry ``properties.score`` (0 to 1), ``label``,
  ``type`` (housenumber, street, locality, municipality), ``postcode`` and ``citycode``.
- :class:`NominatimGeocoder`: a Nominatim server, ``/search?format=jsonv2`` answering a
  list of places with ``lat``/``lon`` as strings, ``place_rank`` and ``display_name``.
- :class:`PhotonGeocoder`: a Photon server, ``/api`` answering a GeoJSON
  FeatureCollection whose properties carry ``type`` (house, street, …) and ``countrycode``.

Each asks for one answer, with a short timeout and a User-Agent naming the deployment,
and keeps it only when it is precise enough (a house or a street, and for the BAN a
score of at least ``min_score``).
"""

from dataclasses import dataclass

from .base import GeocodeResult, Precision, get_json


def _point(coordinates: object) -> tuple[float, float] | None:
    """A GeoJSON position [lon, lat] as (lat, lon), or None when it is not one."""
    if not isinstance(coordinates, list | tuple) or len(coordinates) < 2:
        return None
    try:
        lon, lat = float(coordinates[0]), float(coordinates[1])
    except (TypeError, ValueError):
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat, lon


def _first_feature(payload: object) -> dict | None:
    if not isinstance(payload, dict):
        return None
    features = payload.get("features")
    if not isinstance(features, list) or not features or not isinstance(features[0], dict):
        return None
    return features[0]


def _query(address: str, postcode: str) -> str:
    address = " ".join(address.split())
    if postcode and postcode.replace(" ", "").upper() not in address.replace(" ", "").upper():
        return f"{address}, {postcode}"
    return address


@dataclass
class BanGeocoder:
    url: str = "https://api-adresse.data.gouv.fr/search/"
    timeout: float = 3.0
    min_score: float = 0.5
    user_agent: str = "Entraide"
    name: str = "ban"

    _PRECISION = {
        "housenumber": Precision.EXACT,
        "street": Precision.STREET,
        "locality": Precision.STREET,
    }

    def geocode(self, address: str, *, postcode: str, country_code: str) -> GeocodeResult | None:
        if country_code.upper() != "FR" or not address.strip():
            return None
        params = {"q": " ".join(address.split())[:200], "limit": "1", "autocomplete": "0"}
        if postcode:
            params["postcode"] = postcode
        feature = _first_feature(
            get_json(self.url, params, timeout=self.timeout, user_agent=self.user_agent)
        )
        if feature is None:
            return None
        properties = feature.get("properties") or {}
        point = _point((feature.get("geometry") or {}).get("coordinates"))
        precision = self._PRECISION.get(str(properties.get("type", "")))
        try:
            score = float(properties.get("score", 0))
        except (TypeError, ValueError):
            return None
        if point is None or precision is None or score < self.min_score:
            return None
        if postcode and properties.get("postcode") not in (None, postcode):
            return None
        return GeocodeResult(
            lat=point[0],
            lon=point[1],
            precision=precision,
            label=str(properties.get("label", "")),
            score=score,
            source=self.name,
        )


@dataclass
class NominatimGeocoder:
    url: str
    timeout: float = 3.0
    user_agent: str = "Entraide"
    email: str = ""
    name: str = "nominatim"

    def geocode(self, address: str, *, postcode: str, country_code: str) -> GeocodeResult | None:
        if not address.strip():
            return None
        params = {"q": _query(address, postcode)[:200], "format": "jsonv2", "limit": "1"}
        if country_code:
            params["countrycodes"] = country_code.lower()
        if self.email:
            params["email"] = self.email
        payload = get_json(self.url, params, timeout=self.timeout, user_agent=self.user_agent)
        if not isinstance(payload, list) or not payload or not isinstance(payload[0], dict):
            return None
        place = payload[0]
        point = _point([place.get("lon"), place.get("lat")])
        try:
            rank = int(place.get("place_rank", 0))
        except (TypeError, ValueError):
            return None
        # Ranks: 30 a house or a building, 26 to 27 a street, below that a whole area.
        if point is None or rank < 26:
            return None
        return GeocodeResult(
            lat=point[0],
            lon=point[1],
            precision=Precision.EXACT if rank >= 28 else Precision.STREET,
            label=str(place.get("display_name", "")),
            source=self.name,
        )


@dataclass
class PhotonGeocoder:
    url: str
    timeout: float = 3.0
    user_agent: str = "Entraide"
    language: str = "fr"
    name: str = "photon"

    def geocode(self, address: str, *, postcode: str, country_code: str) -> GeocodeResult | None:
        if not address.strip():
            return None
        params = {"q": _query(address, postcode)[:200], "limit": "1"}
        if self.language in ("de", "en", "fr"):
            params["lang"] = self.language
        feature = _first_feature(
            get_json(self.url, params, timeout=self.timeout, user_agent=self.user_agent)
        )
        if feature is None:
            return None
        properties = feature.get("properties") or {}
        point = _point((feature.get("geometry") or {}).get("coordinates"))
        found_country = str(properties.get("countrycode", "")).upper()
        if point is None or (country_code and found_country and found_country != country_code):
            return None
        kind = str(properties.get("type", ""))
        if kind == "house" or properties.get("housenumber"):
            precision = Precision.EXACT
        elif kind == "street":
            precision = Precision.STREET
        else:
            return None
        label = ", ".join(
            str(properties[key])
            for key in ("name", "housenumber", "street", "postcode", "city")
            if properties.get(key)
        )
        return GeocodeResult(
            lat=point[0], lon=point[1], precision=precision, label=label, source=self.name
        )
