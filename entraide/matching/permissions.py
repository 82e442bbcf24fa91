"""Who may act on assignments by hand. One function per verb, used by every entry point
(services, back office), so a rule is written once."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from entraide.needs.models import HelpRequest
from entraide.people.models import Volunteer
from entraide.platform.roles import is_coordinator

from .models import Assignment


def can_assign(
    user: AbstractBaseUser | AnonymousUser, help_request: HelpRequest, volunteer: Volunteer
) -> bool:
    """A coordinator may assign by hand only inside the zones they coordinate: the
    request's zone and the volunteer's zone both (territory coordinators cover all)."""
    return is_coordinator(user, zone=help_request.zone) and is_coordinator(
        user, zone=volunteer.zone
    )


def can_release(user: AbstractBaseUser | AnonymousUser, assignment: Assignment) -> bool:
    """A coordinator of the request's zone may hand an assignment back to matching."""
    return is_coordinator(user, zone=assignment.help_request.zone)


def can_block(user: AbstractBaseUser | AnonymousUser, help_request: HelpRequest) -> bool:
    return is_coordinator(user, zone=help_request.zone)
