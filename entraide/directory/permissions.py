"""Who may propose, edit and review entries of the directory.

Partners are users with a platform PARTNER role, or an EDITOR or ADMIN membership in an
organisation; coordinators review and publish. Superusers are both.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from entraide.people.models import MemberRole, Organisation, OrganisationMembership
from entraide.platform.models import Role
from entraide.platform.roles import has_role_anywhere, is_coordinator

from .models import Measure
from .states import Reviewer

EDITING_MEMBER_ROLES = (MemberRole.EDITOR, MemberRole.ADMIN)

AnyUser = AbstractBaseUser | AnonymousUser


def editable_organisations(user: AnyUser):
    """Organisations on whose behalf ``user`` may propose measures and actions."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    if user.is_superuser or is_coordinator(user):
        return Organisation.objects.all()
    return Organisation.objects.filter(
        memberships__user=user, memberships__role__in=EDITING_MEMBER_ROLES
    )


def is_partner(user: AnyUser) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return (
        has_role_anywhere(user, Role.PARTNER)
        or OrganisationMembership.objects.filter(user=user, role__in=EDITING_MEMBER_ROLES).exists()
    )


def reviewer_kind(user: AnyUser) -> str | None:
    """The moderation capacity of ``user``: coordinator, partner, or None."""
    if is_coordinator(user):
        return Reviewer.COORDINATOR
    if is_partner(user):
        return Reviewer.PARTNER
    return None


def can_edit_measure(user: AnyUser, measure: Measure) -> bool:
    kind = reviewer_kind(user)
    if kind == Reviewer.COORDINATOR:
        return True
    if kind != Reviewer.PARTNER:
        return False
    if measure.created_by_id == user.pk:
        return True
    return (
        measure.organisation_id is not None
        and editable_organisations(user).filter(pk=measure.organisation_id).exists()
    )
