"""The generic territory importer: areas and zones from a GeoJSON FeatureCollection,
postcodes from a CSV file (postcode → zone code).

Safe to re-run: areas, zones and postcodes are matched by their code within the
territory and updated in place, never duplicated. A dry run does the whole import in a
transaction that is rolled back, so its report (created, updated, unchanged, rejected
with reasons) is exactly what a real run would do.

GeoJSON file::

    {"type": "FeatureCollection",
     "attribution": "Source: …",                       # kept as the territory's attribution
     "territory": {"name": "Montréal", "slug": "montreal", "country": "CA",
                   "time_zone": "America/Toronto", "languages": ["fr", "en"]},
     "features": [
       {"type": "Feature",
        "properties": {"code": "QC", "name": "Québec", "level": "province"},
        "geometry": {"type": "Point", "coordinates": [-71.2, 46.8]}},
       {"type": "Feature",
        "properties": {"code": "PLA", "name": "Le Plateau-Mont-Royal", "level": "arrondissement",
                       "parent": "MTL", "zone": true},
        "geometry": {"type": "Polygon", "coordinates": [[[lon, lat], …]]}}]}

A feature is a zone (a leaf where requests live) when its ``zone`` property is true or
its level is the one given as ``zone_level``; otherwise it is an area. A point gives the
centroid; a polygon is kept and its centroid computed.

CSV file: a header with ``postcode`` and ``zone`` columns (``;`` or ``,``), one postcode
a line; every zone must already exist in the territory.
"""

import csv
import json
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from .models import Area, Postcode, Territory, Zone, validate_languages, validate_time_zone
from .services import area_paths_rebuild

Progress = Callable[[int, int], None]


class TerritoryImportError(ValueError):
    """The file cannot be imported at all (unreadable, wrong shape, no territory)."""


@dataclass
class TerritoryImportReport:
    territory: Territory | None
    dry_run: bool
    created: dict[str, int] = field(default_factory=lambda: {"area": 0, "zone": 0, "postcode": 0})
    updated: dict[str, int] = field(default_factory=lambda: {"area": 0, "zone": 0, "postcode": 0})
    unchanged: dict[str, int] = field(default_factory=lambda: {"area": 0, "zone": 0, "postcode": 0})
    rejected: list[tuple[str, str]] = field(default_factory=list)
    attribution: str = ""

    def count(self, outcome: str, kind: str) -> None:
        getattr(self, outcome)[kind] += 1

    def summary(self) -> str:
        parts = []
        for kind, label in (("area", "areas"), ("zone", "zones"), ("postcode", "postcodes")):
            total = self.created[kind] + self.updated[kind] + self.unchanged[kind]
            if total:
                parts.append(
                    f"{label}: {self.created[kind]} created, {self.updated[kind]} updated, "
                    f"{self.unchanged[kind]} unchanged"
                )
        parts.append(f"rejected: {len(self.rejected)}")
        prefix = "Dry run (nothing stored) — " if self.dry_run else ""
        return prefix + "; ".join(parts)


@contextmanager
def _maybe_rolled_back(dry_run: bool) -> Iterator[None]:
    with transaction.atomic():
        yield
        if dry_run:
            transaction.set_rollback(True)


# ---------------------------------------------------------------------- geometry


def _ring_centroid(ring: list[list[float]]) -> tuple[float, float, float]:
    """Signed area and centroid (lon, lat) of a closed ring, on the plane (small areas)."""
    area2 = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        area2 += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(area2) < 1e-15:
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        return 0.0, sum(xs) / len(xs), sum(ys) / len(ys)
    return area2 / 2, cx / (3 * area2), cy / (3 * area2)


def _points(value: Any, depth: int) -> list:
    """Check a nested coordinate list of the given depth (1: a position)."""
    if depth == 1:
        if not (
            isinstance(value, list)
            and len(value) >= 2
            and all(isinstance(c, int | float) and math.isfinite(c) for c in value[:2])
        ):
            raise ValueError("a position is not [longitude, latitude]")
        lon, lat = value[0], value[1]
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise ValueError(f"position out of range: [{lon}, {lat}] (longitude first)")
        return [float(lon), float(lat)]
    if not isinstance(value, list) or not value:
        raise ValueError("empty coordinates")
    return [_points(item, depth - 1) for item in value]


