"""Journey 5 in a real Chromium, in French, under the real settings, against a live
server: a hotline operator signs in on the one sign-in page and is routed to the console,
finds a caller by their number, sees their open and closed requests and, for the matched
one, the helper's first name and code word to read out; records a request on the caller's
behalf (a missing field is explained and nothing stored) and keeps a note.

At 390 px every step is saved to var/screenshots/hotline/ to be looked at.
"""

import pytest
from django.contrib.auth import get_user_model

from entraide.channels.models import CallerNote
from entraide.matching import services as matching
from entraide.needs.models import Channel, HelpRequest
from entraide.needs.services import help_request_cancel
from entraide.platform.models import AuditLog, Role
from entraide.platform.roles import role_grant
from tests.journeys import browser

PASSWORD = "un-long-secret-42"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class Person(browser.Person):
    journey = "hotline"


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_operator_takes_a_call(chromium, live_server, paris, make_request, make_volunteer, width):
    operator = get_user_model().objects.create_user(
        "ophelie@example.org", email="ophelie@example.org", password=PASSWORD
    )
    role_grant(user=operator, role=Role.OPERATOR)
    volunteer = make_volunteer(first_name="Camille", code_word="tilleul")
    matched = make_request().entry
    proposal = matching.match_propose_instant(help_request=matched)
    matching.assignment_accept(assignment=proposal, volunteer=volunteer)
    closed = make_request(category="medicines").entry
    help_request_cancel(help_request=closed, actor_label="requester", reason="test")

    person = Person(chromium, live_server, width)
    page = person.page
    person.goto("/volunteer/login/")
    person.screenshot("01-sign-in")
    page.fill("#id_username", "ophelie@example.org")
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/channels/hotline/")
    page.get_by_role("heading", name="Console de la permanence").wait_for()
    person.screenshot("02-console")

    page.fill("#id_phone", "06 12 34 56 78")
    page.get_by_role("button", name="Trouver l'appelant").click()
    page.get_by_role("heading", name="Demandes clôturées").wait_for()
    main = page.inner_text("main")
    assert matched.reference in main and closed.reference in main
    assert "Annulée" in main and "clôturée le" in main
    assert "bénévole Camille" in main and "mot code « tilleul »" in main
    assert AuditLog.objects.filter(
        action="operator.helper_read", actor=operator, subject=matched.reference
    ).exists()
    person.screenshot("03-caller-found")

    # A missing description: said in French, nothing stored.
    page.fill("#id_postcode", "75011")
    page.select_option("#id_category", "medicines")
    page.get_by_role("button", name="Enregistrer la demande").click()
    page.wait_for_selector("#error-summary")
    assert HelpRequest.objects.filter(channel=Channel.OPERATOR).count() == 0
    person.screenshot("04-missing-description")

    page.fill("#id_postcode", "75011")
    page.select_option("#id_category", "medicines")
    page.fill("#id_description", "Ordonnance à retirer à la pharmacie.")
    page.get_by_role("button", name="Enregistrer la demande").click()
    created = HelpRequest.objects.get(channel=Channel.OPERATOR)
    page.get_by_text(f"Demande {created.reference} enregistrée").wait_for()
    assert created.created_by == operator and created.contact.phone == "+33612345678"
    person.screenshot("05-request-recorded")

    page.fill("#id_text", "Rappeler demain matin pour confirmer.")
    page.get_by_role("button", name="Enregistrer la note").click()
    page.get_by_text("Rappeler demain matin pour confirmer.").wait_for()
    assert CallerNote.objects.get().author == operator
    person.screenshot("06-note-saved")
    person.context.close()
