"""Who may do what: roles held by users, on the whole territory or on one zone."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

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
    """True when ``user`` holds ``role`` on the territory, or on ``zone`` if one is given.

    Administrators (superusers) hold every role.
    """
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    grants = RoleGrant.objects.filter(user=user, role=role)
    if zone is None:
        return grants.exists()
    return grants.filter(zone__isnull=True).exists() or grants.filter(zone=zone).exists()


def is_coordinator(user: AbstractBaseUser | AnonymousUser, *, zone: Zone | None = None) -> bool:
    """Territory coordinators cover every zone; zone coordinators only theirs."""
    if has_role(user, Role.TERRITORY_COORDINATOR):
        return True
    if zone is None:
        return has_role(user, Role.ZONE_COORDINATOR)
    return (
        RoleGrant.objects.filter(user=user, role=Role.ZONE_COORDINATOR, zone=zone).exists()
        if user.is_authenticated
        else False
    )


def coordinated_zone_ids(user: AbstractBaseUser) -> set[int] | None:
    """Zones a coordinator covers: None means all of them."""
    if user.is_superuser or has_role(user, Role.TERRITORY_COORDINATOR):
        return None
    return set(
        RoleGrant.objects.filter(
            user=user, role=Role.ZONE_COORDINATOR, zone__isnull=False
        ).values_list("zone_id", flat=True)
    )
