"""Journey 3 in a real Chromium, in French, under the real settings, against a live
server: a neighbour becomes a volunteer from the home page, proves their e-mail and
phone with what the outbox sent them, is told when a coordinator verifies them, reads a
proposal (scrubbed description, distance) before accepting, sees the contact and their
code word, starts, finishes, finds it in their history, edits their profile with the
week table of availability, and takes a break.

The outbox rows are the volunteer's inbox (read before any delivery: secret messages
are blanked once delivered); the coordinator's decision and the resident's request,
other people's journeys, go through their services. At 390 px every step is saved to
var/screenshots/volunteer/ to be looked at.
"""

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from entraide.matching import services as matching
from entraide.matching.models import Assignment
from entraide.needs import services as needs
from entraide.people import services as people
from entraide.people.models import Volunteer
from entraide.platform.models import OutboxMessage, Role
from entraide.platform.roles import role_grant
from tests.conftest import request_input
from tests.journeys import browser

EMAIL = "louise@example.org"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class Volunteering(browser.Person):
    journey = "volunteer"


_path_in = browser.path_in


def _message(prefix: str, channel: str) -> OutboxMessage:
    return OutboxMessage.objects.get(delivery_key__startswith=prefix, channel=channel)


def _sign_up(person: Volunteering) -> None:
    page = person.page
    person.goto("/")
    person.screenshot("01-home")
    page.locator("header").get_by_role("link", name="Bénévoles").click()
    page.get_by_role("link", name=re.compile("Devenez bénévole")).click()
    page.get_by_role("heading", name="Devenir bénévole").wait_for()

    # Everything left empty: every missing field at once, nothing stored or sent.
    page.get_by_role("button", name="M'inscrire").click()
    page.wait_for_selector("#error-summary")
    summary = page.locator("#error-summary").inner_text()
    for label in ("Prénom", "E-mail", "Mot de passe", "Votre quartier"):
        assert label in summary, summary
    assert page.locator(".field-error").count() >= 5
    assert not get_user_model().objects.exists() and not Volunteer.objects.exists()
    assert not OutboxMessage.objects.exists()
    person.screenshot("02-sign-up-errors")

    page.get_by_label("Prénom").fill("Louise")
    page.get_by_label("E-mail").fill(EMAIL)
    page.get_by_label("Mot de passe").fill("un-long-secret-42")
    page.get_by_label("Téléphone portable (facultatif)").fill("06 11 22 33 44")
    page.get_by_label("Votre quartier").select_option("75011")
    page.get_by_label("Jusqu'où pouvez-vous aller ? (km)").fill("3")
    page.get_by_role("checkbox", name="Courses").check()
    grid = page.locator("table.week-grid")
    assert grid.locator("tbody tr").count() == 7
    assert grid.locator("thead th[scope=col]").count() == 4
    grid.get_by_role("checkbox", name="Lundi matin").check()
    grid.get_by_role("checkbox", name="Mercredi soir").check()
    person.screenshot("03-sign-up-filled")
    page.get_by_role("button", name="M'inscrire").click()
    page.get_by_role("heading", name="Bonjour Louise").wait_for()
    person.screenshot("04-dashboard-pending")


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_volunteer_signs_up_is_verified_helps_and_takes_a_break(
    chromium,
    live_server,
    paris,
    width,
):
    person = Volunteering(chromium, live_server, width)
    page = person.page
    _sign_up(person)
    volunteer = Volunteer.objects.get(user__email=EMAIL)
    assert volunteer.availability == ["mon:morning", "wed:evening"]
    assert "e-mail pas encore confirmé" in page.locator("dl.summary").inner_text()

    # The e-mail's link and the SMS's code, read from the outbox before any delivery.
    mail = _message(f"verify-email:{volunteer.pk}", "email")
    person.goto(_path_in(mail.body))
    page.get_by_text("Votre adresse e-mail est confirmée.").wait_for()
    code_sms = _message(f"phone-code:{volunteer.pk}:", "sms")
    assert code_sms.recipient == "+33611223344"
    code = re.search(r"\b(\d{6})\b", code_sms.body).group(1)
    page.get_by_label("Code reçu par SMS").fill(code)
    page.get_by_role("button", name="Confirmer mon téléphone").click()
    page.get_by_text("Votre numéro de téléphone est confirmé.").wait_for()
    volunteer.refresh_from_db()
    assert volunteer.email_verified and volunteer.phone_verified
    person.screenshot("05-confirmed")

    # A coordinator of the 11th verifies them: the volunteer is told by e-mail and SMS.
    coordinator = get_user_model().objects.create_user("coord@example.org")
    role_grant(user=coordinator, role=Role.ZONE_COORDINATOR, zone=volunteer.zone)
    people.volunteer_vet(volunteer=volunteer, to_status="verified", by=coordinator)
    told = _message(f"verified:{volunteer.pk}:", "email")
    assert told.recipient == EMAIL and "bénévole vérifié" in told.body
    assert "/volunteer/" in told.body
    told_sms = _message(f"verified-sms:{volunteer.pk}:", "sms")
    assert told_sms.recipient == "+33611223344" and "vérifié" in told_sms.body
    person.goto(_path_in(told.body))
    assert "Vous êtes bénévole vérifié" in page.locator("#verified-notice").inner_text()
    person.screenshot("06-verified")

    # A resident a kilometre north asks for groceries and writes their number in the text.
    # Any day in the coming week suits them, so the volunteer's Monday morning or Wednesday
    # evening falls inside it whatever day and hour the test runs.
    zone = volunteer.zone
    created = needs.help_request_create(
        zone=zone,
        data=request_input(
            window_end=timezone.localdate() + dt.timedelta(days=7),
            description="Des courses pour la semaine, appelez-moi au 06 98 76 54 32.",
            contact=needs.ContactInput(
                first_name="Odette",
                phone="06 12 34 56 78",
                address="14 rue Oberkampf",
                lat=zone.centroid_lat + 0.011,
                lon=zone.centroid_lon,
            ),
        ),
    )
    proposal = matching.match_propose_instant(help_request=created.entry)
    assert proposal is not None and proposal.volunteer_id == volunteer.pk
    page.reload()
    card = page.locator(".card").first
    card_text = card.inner_text()
    assert "Des courses pour la semaine" in card_text
    assert "06 98" not in card_text and "98 76 54 32" not in card_text
    assert "Distance : environ 1,2 km de chez vous" in card_text, card_text
    person.screenshot("07-proposal")

    card.get_by_role("button", name="J'accepte").click()
    page.get_by_text("Merci ! La personne a été prévenue de votre venue.").wait_for()
    contact = page.locator("section[aria-labelledby=contact-title]").inner_text()
    assert "Odette" in contact and "14 rue Oberkampf" in contact
    assert page.get_by_role("link", name="06 12 34 56 78").get_attribute("href") == (
        "tel:+33612345678"
    )
    assert volunteer.code_word in contact
    person.screenshot("08-contact-and-code-word")

    page.get_by_role("button", name="Je suis en route").click()
    page.get_by_text("Marquée comme commencée.").wait_for()
    person.screenshot("09-started")
    page.get_by_role("button", name="Terminée").click()
    page.get_by_text("Marquée comme terminée. Merci !").wait_for()
    assert Assignment.objects.get(pk=proposal.pk).status == "done"
    history = page.locator("ul.history").inner_text()
    assert "Courses" in history and "Terminée" in history
    page.get_by_role("link", name="Voir tout mon historique").click()
    page.get_by_role("heading", name="Mon historique").wait_for()
    assert "Courses" in page.locator("ul.history").inner_text()
    person.screenshot("10-history")

    # Profile: a larger radius, Saturday afternoon instead of Monday morning.
    page.get_by_role("link", name="Retour à ma page de bénévole").click()
    page.get_by_role("link", name=re.compile("Modifier mon profil")).click()
    page.get_by_role("heading", name="Mon profil de bénévole").wait_for()
    grid = page.locator("table.week-grid")
    assert grid.get_by_role("checkbox", name="Lundi matin").is_checked()
    page.get_by_label("Jusqu'où pouvez-vous aller ? (km)").fill("5")
    grid.get_by_role("checkbox", name="Lundi matin").uncheck()
    grid.get_by_role("checkbox", name="Samedi après-midi").check()
    person.screenshot("11-profile")
    page.get_by_role("button", name="Enregistrer mon profil").click()
    page.get_by_text("Votre profil est enregistré.").wait_for()
    volunteer.refresh_from_db()
    assert volunteer.radius_km == 5
    assert volunteer.availability == ["sat:afternoon", "wed:evening"]

    page.get_by_role("button", name="Faire une pause").click()
    page.get_by_text("Vous êtes en pause : pas de nouvelles demandes").wait_for()
    volunteer.refresh_from_db()
    assert volunteer.paused
    assert "en pause" in page.locator("dl.summary").inner_text()
    assert page.get_by_role("button", name="Je suis de nouveau disponible").is_visible()
    person.screenshot("12-paused")
    person.context.close()


def test_profile_with_bad_input_shows_every_error_and_changes_nothing(client, make_volunteer):
    volunteer = make_volunteer(availability=["mon:morning"])
    client.force_login(volunteer.user)
    response = client.post(
        "/volunteer/profile/",
        {
            "zone": "75011",
            "radius_km": "50",
            "languages": ["fr"],
            "availability": ["mon:morning", "sun:night"],
            "max_open_assignments": "2",
            "max_per_week": "3",
        },
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Il manque quelque chose" in text
    assert "inférieure ou égale à 30" in text
    assert "Ce champ est obligatoire." in text  # no kind of help chosen
    assert "sun:night n\u2019en fait pas partie" in text
    saved = type(volunteer).objects.get(pk=volunteer.pk)
    assert (saved.radius_km, saved.categories, saved.availability) == (
        3,
        ["groceries", "medicines"],
        ["mon:morning"],
    )
