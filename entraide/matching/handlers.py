"""How matching answers the life of a request (events published by ``needs.services``)
and of a volunteer (``people.services``).

Matching owns everything about helpers: a new or reopened request is proposed (by the
worker, from a durable task), and a request that is cancelled, expired, done or reopened
has its assignments closed, its helpers told and their capacity freed. A volunteer who
pauses hands back their open proposals; a suspended one all their open work. Subscribed
in ``MatchingConfig.ready``. Whatever a failed handler leaves behind is caught by
:func:`entraide.matching.services.assignments_reconcile`, run with the batch.
"""

from entraide.needs import events
from entraide.needs.categories import SENSITIVE_CODES
from entraide.people.events import VolunteerPaused, VolunteerSuspended
from entraide.people.models import VettingStatus, Volunteer
from entraide.platform.events import subscribe

from .services import (
    assignments_close_for_request,
    assignments_withdraw_for_volunteer,
    enqueue_proposal,
    requester_notify_done,
)

_OUTCOMES = {
    events.RequestCancelled: "cancelled",
    events.RequestExpired: "expired",
    events.RequestClosed: "done",
    events.RequestReopened: "reopened",
}


def propose(event: events.RequestEvent) -> None:
    """Sensitive needs go to professional partners (care), never to volunteers."""
    if event.category not in SENSITIVE_CODES:
        enqueue_proposal(help_request_id=event.help_request_id)


def close_assignments(event: events.RequestEvent) -> None:
    assignments_close_for_request(
        help_request_id=event.help_request_id, outcome=_OUTCOMES[type(event)]
    )


def tell_requester_done(event: events.RequestClosed) -> None:
    requester_notify_done(help_request_id=event.help_request_id)


def reopen(event: events.RequestReopened) -> None:
    close_assignments(event)
    propose(event)


def withdraw_proposals_of_paused(event: VolunteerPaused) -> None:
    """Unless they came back in the meantime."""
    volunteer = Volunteer.objects.filter(pk=event.volunteer_id, paused=True).first()
    if volunteer is not None:
        assignments_withdraw_for_volunteer(
            volunteer=volunteer, reason="volunteer paused", proposals_only=True
        )


def withdraw_work_of_suspended(event: VolunteerSuspended) -> None:
    volunteer = Volunteer.objects.filter(
        pk=event.volunteer_id, vetting_status=VettingStatus.SUSPENDED
    ).first()
    if volunteer is not None:
        assignments_withdraw_for_volunteer(volunteer=volunteer, reason="volunteer suspended")


def connect() -> None:
    subscribe(events.RequestCreated, propose)
    subscribe(events.RequestReopened, reopen)
    for event_type in (events.RequestCancelled, events.RequestExpired, events.RequestClosed):
        subscribe(event_type, close_assignments)
    subscribe(events.RequestClosed, tell_requester_done)
    subscribe(VolunteerPaused, withdraw_proposals_of_paused)
    subscribe(VolunteerSuspended, withdraw_work_of_suspended)
