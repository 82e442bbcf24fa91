"""A hand-computed world for the dashboard: seven requests in the 11th, one in the 12th.

Times are relative to now; the default period (7 days) holds all but ``old_low``.
"""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from entraide.matching.models import Assignment, AssignmentStatus
from entraide.needs.models import HelpOffer, HelpRequest, Urgency
from entraide.needs.states import OfferStatus, RequestStatus
from entraide.people.models import VettingStatus
from entraide.platform.models import Role
from entraide.platform.roles import role_grant

HOUR = dt.timedelta(hours=1)


@dataclass
class World:
    now: dt.datetime
    requests: dict
    volunteers: dict


def _age(entry: HelpRequest, created_at: dt.datetime, status: str) -> HelpRequest:
    HelpRequest.objects.filter(pk=entry.pk).update(created_at=created_at, status=status)
    entry.refresh_from_db()
    return entry


def _assign(request, volunteer, status, *, responded=None, finished=None) -> Assignment:
    assignment = Assignment.objects.create(
        help_request=request,
        volunteer=volunteer,
        status=status,
        source="manual",
        respond_by=request.created_at + 2 * HOUR,
    )
    Assignment.objects.filter(pk=assignment.pk).update(
        proposed_at=request.created_at,
        responded_at=request.created_at + responded if responded else None,
        finished_at=request.created_at + finished if finished else None,
    )
    return assignment


@pytest.fixture
def world(paris, zone_11, make_request, make_offer, make_volunteer) -> World:
    now = timezone.now()
    zone_12 = paris.zones.get(code="75012")

    def request(key, category, urgency, age, status=RequestStatus.OPEN, zone=None):
        created = make_request(zone=zone, category=category, urgency=urgency).entry
        return key, _age(created, now - age, status)

    requests = dict(
        [
            request("critical_overdue", "groceries", Urgency.CRITICAL, 5 * HOUR),
            request("high_fresh", "medicines", Urgency.HIGH, 2 * HOUR),
            request("old_low", "groceries", Urgency.LOW, 8 * 24 * HOUR),
            request("matched", "groceries", Urgency.NORMAL, 30 * HOUR, RequestStatus.MATCHED),
            request("done", "transport", Urgency.NORMAL, 50 * HOUR, RequestStatus.DONE),
            request("cancelled", "groceries", Urgency.HIGH, 3 * HOUR, RequestStatus.CANCELLED),
            request("matched_late", "medicines", Urgency.HIGH, 20 * HOUR, RequestStatus.MATCHED),
            request("in_12th", "groceries", Urgency.CRITICAL, 6 * HOUR, zone=zone_12),
        ]
    )
    volunteers = {
        "one": make_volunteer(),
        "busy": make_volunteer(),
        "idle": make_volunteer(),
        "paused": make_volunteer(paused=True),
        "pending": make_volunteer(vetting_status=VettingStatus.PENDING),
    }
    _assign(requests["matched"], volunteers["one"], AssignmentStatus.ACCEPTED, responded=2 * HOUR)
    _assign(
        requests["done"],
        volunteers["busy"],
        AssignmentStatus.DONE,
        responded=5 * HOUR,
        finished=10 * HOUR,
    )
    _assign(requests["matched_late"], volunteers["idle"], AssignmentStatus.DECLINED, responded=HOUR)
    _assign(
        requests["matched_late"],
        volunteers["busy"],
        AssignmentStatus.ACCEPTED,
        responded=dt.timedelta(minutes=90),
    )
    make_offer()
    paused = make_offer().entry
    HelpOffer.objects.filter(pk=paused.pk).update(status=OfferStatus.PAUSED)
    return World(now, requests, volunteers)


@pytest.fixture
def coordinator(django_user_model, zone_11):
    user = django_user_model.objects.create_user("coord11@example.org")
    role_grant(user=user, role=Role.ZONE_COORDINATOR, zone=zone_11)
    return user


@pytest.fixture
def territory_coordinator(django_user_model):
    user = django_user_model.objects.create_user("coordparis@example.org")
    role_grant(user=user, role=Role.TERRITORY_COORDINATOR)
    return user
