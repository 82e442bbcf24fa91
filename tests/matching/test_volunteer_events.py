"""A volunteer who pauses or is suspended: people publishes it, matching hands the work
back after the commit, and the periodic sweep catches what a failed handler left."""

from django.urls import reverse

from entraide.matching import services as matching
from entraide.matching.tasks import expire_stale_proposals
from entraide.people.events import VolunteerPaused
from entraide.people.models import Volunteer
from entraide.platform.events import subscribers


def test_pausing_on_the_page_hands_back_open_proposals(
    client, make_volunteer, make_request, django_capture_on_commit_callbacks
):
    volunteer = make_volunteer()
    proposal = matching.match_propose_instant(help_request=make_request().entry)
    client.force_login(volunteer.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("people:pause"), {"paused": "1"})
    assert response.status_code == 302 and response.url == reverse("matching:dashboard")
    proposal.refresh_from_db()
    assert proposal.status == "withdrawn"
    page = client.get(reverse("matching:dashboard"), HTTP_ACCEPT_LANGUAGE="en").content
    assert b"No request waiting for your answer." in page


def test_accepted_work_stays_when_a_volunteer_pauses(
    client, make_volunteer, make_request, django_capture_on_commit_callbacks
):
    volunteer = make_volunteer()
    proposal = matching.match_propose_instant(help_request=make_request().entry)
    client.force_login(volunteer.user)
    client.post(reverse("matching:assignment_action", args=[proposal.pk, "accept"]))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("people:pause"), {"paused": "1"})
    proposal.refresh_from_db()
    assert proposal.status == "accepted"


def test_the_periodic_sweep_hands_back_what_a_lost_event_left(make_volunteer, make_request):
    volunteer = make_volunteer()
    proposal = matching.match_propose_instant(help_request=make_request().entry)
    # The pause is stored but its event never heard (a crash after the commit).
    Volunteer.objects.filter(pk=volunteer.pk).update(paused=True)
    expire_stale_proposals.call()
    proposal.refresh_from_db()
    assert proposal.status == "withdrawn"


def test_matching_listens_to_people():
    assert any(h.__module__ == "entraide.matching.handlers" for h in subscribers(VolunteerPaused))
