"""Coordinators' volunteer pages: the list, the vetting page, decisions, suspension and the
organisations' capacity, each scoped to the coordinator's zones."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from entraide.matching import services as matching
from entraide.people import services
from entraide.people.models import (
    Organisation,
    OrganisationOffer,
    VettingEvent,
    VettingStatus,
    Volunteer,
)
from entraide.platform.models import AuditLog, OutboxMessage, Role
from entraide.platform.roles import role_grant

FR = {"HTTP_ACCEPT_LANGUAGE": "fr"}


@pytest.fixture
def zone_12(paris):
    return paris.zones.get(code="75012")


@pytest.fixture
def coordinator_of(django_user_model):
    def make(zone=None, role=Role.ZONE_COORDINATOR):
        user = django_user_model.objects.create_user(
            f"coord-{role}-{zone.code if zone else 'all'}@example.org", password="x"
        )
        role_grant(user=user, role=role, zone=zone)
        return user

    return make


@pytest.fixture
def pending(make_volunteer):
    return make_volunteer(
        vetting_status=VettingStatus.PENDING,
        phone="+33611223344",
        phone_verified=True,
        references="Secours populaire du 11e, Mme Durand",
        availability=["mon:evening", "sat:morning"],
        languages=["fr", "pt"],
    )


def test_a_zone_coordinator_sees_only_the_volunteers_of_their_zone(
    client, make_volunteer, zone_11, zone_12, coordinator_of
):
    mine = make_volunteer(zone=zone_11, first_name="Aline")
    other = make_volunteer(zone=zone_12, first_name="Bertrand")
    client.force_login(coordinator_of(zone_11))
    page = client.get(reverse("volunteers:list"), **FR).content.decode()
    assert "Aline" in page and "Bertrand" not in page
    assert client.get(reverse("volunteers:vetting", args=[mine.pk])).status_code == 200
    assert client.get(reverse("volunteers:vetting", args=[other.pk])).status_code == 404
    response = client.post(
        reverse("volunteers:decide", args=[other.pk]), {"decision": "suspended", "reason": "x"}
    )
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.vetting_status == VettingStatus.VERIFIED


def test_a_territory_coordinator_sees_every_zone(
    client, make_volunteer, zone_11, zone_12, coordinator_of
):
    make_volunteer(zone=zone_11, first_name="Aline")
    make_volunteer(zone=zone_12, first_name="Bertrand")
    client.force_login(coordinator_of(role=Role.TERRITORY_COORDINATOR))
    page = client.get(reverse("volunteers:list"), **FR).content.decode()
    assert "Aline" in page and "Bertrand" in page


@pytest.mark.parametrize("url_name", ["volunteers:list", "volunteers:organisations"])
def test_volunteers_operators_and_anonymous_are_refused(
    client, make_volunteer, django_user_model, url_name
):
    url = reverse(url_name)
    assert client.get(url).status_code == 302  # to the sign-in page
    volunteer = make_volunteer()
    client.force_login(volunteer.user)
    assert client.get(url).status_code == 403
    operator = django_user_model.objects.create_user("op@example.org")
    role_grant(user=operator, role=Role.OPERATOR)
    client.force_login(operator)
    assert client.get(url).status_code == 403
    assert client.get(reverse("volunteers:vetting", args=[volunteer.pk])).status_code == 403


def test_the_list_filters_counts_and_shows_load(
    client, make_volunteer, make_request, zone_11, coordinator_of
):
    busy = make_volunteer(first_name="Aline", categories=["groceries"])
    make_volunteer(first_name="Bertrand", categories=["transport"], vetting_status="pending")
    request = make_request().entry
    proposal = matching.match_propose_instant(help_request=request)
    matching.assignment_accept(assignment=proposal, volunteer=busy)
    client.force_login(coordinator_of(zone_11))
    url = reverse("volunteers:list")
    page = client.get(url, **FR).content.decode()
    assert "1 demande en cours" in page and "Vérifié : 1" in page
    only_pending = client.get(url, {"status": "pending"}, **FR).content.decode()
    assert "Bertrand" in only_pending and "Aline" not in only_pending
    transport = client.get(url, {"skill": "transport"}, **FR).content.decode()
    assert "Bertrand" in transport and "Aline" not in transport
    nobody = client.get(url, {"skill": "childcare"}, **FR).content.decode()
    assert "Aucun bénévole ne correspond à ces filtres." in nobody


def test_the_empty_list_says_what_to_do(client, zone_11, coordinator_of):
    client.force_login(coordinator_of(zone_11))
    page = client.get(reverse("volunteers:list"), **FR).content.decode()
    assert "encore inscrit dans vos quartiers" in page


def test_the_list_runs_a_bounded_number_of_queries(
    client, make_volunteer, zone_11, coordinator_of, django_assert_max_num_queries
):
    for _ in range(30):
        make_volunteer()
    client.force_login(coordinator_of(zone_11))
    with django_assert_max_num_queries(20):
        response = client.get(reverse("volunteers:list"))
    assert response.status_code == 200
    assert response.content.decode().count('class="card"') == 25  # one page


def test_the_vetting_page_shows_what_an_interview_needs_and_reveals_contact_with_audit(
    client, pending, zone_11, coordinator_of
):
    client.force_login(coordinator_of(zone_11))
    url = reverse("volunteers:vetting", args=[pending.pk])
    page = client.get(url, **FR).content.decode()
    assert "Secours populaire du 11e" in page and "Portugais" in page
    assert "+33611223344" not in page and pending.user.email not in page
    reveal = reverse("volunteers:reveal_contact", args=[pending.pk])
    refused = client.post(reveal, {"purpose": " "}, **FR).content.decode()
    assert "Dites pourquoi vous avez besoin de ses coordonnées." in refused
    assert not AuditLog.objects.filter(subject=f"volunteer:{pending.pk}").exists()
    shown = client.post(reveal, {"purpose": "entretien de vérification"}, **FR).content.decode()
    assert "+33611223344" in shown and pending.user.email in shown
    row = AuditLog.objects.get(action="read_contact", subject=f"volunteer:{pending.pk}")
    assert row.purpose == "entretien de vérification"


def test_contact_of_another_zone_is_denied_and_audited(pending, zone_12, coordinator_of):
    outsider = coordinator_of(zone_12)
    with pytest.raises(PermissionDenied):
        services.volunteer_contact_reveal(
            user=outsider, volunteer=pending, purpose="curiosité", audit=None
        )
    assert AuditLog.objects.get(subject=f"volunteer:{pending.pk}").action == "contact_denied"


def test_verifying_writes_history_and_audit_and_tells_the_volunteer(
    client, pending, zone_11, coordinator_of
):
    client.force_login(coordinator_of(zone_11))
    response = client.post(
        reverse("volunteers:decide", args=[pending.pk]), {"decision": "verified"}, **FR
    )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.vetting_status == VettingStatus.VERIFIED
    event = VettingEvent.objects.filter(volunteer=pending).latest("id")
    assert (event.from_status, event.to_status) == ("pending", "verified")
    assert AuditLog.objects.filter(
        action="people.vetting_verified", subject=f"volunteer:{pending.pk}"
    ).exists()
    mail = OutboxMessage.objects.get(delivery_key__startswith=f"verified:{pending.pk}:")
    assert mail.recipient == pending.user.email and "bénévole vérifié" in mail.body
    sms = OutboxMessage.objects.get(delivery_key__startswith=f"verified-sms:{pending.pk}:")
    assert sms.recipient == "+33611223344" and "vérifié" in sms.body
    page = client.get(response["Location"], **FR).content.decode()
    assert "Le bénévole est vérifié et a été prévenu." in page


def test_a_refusal_without_reason_is_a_clear_error_and_stores_nothing(
    client, pending, zone_11, coordinator_of
):
    client.force_login(coordinator_of(zone_11))
    before = (VettingEvent.objects.count(), AuditLog.objects.count(), OutboxMessage.objects.count())
    page = client.post(
        reverse("volunteers:decide", args=[pending.pk]),
        {"decision": "refused", "reason": "  "},
        **FR,
    ).content.decode()
    assert "Indiquez pourquoi le bénévole est refusé." in page
    pending.refresh_from_db()
    assert pending.vetting_status == VettingStatus.PENDING
    after = (VettingEvent.objects.count(), AuditLog.objects.count(), OutboxMessage.objects.count())
    assert after == before


def test_asking_for_more_information_sends_the_question(pending, zone_11, coordinator_of):
    services.volunteer_vet(
        volunteer=pending,
        to_status=VettingStatus.MORE_INFO,
        by=coordinator_of(zone_11),
        reason="Pouvez-vous nous donner le numéro de votre référente ?",
    )
    mail = OutboxMessage.objects.get(delivery_key__startswith=f"more_info:{pending.pk}:")
    assert "numéro de votre référente" in mail.body
    assert pending.vetting_status == VettingStatus.MORE_INFO


def test_suspension_needs_a_reason_and_reinstatement_verifies_again(
    make_volunteer, zone_11, coordinator_of
):
    volunteer = make_volunteer()
    coordinator = coordinator_of(zone_11)
    with pytest.raises(ValidationError) as error:
        services.volunteer_vet(volunteer=volunteer, to_status="suspended", by=coordinator)
    assert error.value.error_dict["reason"][0].code == "reason_required"
    services.volunteer_vet(
        volunteer=volunteer, to_status="suspended", by=coordinator, reason="plainte"
    )
    assert OutboxMessage.objects.filter(delivery_key__startswith=f"suspended:{volunteer.pk}:")
    services.volunteer_vet(volunteer=volunteer, to_status="verified", by=coordinator)
    volunteer.refresh_from_db()
    assert volunteer.vetting_status == VettingStatus.VERIFIED
    told = OutboxMessage.objects.get(delivery_key__startswith=f"verified:{volunteer.pk}:")
    assert "suspension" in told.body


@pytest.mark.parametrize("state", ["suspended", "refused", "more_info", "pending"])
def test_only_verified_volunteers_are_proposed(make_volunteer, make_request, state):
    make_volunteer(vetting_status=state)
    request = make_request().entry
    assert matching.match_propose_instant(help_request=request) is None


def test_a_suspended_volunteer_gets_no_more_proposals(
    make_volunteer, make_request, zone_11, coordinator_of, django_capture_on_commit_callbacks
):
    volunteer = make_volunteer()
    first = make_request().entry
    proposal = matching.match_propose_instant(help_request=first)
    assert proposal.volunteer == volunteer
    with django_capture_on_commit_callbacks(execute=True):
        services.volunteer_vet(
            volunteer=volunteer, to_status="suspended", by=coordinator_of(zone_11), reason="x"
        )
    proposal.refresh_from_db()
    assert proposal.status == "withdrawn"
    second = make_request().entry
    assert matching.match_propose_instant(help_request=second) is None


def test_organisations_of_the_zone_with_remaining_capacity(
    client, zone_11, zone_12, coordinator_of
):
    ours = Organisation.objects.create(name="Banque alimentaire", kind="community")
    ours.zones.add(zone_11)
    OrganisationOffer.objects.create(
        organisation=ours, title="Colis", lat=48.86, lon=2.38, capacity_per_week=30
    )
    theirs = Organisation.objects.create(name="Resto du 12e", kind="community")
    theirs.zones.add(zone_12)
    client.force_login(coordinator_of(zone_11))
    page = client.get(reverse("volunteers:organisations"), **FR).content.decode()
    assert "Banque alimentaire" in page and "Resto du 12e" not in page
    assert "30 restant(s) sur 30 par semaine" in page


def test_references_are_captured_at_sign_up_and_kept_private(client, paris):
    from tests.people.test_volunteers import sign_up_form

    form = sign_up_form(references="Association Le Pari Solidaire, 01 23 45 67 89")
    assert client.post(reverse("people:sign_up"), form).status_code == 302
    volunteer = Volunteer.objects.get()
    assert volunteer.references == "Association Le Pari Solidaire, 01 23 45 67 89"
    assert "Pari Solidaire" not in client.get(reverse("matching:dashboard")).content.decode()
    too_long = sign_up_form(email="autre@example.org", references="x" * 501)
    page = client.post(reverse("people:sign_up"), too_long, **FR).content.decode()
    assert "500" in page and Volunteer.objects.count() == 1
