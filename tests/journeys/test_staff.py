"""Journey 4 in a real Chromium, in French, under the real settings, against a live
server: an administrator signs in on the one sign-in page, lands on the staff page and
invites a coordinator of the 11th; the coordinator opens the link read from the outbox,
chooses a password, lands on the queue, sees the coordination pages in the menu (not
the staff page) and signs out.

At 390 px every step is saved to var/screenshots/staff/ to be looked at.
"""

import pytest
from django.contrib.auth import get_user_model

from entraide.platform.models import AuditLog, OutboxMessage, Role, RoleGrant
from entraide.platform.roles import role_grant
from tests.journeys import browser

PASSWORD = "un-long-secret-42"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class Person(browser.Person):
    journey = "staff"


_path_in = browser.path_in


def _menu(page) -> list[str]:
    return (
        page.get_by_role("navigation", name="Menu de l'équipe")
        .get_by_role("link")
        .all_inner_texts()
    )


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_administrator_invites_a_zone_coordinator_who_gets_in(chromium, live_server, paris, width):
    admin = get_user_model().objects.create_user(
        "awa@example.org", email="awa@example.org", password=PASSWORD, first_name="Awa"
    )
    role_grant(user=admin, role=Role.ADMINISTRATOR)

    administrator = Person(chromium, live_server, width)
    page = administrator.page
    administrator.goto("/")
    page.get_by_role("link", name="Se connecter").click()
    page.get_by_role("heading", name="Se connecter").wait_for()
    administrator.screenshot("01-sign-in")
    page.fill("#id_username", "awa@example.org")
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/staff/")
    assert "Équipe" in _menu(page) and "Administration" not in _menu(page)
    administrator.screenshot("02-staff-page")

    # A zone coordinator without a zone: refused in French, nothing stored or sent.
    page.fill("#id_name", "Camille")
    page.fill("#id_email", "camille@example.org")
    page.select_option("#id_role", Role.ZONE_COORDINATOR)
    page.get_by_role("button", name="Envoyer l'invitation").click()
    page.wait_for_selector("#error-summary")
    assert "Choisissez la zone dont ce coordinateur s'occupe." in page.inner_text("main")
    assert not OutboxMessage.objects.exists()
    assert not get_user_model().objects.filter(email="camille@example.org").exists()
    administrator.screenshot("03-zone-missing")

    page.get_by_label("75011 Paris 11").check()
    page.get_by_role("button", name="Envoyer l'invitation").click()
    page.get_by_text("Invitation envoyée à camille@example.org.").wait_for()
    assert "Coordinateur de zone — 75011" in page.inner_text("main")
    assert AuditLog.objects.filter(action="role_grant").count() == 1
    administrator.screenshot("04-invited")

    # The invitee, on their own phone, opens the link from the e-mail.
    invitation = OutboxMessage.objects.get(delivery_key__startswith="staff-invitation:")
    assert invitation.secret and invitation.recipient == "camille@example.org"
    invitee = Person(chromium, live_server, width)
    page = invitee.page
    invitee.goto(_path_in(invitation.body))
    page.get_by_role("heading", name="Votre compte d'équipe").wait_for()
    invitee.screenshot("05-invitation")
    page.fill("#id_new_password1", "tilleul-vert-2026")
    page.fill("#id_new_password2", "tilleul-vert-2026")
    page.get_by_role("button", name="Enregistrer mon mot de passe et me connecter").click()
    page.wait_for_url("**/coordination/queue/")
    menu = _menu(page)
    assert {
        "File d'attente",
        "Tableau de bord",
        "Carte",
        "Exports",
        "Relecture de l'annuaire",
    } <= set(menu)
    assert "Équipe" not in menu and "Permanence téléphonique" not in menu
    invitee.screenshot("06-queue")

    page.get_by_role("button", name="Se déconnecter").click()
    page.get_by_role("link", name="Se connecter").wait_for()
    assert page.get_by_role("button", name="Se déconnecter").count() == 0
    invitee.screenshot("07-signed-out")
    coordinator = get_user_model().objects.get(email="camille@example.org")
    assert RoleGrant.objects.get(user=coordinator).zone.code == "75011"
