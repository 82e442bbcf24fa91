"""Volunteers pick work themselves: the list of requests near a verified volunteer, and
taking one through the same path as an engine proposal (eligibility, capacity, the one
winner, the audited contact), shown to the coordinators, who may release it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from entraide.matching import services as matching
from entraide.matching.models import Assignment
from entraide.matching.selectors import requests_near_volunteer
from entraide.needs.models import HelpRequest
from entraide.platform.models import AuditLog, OutboxMessage


@pytest.fixture
def open_request(make_request):
    """A request nobody was proposed for (no volunteer existed when it arrived)."""
    return make_request().entry


def test_the_list_holds_eligible_open_requests_only(make_request, make_volunteer):
    near = make_request().entry
    sensitive = make_request(category="violence").entry
    other_kind = make_request(category="childcare").entry
    far = make_request(zone=near.zone.territory.zones.get(code="75016")).entry
    volunteer = make_volunteer()
    listed = [item.help_request.pk for item in requests_near_volunteer(volunteer=volunteer)]
    assert near.pk in listed
    assert sensitive.pk not in listed and other_kind.pk not in listed and far.pk not in listed
    # Only public columns are read: the private text is deferred, never loaded.
    item = requests_near_volunteer(volunteer=volunteer)[0]
    assert "description" in item.help_request.get_deferred_fields()


def test_claim_takes_the_request_like_an_accepted_proposal(open_request, make_volunteer):
    volunteer, other = make_volunteer(), make_volunteer()
    proposed_to_other = Assignment.objects.create(
        help_request=open_request,
        volunteer=other,
        source="instant",
        respond_by=open_request.created_at.replace(year=2099),
    )
    with pytest.raises(PermissionDenied):
        matching.access_help_request_contact(
            user=volunteer.user, help_request=open_request, purpose="before"
        )
    assignment = matching.assignment_claim_by_volunteer(
        volunteer=volunteer, help_request=open_request
    )
    assert (assignment.status, assignment.source) == ("accepted", "volunteer")
    assert assignment.created_by == volunteer.user and assignment.distance_km is not None
    open_request.refresh_from_db()
    assert open_request.status == "matched"
    proposed_to_other.refresh_from_db()
    assert proposed_to_other.status == "superseded"
    told = OutboxMessage.objects.get(delivery_key=f"accepted:{assignment.pk}")
    assert volunteer.code_word in told.body
    assert AuditLog.objects.filter(
        action="matching.assignment_claim", actor=volunteer.user, subject=open_request.reference
    ).exists()
    contact = matching.access_help_request_contact(
        user=volunteer.user, help_request=open_request, purpose="after"
    )
    assert contact.phone == "+33612345678"
    # A second volunteer is told it is taken, and nothing changes.
    with pytest.raises(matching.AlreadyTaken):
        matching.assignment_claim_by_volunteer(volunteer=other, help_request=open_request)
    assert Assignment.objects.filter(help_request=open_request, status="accepted").count() == 1


def test_claim_accepts_the_volunteers_own_proposal(make_request, make_volunteer):
    volunteer = make_volunteer()
    help_request = make_request().entry
    proposal = matching.match_propose_instant(help_request=help_request)
    assert proposal.volunteer == volunteer
    taken = matching.assignment_claim_by_volunteer(volunteer=volunteer, help_request=help_request)
    assert taken.pk == proposal.pk and taken.status == "accepted"


@pytest.mark.parametrize(
    ("overrides", "request_overrides", "code"),
    [
        ({"vetting_status": "pending"}, {}, "not_verified"),
        ({"paused": True}, {}, "paused"),
        ({}, {"category": "distress"}, "sensitive"),
        ({"categories": ["medicines"]}, {}, "no_supply_for_category"),
        ({"categories": ["childcare"]}, {"category": "childcare"}, "no_supply_for_category"),
        ({"radius_km": 0.2, "home_lat": 48.87}, {}, "no_supply_in_radius"),
        ({}, {"language": "ar"}, "no_common_language"),
        ({"max_open_assignments": 0}, {}, "capacity_exhausted"),
    ],
)
def test_claim_refusals_change_nothing(
    make_request, make_volunteer, overrides, request_overrides, code
):
    language = request_overrides.pop("language", None)
    help_request = make_request(**request_overrides).entry
    if language:
        HelpRequest.objects.filter(pk=help_request.pk).update(language=language)
        help_request.refresh_from_db()
    volunteer = make_volunteer(**overrides)
    before = Assignment.objects.count()
    with pytest.raises(ValidationError) as caught:
        matching.assignment_claim_by_volunteer(volunteer=volunteer, help_request=help_request)
    assert caught.value.code == code
    assert caught.value.messages[0]
    assert Assignment.objects.count() == before
    assert HelpRequest.objects.get(pk=help_request.pk).status == "open"


def test_a_blocked_or_declined_volunteer_cannot_take_it(open_request, make_volunteer, coordinator):
    volunteer = make_volunteer()
    matching.pair_block(help_request=open_request, volunteer=volunteer, coordinator=coordinator)
    with pytest.raises(ValidationError) as caught:
        matching.assignment_claim_by_volunteer(volunteer=volunteer, help_request=open_request)
    assert caught.value.code == "blocked"
    assert open_request.pk not in [
        item.help_request.pk for item in requests_near_volunteer(volunteer=volunteer)
    ]


def test_a_closed_request_cannot_be_taken(open_request, make_volunteer):
    from entraide.needs.services import help_request_transition

    help_request_transition(
        help_request=open_request, to_status="cancelled", actor=None, actor_label="requester"
    )
    with pytest.raises(ValidationError) as caught:
        matching.assignment_claim_by_volunteer(
            volunteer=make_volunteer(), help_request=open_request
        )
    assert caught.value.code == "not_open"


def test_pages_nearby_claim_queue_and_release(client, open_request, make_volunteer, coordinator):
    volunteer = make_volunteer()
    client.force_login(volunteer.user)
    page = client.get(reverse("matching:nearby"))
    assert page.status_code == 200
    html = page.content.decode()
    assert open_request.reference in html and "Je la prends" in html
    assert "Oberkampf" not in html and "06 12" not in html and "Odette" not in html
    answer = client.post(reverse("matching:claim", args=[open_request.reference]), follow=True)
    assert "Elle est à vous" in answer.content.decode()
    assert (
        "+33 6 12 34 56 78" in answer.content.decode()
        or "06 12 34 56 78" in answer.content.decode()
    )
    again = client.post(reverse("matching:claim", args=[open_request.reference]), follow=True)
    assert "Un autre bénévole" in again.content.decode()
    # The coordinators' queue says a volunteer took it; the case offers the release.
    client.force_login(coordinator)
    queue = client.get(reverse("coordination:queue")).content.decode()
    assert "Proposée par le bénévole " + volunteer.first_name in queue
    assert open_request.reference in queue
    case = client.get(reverse("coordination:case", args=[open_request.reference])).content.decode()
    assert "Proposée par le bénévole" in case
    assignment = Assignment.objects.get(help_request=open_request, status="accepted")
    client.post(
        reverse("coordination:case_action", args=[open_request.reference, "release"]),
        {"assignment": assignment.pk, "reason": "à vérifier"},
    )
    assignment.refresh_from_db()
    assert assignment.status == "withdrawn"


def test_unverified_and_anonymous_visitors_see_how_to_become_a_volunteer(
    client, open_request, make_volunteer
):
    page = client.get(reverse("matching:nearby")).content.decode()
    assert "Devenir bénévole" in page and "Je la prends" not in page
    assert open_request.reference not in page
    pending = make_volunteer(vetting_status="pending")
    client.force_login(pending.user)
    page = client.get(reverse("matching:nearby")).content.decode()
    assert "pas encore vérifié" in page and "Je la prends" not in page
    answer = client.post(reverse("matching:claim", args=[open_request.reference]), follow=True)
    assert "vérifiés" in answer.content.decode()
    assert not Assignment.objects.filter(help_request=open_request).exists()


def test_the_list_is_paginated(make_request, make_volunteer):
    from entraide.matching.selectors import NEARBY_PAGE_SIZE, requests_near_volunteer_page

    for _ in range(NEARBY_PAGE_SIZE + 2):
        make_request()
    volunteer = make_volunteer()
    assert len(requests_near_volunteer(volunteer=volunteer)) == NEARBY_PAGE_SIZE + 2
    first = requests_near_volunteer_page(volunteer=volunteer, number="1")
    second = requests_near_volunteer_page(volunteer=volunteer, number="2")
    assert len(first.object_list) == NEARBY_PAGE_SIZE and len(second.object_list) == 2
    assert second.paginator.num_pages == 2 and not second.has_next()
    seen = {item.help_request.pk for item in [*first.object_list, *second.object_list]}
    assert len(seen) == NEARBY_PAGE_SIZE + 2
