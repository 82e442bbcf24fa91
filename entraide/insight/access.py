"""The one permission-checked way into the coordinators' figures and exports."""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from entraide.platform.roles import coordinated_zone_ids, is_coordinator
from entraide.territory.models import Territory, Zone
from entraide.territory.selectors import territory_current


@dataclass(frozen=True)
class Scope:
    """What a coordinator may see: the zones they cover, and the one they chose, if any."""

    territory: Territory
    zones: tuple[Zone, ...]
    zone: Zone | None = None
    whole_territory: bool = False

    @property
    def zone_ids(self) -> list[int]:
        if self.zone is not None:
            return [self.zone.pk]
        return [zone.pk for zone in self.zones]

    @property
    def label(self) -> str:
        if self.zone is not None:
            return str(self.zone)
        return self.territory.name if self.whole_territory else _("Your zones")


def access_insight_scope(*, user: AbstractBaseUser | AnonymousUser, zone_code: str = "") -> Scope:
    """The zones ``user`` may look at, narrowed to ``zone_code`` when given.

    Raise PermissionDenied for anyone who is not a coordinator, and Http404 for a zone
    the coordinator does not cover (so that zones cannot be probed).
    """
    if not is_coordinator(user):
        raise PermissionDenied(_("This page is for coordinators."))
    territory = territory_current()
    if territory is None:
        raise Http404(_("No territory is set up yet."))
    allowed = coordinated_zone_ids(user)
    zones = Zone.objects.filter(territory=territory).only(
        "id", "code", "name", "centroid_lat", "centroid_lon", "territory_id"
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
    return Scope(territory, zones, chosen, whole_territory=allowed is None)
