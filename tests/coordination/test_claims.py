"""A case handed to a partner organisation, which takes it on or declines it: who may see
and do what, and that every move writes history and audit and nothing on bad input."""

import html

import pytest
from django.urls import reverse

from entraide.coordination.models import CaseClaim, CaseEvent, ClaimStatus
from entraide.people.models import MemberRole, Organisation, OrganisationMembership
from entraide.platform.models import AuditLog, Role
from entraide.platform.roles import role_grant

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


def action_url(help_request, action: str) -> str:
    return reverse("coordination:case_action", args=[help_request.reference, action])


def claim_url(claim, action: str) -> str:
    return reverse("coordination:claim_action", args=[claim.pk, action])


CLAIMS = "/coordination/claims/"


def _organisation(name: str, zone, django_user_model, *, role=MemberRole.COORDINATOR):
    organisation = Organisation.objects.create(name=name, kind="community", verified=True)
    organisation.zones.add(zone)
    member = django_user_model.objects.create_user(f"{name.lower()}@example.org")
    role_grant(user=member, role=Role.PARTNER)
    OrganisationMembership.objects.create(organisation=organisation, user=member, role=role)
    return organisation, member


@pytest.fixture
def secours(zone_11, django_user_model):
    return _organisation("Secours", zone_11, django_user_model)


@pytest.fixture
def banque(zone_11, django_user_model):
    return _organisation("Banque", zone_11, django_user_model)


def _offer(client, coordinator, help_request, organisation):
    client.force_login(coordinator)
    response = client.post(
        action_url(help_request, "offer"), {"organisation": organisation.pk}, follow=True
    )
    assert response.status_code == 200
    return CaseClaim.objects.get(help_request=help_request, status=ClaimStatus.OFFERED)


def test_the_offered_cases_page_has_its_address():
    assert reverse("coordination:claims") == CLAIMS


def test_an_offer_shows_the_partner_only_what_they_need(
    client, coordinator, make_request, secours, banque
):
    help_request = make_request().entry
    _offer(client, coordinator, help_request, secours[0])
    case = text(client.get(reverse("coordination:case", args=[help_request.reference])))
    assert "Proposé à Secours, en attente de leur réponse." in case
    queue = text(client.get(reverse("coordination:queue")))
    assert "Proposé à Secours, en attente de leur réponse." in queue

    client.force_login(secours[1])
    page = text(client.get(CLAIMS))
    assert help_request.reference in page and "Prendre ce cas en charge" in page
    assert "Oberkampf" not in page and "06 12" not in page  # no contact before the claim
    assert "Odette" not in page

    # Another organisation's member sees nothing and cannot answer.
    claim = CaseClaim.objects.get()
    client.force_login(banque[1])
    assert help_request.reference not in text(client.get(CLAIMS))
    assert client.post(claim_url(claim, "take")).status_code == 404
    assert client.post(claim_url(claim, "reveal"), {"purpose": "x"}).status_code == 404
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.OFFERED


def test_volunteers_anonymous_and_plain_members_are_refused(
    client, coordinator, make_request, make_volunteer, secours, django_user_model
):
    help_request = make_request().entry
    claim = _offer(client, coordinator, help_request, secours[0])
    client.force_login(make_volunteer().user)
    assert client.get(CLAIMS).status_code == 403
    assert client.post(claim_url(claim, "take")).status_code == 404
    plain = django_user_model.objects.create_user("plain@example.org")
    OrganisationMembership.objects.create(
        organisation=secours[0], user=plain, role=MemberRole.MEMBER
    )
    client.force_login(plain)
    assert client.get(CLAIMS).status_code == 403
    assert client.post(claim_url(claim, "take")).status_code == 404
    client.logout()
    assert "/volunteer/login/" in client.get(CLAIMS)["Location"]
    assert "/volunteer/login/" in client.post(claim_url(claim, "take"))["Location"]
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.OFFERED


def test_a_coordinator_of_another_zone_cannot_offer(client, coordinator_12, make_request, secours):
    help_request = make_request().entry
    client.force_login(coordinator_12)
    response = client.post(action_url(help_request, "offer"), {"organisation": secours[0].pk})
    assert response.status_code == 404
    assert not CaseClaim.objects.exists() and not CaseEvent.objects.exists()


def test_an_organisation_outside_the_zone_or_unverified_cannot_be_offered(
    client, coordinator, make_request, zone_12, django_user_model
):
    elsewhere, _member = _organisation("Ailleurs", zone_12, django_user_model)
    help_request = make_request().entry
    client.force_login(coordinator)
    page = client.post(
        action_url(help_request, "offer"), {"organisation": elsewhere.pk}, follow=True
    )
    assert "Choisissez une organisation vérifiée qui agit dans cette zone." in text(page)
    assert not CaseClaim.objects.exists() and not AuditLog.objects.exists()