def geometry_centroid(geometry: Any) -> tuple[float, float, dict | None]:
    """(lat, lon, polygon or None) of a GeoJSON Point, Polygon or MultiPolygon.

    Raise ValueError with the reason when the geometry is not one of these.
    """
    if not isinstance(geometry, dict):
        raise ValueError("no geometry")
    kind = geometry.get("type")
    coordinates = geometry.get("coordinates")
    if kind == "Point":
        lon, lat = _points(coordinates, 1)
        return lat, lon, None
    if kind == "Polygon":
        polygons = [_points(coordinates, 3)]
    elif kind == "MultiPolygon":
        polygons = _points(coordinates, 4)
    else:
        raise ValueError(f"geometry type {kind!r} is not Point, Polygon or MultiPolygon")
    total = sx = sy = 0.0
    for polygon in polygons:
        for index, ring in enumerate(polygon):
            if len(ring) < 3:
                raise ValueError("a polygon ring has fewer than three positions")
            signed, x, y = _ring_centroid(ring)
            weight = abs(signed) * (1 if index == 0 else -1)  # holes subtract
            total += weight
            sx += x * weight
            sy += y * weight
    if abs(total) < 1e-15:
        ring = polygons[0][0]
        return sum(p[1] for p in ring) / len(ring), sum(p[0] for p in ring) / len(ring), geometry
    return sy / total, sx / total, geometry


# ---------------------------------------------------------------------- GeoJSON


@dataclass
class _Feature:
    ref: str
    code: str
    name: str
    level: str
    parent: str
    is_zone: bool
    lat: float
    lon: float
    polygon: dict | None
    hotline: str
    languages: list[str]
    source_reference: str


def _read_json(path: Path) -> dict:
    try:
        with path.open(encoding="utf-8") as handle:
            data = json.load(handle)
    except FileNotFoundError:
        raise TerritoryImportError(f"File not found: {path}") from None
    except UnicodeDecodeError:
        raise TerritoryImportError(f"{path} is not UTF-8 text.") from None
    except json.JSONDecodeError as exc:
        raise TerritoryImportError(
            f"{path} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})."
        ) from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise TerritoryImportError(f"{path} is not a GeoJSON FeatureCollection.")
    if not isinstance(data.get("features"), list) or not data["features"]:
        raise TerritoryImportError(f"{path} has no features.")
    return data


def _parse_feature(raw: Any, index: int, zone_level: str) -> _Feature:
    if not isinstance(raw, dict) or not isinstance(raw.get("properties"), dict):
        raise ValueError("not a feature with properties")
    props = raw["properties"]
    code = str(props.get("code") or "").strip()
    name = str(props.get("name") or "").strip()
    if not code:
        raise ValueError("no code")
    if len(code) > 20:
        raise ValueError(f"code longer than 20 characters: {code!r}")
    if not name:
        raise ValueError("no name")
    if len(name) > 120:
        raise ValueError("name longer than 120 characters")
    level = str(props.get("level") or "").strip()[:40]
    is_zone = bool(props.get("zone")) or bool(zone_level and level == zone_level)
    if not level and not is_zone:
        raise ValueError("no level (an area needs one, e.g. région)")
    lat, lon, polygon = geometry_centroid(raw.get("geometry"))
    languages = props.get("languages") or []
    if languages:
        try:
            validate_languages(languages)
        except ValidationError:
            raise ValueError('languages is not a list of codes such as ["fr", "en"]') from None
    return _Feature(
        ref=code,
        code=code,
        name=name,
        level=level,
        parent=str(props.get("parent") or "").strip(),
        is_zone=is_zone,
        lat=round(lat, 6),
        lon=round(lon, 6),
        polygon=polygon,
        hotline=str(props.get("hotline") or "").strip()[:20],
        languages=list(languages),
        source_reference=str(props.get("source_reference") or props.get("ref") or "")[:40],
    )


