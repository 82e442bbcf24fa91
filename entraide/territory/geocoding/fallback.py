"""Offline places: the postcode's centre, then the zone's; and whether a point found by a
provider lies in the zone the person chose (a namesake street in another city does not)."""

import math

from entraide.territory.models import Postcode, Zone

from .base import GeocodeResult, Precision

_EARTH_RADIUS_KM = 6371.0


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * _EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def _in_ring(lat: float, lon: float, ring: list) -> bool:
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=False):
        if (y1 > lat) != (y2 > lat) and lon < (x2 - x1) * (lat - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def _in_polygon(lat: float, lon: float, rings: list) -> bool:
    if not rings or not _in_ring(lat, lon, [tuple(p[:2]) for p in rings[0]]):
        return False
    return not any(_in_ring(lat, lon, [tuple(p[:2]) for p in hole]) for hole in rings[1:])


def point_in_geometry(lat: float, lon: float, geometry: object) -> bool | None:
    """Whether the point is in a GeoJSON Polygon or MultiPolygon; None for anything else."""
    if not isinstance(geometry, dict):
        return None
    try:
        if geometry.get("type") == "Polygon":
            return _in_polygon(lat, lon, geometry["coordinates"])
        if geometry.get("type") == "MultiPolygon":
            return any(_in_polygon(lat, lon, rings) for rings in geometry["coordinates"])
    except (KeyError, TypeError, ValueError, IndexError):
        return None
    return None


def within_zone(result: GeocodeResult, zone: Zone, *, max_km: float) -> bool:
    """Inside the zone's polygon when it has one, else within ``max_km`` of its centre
    (a zone without a centre cannot tell: the point is kept)."""
    inside = point_in_geometry(result.lat, result.lon, zone.polygon)
    if inside is not None:
        return inside
    if zone.centroid_lat is None or zone.centroid_lon is None:
        return True
    return distance_km(result.lat, result.lon, zone.centroid_lat, zone.centroid_lon) <= max_km


def offline_point(*, zone: Zone, postcode: str = "") -> GeocodeResult | None:
    """The postcode's centre when the postcode row carries one (imports that know it, such
    as forward sortation areas, fill it), else the zone's centre; None without either."""
    if postcode:
        row = Postcode.objects.filter(territory_id=zone.territory_id, code=postcode).first()
        lat = getattr(row, "centroid_lat", None)
        lon = getattr(row, "centroid_lon", None)
        if lat is not None and lon is not None:
            return GeocodeResult(lat, lon, Precision.POSTCODE, label=postcode, source="offline")
    if zone.centroid_lat is None or zone.centroid_lon is None:
        return None
    return GeocodeResult(
        zone.centroid_lat, zone.centroid_lon, Precision.ZONE, label=zone.name, source="offline"
    )


def postcode_of(address: str, zone: Zone) -> str:
    """The zone's postcode written in the address, or its only postcode; else ""."""
    codes = list(zone.postcodes.values_list("code", flat=True))
    folded = address.replace(" ", "").upper()
    for code in sorted(codes, key=len, reverse=True):
        if code.replace(" ", "").upper() in folded:
            return code
    return codes[0] if len(codes) == 1 else ""
