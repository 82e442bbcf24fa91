"""Writes of territories and zones: importing real zones from La Poste's postcode file."""

import csv
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from .models import Area, Postcode, Territory, Zone

LAPOSTE_ATTRIBUTION = "Source : La Poste — base officielle des codes postaux (Licence Ouverte 2.0)"


@dataclass
class _Commune:
    insee: str
    name: str
    postcodes: set[str] = field(default_factory=set)
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True)
class ImportReport:
    territory: Territory
    zones_created: int
    zones_updated: int
    postcodes: int
    communes_without_coordinates: tuple[str, ...]
    shared_postcodes: tuple[str, ...]


def _pretty_commune_name(raw: str) -> str:
    return " ".join(word.capitalize() for word in raw.split())


def _read_communes(
    path: Path, *, communes: Iterable[str], departments: Iterable[str]
) -> dict[str, _Commune]:
    wanted_names = {name.strip().upper() for name in communes}
    wanted_departments = tuple(departments)
    found: dict[str, _Commune] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            insee = row["Code_commune_INSEE"]
            by_name = row["Nom_commune"].upper() in wanted_names or (
                row["Libellé_d_acheminement"].upper() in wanted_names
            )
            if not (by_name or (wanted_departments and insee.startswith(wanted_departments))):
                continue
            commune = found.setdefault(
                insee, _Commune(insee=insee, name=_pretty_commune_name(row["Nom_commune"]))
            )
            commune.postcodes.add(row["Code_postal"])
            if commune.lat is None and row["coordonnees_gps"].strip():
                lat, lon = row["coordonnees_gps"].split(",")
                commune.lat, commune.lon = float(lat), float(lon)
    return found


def _zone_codes(communes: dict[str, _Commune]) -> dict[str, str]:
    """A zone's code is its lowest postcode, or its INSEE code when that postcode is shared."""
    owners: dict[str, list[str]] = defaultdict(list)
    for commune in communes.values():
        owners[min(commune.postcodes)].append(commune.insee)
    return {
        commune.insee: (
            min(commune.postcodes) if len(owners[min(commune.postcodes)]) == 1 else commune.insee
        )
        for commune in communes.values()
    }


@transaction.atomic
def zones_import_laposte(
    *,
    path: Path,
    territory_name: str,
    territory_slug: str,
    communes: Iterable[str] = (),
    departments: Iterable[str] = (),
    on_progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Create or update one zone per commune (or arrondissement) of La Poste's file.

    Safe to run twice: zones are matched by code and updated in place. A postcode shared
    by several selected communes leads to the commune with the lowest INSEE code.
    Raise ValueError when the selection matches nothing.
    """
    found = _read_communes(path, communes=communes, departments=departments)
    if not found:
        raise ValueError("No commune of the postcode file matches this selection.")
    territory, _created = Territory.objects.update_or_create(
        slug=territory_slug,
        defaults={"name": territory_name, "data_attribution": LAPOSTE_ATTRIBUTION},
    )
    codes = _zone_codes(found)
    created = updated = 0
    postcode_zone: dict[str, Zone] = {}
    without_coordinates = []
    ordered = sorted(found.values(), key=lambda c: c.insee)
    for index, commune in enumerate(ordered, start=1):
        if commune.lat is None:
            without_coordinates.append(commune.name)
        zone, was_created = Zone.objects.update_or_create(
            territory=territory,
            code=codes[commune.insee],
            defaults={
                "name": commune.name,
                "centroid_lat": commune.lat,
                "centroid_lon": commune.lon,
                "source_reference": commune.insee,
            },
        )
        created += was_created
        updated += not was_created
        for postcode in sorted(commune.postcodes):
            postcode_zone.setdefault(postcode, zone)
        if on_progress:
            on_progress(index, len(ordered))
    _attach_to_root_area(
        territory=territory,
        name=territory_name,
        level="commune" if communes and not departments else "département",
    )
    shared = sorted(code for code, count in _postcode_counts(found).items() if count > 1)
    for code, zone in postcode_zone.items():
        Postcode.objects.update_or_create(territory=territory, code=code, defaults={"zone": zone})
    return ImportReport(
        territory=territory,
        zones_created=created,
        zones_updated=updated,
        postcodes=len(postcode_zone),
        communes_without_coordinates=tuple(without_coordinates),
        shared_postcodes=tuple(shared),
    )


def _attach_to_root_area(*, territory: Territory, name: str, level: str) -> Area:
    """The imported selection as one area (Paris, a commune), its zones (arrondissements)
    below it: zones not yet placed in the hierarchy are attached to it."""
    area, _created = Area.objects.get_or_create(
        territory=territory, code=territory.slug[:40], defaults={"name": name, "level": level}
    )
    Zone.objects.filter(territory=territory, area__isnull=True).update(area=area)
    area_paths_rebuild(territory=territory)
    return area


def _postcode_counts(found: dict[str, _Commune]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for commune in found.values():
        for postcode in commune.postcodes:
            counts[postcode] += 1
    return counts


def area_paths_rebuild(*, territory: Territory) -> int:
    """Recompute every area's materialised path and depth from its parent chain (after
    an import or a move); return how many changed. One read, then only changed rows."""
    areas = {
        a.pk: a
        for a in Area.objects.filter(territory=territory).only("id", "parent_id", "path", "depth")
    }
    paths: dict[int, str] = {}

    def path_of(pk: int, seen: tuple[int, ...] = ()) -> str:
        if pk in paths:
            return paths[pk]
        if pk in seen:
            raise ValueError(f"Areas {seen} form a loop of parents.")
        parent = areas[pk].parent_id
        prefix = path_of(parent, (*seen, pk)) if parent in areas else "/"
        paths[pk] = f"{prefix}{pk}/"
        return paths[pk]

    changed = []
    for pk, area in areas.items():
        path = path_of(pk)
        depth = path.count("/") - 2
        if area.path != path or area.depth != depth:
            area.path, area.depth = path, depth
            changed.append(area)
    Area.objects.bulk_update(changed, ["path", "depth"])
    return len(changed)


def area_save(area: Area) -> Area:
    """Save an area and keep the materialised paths of it and everything below right."""
    area.save()
    area_paths_rebuild(territory=area.territory)
    area.refresh_from_db(fields=["path", "depth"])
    return area
