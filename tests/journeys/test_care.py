"""Journey 6 in a real Chromium, in French, under the real settings, against a live
server: a coordinator signs in on the one sign-in page and enrols a person with the
day/time picker (a bad submission shows every mistake at once and stores nothing); the
calls are planned and given to a volunteer at once. The volunteer follows the link from
their page to their calls, calls with their own phone (no bridging is configured, so no
"call through the platform" button), notes "no answer" — the third in a row, so the
coordinator's alert e-mail leaves and its link shows the count — then an answered call
with a distress flag. The partner's member signs in, sees the report with the kind of
distress in words and closes it with an outcome; the volunteer reads it from the e-mail
the platform sent and on their calls, and the coordinator on the person's page and the
list of reports.

At 390 px every step is saved to var/screenshots/care/ to be looked at.
"""

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.utils import timezone

from entraide.care.models import (
    CallStatus,
    CarePerson,
    ContactKind,
    CourtesyCall,
    Escalation,
    EscalationStatus,
    Partner,
)
from entraide.care.services import courtesy_call_record_outcome
from entraide.platform.models import OutboxMessage, Role
from entraide.platform.roles import role_grant
from tests.journeys import browser

PASSWORD = "un-long-secret-42"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class Person(browser.Person):
    journey = "care"


def _staff(email: str, role: str, **extra):
    user = get_user_model().objects.create_user(email, email=email, password=PASSWORD, **extra)
    role_grant(user=user, role=role)
    return user


def _sign_in(person: Person, email: str, landing: str) -> None:
    page = person.page
    person.goto("/volunteer/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**{landing}")


def _pick(page, row: int, day: str, time: str) -> None:
    page.select_option(f"#id_slot_day_{row}", day)
    page.fill(f"#id_slot_time_{row}", time)


