"""A case handed to a partner organisation, in a real Chromium, in French, at 390 px,
against a live server: a coordinator of the 11th signs in (and lands on the queue), opens
an urgent request and offers it to a partner organisation; a member of that organisation
signs in on the same sign-in page, finds it under "Cas proposés" without the person's
contact, takes it on, then reads the contact with a purpose; the coordinator sees the case
"pris en charge" in the case view and in the queue.

Every step is saved to var/screenshots/claims/ to be looked at.
"""

import pytest

from entraide.coordination.models import CaseClaim, ClaimStatus
from entraide.needs import services
from entraide.needs.models import Urgency
from entraide.people.models import MemberRole, Organisation, OrganisationMembership
from entraide.platform.models import AuditLog, Role
from entraide.platform.roles import role_grant
from tests.conftest import request_input
from tests.journeys import browser

PASSWORD = "un-long-secret-42"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class Person(browser.Person):
    journey = "claims"


def _sign_in(person: Person, email: str, landing: str) -> None:
    page = person.page
    person.goto("/volunteer/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**{landing}")


def _world(paris, django_user_model):
    zone = paris.zones.get(code="75011")
    coordinator = django_user_model.objects.create_user(
        "camille@example.org", email="camille@example.org", password=PASSWORD
    )
    role_grant(user=coordinator, role=Role.ZONE_COORDINATOR, zone=zone)
    organisation = Organisation.objects.create(
        name="Secours du 11e", kind="community", verified=True
    )
    organisation.zones.add(zone)
    member = django_user_model.objects.create_user(
        "nadia@secours.example.org", email="nadia@secours.example.org", password=PASSWORD
    )
    role_grant(user=member, role=Role.PARTNER)
    OrganisationMembership.objects.create(
        organisation=organisation, user=member, role=MemberRole.COORDINATOR
    )
    help_request = services.help_request_create(
        zone=zone, data=request_input(urgency=Urgency.CRITICAL)
    ).entry
    return member, help_request


def test_a_partner_organisation_takes_on_an_offered_case(
    chromium, live_server, paris, django_user_model
):
    member, help_request = _world(paris, django_user_model)

    camille = Person(chromium, live_server, 390)
    page = camille.page
    _sign_in(camille, "camille@example.org", "/coordination/queue/")
    page.get_by_role("heading", name="File d'attente — Vos zones").wait_for()
    camille.screenshot("01-queue")
    page.locator(f"[data-reference='{help_request.reference}']").get_by_role("link").click()
    page.get_by_role("heading", name="Organisations partenaires").wait_for()
    page.select_option("#offer-organisation", label="Secours du 11e")
    camille.screenshot("02-offer")
    page.get_by_role("button", name="Proposer", exact=True).click()
    page.get_by_text("Cas proposé à l'organisation.").wait_for()
    assert "Proposé à Secours du 11e, en attente de leur réponse." in page.inner_text("main")
    camille.screenshot("03-offered")

    nadia = Person(chromium, live_server, 390)
    other = nadia.page
    _sign_in(nadia, "nadia@secours.example.org", "/care/escalations/")
    other.get_by_role("navigation", name="Menu de l'équipe").get_by_role(
        "link", name="Cas proposés"
    ).click()
    other.get_by_role("heading", name="Cas proposés", exact=True).wait_for()
    card = other.locator(f"[data-reference='{help_request.reference}']")
    assert "Aujourd'hui, c'est urgent" in card.inner_text()
    assert "06 12" not in other.inner_text("main") and "Oberkampf" not in other.inner_text("main")
    nadia.screenshot("04-offered-cases")
    card.get_by_role("button", name="Prendre ce cas en charge").click()
    other.get_by_text("Votre organisation a pris ce cas en charge.").wait_for()
    nadia.screenshot("05-taken-on")
    claim = CaseClaim.objects.get(help_request=help_request)
    assert (claim.status, claim.answered_by) == (ClaimStatus.CLAIMED, member)

    other.fill(f"#purpose-{claim.pk}", "Organiser la livraison")
    other.get_by_role("button", name="Afficher les coordonnées").click()
    call = other.get_by_role("link", name="Appelez le 06 12 34 56 78")
    assert call.get_attribute("href") == "tel:+33612345678"
    assert AuditLog.objects.filter(action="read_contact", actor=member).count() == 1
    nadia.screenshot("06-contact")

    camille.goto(f"/coordination/cases/{help_request.reference}/")
    assert "Pris en charge par Secours du 11e." in page.inner_text("#claim-state")
    history = page.inner_text("#history")
    assert "Pris en charge par une organisation partenaire" in history
    camille.screenshot("07-case-taken-on")
    camille.goto("/coordination/queue/")
    row = page.locator(f"[data-reference='{help_request.reference}']")
    assert "Pris en charge par Secours du 11e." in row.inner_text()
    camille.screenshot("08-queue")
