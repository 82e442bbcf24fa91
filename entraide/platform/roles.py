"""Who may do what: roles held by users, on the whole territory, on one area of its
hierarchy (every zone below it) or on one zone.

This is the one place that expands a user's grants into zones: the coordination queue,
case access, the dashboard and the exports all ask :func:`coordinated_zone_ids` or
:func:`is_coordinator`.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import F, Q, Subquery

from entraide.territory.models import Area, Zone

from .models import Role, RoleGrant

COORDINATOR_ROLES = frozenset({Role.ZONE_COORDINATOR, Role.TERRITORY_COORDINATOR})


def role_grant(
    *,
    user: AbstractBaseUser,
    role: str,
    zone: Zone | None = None,
    area: Area | None = None,
    granted_by: AbstractBaseUser | None = None,
) -> RoleGrant:
    """Grant ``role`` on the whole territory, on one ``area`` (every zone below it) or
    on one ``zone``; granting it twice keeps one grant."""
    if zone is not None and area is not None:
        raise ValueError("A role is granted on a zone or on an area, not both.")
    grant, _created = RoleGrant.objects.get_or_create(
        user=user, role=role, zone=zone, area=area, defaults={"granted_by": granted_by}
    )
    return grant


def _areas_above(zone: Zone):
    """Ids of the zone's area and of every area above it, as a subquery (no query of its
    own): the areas whose path is a prefix of the zone's area's path."""
    zone_path = Area.objects.filter(pk=zone.area_id).values("path")[:1]
    return (
        Area.objects.filter(territory_id=zone.territory_id)
        .annotate(zone_path=Subquery(zone_path))
        .filter(zone_path__startswith=F("path"))
        .values("pk")
    )


def _covering(zone: Zone) -> Q:
    """Grants that cover ``zone``: whole territory, the zone itself, an area above it."""
    covering = Q(zone__isnull=True, area__isnull=True) | Q(zone=zone)
    if zone.area_id is not None:
        covering |= Q(area_id__in=_areas_above(zone))
    return covering


def has_role(
    user: AbstractBaseUser | AnonymousUser, role: str, *, zone: Zone | None = None
) -> bool:
    """True when ``user`` holds ``role`` on the whole territory, or on ``zone`` if one is
    given (a territory-wide grant covers every zone).

    Without a zone this is a territory-wide check: a grant on one zone does not pass it.
    To ask "does ``user`` hold ``role`` somewhere" (a gate in front of a page whose
    content is then narrowed to the user's zones), use :func:`has_role_anywhere`.
    Administrators (superusers) hold every role.
    """
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    grants = RoleGrant.objects.filter(user=user, role=role)
    if zone is None:
        return grants.filter(zone__isnull=True, area__isnull=True).exists()
    return grants.filter(_covering(zone)).exists()


def has_role_anywhere(user: AbstractBaseUser | AnonymousUser, role: str) -> bool:
    """True when ``user`` holds ``role`` on the territory or on at least one zone.

    Only for gates whose content is then narrowed to the zones the user holds.
    """
    if not _active(user):
        return False
    return user.is_superuser or RoleGrant.objects.filter(user=user, role=role).exists()


def _active(user: AbstractBaseUser | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.is_active)


def is_coordinator(user: AbstractBaseUser | AnonymousUser, *, zone: Zone | None = None) -> bool:
    """Territory coordinators cover every zone; an area's coordinators every zone below
    the area (at any depth); zone coordinators only theirs.

    Without a zone: True for any coordinator, of the territory or of one zone. Use it only
    in front of content narrowed by :func:`coordinated_zone_ids`; for an action on the
    whole territory use :func:`is_territory_coordinator`.
    """
    if has_role(user, Role.TERRITORY_COORDINATOR):
        return True
    if zone is None:
        return has_role_anywhere(user, Role.ZONE_COORDINATOR)
    if not _active(user):
        return False
    covering = Q(zone=zone)
    if zone.area_id is not None:
        covering |= Q(area_id__in=_areas_above(zone))
    return RoleGrant.objects.filter(covering, user=user, role=Role.ZONE_COORDINATOR).exists()


def is_territory_coordinator(user: AbstractBaseUser | AnonymousUser) -> bool:
    """A coordinator of the whole territory (or an administrator)."""
    return has_role(user, Role.TERRITORY_COORDINATOR)


def coordinated_zone_ids(user: AbstractBaseUser) -> set[int] | None:
    """Zones a coordinator covers: None means all of them.

    A grant on an area expands to every zone below it, at any depth (one prefix query
    on the areas' materialised paths).
    """
    if user.is_superuser or has_role(user, Role.TERRITORY_COORDINATOR):
        return None
    return granted_zone_ids(user)


def granted_zone_ids(user: AbstractBaseUser) -> set[int]:
    """The zones ``user``'s zone-coordinator grants cover, a grant on an area expanded
    to every zone below it (no shortcut for superusers or territory coordinators)."""
    zone_ids: set[int] = set()
    paths: list[str] = []
    for zone_id, path in RoleGrant.objects.filter(
        user=user, role=Role.ZONE_COORDINATOR
    ).values_list("zone_id", "area__path"):
        if zone_id is not None:
            zone_ids.add(zone_id)
        elif path:
            paths.append(path)
    if paths:
        below = Q()
        for path in paths:
            below |= Q(area__path__startswith=path)
        zone_ids.update(Zone.objects.filter(below).values_list("id", flat=True))
    return zone_ids


def coordinators_covering(*, zone: Zone):
    """Active users whose coordinator role covers ``zone``: the territory's coordinators,
    the coordinators of an area above it and the zone's own."""
    grants = Q(
        role_grants__role=Role.TERRITORY_COORDINATOR,
        role_grants__zone__isnull=True,
        role_grants__area__isnull=True,
    )
    grants |= Q(role_grants__role=Role.ZONE_COORDINATOR, role_grants__zone=zone)
    if zone.area_id is not None:
        grants |= Q(
            role_grants__role=Role.ZONE_COORDINATOR, role_grants__area_id__in=_areas_above(zone)
        )
    return get_user_model().objects.filter(grants, is_active=True).distinct()
