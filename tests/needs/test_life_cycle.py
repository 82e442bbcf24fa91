"""A request's life cycle across apps, driven through the pages people use.

needs publishes what happens to a request; matching closes the helpers' assignments and
re-proposes; care screens the text. Each test goes through the real HTTP entry point
(the requester's private link, the back office) and the real worker.
"""

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone, translation

from entraide.care import detection
from entraide.care.models import ContactKind, Escalation, Partner
from entraide.care.tasks import screen_unscreened_requests
from entraide.matching import services as matching
from entraide.matching.models import Assignment, AssignmentSource, AssignmentStatus
from entraide.needs.models import HelpRequest
from entraide.people.models import (
    MemberRole,
    Organisation,
    OrganisationMembership,
    OrganisationOffer,
)
from entraide.platform.models import OutboxMessage, Role
from entraide.platform.roles import role_grant
from tests.worker import run_queued_tasks


def _created_and_proposed(make_request, capture, **overrides):
    """A request as a resident posts it, and the proposal the worker makes for it."""
    with capture(execute=True):
        created = make_request(**overrides)
    run_queued_tasks()
    return created, created.entry.assignments.get(status=AssignmentStatus.PROPOSED)


def _cancel_on_private_page(client, created, capture):
    """Open the private cancel link the requester was given and confirm."""
    page = client.get(f"/request/{created.entry.reference}/{created.token}/cancel/", follow=True)
    assert page.status_code == 200
    url = page.redirect_chain[-1][0] if page.redirect_chain else page.request["PATH_INFO"]
    with capture(execute=True):
        client.post(url, {"reason": "plus besoin"}, follow=True)
    assert HelpRequest.objects.get(pk=created.entry.pk).status == "cancelled"


@pytest.fixture
def territory_coordinator(django_user_model):
    return django_user_model.objects.create_superuser("coord", "coord@example.org", "pw-1234-long")


@pytest.fixture
def partner(paris):
    """A partner for reports of violence, reachable by e-mail."""
    found = Partner.objects.create(territory=paris, name="SOS", categories=["violence"])
    found.contacts.create(
        position=1, kind=ContactKind.EMAIL, value="sos@example.org", around_the_clock=True
    )
    return found


