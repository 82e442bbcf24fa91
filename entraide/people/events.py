"""What happens to a volunteer, as published by ``people.services``.

Subscribers (see each app's ``AppConfig.ready``): ``matching`` hands back the work of a
volunteer who pauses (open proposals) or is suspended (proposals and accepted work);
``people`` itself places a new or changed home address on the map (``people.handlers``).

Events carry ids and labels only, never personal data: they may be logged.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class VolunteerPaused:
    volunteer_id: int


@dataclass(frozen=True)
class VolunteerSuspended:
    volunteer_id: int


@dataclass(frozen=True)
class VolunteerHomeChanged:
    """A volunteer gave a home address (at sign-up or on their profile) to place."""

    volunteer_id: int
