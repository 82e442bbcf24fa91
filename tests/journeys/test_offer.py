"""Journey 2 in a real Chromium, in French, under the real settings, against a live
server: a neighbour offers help without an account from the home page, is told what
happens next, reads their private link from the outbox and follows the invitation to
sign up as a verified volunteer, pre-filled (the sign-up itself is journey 3).

At 390 px every step is saved to var/screenshots/offer/ to be looked at.
"""

import pytest

from entraide.needs.models import HelpOffer
from entraide.platform.models import OutboxMessage
from tests.journeys import browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class Person(browser.Person):
    journey = "offer"


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_neighbour_offers_help_and_is_invited_to_become_a_volunteer(
    chromium, live_server, paris, width
):
    neighbour = Person(chromium, live_server, width)
    page = neighbour.page
    neighbour.goto("/")
    assert page.locator("html").get_attribute("lang") == "fr"
    neighbour.screenshot("01-home")
    page.locator("main").get_by_role("link", name="Je peux aider").click()
    page.get_by_role("heading", name="Proposer de l'aide").wait_for()
    assert "vous êtes invité à devenir bénévole vérifié" in page.content()
    neighbour.screenshot("02-form")

    # Nothing filled but a wrong e-mail: every mistake at once, nothing stored.
    page.fill("#id_email", "pas-une-adresse")
    page.get_by_role("button", name="Envoyer ma proposition").click()
    page.wait_for_selector(".field-error")
    text = page.content()
    assert "Choisissez votre quartier ou tapez votre code postal." in text
    assert "Ce champ est obligatoire." in text
    assert "adresse e-mail valide" in text
    assert page.locator(".field-error").count() >= 4
    assert not HelpOffer.objects.exists() and not OutboxMessage.objects.exists()
    neighbour.screenshot("03-errors")

    page.select_option("#id_zone", "75011")
    page.check("input[name=categories][value=groceries]")
    page.check("input[name=categories][value=transport]")
    page.fill("#id_description", "J'ai une voiture le samedi, je peux faire des courses.")
    page.fill("#id_first_name", "Marcel")
    page.fill("#id_phone", "07 81 22 33 44")
    page.fill("#id_email", "marcel@example.org")
    page.get_by_role("button", name="Envoyer ma proposition").click()
    page.wait_for_selector("#private-link")
    offer = HelpOffer.objects.get()
    text = page.content()
    assert f"Votre référence : {offer.reference}" in text
    assert "Pour être mis en relation avec des voisins, devenez bénévole vérifié" in text
    assert "ont été prévenus de votre offre" in text
    assert "Nous avons aussi envoyé ce lien" in text
    neighbour.screenshot("04-confirmation")

    # Later, on another device: the link read from the e-mail.
    mail = OutboxMessage.objects.get(channel="email", recipient="marcel@example.org")
    assert mail.secret
    later = Person(chromium, live_server, width)
    later.goto(browser.path_in(mail.body))
    assert later.page.url.endswith(f"/offer/{offer.reference}/")
    later.page.get_by_role("heading", name=f"Ma proposition {offer.reference}").wait_for()
    assert "devenez bénévole vérifié" in later.page.content()
    later.screenshot("05-private-page")

    later.page.get_by_role("link", name="Devenir bénévole").click()
    later.page.wait_for_selector("#id_password")
    assert "/volunteer/signup/" in later.page.url and "marcel" not in later.page.url.lower()
    assert later.page.input_value("#id_first_name") == "Marcel"
    assert later.page.input_value("#id_email") == "marcel@example.org"
    assert later.page.input_value("#id_phone") == "07 81 22 33 44"
    assert later.page.input_value("#id_zone") == "75011"
    assert later.page.is_checked("input[name=categories][value=groceries]")
    assert later.page.is_checked("input[name=categories][value=transport]")
    later.screenshot("06-sign-up-pre-filled")
    later.context.close()
    neighbour.context.close()
