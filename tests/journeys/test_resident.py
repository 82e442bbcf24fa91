"""Journey 1 in a real Chromium, in French, under the real settings, against a live
server: a resident asks for help from the home page, gets their private link by SMS,
is told who is coming, cancels, and later gets their link back with a code.

The test reads the outbox as the resident's phone would; the volunteer's side (someone
else's journey) goes through the matching services. At 390 px every step is saved to
var/screenshots/resident/ to be looked at.
"""

import re

import pytest

from entraide.matching import services as matching
from entraide.needs.models import HelpRequest
from entraide.platform.models import OutboxMessage
from tests.journeys import browser

PHONE = "06 12 34 56 78"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class Person(browser.Person):
    journey = "resident"


_path_in = browser.path_in


def _sms(prefix: str) -> OutboxMessage:
    return OutboxMessage.objects.filter(delivery_key__startswith=prefix, channel="sms").get()


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_resident_asks_for_help_is_told_who_comes_and_cancels(
    chromium, live_server, paris, make_volunteer, width
):
    resident = Person(chromium, live_server, width)
    page = resident.page
    resident.goto("/")
    assert page.locator("html").get_attribute("lang") == "fr"
    resident.screenshot("01-home")
    page.get_by_role("link", name="J'ai besoin d'aide").click()
    resident.screenshot("02-form")

    # Three fields left empty: all three errors at once, nothing stored.
    page.select_option("#id_category", "groceries")
    page.get_by_role("button", name="Envoyer ma demande").click()
    page.wait_for_selector(".field-error")
    errors = page.locator(".field-error").all_inner_texts()
    assert len(errors) == 3, errors
    text = page.content()
    assert "Choisissez votre quartier ou tapez votre code postal." in text
    assert "Ce champ est obligatoire." in text
    assert "Indiquez un numéro de téléphone ou une adresse e-mail" in text
    assert not HelpRequest.objects.exists() and not OutboxMessage.objects.exists()
    resident.screenshot("03-three-errors")

    page.select_option("#id_zone", "75011")
    page.fill("#id_description", "Des courses pour la semaine, je ne peux plus porter.")
    page.fill("#id_first_name", "Odette")
    page.fill("#id_phone", PHONE)
    page.get_by_role("button", name="Envoyer ma demande").click()
    page.wait_for_selector("#private-link")
    help_request = HelpRequest.objects.get()
    assert f"Votre référence : {help_request.reference}" in page.content()
    assert "Nous avons aussi envoyé ce lien" in page.content()
    resident.screenshot("04-confirmation")

    # Later, on another device: the link read from the SMS.
    link_sms = _sms("private-link:")
    assert link_sms.secret and link_sms.recipient == "+33612345678"
    later = Person(chromium, live_server, width)
    later.goto(_path_in(link_sms.body))
    assert later.page.url.endswith(f"/request/{help_request.reference}/")
    later.page.get_by_role("heading", name=f"Ma demande {help_request.reference}").wait_for()
    later.screenshot("05-private-page")

    volunteer = make_volunteer(first_name="Jeanne", code_word="tournesol")
    proposal = matching.match_propose_instant(help_request=help_request)
    matching.assignment_accept(assignment=proposal, volunteer=volunteer)
    found = _sms("accepted:")
    assert found.recipient == "+33612345678"
    assert "Jeanne" in found.body and "tournesol" in found.body
    later.page.reload()
    assert "Bénévole trouvé" in later.page.locator("dl.summary").inner_text()
    told = later.page.locator("section[aria-labelledby=helper-title]").inner_text()
    assert "Jeanne va vous aider" in told and "tournesol" in told
    later.screenshot("06-helper-found")

    later.page.get_by_role("link", name="Annuler ma demande").click()
    later.screenshot("07-cancel-confirm")
    later.page.get_by_role("button", name="Oui, annuler ma demande").click()
    later.page.get_by_text("Votre demande est annulée.").wait_for()
    help_request.refresh_from_db()
    assert help_request.status == "cancelled"
    later.screenshot("08-cancelled")
    resident.context.close()
    later.context.close()


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_resident_who_lost_the_link_gets_it_back_with_a_code(
    chromium, live_server, paris, make_request, width
):
    help_request = make_request().entry
    resident = Person(chromium, live_server, width)
    page = resident.page
    resident.goto("/")
    page.get_by_role("link", name="Perdu votre lien privé ?").click()
    resident.screenshot("09-lost-link")
    page.get_by_label("Votre numéro de téléphone ou votre adresse e-mail").fill(PHONE)
    page.get_by_role("button", name="M'envoyer un code ou un lien").click()
    page.get_by_role("heading", name="Saisissez votre code").wait_for()
    resident.screenshot("10-code")

    code_sms = _sms("contact-proof:")
    assert code_sms.recipient == "+33612345678" and code_sms.secret
    code = re.search(r"\b(\d{6})\b", code_sms.body).group(1)
    page.get_by_label("Code reçu par SMS").fill(code)
    page.get_by_role("button", name="Continuer").click()
    page.get_by_role("heading", name="Mes demandes et offres").wait_for()
    resident.screenshot("11-my-entries")

    page.get_by_role("link", name=re.compile(help_request.reference)).click()
    page.get_by_role("heading", name=f"Ma demande {help_request.reference}").wait_for()
    assert page.get_by_role("link", name="Annuler ma demande").is_visible()
    resident.screenshot("12-link-back")
    resident.context.close()
