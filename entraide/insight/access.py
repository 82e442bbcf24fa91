"""The one permission-checked way into the coordinators' figures and exports."""

from dataclasses import dataclass, replace
from functools import cached_property

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from entraide.platform.roles import coordinated_zone_ids, is_coordinator
from entraide.territory.hierarchy import areas_covering
from entraide.territory.models import Area, Territory, Zone
from entraide.territory.selectors import territory_current


@dataclass(frozen=True)
class Scope:
    """What a coordinator may see: the zones they cover, and the one they chose, if any."""

    territory: Territory
    zones: tuple[Zone, ...]
    zone: Zone | None = None
    whole_territory: bool = False
    #: A level of the hierarchy chosen (a region, a municipality): its zones only.
    area: Area | None = None

    @cached_property
    def areas(self) -> tuple[Area, ...]:
        """The levels the coordinator may choose (those above at least one of their
        zones); read only by the pages that offer the choice."""
        return tuple(areas_covering(zones=self.zones))

    @property
    def zone_ids(self) -> list[int]:
        if self.zone is not None:
            return [self.zone.pk]
        if self.area is not None:
            return [zone.pk for zone in self.zones if _below(zone, self.area)]
        return [zone.pk for zone in self.zones]

    @property
    def label(self) -> str:
        if self.zone is not None:
            return str(self.zone)
        if self.area is not None:
            return self.area.name
        return self.territory.name if self.whole_territory else _("Your zones")


def _below(zone: Zone, area: Area) -> bool:
    return bool(zone.area_id) and zone.area.path.startswith(area.path)


def access_insight_scope(
    *, user: AbstractBaseUser | AnonymousUser, zone_code: str = "", area_code: str = ""
) -> Scope:
    """The zones ``user`` may look at, narrowed to ``zone_code`` or to the zones below
    ``area_code`` (a level of the hierarchy) when given.

    Raise PermissionDenied for anyone who is not a coordinator, and Http404 for a zone
    the coordinator does not cover (so that zones cannot be probed).
    """
    if not is_coordinator(user):
        raise PermissionDenied(_("This page is for coordinators."))
    territory = territory_current()
    if territory is None:
        raise Http404(_("No territory is set up yet."))
    allowed = coordinated_zone_ids(user)
    zones = (
        Zone.objects.filter(territory=territory)
        .select_related("area")
        .only("id", "code", "name", "centroid_lat", "centroid_lon", "territory_id", "area__path")
    )
    if allowed is not None:
        zones = zones.filter(pk__in=allowed)
    zones = tuple(zones.order_by("code"))
    if not zones:
        raise PermissionDenied(_("You do not coordinate any zone yet."))
    chosen = None
    if zone_code:
        chosen = next((zone for zone in zones if zone.code == zone_code), None)
        if chosen is None:
            raise Http404(_("There is no zone with this code."))
    scope = Scope(territory, zones, chosen, whole_territory=allowed is None)
    if area_code and chosen is None:
        area = next((a for a in scope.areas if a.code == area_code), None)
        if area is None:
            raise Http404(_("There is no area with this code."))
        areas = scope.areas
        scope = replace(scope, area=area)
        scope.__dict__["areas"] = areas  # already read: keep it
    return scope
