"""Journey: volunteers pick work themselves, and their hours count. In a real Chromium,
in French, under the real settings, against a live server.

A verified volunteer opens "Demandes près de chez moi" from their page, takes a request
(the contact opens only now), and the zone's coordinator sees in the queue that the
volunteer took it themselves. The volunteer marks it done; the hours are proposed with
an estimate, which the volunteer corrects on their hours page; the coordinator confirms
them. The volunteer downloads a PDF certificate, and an anonymous visitor checks its
code on the public page, which shows the period and the total, never the person.

At 390 px every step is saved to var/screenshots/self_pick/ to be looked at.
"""

import io

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from pypdf import PdfReader

from entraide.matching.models import Assignment
from entraide.needs import services as needs_services
from entraide.platform.models import Role
from entraide.platform.roles import role_grant
from entraide.recognition.models import HoursEntry
from tests.conftest import request_input
from tests.journeys import browser

PASSWORD = "un-long-secret-42"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class Person(browser.Person):
    journey = "self_pick"


def _sign_in(person: Person, email: str, landing: str) -> None:
    page = person.page
    person.goto("/volunteer/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**{landing}")


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_a_volunteer_takes_a_request_and_gets_a_certificate(
    chromium, live_server, paris, make_volunteer, width
):
    zone = paris.zones.get(code="75011")
    help_request = needs_services.help_request_create(
        zone=zone, data=request_input(description="Des courses pour la semaine, merci.")
    ).entry
    needs_services.help_request_create(zone=zone, data=request_input(category="violence"))
    coordinator_user = get_user_model().objects.create_user(
        "camille@example.org", email="camille@example.org", password=PASSWORD
    )
    role_grant(user=coordinator_user, role=Role.ZONE_COORDINATOR, zone=zone)
    volunteer = make_volunteer(first_name="Amina")
    volunteer.user.set_password(PASSWORD)
    volunteer.user.first_name, volunteer.user.last_name = "Amina", "Benali"
    volunteer.user.save()

    # An anonymous visitor is told how to become a volunteer, with no button to take.
    visitor = Person(chromium, live_server, width)
    visitor.goto("/volunteer/nearby/")
    main = visitor.page.inner_text("main")
    assert "Devenir bénévole pour prendre une demande" in main
    assert visitor.page.get_by_role("button", name="Je la prends").count() == 0
    visitor.screenshot("01-anonymous")

    # The volunteer opens the requests near them and takes one.
    helper = Person(chromium, live_server, width)
    page = helper.page
    _sign_in(helper, volunteer.user.email, "/volunteer/")
    page.get_by_role("link", name="Demandes près de chez moi").click()
    page.get_by_role("heading", name="Demandes près de chez moi").wait_for()
    main = page.inner_text("main")
    assert "Des courses pour la semaine" in main
    assert "Violence" not in main and "Oberkampf" not in main and "Odette" not in main
    helper.screenshot("02-nearby")
    page.get_by_role("button", name="Je la prends : Courses").click()
    page.wait_for_url("**/volunteer/assignments/*/")
    main = page.inner_text("main")
    assert "Elle est à vous" in main
    assert "Odette" in main and "Oberkampf" in main  # the contact opens now, audited
    helper.screenshot("03-taken")
    assignment = Assignment.objects.get(help_request=help_request, status="accepted")
    assert assignment.source == "volunteer"

    # The coordinator sees in the queue that the volunteer took it themselves.
    coordinator = Person(chromium, live_server, width)
    _sign_in(coordinator, "camille@example.org", "/coordination/queue/")
    claims = coordinator.page.locator(f"[data-claimed-reference='{help_request.reference}']")
    assert "Proposée par le bénévole Amina" in claims.inner_text()
    coordinator.screenshot("04-queue")
    claims.get_by_role("link").click()
    coordinator.page.get_by_role("button", name="Rendre à l'appariement").first.wait_for()
    assert "Proposée par le bénévole" in coordinator.page.inner_text("main")
    coordinator.screenshot("05-case")

    # The volunteer marks it done and corrects the estimated time.
    page.get_by_role("button", name="Terminée", exact=True).click()
    page.wait_for_url("**/volunteer/")
    entry = _wait_for_hours(volunteer)
    assert (entry.minutes, entry.state) == (60, "proposed")
    page.get_by_role("link", name="Mes heures de bénévolat").click()
    page.get_by_role("heading", name="Mes heures de bénévolat").wait_for()
    assert "À confirmer" in page.inner_text("main")
    page.fill(f"#minutes-{entry.pk}", "90")
    page.get_by_role("button", name="Corriger le temps").click()
    page.get_by_text("Votre temps est mis à jour").wait_for()
    helper.screenshot("06-hours-corrected")

    # The coordinator confirms it.
    coordinator.page.get_by_role("link", name="File d'attente").first.click()
    coordinator.page.get_by_role("link", name="Heures à confirmer").first.click()
    card = coordinator.page.locator(f"#entry-{entry.pk}")
    assert "Amina" in card.inner_text() and "1 h 30" in card.inner_text()
    coordinator.screenshot("07-hours-to-confirm")
    card.get_by_role("button", name="Confirmer").click()
    coordinator.page.get_by_text("Heures confirmées :").wait_for()
    coordinator.screenshot("08-confirmed")
    entry.refresh_from_db()
    assert (entry.state, entry.minutes) == ("confirmed", 90)

    # The volunteer downloads their certificate.
    page.reload()
    assert "1 h 30" in page.locator("#total-confirmed").inner_text()
    today = timezone.localdate()
    page.fill("#id_period_start", today.replace(day=1).isoformat())
    page.fill("#id_period_end", today.isoformat())
    helper.screenshot("09-hours-confirmed")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Télécharger mon attestation (PDF)").click()
    pdf = download_info.value
    assert pdf.suggested_filename.startswith("attestation-benevolat-")
    with open(pdf.path(), "rb") as handle:
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(handle.read())).pages)
    assert "Attestation de bénévolat" in text and "Amina Benali" in text and "1 h 30" in text
    code = next(
        line.split(":", 1)[1].strip()
        for line in text.splitlines()
        if "Code de vérification" in line
    )

    # Anyone checks the code: valid, its period and total, and nobody's name.
    visitor.goto("/verify/")
    visitor.page.fill("#id_code", code.lower())
    visitor.page.get_by_role("button", name="Vérifier").click()
    visitor.page.get_by_role("heading", name="Attestation valide").wait_for()
    main = visitor.page.inner_text("main")
    assert "1 h 30" in main and "Paris" in main
    for personal in ("Amina", "Benali", volunteer.user.email, volunteer.code_word):
        assert personal not in visitor.page.content()
    visitor.screenshot("10-verified")
    visitor.goto("/verify/AAAA-BBBB-CCCC-DDDD/")
    assert "Code inconnu" in visitor.page.inner_text("main")
    visitor.screenshot("11-unknown-code")
    for person in (visitor, helper, coordinator):
        person.context.close()


def _wait_for_hours(volunteer) -> HoursEntry:
    """The hours are proposed by recognition's subscriber after the commit."""
    import time

    for _ in range(50):
        entry = HoursEntry.objects.filter(volunteer=volunteer).first()
        if entry is not None:
            return entry
        time.sleep(0.1)
    raise AssertionError("no hours were proposed for the finished assignment")
