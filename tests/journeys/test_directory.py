"""Journey 7 in a real Chromium, in French, under the real settings, against a live
server. The scheduler starts (the weekly task composes a draft bulletin and sends
nothing); a partner signs in on the one sign-in page, opens "Mes mesures" and proposes a
measure — a bad submission shows every error at once and stores nothing, the source link
is typed without https:// and accepted; a coordinator signs in, finds it in the review
queue and publishes it; "manger" in the public directory finds this measure about meals
and food aid; the coordinator previews the draft bulletin, brings it up to date and
publishes it; only then does the worker queue the subscriber's e-mail.

At 390 px every step is saved to var/screenshots/directory/ to be looked at.
"""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from entraide.directory import services
from entraide.directory.models import Bulletin, Measure
from entraide.platform.models import OutboxMessage, Role
from entraide.platform.roles import role_grant
from tests.journeys import browser
from tests.worker import run_queued_tasks

PASSWORD = "un-long-secret-42"
TITLE = "Repas solidaires du 11e"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class Person(browser.Person):
    journey = "directory"

    def sign_in(self, email: str) -> None:
        self.goto("/volunteer/login/")
        self.page.fill("#id_username", email)
        self.page.fill("#id_password", PASSWORD)
        self.page.locator("main form button[type=submit]").click()
        self.page.wait_for_load_state()

    def menu(self, name: str) -> None:
        self.page.get_by_role("navigation", name="Menu de l'équipe").get_by_role(
            "link", name=name
        ).click()


def _staff(email: str, role: str):
    user = get_user_model().objects.create_user(email, email=email, password=PASSWORD)
    role_grant(user=user, role=role)
    return user


def _bulletin_mails():
    return OutboxMessage.objects.filter(delivery_key__startswith="bulletin:")


def _propose(partner: Person) -> None:
    page = partner.page
    page.get_by_role("link", name="Proposer une mesure").first.click()
    page.get_by_role("heading", name="Proposer une mesure").wait_for()
    partner.screenshot("03-form")

    # Everything wrong at once: said together, nothing stored.
    page.fill("#id_title", "Aide")
    page.fill("#id_source_url", "pas un lien")
    page.get_by_role("button", name="Envoyer en relecture").click()
    page.wait_for_selector("#error-summary")
    summary = page.inner_text("#error-summary")
    assert "au moins 5 caractères" in summary
    assert "Ce champ est obligatoire." in summary
    assert "« pas un lien » n'est pas une adresse web" in summary
    assert not Measure.objects.exists()
    partner.screenshot("04-errors")

    page.fill("#id_title", TITLE)
    page.fill(
        "#id_summary",
        "Des repas chauds chaque midi et une aide alimentaire pour les familles du quartier.",
    )
    page.select_option("#id_level", "community")
    page.get_by_label("Sécurité alimentaire").check()
    page.fill("#id_eligibility", "Toute personne du 11e arrondissement, sans justificatif.")
    page.fill("#id_benefits", "Un repas chaud par jour, du lundi au vendredi.")
    page.fill("#id_how_to_apply", "Venir au 12 rue Oberkampf entre 11 h 30 et 13 h.")
    page.fill("#id_source_url", "www.mairie11.paris.fr/repas-solidaires")
    page.get_by_role("button", name="Envoyer en relecture").click()
    page.get_by_text("La mesure est envoyée en relecture.").wait_for()
    row = page.get_by_role("row", name=TITLE)
    assert "En attente de relecture" in row.inner_text()
    measure = Measure.objects.get()
    assert measure.source_url == "https://www.mairie11.paris.fr/repas-solidaires"
    assert measure.state == "pending_review"
    partner.screenshot("05-sent-for-review")


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_partner_proposes_coordinator_publishes_and_sends_the_bulletin(
    chromium, live_server, paris, width
):
    _staff("paul@example.org", Role.PARTNER)
    _staff("camille@example.org", Role.TERRITORY_COORDINATOR)
    services.subscription_create(territory=paris, email="abonne@example.org", language="fr")

    # Start-up: the scheduler enqueues every periodic task once, the worker runs them.
    call_command("run_scheduler", "--once")
    run_queued_tasks()
    assert Bulletin.objects.get().status == "draft"
    assert not _bulletin_mails().exists()

    partner = Person(chromium, live_server, width)
    partner.sign_in("paul@example.org")
    partner.screenshot("01-partner-signed-in")
    partner.menu("Mes mesures")
    partner.page.get_by_role("heading", name="Mes mesures").wait_for()
    assert "Vous n'avez encore proposé aucune mesure." in partner.page.inner_text("main")
    partner.screenshot("02-my-measures")
    _propose(partner)

    coordinator = Person(chromium, live_server, width)
    page = coordinator.page
    coordinator.sign_in("camille@example.org")
    coordinator.menu("Relecture de l'annuaire")
    page.get_by_role("heading", name="À relire").wait_for()
    main = page.inner_text("main")
    assert TITLE in main and "Un brouillon du bulletin attend" in main
    coordinator.screenshot("06-review-queue")
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("heading", name=TITLE).wait_for()
    assert "https://www.mairie11.paris.fr/repas-solidaires" in page.inner_text("main")
    coordinator.screenshot("07-measure-to-review")
    page.get_by_role("button", name="Publier", exact=True).click()
    page.get_by_text("La mesure est publiée : tout le monde peut la trouver.").wait_for()
    assert Measure.objects.get().state == "published"
    coordinator.screenshot("08-published")

    # Someone looking for food types "manger": the measure speaks of meals and food aid.
    visitor = Person(chromium, live_server, width)
    visitor.goto("/directory/")
    visitor.page.get_by_role("textbox", name="Rechercher").fill("manger")
    visitor.page.locator("main form[role=search] button[type=submit]").click()
    visitor.page.get_by_text("1 résultat").wait_for()
    visitor.page.get_by_role("link", name=TITLE).wait_for()
    visitor.screenshot("09-search-manger")

    # The draft composed at start-up does not have the measure yet: bring it up to date.
    coordinator.goto("/directory/review/")
    page.get_by_role("link", name="Voir l'aperçu du bulletin").click()
    page.get_by_role("heading", name="Aperçu du bulletin").wait_for()
    assert "Nobody receives it" not in page.inner_text("main")
    assert TITLE not in page.inner_text("main")
    page.get_by_role("button", name="Mettre à jour avec les derniers changements").click()
    page.get_by_text("Le brouillon est à jour.").wait_for()
    main = page.inner_text("main")
    assert TITLE in main and "il est envoyé à 1 abonné" in main
    assert not _bulletin_mails().exists()
    coordinator.screenshot("10-bulletin-preview")

    page.get_by_role("button", name="Publier et envoyer").click()
    page.get_by_text("Le bulletin est publié").wait_for()
    assert TITLE in page.inner_text("main")
    coordinator.screenshot("11-bulletin-published")
    assert not _bulletin_mails().exists()  # queued for the worker, not sent in the request

    run_queued_tasks()
    mail = _bulletin_mails().get()
    assert mail.recipient == "abonne@example.org"
    assert mail.subject.startswith("Bulletin de Paris")
    assert TITLE in mail.body