def _earlier_missed_calls(person: CarePerson, volunteer) -> None:
    """Two calls of the past weeks that went unanswered (bridged, before this journey)."""
    now = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    for weeks in (2, 3):
        call = CourtesyCall.objects.create(
            person=person, volunteer=volunteer, scheduled_for=now - dt.timedelta(weeks=weeks)
        )
        courtesy_call_record_outcome(call=call, status=CallStatus.NO_ANSWER)


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_a_courtesy_call_raises_a_report_that_a_partner_closes(
    chromium, live_server, paris, make_volunteer, width
):
    assert not settings.ENTRAIDE_CARE_CALLER_ID  # the real settings: no bridging here
    coordinator_user = _staff("camille@example.org", Role.TERRITORY_COORDINATOR)
    coordinator_user.user_permissions.add(Permission.objects.get(codename="handle_escalations"))
    volunteer = make_volunteer(first_name="Louise", categories=["phone_chat"], phone="+33781000001")
    volunteer.user.set_password(PASSWORD)
    volunteer.user.save()
    partner = Partner.objects.create(
        territory=paris, name="SOS Violences", categories=["violence"], always_open=True
    )
    partner.contacts.create(position=1, kind=ContactKind.EMAIL, value="astreinte@sos.example.org")
    member = _staff("nadia@sos.example.org", Role.PARTNER)
    partner.members.add(member)

    # The coordinator enrols Odette.
    coordinator = Person(chromium, live_server, width)
    page = coordinator.page
    _sign_in(coordinator, "camille@example.org", "/coordination/queue/")
    page.get_by_role("link", name="Appels de courtoisie").first.click()
    page.get_by_role("link", name="Inscrire une personne").click()
    page.get_by_role("heading", name="Inscrire une personne aux appels de courtoisie").wait_for()
    coordinator.screenshot("01-enrol-form")

    page.select_option("#id_zone", "75011")
    page.fill("#id_phone", "12")
    _pick(page, 1, "wed", "10:00")
    _pick(page, 2, "wed", "10:00")
    _pick(page, 3, "fri", "10:15")
    page.get_by_role("button", name="Inscrire", exact=True).click()
    page.wait_for_selector("#error-summary")
    summary = page.locator("#error-summary").inner_text().replace("\xa0", " ")
    assert "Prénom" in summary
    assert "Téléphone" in summary
    assert "Jour (créneau 2) : Ce jour et cette heure sont déjà choisis plus haut." in summary
    assert "Heure (créneau 3) : Les appels sont prévus toutes les 30 minutes" in summary
    assert not CarePerson.objects.exists()
    coordinator.screenshot("02-enrol-errors")

    page.fill("#id_first_name", "Odette")
    page.fill("#id_phone", "01 43 55 66 77")
    _pick(page, 2, "fri", "15:30")
    _pick(page, 3, "", "")
    page.get_by_role("button", name="Inscrire", exact=True).click()
    page.get_by_role("heading", name="Odette").wait_for()
    main = page.inner_text("main")
    assert "Inscription enregistrée" in main and "(2 attribués" in main
    assert "01 43 55 66 77" in main
    assert "Mercredi 10:00, Vendredi 15:30" in main
    assert main.count("Louise") == 2
    enrolled = CarePerson.objects.get()
    assert enrolled.call_slots == ["wed@10:00", "fri@15:30"]
    coordinator.screenshot("03-enrolled")
    _earlier_missed_calls(enrolled, volunteer)

    # The volunteer finds their calls from their page and calls with their own phone.
    caller = Person(chromium, live_server, width)
    page = caller.page
    _sign_in(caller, volunteer.user.email, "/volunteer/")
    caller.screenshot("04-volunteer-page")
    page.get_by_role("link", name="Mes appels de courtoisie").click()
    page.get_by_role("heading", name="Mes appels de courtoisie").wait_for()
    assert "Odette" not in page.inner_text("main")
    caller.screenshot("05-my-calls")
    page.get_by_role("link", name="Ouvrir l'appel").first.click()
    page.get_by_role("heading", name="Après l'appel").wait_for()
    assert "Odette" in page.inner_text("main")
    assert page.get_by_role("button", name="Appeler via la plateforme").count() == 0
    dial = page.get_by_role("link", name="Appeler le 01 43 55 66 77")
    assert dial.get_attribute("href") == "tel:+33143556677"
    wellbeing = page.get_by_role("group", name="Comment va la personne ?")
    page.get_by_label("Pas de réponse").check()
    assert not wellbeing.is_visible()
    caller.screenshot("06-no-answer")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    page.get_by_text("C'est noté : la personne n'a pas répondu.").wait_for()
    assert "Pas de réponse" in page.inner_text("main")
    enrolled.refresh_from_db()
    assert enrolled.missed_in_row == 3

    # The third unanswered call in a row: the coordinator's alert, and its link.
    alert = OutboxMessage.objects.get(
        recipient="camille@example.org", delivery_key__startswith="care-missed:"
    )
    assert "3 appels de courtoisie" in alert.body
    page = coordinator.page
    coordinator.goto(browser.path_in(alert.body))
    page.get_by_role("heading", name="Odette").wait_for()
    assert "Appels sans réponse d'affilée\n3" in page.inner_text("main")
    assert "Pas de réponse · Louise" in page.inner_text("main")
    coordinator.screenshot("07-missed-calls-alert")

    # The next call is answered, and the volunteer is worried.
    page = caller.page
    page.get_by_role("link", name="Retour à mes appels").click()
    page.get_by_role("link", name="Ouvrir l'appel").nth(1).click()
    page.get_by_role("heading", name="Après l'appel").wait_for()
    page.get_by_label("A répondu").check()
    assert page.get_by_role("group", name="Comment va la personne ?").is_visible()
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    page.wait_for_selector("#error-summary")
    assert "Indiquez comment va la personne." in page.locator("#error-summary").inner_text()
    assert not Escalation.objects.exists()
    page.get_by_label("Inquiétant").check()
    page.get_by_label("Je suis inquiet ou inquiète : prévenir un partenaire").check()
    page.select_option("#id_distress_category", "violence")
    page.fill("#id_distress_reason", "Elle a peur de son fils, qui crie au téléphone.")
    caller.screenshot("08-distress")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    page.get_by_text("Merci, votre compte rendu est enregistré.").wait_for()
    assert "partenaire" in page.locator("#report-progress").inner_text()
    report = Escalation.objects.get()
    assert report.partner == partner
    caller.screenshot("09-report-sent")

    # The partner's member signs in, sees the kind of distress in words and closes it.
    team = Person(chromium, live_server, width)
    page = team.page
    _sign_in(team, "nadia@sos.example.org", "/care/escalations/")
    listing = page.inner_text("main")
    assert report.reference in listing and "Violences au foyer" in listing
    assert "violence\t" not in listing
    team.screenshot("10-partner-alerts")
    page.get_by_role("link", name=report.reference).click()
    page.get_by_role("heading", name=f"Signalement {report.reference}").wait_for()
    main = page.inner_text("main")
    assert "Type de détresse\nViolences au foyer" in main
    assert "Elle a peur de son fils" in main
    page.get_by_role("button", name="Clôturer le signalement").click()
    page.wait_for_selector("#error-summary")
    assert Escalation.objects.get().status == EscalationStatus.OPEN
    page.get_by_label("La personne a été orientée vers un service").check()
    page.fill("#id_note", "Orientée vers le CIDFF, rendez-vous jeudi.")
    team.screenshot("11-partner-closes")
    page.get_by_role("button", name="Clôturer le signalement").click()
    page.get_by_text("Clôturé : le ou la bénévole et la coordination sont informés").wait_for()
    assert "La personne a été orientée vers un service" in page.inner_text("main")
    team.screenshot("12-closed")

    # The volunteer reads the outcome in the e-mail, then on the call's page.
    told = OutboxMessage.objects.get(recipient=volunteer.user.email)
    assert "La personne a été orientée vers un service" in told.body
    assert "CIDFF" not in told.body and "Odette" not in told.body
    page = caller.page
    caller.goto(browser.path_in(told.body))
    progress = page.locator("#report-progress").inner_text()
    assert progress == "Clôturé par le partenaire : La personne a été orientée vers un service."
    caller.screenshot("13-volunteer-told")
    page.get_by_role("link", name="Retour à mes appels").click()
    assert "Clôturé par le partenaire" in page.inner_text("main")

    # The coordinator sees the outcome and the partner's note.
    page = coordinator.page
    coordinator.goto(f"/care/people/{enrolled.pk}/")
    main = page.inner_text("main")
    assert "Violences au foyer — Clôturé — La personne a été orientée vers un service" in main
    assert "CIDFF" in main
    coordinator.screenshot("14-coordinator-person")
    page.get_by_role("link", name="Alertes", exact=True).first.click()
    assert "La personne a été orientée vers un service" in page.inner_text("main")
    coordinator.screenshot("15-coordinator-reports")
    for person in (coordinator, caller, team):
        person.context.close()
