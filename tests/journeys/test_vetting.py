"""Vetting and crisis mode in a real Chromium, in French, at 390 px, under the real settings,
against a live server: a neighbour signs up as a volunteer on the public form (with a
reference) and proves their phone; a territory coordinator signs in on the one sign-in
page, opens the volunteers of their zones, opens the vetting page, reveals the contact
with a purpose (audited), and verifies the volunteer, who is told by e-mail and SMS and
sees on their page that they are verified. Then the coordinator switches the territory
into crisis mode: the home page shows the banner; switched off, it is gone.

Every step is saved to var/screenshots/vetting/ to be looked at.
"""

import re

import pytest
from django.contrib.auth import get_user_model

from entraide.people.models import VettingStatus, Volunteer
from entraide.platform.models import AuditLog, OutboxMessage, Role
from entraide.platform.roles import role_grant
from entraide.territory.models import Incident
from tests.journeys import browser

EMAIL = "louise@example.org"
PASSWORD = "un-long-secret-42"
BANNER = "Canicule : appelez vos voisins âgés, les demandes de courses passent en premier."
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class Person(browser.Person):
    journey = "vetting"


def _message(prefix: str, channel: str) -> OutboxMessage:
    return OutboxMessage.objects.get(delivery_key__startswith=prefix, channel=channel)


def _staff_menu(page):
    return page.get_by_role("navigation", name="Menu de l'équipe")


def _volunteer_signs_up(volunteer: Person) -> Volunteer:
    page = volunteer.page
    volunteer.goto("/volunteer/signup/")
    page.get_by_label("Prénom").fill("Louise")
    page.get_by_label("E-mail").fill(EMAIL)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_label("Téléphone portable (facultatif)").fill("06 11 22 33 44")
    page.get_by_label("Votre quartier").select_option("75011")
    page.get_by_role("checkbox", name="Courses").check()
    page.locator("table.week-grid").get_by_role("checkbox", name="Samedi matin").check()
    page.get_by_label("Références (facultatif)").fill("Secours populaire Paris 11, Mme Durand")
    volunteer.screenshot("01-sign-up")
    page.get_by_role("button", name="M'inscrire").click()
    page.get_by_role("heading", name="Bonjour Louise").wait_for()
    signed_up = Volunteer.objects.get(user__email=EMAIL)
    code = re.search(r"\b(\d{6})\b", _message(f"phone-code:{signed_up.pk}:", "sms").body)
    page.get_by_label("Code reçu par SMS").fill(code.group(1))
    page.get_by_role("button", name="Confirmer mon téléphone").click()
    page.get_by_text("Votre numéro de téléphone est confirmé.").wait_for()
    volunteer.screenshot("02-pending")
    return signed_up


def _coordinator_signs_in(coordinator: Person) -> None:
    page = coordinator.page
    coordinator.goto("/volunteer/login/")
    page.fill("#id_username", "nadia@example.org")
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    _staff_menu(page).get_by_role("link", name="Bénévoles").wait_for()


def _coordinator_verifies(coordinator: Person, signed_up: Volunteer) -> None:
    page = coordinator.page
    _staff_menu(page).get_by_role("link", name="Bénévoles").click()
    page.get_by_role("heading", name="Bénévoles", exact=True).wait_for()
    card = page.locator(".card", has_text="Louise")
    assert "En attente de vérification" in card.inner_text()
    coordinator.screenshot("03-volunteers")
    card.get_by_role("link", name=re.compile("Louise")).click()
    page.get_by_role("heading", name=re.compile("Louise")).wait_for()
    main = page.inner_text("main")
    assert "Secours populaire Paris 11" in main and EMAIL not in main
    coordinator.screenshot("04-vetting-page")

    # No purpose: refused in French, nothing revealed, nothing audited.
    page.get_by_role("button", name="Afficher ses coordonnées").click()
    page.get_by_text("Dites pourquoi vous avez besoin de ses coordonnées.").wait_for()
    assert not AuditLog.objects.filter(action="read_contact").exists()
    page.get_by_label("Pourquoi avez-vous besoin de ses coordonnées ?").fill(
        "entretien de vérification"
    )
    page.get_by_role("button", name="Afficher ses coordonnées").click()
    page.locator("#volunteer-contact").wait_for()
    assert EMAIL in page.inner_text("#volunteer-contact")
    assert AuditLog.objects.get(action="read_contact").purpose == "entretien de vérification"
    coordinator.screenshot("05-contact")

    page.get_by_role("radio", name=re.compile("Vérifier")).check()
    page.get_by_role("button", name="Enregistrer la décision et prévenir le bénévole").click()
    page.get_by_text("Le bénévole est vérifié et a été prévenu.").wait_for()
    assert "Vérifié" in page.inner_text("#vetting-state")
    signed_up.refresh_from_db()
    assert signed_up.vetting_status == VettingStatus.VERIFIED
    coordinator.screenshot("06-verified")


def _crisis_on_and_off(coordinator: Person, resident: Person) -> None:
    page = coordinator.page
    _staff_menu(page).get_by_role("link", name="Mode crise").click()
    page.get_by_role("heading", name="Mode crise", exact=True).wait_for()
    page.get_by_label("Nom de l'incident").fill("Canicule de juillet")
    page.get_by_label("Bandeau sur les pages publiques").fill(BANNER)
    page.get_by_role("checkbox", name="Courses").check()
    page.get_by_role("button", name="Passer en mode crise").click()
    page.get_by_text("Le mode crise est activé").wait_for()
    coordinator.screenshot("08-crisis-on")

    resident.goto("/")
    banner = resident.page.get_by_role("region", name="Information de crise")
    assert BANNER in banner.inner_text()
    resident.screenshot("09-home-banner")

    page.get_by_role("button", name="Terminer le mode crise").click()
    page.get_by_text("Le mode crise est terminé").wait_for()
    coordinator.screenshot("10-crisis-off")
    resident.page.reload()
    assert resident.page.get_by_role("region", name="Information de crise").count() == 0
    assert Incident.objects.get().ends_at is not None


def test_coordinator_vets_a_new_volunteer_then_runs_crisis_mode(chromium, live_server, paris):
    coordinator_user = get_user_model().objects.create_user(
        "nadia@example.org", email="nadia@example.org", password=PASSWORD, first_name="Nadia"
    )
    role_grant(user=coordinator_user, role=Role.TERRITORY_COORDINATOR)

    volunteer = Person(chromium, live_server, 390)
    signed_up = _volunteer_signs_up(volunteer)
    coordinator = Person(chromium, live_server, 390)
    _coordinator_signs_in(coordinator)
    _coordinator_verifies(coordinator, signed_up)

    # The volunteer's inbox says so, and so does their page.
    told = _message(f"verified:{signed_up.pk}:", "email")
    assert told.recipient == EMAIL and "bénévole vérifié" in told.body
    told_sms = _message(f"verified-sms:{signed_up.pk}:", "sms")
    assert told_sms.recipient == "+33611223344" and "vérifié" in told_sms.body
    volunteer.goto(browser.path_in(told.body))
    assert "Vous êtes bénévole vérifié" in volunteer.page.inner_text("#verified-notice")
    volunteer.screenshot("07-volunteer-verified")

    resident = Person(chromium, live_server, 390)
    _crisis_on_and_off(coordinator, resident)