def test_claim_writes_history_and_audit_and_opens_the_contact(
    client, coordinator, make_request, secours
):
    help_request = make_request().entry
    claim = _offer(client, coordinator, help_request, secours[0])
    assert AuditLog.objects.filter(action="coordination.offered").count() == 1
    client.force_login(secours[1])
    # Before the claim, the contact is refused.
    early = client.post(claim_url(claim, "reveal"), {"purpose": "Appeler"}, follow=True)
    assert "Prenez d'abord le cas en charge" in text(early)
    done = client.post(claim_url(claim, "take"), follow=True)
    assert "Votre organisation a pris ce cas en charge." in text(done)
    claim.refresh_from_db()
    assert (claim.status, claim.answered_by) == (ClaimStatus.CLAIMED, secours[1])
    event = CaseEvent.objects.get(kind="claimed")
    assert (event.actor, event.detail) == (secours[1], "Secours")
    audit = AuditLog.objects.get(action="coordination.claimed")
    assert (audit.actor, audit.subject) == (secours[1], help_request.reference)

    refused = client.post(claim_url(claim, "reveal"), {"purpose": " "}, follow=True)
    assert "Dites pourquoi vous avez besoin des coordonnées." in text(refused)
    assert not AuditLog.objects.filter(action="read_contact").exists()
    shown = text(client.post(claim_url(claim, "reveal"), {"purpose": "Livrer le colis"}))
    assert 'href="tel:+33612345678"' in shown
    read = AuditLog.objects.get(action="read_contact")
    assert (read.actor, read.subject, read.purpose) == (
        secours[1],
        help_request.reference,
        "Livrer le colis",
    )

    client.force_login(coordinator)
    case = text(client.get(reverse("coordination:case", args=[help_request.reference])))
    assert "Pris en charge par Secours." in case


def test_double_claim_is_refused(client, coordinator, make_request, secours, django_user_model):
    help_request = make_request().entry
    claim = _offer(client, coordinator, help_request, secours[0])
    client.force_login(secours[1])
    client.post(claim_url(claim, "take"))
    colleague = django_user_model.objects.create_user("colleague@example.org")
    OrganisationMembership.objects.create(
        organisation=secours[0], user=colleague, role=MemberRole.ADMIN
    )
    client.force_login(colleague)
    again = client.post(claim_url(claim, "take"), follow=True)
    assert "Cette proposition n'est plus ouverte : elle est « prise en charge »." in text(again)
    assert CaseEvent.objects.filter(kind="claimed").count() == 1
    claim.refresh_from_db()
    assert claim.answered_by == secours[1]
    # A second offer while one is held is refused too.
    client.force_login(coordinator)
    page = client.post(
        action_url(help_request, "offer"), {"organisation": secours[0].pk}, follow=True
    )
    assert "Ce cas est déjà chez « Secours »" in text(page)
    assert CaseClaim.objects.count() == 1


def test_decline_needs_a_reason_and_goes_back_to_the_queue_with_it(
    client, coordinator, make_request, secours
):
    help_request = make_request().entry
    claim = _offer(client, coordinator, help_request, secours[0])
    client.force_login(secours[1])
    refused = client.post(claim_url(claim, "decline"), {"reason": "  "}, follow=True)
    assert "Dites pourquoi vous déclinez ce cas." in text(refused)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.OFFERED and claim.reason == ""
    assert not CaseEvent.objects.filter(kind="claim_declined").exists()
    assert not AuditLog.objects.filter(action="coordination.claim_declined").exists()

    done = client.post(claim_url(claim, "decline"), {"reason": "Plus de bénévoles"}, follow=True)
    assert "Cas décliné." in text(done)
    claim.refresh_from_db()
    assert (claim.status, claim.reason) == (ClaimStatus.DECLINED, "Plus de bénévoles")
    assert CaseEvent.objects.get(kind="claim_declined").detail == "Secours: Plus de bénévoles"
    assert AuditLog.objects.filter(action="coordination.claim_declined").count() == 1
    assert help_request.reference not in text(client.get(CLAIMS))

    client.force_login(coordinator)
    queue = text(client.get(reverse("coordination:queue")))
    assert "Décliné par Secours : Plus de bénévoles" in queue
    # It can be offered again.
    _offer(client, coordinator, help_request, secours[0])


def test_a_coordinator_withdraws_an_offer_with_history_and_audit(
    client, coordinator, make_request, secours
):
    help_request = make_request().entry
    claim = _offer(client, coordinator, help_request, secours[0])
    refused = client.post(action_url(help_request, "withdraw_offer"), {"reason": ""}, follow=True)
    assert "Dites pourquoi vous reprenez le cas." in text(refused)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.OFFERED
    done = client.post(
        action_url(help_request, "withdraw_offer"), {"reason": "Trouvé en interne"}, follow=True
    )
    assert "L'organisation n'a plus ce cas." in text(done)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.WITHDRAWN
    event = CaseEvent.objects.get(kind="offer_withdrawn")
    assert (event.actor, event.detail) == (coordinator, "Secours: Trouvé en interne")
    assert AuditLog.objects.filter(action="coordination.offer_withdrawn").count() == 1
    client.force_login(secours[1])
    assert help_request.reference not in text(client.get(CLAIMS))
    assert client.post(claim_url(claim, "take")).status_code == 302
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.WITHDRAWN


def test_a_withdrawn_claim_closes_the_contact(client, coordinator, make_request, secours):
    help_request = make_request().entry
    claim = _offer(client, coordinator, help_request, secours[0])
    client.force_login(secours[1])
    client.post(claim_url(claim, "take"))
    client.force_login(coordinator)
    client.post(action_url(help_request, "withdraw_offer"), {"reason": "Repris"})
    client.force_login(secours[1])
    page = client.post(claim_url(claim, "reveal"), {"purpose": "Appeler"}, follow=True)
    assert "Prenez d'abord le cas en charge" in text(page)
    assert not AuditLog.objects.filter(action="read_contact").exists()


def test_the_partner_menu_lists_the_offered_cases(client, secours):
    client.force_login(secours[1])
    page = text(client.get(CLAIMS))
    assert 'href="/coordination/claims/"' in page and "Cas proposés" in page
    assert "Aucun cas n'est proposé à vos organisations pour le moment." in page
