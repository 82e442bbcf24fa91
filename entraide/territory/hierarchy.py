"""Reads of the territory's hierarchy: areas, what lies below one, roll-ups per level.

Every area keeps its materialised path (``/3/17/42/``), so "every zone below this area,
at any depth" is one indexed prefix query, whatever the depth.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from .models import Area, Territory, Zone


def area_list(*, territory: Territory) -> QuerySet[Area]:
    """The territory's areas, each after its parent (ordered by path)."""
    return Area.objects.filter(territory=territory).order_by("path")


def area_zone_ids(*, areas: Iterable[Area]) -> set[int]:
    """Ids of every zone below any of ``areas``, at any depth."""
    below = Q()
    for area in areas:
        below |= Q(area__path__startswith=area.path)
    if not below:
        return set()
    return set(Zone.objects.filter(below).values_list("id", flat=True))


def area_chain(zone: Zone) -> list[Area]:
    """The areas above ``zone``, from the top (province) down to its own."""
    if zone.area_id is None:
        return []
    path = Area.objects.filter(pk=zone.area_id).values_list("path", flat=True).first() or ""
    ids = [int(part) for part in path.strip("/").split("/") if part]
    by_id = Area.objects.in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


def areas_covering(*, zones: Iterable[Zone]) -> list[Area]:
    """Areas with at least one of ``zones`` below them (the levels a coordinator who
    covers these zones may pick), top first. Zones must carry ``area__path``."""
    ids: set[int] = set()
    for zone in zones:
        path = getattr(zone.area, "path", "") if zone.area_id else ""
        ids.update(int(part) for part in path.strip("/").split("/") if part)
    return list(Area.objects.filter(pk__in=ids).order_by("path"))


@dataclass
class RollupRow:
    """One child of the chosen level (an area, or a zone directly below it) and the sum
    of its zones' figures."""

    code: str
    name: str
    level: str
    is_zone: bool
    totals: dict[str, int]


def rollup(
    *,
    parent: Area | None,
    zones: Iterable[Zone],
    figures: Mapping[int, Mapping[str, int]],
    territory: Territory,
    areas: Iterable[Area] | None = None,
) -> list[RollupRow]:
    """Sum ``figures`` (zone id → {name: number}) per child of ``parent`` (None: the top
    of the territory). A zone directly under ``parent`` is its own row. Zones must carry
    ``area__path``; those outside ``parent`` are left out. ``areas``, when given, are the
    areas already read (e.g. those above the zones): no query then."""
    prefix = parent.path if parent is not None else "/"
    depth = (parent.depth + 1) if parent is not None else 0
    candidates = areas if areas is not None else Area.objects.filter(territory=territory)
    children = {a.pk: a for a in candidates if a.depth == depth and a.path.startswith(prefix)}
    rows: dict[str, RollupRow] = {}
    for zone in zones:
        path = zone.area.path if zone.area is not None else ""
        if parent is not None and not path.startswith(prefix):
            continue
        parts = [int(p) for p in path.strip("/").split("/") if p]
        child = children.get(parts[depth]) if len(parts) > depth else None
        if child is not None:
            key = f"area:{child.pk}"
            row = rows.setdefault(key, RollupRow(child.code, child.name, child.level, False, {}))
        else:
            key = f"zone:{zone.pk}"
            row = rows.setdefault(key, RollupRow(zone.code, zone.name, "", True, {}))
        for name, value in figures.get(zone.pk, {}).items():
            row.totals[name] = row.totals.get(name, 0) + value
    return sorted(rows.values(), key=lambda row: (row.is_zone, row.name))
