"""What happens to assignments, as published by ``matching.services``.

Subscribers (see each app's ``AppConfig.ready``):

- ``recognition`` proposes the hours of a volunteer's finished assignment.

Events carry ids and labels only, never personal data: they may be logged.
"""

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class AssignmentCompleted:
    """An assignment was marked done (by its helper, or because its request was closed
    as done while they were on it)."""

    assignment_id: int
    help_request_id: int
    reference: str
    category: str
    zone_id: int | None
    volunteer_id: int | None
    organisation_offer_id: int | None
    source: str
    finished_on: dt.date
