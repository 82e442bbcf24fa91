"""Who may manage which mission: the coordinators of its zone, and the administrators and
coordinators of its organisation (a mission of the city: coordinators only)."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from entraide.people.models import MemberRole, Organisation
from entraide.platform.roles import coordinated_zone_ids, is_coordinator

from .models import Mission

MANAGING_ROLES = (MemberRole.ADMIN, MemberRole.COORDINATOR)


def managed_organisations(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Organisation]:
    """The organisations whose missions ``user`` may publish as a member."""
    if not (user.is_authenticated and user.is_active):
        return Organisation.objects.none()
    return Organisation.objects.filter(
        memberships__user_id=user.pk, memberships__role__in=MANAGING_ROLES
    ).distinct()


def can_manage_missions(user: AbstractBaseUser | AnonymousUser) -> bool:
    """A gate: a coordinator anywhere, or a managing member of an organisation."""
    return is_coordinator(user) or managed_organisations(user).exists()


def can_manage(user: AbstractBaseUser | AnonymousUser, mission: Mission) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    if is_coordinator(user, zone=mission.zone):
        return True
    return (
        mission.organisation_id is not None
        and managed_organisations(user).filter(pk=mission.organisation_id).exists()
    )


def managed_missions(user: AbstractBaseUser) -> QuerySet[Mission]:
    """The missions ``user`` may manage: their organisations', and their zones' if they
    coordinate."""
    condition = Q(organisation__in=managed_organisations(user))
    if is_coordinator(user):
        zones = coordinated_zone_ids(user)
        if zones is None:
            return Mission.objects.all()
        condition |= Q(zone_id__in=zones)
    return Mission.objects.filter(condition)
