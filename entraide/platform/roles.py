"""Who may do what: roles held by users, on the whole territory or on one zone."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q

from entraide.territory.models import Zone

from .models import Role, RoleGrant

COORDINATOR_ROLES = frozenset({Role.ZONE_COORDINATOR, Role.TERRITORY_COORDINATOR})


def role_grant(
    *,
    user: AbstractBaseUser,
    role: str,
    zone: Zone | None = None,
    granted_by: AbstractBaseUser | None = None,
) -> RoleGrant:
    grant, _created = RoleGrant.objects.get_or_create(
        user=user, role=role, zone=zone, defaults={"granted_by": granted_by}
    )
    return grant


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
        return grants.filter(zone__isnull=True).exists()
    return grants.filter(Q(zone__isnull=True) | Q(zone=zone)).exists()


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
    """Territory coordinators cover every zone; zone coordinators only theirs.

    Without a zone: True for any coordinator, of the territory or of one zone. Use it only
    in front of content narrowed by :func:`coordinated_zone_ids`; for an action on the
    whole territory use :func:`is_territory_coordinator`.
    """
    if has_role(user, Role.TERRITORY_COORDINATOR):
        return True
    if zone is None:
        return has_role_anywhere(user, Role.ZONE_COORDINATOR)
    return (
        _active(user)
        and RoleGrant.objects.filter(user=user, role=Role.ZONE_COORDINATOR, zone=zone).exists()
    )


def is_territory_coordinator(user: AbstractBaseUser | AnonymousUser) -> bool:
    """A coordinator of the whole territory (or an administrator)."""
    return has_role(user, Role.TERRITORY_COORDINATOR)


def coordinated_zone_ids(user: AbstractBaseUser) -> set[int] | None:
    """Zones a coordinator covers: None means all of them."""
    if user.is_superuser or has_role(user, Role.TERRITORY_COORDINATOR):
        return None
    return set(
        RoleGrant.objects.filter(
            user=user, role=Role.ZONE_COORDINATOR, zone__isnull=False
        ).values_list("zone_id", flat=True)
    )


def coordinators_covering(*, zone: Zone):
    """Active users whose coordinator role covers ``zone``: the territory's coordinators
    and the zone's own."""
    grants = Q(role_grants__role=Role.TERRITORY_COORDINATOR, role_grants__zone__isnull=True)
    grants |= Q(role_grants__role=Role.ZONE_COORDINATOR, role_grants__zone=zone)
    return get_user_model().objects.filter(grants, is_active=True).distinct()
