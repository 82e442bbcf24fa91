"""Who may decide on hours and certificates: one function per verb, used everywhere."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from entraide.people.models import Volunteer
from entraide.platform.roles import is_coordinator

from .models import HoursEntry


def can_decide_hours(
    user: AbstractBaseUser | AnonymousUser, subject: HoursEntry | Volunteer
) -> bool:
    """A coordinator of the zone where the work was done (or, without one, of the
    volunteer's zone); territory coordinators everywhere."""
    if isinstance(subject, HoursEntry):
        zone = subject.zone if subject.zone_id else subject.volunteer.zone
    else:
        zone = subject.zone
    return is_coordinator(user, zone=zone)
