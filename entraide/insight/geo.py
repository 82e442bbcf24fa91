"""What the map shows: zones with their unmet needs, and requests at their public point only.

Nothing here reads a contact, a description or a reference: zones carry counts, and
requests are grouped by their public point (already snapped to a 500 m grid), so a point
says "3 open requests around here" and nothing more.
"""

from django.db.models import Count

from entraide.needs.categories import PUBLIC_CODES
from entraide.needs.models import HelpRequest
from entraide.needs.states import RequestStatus
from entraide.territory.models import Zone
from entraide.territory.services import LAPOSTE_ATTRIBUTION

from .access import Scope
from .selectors import ZoneRow, overdue_q


def unmet_level(unmet: int, largest: int) -> int:
    """0 (none) to 3 (the zones with the most unmet needs), for colour and legend."""
    if unmet == 0 or largest == 0:
        return 0
    return min(3, 1 + (3 * unmet - 1) // largest)


def map_data(*, scope: Scope, now) -> dict:
    """The map's JSON: zone features (polygon if known, else centroid) and request points."""
    rows = {zone.pk: ZoneRow(zone.pk, zone.code, zone.name) for zone in scope.zones}
    open_requests = HelpRequest.objects.filter(
        zone_id__in=scope.zone_ids, status=RequestStatus.OPEN
    )
    for item in (
        open_requests.values("zone_id")
        .annotate(n=Count("id"), overdue=Count("id", filter=overdue_q(now)))
        .order_by()
    ):
        rows[item["zone_id"]].open = item["n"]
        rows[item["zone_id"]].overdue = item["overdue"]
    largest = max((row.unmet for row in rows.values()), default=0)
    zones = Zone.objects.filter(pk__in=scope.zone_ids).only(
        "id", "code", "name", "centroid_lat", "centroid_lon", "polygon"
    )
    zone_features = []
    for zone in zones:
        row = rows[zone.pk]
        if zone.polygon:
            geometry = zone.polygon
        elif zone.centroid_lat is not None:
            geometry = {"type": "Point", "coordinates": [zone.centroid_lon, zone.centroid_lat]}
        else:
            continue
        zone_features.append(
            {
                "type": "Feature",
                "geometry": geometry,
                "properties": {
                    "code": zone.code,
                    "name": zone.name,
                    "open": row.open,
                    "overdue": row.overdue,
                    "unmet": row.unmet,
                    "level": unmet_level(row.unmet, largest),
                    "centroid": [zone.centroid_lat, zone.centroid_lon],
                },
            }
        )
    points = (
        open_requests.filter(category__in=PUBLIC_CODES, public_lat__isnull=False)
        .values("public_lat", "public_lon")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {
        "attribution": scope.territory.data_attribution or LAPOSTE_ATTRIBUTION,
        "zones": {"type": "FeatureCollection", "features": zone_features},
        "requests": {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "geometry": {
                        "type": "Point",
                        "coordinates": [point["public_lon"], point["public_lat"]],
                    },
                    "properties": {"count": point["n"]},
                }
                for point in points
            ],
        },
    }