def test_cancel_on_the_private_page_frees_the_volunteer(
    client, make_request, make_volunteer, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    volunteer = make_volunteer(max_open_assignments=1)
    created, proposal = _created_and_proposed(make_request, capture)
    with capture(execute=True):
        matching.assignment_accept(assignment=proposal, volunteer=volunteer)

    _cancel_on_private_page(client, created, capture)

    proposal.refresh_from_db()
    assert proposal.status == AssignmentStatus.WITHDRAWN
    told = OutboxMessage.objects.get(delivery_key=f"closed:{proposal.pk}:{volunteer.user.email}")
    assert created.entry.reference in told.body and "Oberkampf" not in told.body
    # Their one slot is free again: the next request is proposed to them.
    _next, next_proposal = _created_and_proposed(make_request, capture)
    assert next_proposal.volunteer == volunteer


def test_cancel_leaves_the_organisation_page_working(
    client, make_request, zone_11, django_user_model, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    food_bank = Organisation.objects.create(name="Banque", kind="association", verified=True)
    offer = OrganisationOffer.objects.create(
        organisation=food_bank,
        title="Courses",
        categories=["groceries"],
        lat=zone_11.centroid_lat,
        lon=zone_11.centroid_lon,
        radius_km=3,
        capacity_per_week=5,
    )
    offer.zones.add(zone_11)
    member = django_user_model.objects.create_user("coordo", email="coordo@example.org")
    OrganisationMembership.objects.create(
        organisation=food_bank, user=member, role=MemberRole.COORDINATOR
    )
    created, proposal = _created_and_proposed(make_request, capture)
    assert proposal.organisation_offer == offer
    matching.assignment_accept_for_organisation(assignment=proposal, user=member)
    client.force_login(member)
    assert client.get("/volunteer/organisation/").status_code == 200
    client.logout()

    _cancel_on_private_page(client, created, capture)

    client.force_login(member)
    page = client.get("/volunteer/organisation/")
    assert page.status_code == 200
    assert "Oberkampf" not in page.content.decode()
    assert Assignment.objects.get(pk=proposal.pk).status == AssignmentStatus.WITHDRAWN
    assert OutboxMessage.objects.filter(
        recipient="coordo@example.org", subject__contains=(created.entry.reference)
    ).exists()


def test_reopen_in_the_back_office_rematches_the_request(
    client, make_request, make_volunteer, territory_coordinator, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    first = make_volunteer()
    created, proposal = _created_and_proposed(make_request, capture)
    assert proposal.volunteer == first
    with capture(execute=True):
        matching.assignment_accept(assignment=proposal, volunteer=first)
    second = make_volunteer()
    client.force_login(territory_coordinator)

    with capture(execute=True):
        client.post(
            "/admin/needs/helprequest/",
            {"action": "move_to_open", "_selected_action": [created.entry.pk]},
        )
    run_queued_tasks()

    assert HelpRequest.objects.get(pk=created.entry.pk).status == "open"
    proposal.refresh_from_db()
    assert proposal.status == AssignmentStatus.WITHDRAWN
    assert OutboxMessage.objects.filter(delivery_key__startswith=f"closed:{proposal.pk}:").exists()
    fresh = created.entry.assignments.get(status=AssignmentStatus.PROPOSED)
    assert fresh.volunteer in (first, second)
    # The batch sees the request again (before, an old "accepted" hid it for ever).
    assert matching.match_run_batch().requests == 1


def _assign_by_hand(client, help_request, volunteer):
    return client.post(
        "/admin/matching/assignment/add/",
        {"help_request": help_request.pk, "volunteer": volunteer.pk},
        follow=True,
    )


def test_a_manual_assignment_survives_the_batch_until_released(
    client,
    make_request,
    make_volunteer,
    territory_coordinator,
    zone_11,
    django_capture_on_commit_callbacks,
):
    capture = django_capture_on_commit_callbacks
    near = make_volunteer()
    chosen = make_volunteer(home_lat=zone_11.centroid_lat + 0.02, radius_km=5)
    created, proposal = _created_and_proposed(make_request, capture)
    assert proposal.volunteer == near
    client.force_login(territory_coordinator)

    _assign_by_hand(client, created.entry, chosen)

    manual = created.entry.assignments.get(status=AssignmentStatus.PROPOSED)
    assert (manual.volunteer, manual.source) == (chosen, AssignmentSource.MANUAL)
    report = matching.match_run_batch()
    assert report.superseded == 0
    manual.refresh_from_db()
    assert manual.status == AssignmentStatus.PROPOSED

    with capture(execute=True):
        client.post(
            "/admin/matching/assignment/",
            {"action": "release", "_selected_action": [manual.pk]},
        )
    run_queued_tasks()
    manual.refresh_from_db()
    assert manual.status == AssignmentStatus.WITHDRAWN
    assert created.entry.assignments.filter(status=AssignmentStatus.PROPOSED).exists()


def test_a_zone_coordinator_cannot_assign_a_volunteer_of_another_zone(
    client,
    make_request,
    make_volunteer,
    paris,
    django_user_model,
    django_capture_on_commit_callbacks,
):
    zone_a, zone_b = paris.zones.get(code="75011"), paris.zones.get(code="75018")
    coordinator = django_user_model.objects.create_user(
        "zone-a", email="a@example.org", is_staff=True
    )
    coordinator.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["add_assignment", "view_assignment", "view_helprequest"]
        )
    )
    role_grant(user=coordinator, role=Role.ZONE_COORDINATOR, zone=zone_a)
    stranger = make_volunteer(zone=zone_b)
    neighbour = make_volunteer(zone=zone_a)
    help_request = make_request(zone=zone_a).entry
    client.force_login(coordinator)

    page = _assign_by_hand(client, help_request, stranger)

    assert not help_request.assignments.filter(volunteer=stranger).exists()
    with translation.override("fr"):
        refusal = translation.gettext("Only a coordinator of this zone can assign by hand.")
    assert refusal != "Only a coordinator of this zone can assign by hand."
    assert refusal in page.content.decode()
    assert not OutboxMessage.objects.filter(recipient=stranger.user.email).exists()
    _assign_by_hand(client, help_request, neighbour)
    assert help_request.assignments.filter(
        volunteer=neighbour, source=AssignmentSource.MANUAL
    ).exists()


def test_screening_that_failed_is_done_by_the_sweep_exactly_once(
    make_request, partner, monkeypatch, django_capture_on_commit_callbacks
):
    real_raise = detection.escalation_raise
    calls = {"n": 0}

    def fails_once(**kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("partner directory unavailable")
        return real_raise(**kwargs)

    monkeypatch.setattr(detection, "escalation_raise", fails_once)
    with django_capture_on_commit_callbacks(execute=True):
        created = make_request(category="violence", description="Je ne suis pas en sécurité.")
    run_queued_tasks()

    help_request = HelpRequest.objects.get(pk=created.entry.pk)
    assert help_request.screened_at is None
    assert not Escalation.objects.exists()

    assert screen_unscreened_requests.call() == 1
    assert screen_unscreened_requests.call() == 0
    run_queued_tasks()  # the retry the failed task queued finds nothing more to do
    escalation = Escalation.objects.get()
    assert escalation.help_request_id == help_request.pk
    assert HelpRequest.objects.get(pk=help_request.pk).screened_at is not None


def test_an_edit_is_screened_again(make_request, partner, django_capture_on_commit_callbacks):
    from entraide.needs import services
    from tests.conftest import request_input

    with django_capture_on_commit_callbacks(execute=True):
        created = make_request()
    run_queued_tasks()
    assert HelpRequest.objects.get(pk=created.entry.pk).screened_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        services.help_request_update(
            help_request=created.entry,
            data=request_input(description="Des courses, et mon mari me bat."),
        )
    assert HelpRequest.objects.get(pk=created.entry.pk).screened_at is None
    run_queued_tasks()
    screened = HelpRequest.objects.get(pk=created.entry.pk)
    assert screened.screened_at is not None and screened.public_description == ""
    assert Escalation.objects.get().source == "request_keyword"
    assert timezone.now() >= screened.screened_at