def _territory_for(
    data: dict,
    *,
    slug: str,
    name: str,
    country: str,
    time_zone: str,
    languages: list[str] | None,
    attribution: str,
    dry_run: bool,
    report: TerritoryImportReport,
) -> Territory:
    meta: dict[str, Any] = data["territory"] if isinstance(data.get("territory"), dict) else {}
    slug = slug or str(meta.get("slug") or "")
    if not slug:
        raise TerritoryImportError(
            "Which territory? Give --territory (a slug) or a 'territory' object in the file."
        )
    values: dict[str, Any] = {
        "name": name or str(meta.get("name") or slug.capitalize()),
        "country_code": (country or str(meta.get("country") or "FR")).upper()[:2],
        "time_zone": time_zone or str(meta.get("time_zone") or "Europe/Paris"),
        "languages": languages or meta.get("languages") or ["fr"],
        "data_attribution": (attribution or str(data.get("attribution") or ""))[:255],
    }
    try:
        validate_time_zone(values["time_zone"])
        validate_languages(values["languages"])
    except ValidationError as exc:
        raise TerritoryImportError(" ".join(exc.messages)) from None
    report.attribution = values["data_attribution"]
    territory = Territory.objects.filter(slug=slug).first()
    if territory is None:
        return Territory.objects.create(slug=slug, **values)
    if not values["data_attribution"]:
        values["data_attribution"] = territory.data_attribution
        report.attribution = territory.data_attribution
    for key, value in values.items():
        setattr(territory, key, value)
    territory.save()
    return territory


def _store(model: Any, lookup: dict, values: dict) -> tuple[Any, str]:
    """Create or update one row; 'created', 'updated' or 'unchanged'."""
    row = model.objects.filter(**lookup).first()
    if row is None:
        return model.objects.create(**lookup, **values), "created"
    changed = [key for key, value in values.items() if getattr(row, key) != value]
    if not changed:
        return row, "unchanged"
    for key in changed:
        setattr(row, key, values[key])
    row.save(update_fields=changed)
    return row, "updated"


def _order_areas(features: list[_Feature], known: set[str]) -> tuple[list[_Feature], list]:
    """Areas in an order where every parent comes first; those whose parent is never
    found (unknown or in a cycle) are returned apart."""
    pending = {f.code: f for f in features}
    ordered: list[_Feature] = []
    placed = set(known)
    progress = True
    while pending and progress:
        progress = False
        for code, feature in list(pending.items()):
            if not feature.parent or feature.parent in placed:
                ordered.append(feature)
                placed.add(code)
                del pending[code]
                progress = True
    return ordered, list(pending.values())


def territory_import_geojson(
    *,
    path: Path,
    territory_slug: str = "",
    territory_name: str = "",
    country: str = "",
    time_zone: str = "",
    languages: list[str] | None = None,
    attribution: str = "",
    zone_level: str = "",
    dry_run: bool = False,
    on_progress: Progress | None = None,
) -> TerritoryImportReport:
    """Import areas and zones from a GeoJSON FeatureCollection (see the module's doc).

    Raise TerritoryImportError when the file cannot be read as one; a feature that is
    wrong is rejected (with its reason in the report) and the others are imported.
    """
    data = _read_json(path)
    report = TerritoryImportReport(territory=None, dry_run=dry_run)
    features: list[_Feature] = []
    seen: set[str] = set()
    for index, raw in enumerate(data["features"], start=1):
        try:
            feature = _parse_feature(raw, index, zone_level)
        except ValueError as exc:
            code = ""
            if isinstance(raw, dict) and isinstance(raw.get("properties"), dict):
                code = str(raw["properties"].get("code") or "")
            report.rejected.append((code or f"feature {index}", str(exc)))
            continue
        if feature.code in seen:
            report.rejected.append((feature.code, "code appears twice in the file"))
            continue
        seen.add(feature.code)
        features.append(feature)
    total = len(features)
    with _maybe_rolled_back(dry_run):
        territory = _territory_for(
            data,
            slug=territory_slug,
            name=territory_name,
            country=country,
            time_zone=time_zone,
            languages=languages,
            attribution=attribution,
            dry_run=dry_run,
            report=report,
        )
        report.territory = territory
        existing_areas = set(
            Area.objects.filter(territory=territory).values_list("code", flat=True)
        )
        area_features = [f for f in features if not f.is_zone]
        zone_features = [f for f in features if f.is_zone]
        zone_codes = {f.code for f in zone_features} | set(
            Zone.objects.filter(territory=territory).values_list("code", flat=True)
        )
        clashing = [f for f in area_features if f.code in zone_codes]
        for feature in clashing:
            report.rejected.append((feature.code, "an area and a zone cannot share a code"))
        area_features = [f for f in area_features if f.code not in zone_codes]
        ordered, orphans = _order_areas(area_features, existing_areas)
        for feature in orphans:
            report.rejected.append(
                (feature.code, f"parent {feature.parent!r} not found (or a loop of parents)")
            )
        done = 0
        areas: dict[str, Area] = {a.code: a for a in Area.objects.filter(territory=territory)}
        for feature in ordered:
            parent = areas.get(feature.parent) if feature.parent else None
            area, outcome = _store(
                Area,
                {"territory": territory, "code": feature.code},
                {
                    "name": feature.name,
                    "level": feature.level,
                    "parent": parent,
                    "centroid_lat": feature.lat,
                    "centroid_lon": feature.lon,
                    "polygon": feature.polygon,
                    "hotline_number": feature.hotline,
                    "languages": feature.languages,
                    "source_reference": feature.source_reference,
                },
            )
            areas[feature.code] = area
            report.count(outcome, "area")
            done += 1
            if on_progress:
                on_progress(done, total)
        area_paths_rebuild(territory=territory)
        for feature in zone_features:
            parent = areas.get(feature.parent) if feature.parent else None
            if feature.parent and parent is None:
                report.rejected.append((feature.code, f"parent area {feature.parent!r} not found"))
            else:
                _zone, outcome = _store(
                    Zone,
                    {"territory": territory, "code": feature.code},
                    {
                        "name": feature.name,
                        "area": parent,
                        "centroid_lat": feature.lat,
                        "centroid_lon": feature.lon,
                        "polygon": feature.polygon,
                        "source_reference": feature.source_reference,
                    },
                )
                report.count(outcome, "zone")
            done += 1
            if on_progress:
                on_progress(done, total)
    return report


