"""The helpers' work pages under /volunteer/ (matching.views): proposals, assignments,
the contact read through the audited path, an organisation's proposals."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from entraide.matching import services as matching
from entraide.platform.models import AuditLog, OutboxMessage


def test_volunteer_accepts_on_the_page_and_sees_the_contact(client, make_volunteer, make_request):
    volunteer = make_volunteer()
    proposal = matching.match_propose_instant(help_request=make_request().entry)
    client.force_login(volunteer.user)
    detail = client.get(reverse("matching:assignment", args=[proposal.pk])).content.decode()
    assert "+33612345678" not in detail and "Oberkampf" not in detail
    client.post(reverse("matching:assignment_action", args=[proposal.pk, "accept"]))
    detail = client.get(reverse("matching:assignment", args=[proposal.pk])).content.decode()
    assert "+33612345678" in detail and "14 rue Oberkampf" in detail
    assert AuditLog.objects.filter(action="read_contact", actor=volunteer.user).count() == 1


def test_a_volunteer_cannot_open_another_volunteers_assignment(
    client, make_volunteer, make_request
):
    owner, other = make_volunteer(), make_volunteer()
    proposal = matching.match_propose_instant(help_request=make_request().entry)
    assert proposal.volunteer == owner
    matching.assignment_accept(assignment=proposal, volunteer=owner)
    client.force_login(other.user)
    assert client.get(reverse("matching:assignment", args=[proposal.pk])).status_code == 404
    response = client.post(reverse("matching:assignment_action", args=[proposal.pk, "done"]))
    assert response.status_code == 404
    proposal.refresh_from_db()
    assert proposal.status == "accepted"
    with pytest.raises(PermissionDenied):
        matching.access_help_request_contact(
            user=other.user, help_request=proposal.help_request, purpose="curious"
        )
    assert AuditLog.objects.filter(action="contact_denied", actor=other.user).count() == 1


def test_pages_need_a_volunteer_login(client, paris, django_user_model):
    response = client.get(reverse("matching:dashboard"))
    assert response.status_code == 302 and "/volunteer/login/" in response.url
    client.force_login(django_user_model.objects.create_user("resident"))
    assert client.get(reverse("matching:dashboard")).status_code == 404


def test_an_organisation_accepts_a_proposal_for_its_offer(
    client, make_request, paris, django_user_model
):
    from entraide.people.models import (
        MemberRole,
        Organisation,
        OrganisationMembership,
        OrganisationOffer,
    )

    zone = paris.zones.get(code="75011")
    food_bank = Organisation.objects.create(name="Banque alimentaire", kind="community")
    OrganisationOffer.objects.create(
        organisation=food_bank,
        title="Colis",
        categories=["food_parcel"],
        lat=zone.centroid_lat,
        lon=zone.centroid_lon,
        radius_km=3,
        capacity_per_week=5,
    )
    member = django_user_model.objects.create_user("coordo-banque")
    OrganisationMembership.objects.create(
        organisation=food_bank, user=member, role=MemberRole.COORDINATOR
    )
    outsider = django_user_model.objects.create_user("simple-membre")
    OrganisationMembership.objects.create(
        organisation=food_bank, user=outsider, role=MemberRole.MEMBER
    )
    proposal = matching.match_propose_instant(
        help_request=make_request(category="food_parcel").entry
    )
    assert proposal.organisation_offer.organisation == food_bank
    client.force_login(outsider)
    assert client.get(reverse("matching:organisation")).status_code == 404
    client.force_login(member)
    page = client.get(reverse("matching:organisation")).content.decode()
    assert "+33612345678" not in page
    client.post(reverse("matching:organisation_action", args=[proposal.pk, "accept"]))
    proposal.refresh_from_db()
    assert proposal.status == "accepted"
    page = client.get(reverse("matching:organisation")).content.decode()
    assert '<a href="tel:+33612345678">06 12 34 56 78</a>' in page
    told = OutboxMessage.objects.get(delivery_key=f"accepted:{proposal.pk}")
    assert "Banque alimentaire" in told.body


def test_the_requester_page_names_the_helper_matching_registered(
    client, make_volunteer, make_request
):
    volunteer = make_volunteer(first_name="Jeanne", code_word="tournesol")
    created = make_request()
    link = reverse("needs:request_private", args=[created.entry.reference, created.token])
    page = client.get(link, follow=True, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "tournesol" not in page
    proposal = matching.match_propose_instant(help_request=created.entry)
    matching.assignment_accept(assignment=proposal, volunteer=volunteer)
    page = client.get(link, follow=True, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Jeanne will help you" in page and "tournesol" in page