# ---------------------------------------------------------------------- CSV


def _normalise_postcode(raw: str) -> str:
    """Upper case, one space where the source writes one (``H2X``, ``5000``, ``08221``)."""
    return " ".join(raw.split()).upper()


def territory_import_postcodes_csv(
    *,
    path: Path,
    territory_slug: str,
    attribution: str = "",
    dry_run: bool = False,
    on_progress: Progress | None = None,
) -> TerritoryImportReport:
    """Import postcodes (``postcode`` → ``zone`` code) into an existing territory.

    Postcodes are stored without spaces, in capitals (``H2X``, ``5000``, ``08221``).
    Raise TerritoryImportError when the file or the territory cannot be used.
    """
    territory = Territory.objects.filter(slug=territory_slug).first()
    if territory is None:
        raise TerritoryImportError(
            f"No territory {territory_slug!r}: import its zones (GeoJSON) first."
        )
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise TerritoryImportError(f"File not found: {path}") from None
    except UnicodeDecodeError:
        raise TerritoryImportError(f"{path} is not UTF-8 text.") from None
    lines = text.splitlines()
    if not lines:
        raise TerritoryImportError(f"{path} is empty.")
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    reader = csv.DictReader(lines, delimiter=delimiter)
    columns = {(name or "").strip().lower(): name for name in reader.fieldnames or []}
    if "postcode" not in columns or "zone" not in columns:
        raise TerritoryImportError(
            f"{path} needs a header with 'postcode' and 'zone' columns "
            f"(found: {', '.join(columns) or 'none'})."
        )
    rows = list(reader)
    report = TerritoryImportReport(territory=territory, dry_run=dry_run)
    zones = {z.code: z for z in Zone.objects.filter(territory=territory)}
    seen: dict[str, str] = {}
    with _maybe_rolled_back(dry_run):
        if attribution and attribution not in territory.data_attribution:
            joined = f"{territory.data_attribution} · {attribution}".strip(" ·")
            territory.data_attribution = joined[:255]
            territory.save(update_fields=["data_attribution"])
        report.attribution = territory.data_attribution
        for line, row in enumerate(rows, start=2):
            postcode = _normalise_postcode(row.get(columns["postcode"]) or "")
            zone_code = (row.get(columns["zone"]) or "").strip()
            ref = postcode or f"line {line}"
            if not postcode or len(postcode) > 10 or not postcode.replace(" ", "").isalnum():
                report.rejected.append((ref, f"line {line}: not a postcode"))
            elif zone_code not in zones:
                report.rejected.append(
                    (ref, f"line {line}: no zone {zone_code!r} in the territory")
                )
            elif postcode in seen and seen[postcode] != zone_code:
                report.rejected.append(
                    (ref, f"line {line}: already leads to zone {seen[postcode]!r} in this file")
                )
            else:
                seen[postcode] = zone_code
                _row, outcome = _store(
                    Postcode,
                    {"territory": territory, "code": postcode},
                    {"zone": zones[zone_code]},
                )
                report.count(outcome, "postcode")
            if on_progress:
                on_progress(line - 1, len(rows))
    return report
