"""The coordinators' workspace in a real Chromium, in French, at 390 px, against a live
server: a coordinator of the 11th signs in on the one sign-in page, opens the queue, reads
why an urgent request has nobody, opens the case, reads the contact with a purpose, asks
for suggestions and assigns the nearest helper; the helper accepts on their own phone (a
second browser context), the request leaves the queue, and the batch run afterwards
leaves that assignment alone.

Every step is saved to var/screenshots/coordination/ to be looked at.
"""

import pytest
from django.contrib.auth import get_user_model

from entraide.matching import services as matching
from entraide.matching.models import (
    Assignment,
    AssignmentSource,
    AssignmentStatus,
    UnmatchedNote,
)
from entraide.needs import services
from entraide.needs.models import HelpRequest, Urgency
from entraide.people.models import VettingStatus, Volunteer
from entraide.platform.models import AuditLog, Role
from entraide.platform.roles import role_grant
from tests.conftest import request_input
from tests.journeys import browser

PASSWORD = "un-long-secret-42"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class Person(browser.Person):
    journey = "coordination"


def _sign_in(person: Person, email: str) -> None:
    page = person.page
    person.goto("/volunteer/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def _world(paris, django_user_model):
    zone = paris.zones.get(code="75011")
    coordinator = django_user_model.objects.create_user(
        "camille@example.org", email="camille@example.org", password=PASSWORD
    )
    role_grant(user=coordinator, role=Role.ZONE_COORDINATOR, zone=zone)
    helper_user = django_user_model.objects.create_user(
        "nadia@example.org", email="nadia@example.org", password=PASSWORD
    )
    helper = Volunteer.objects.create(
        user=helper_user,
        first_name="Nadia",
        zone=zone,
        home_lat=zone.centroid_lat + 0.002,
        home_lon=zone.centroid_lon,
        radius_km=3,
        categories=["groceries"],
        languages=["fr", "pt"],
        vetting_status=VettingStatus.VERIFIED,
        code_word="tilleul",
    )
    help_request = services.help_request_create(
        zone=zone, data=request_input(urgency=Urgency.CRITICAL)
    ).entry
    HelpRequest.objects.filter(pk=help_request.pk).update(language="pt")
    # Matching ran before Nadia was verified and spoke Portuguese: it left a reason.
    UnmatchedNote.objects.create(help_request=help_request, reason="no_common_language")
    return coordinator, helper, help_request


def test_a_coordinator_assigns_a_suggested_helper_from_the_queue(
    chromium, live_server, paris, django_user_model
):
    coordinator, helper, help_request = _world(paris, django_user_model)
    camille = Person(chromium, live_server, 390)
    page = camille.page
    _sign_in(camille, "camille@example.org")
    page.get_by_role("navigation", name="Menu de l'équipe").get_by_role(
        "link", name="File d'attente"
    ).click()
    page.get_by_role("heading", name="File d'attente — Vos zones").wait_for()
    row = page.locator(f"[data-reference='{help_request.reference}']")
    assert "ne parle portugais à moins de 3 km" in row.inner_text()
    camille.screenshot("01-queue")

    row.get_by_role("link").click()
    page.get_by_role("heading", name="Contact").wait_for()
    camille.screenshot("02-case")
    page.fill("#purpose", "Rappeler pour préciser l'heure")
    page.get_by_role("button", name="Afficher les coordonnées").click()
    call = page.get_by_role("link", name="Appelez le 06 12 34 56 78")
    assert call.get_attribute("href") == "tel:+33612345678"
    assert AuditLog.objects.filter(action="read_contact", actor=coordinator).count() == 1
    camille.screenshot("03-contact")

    page.get_by_role("button", name="Suggérer des bénévoles").click()
    page.locator("#suggestions").wait_for()
    assert "Nadia" in page.inner_text("#suggestions")
    camille.screenshot("04-suggestions")
    page.get_by_role("button", name="Affecter Nadia").click()
    page.get_by_text("Bénévole affecté·e.").wait_for()
    history = page.inner_text("#history")
    assert "Bénévole affecté·e à la main" in history and "Nadia" in history
    assert "Coordonnées consultées" in history
    camille.screenshot("05-assigned")
    assignment = Assignment.objects.get(help_request=help_request)
    assert assignment.source == AssignmentSource.MANUAL and assignment.volunteer == helper

    # Nadia, on her own phone, accepts.
    nadia = Person(chromium, live_server, 390)
    _sign_in(nadia, "nadia@example.org")
    nadia.goto(f"/volunteer/assignments/{assignment.pk}/")
    nadia.page.get_by_role("button", name="J'accepte").click()
    nadia.page.wait_for_load_state()
    nadia.screenshot("06-helper-accepts")
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ACCEPTED

    # The request has left the queue, and the batch leaves the assignment alone.
    camille.goto("/coordination/queue/")
    assert page.locator(f"[data-reference='{help_request.reference}']").count() == 0
    assert "La zone est couverte." in page.inner_text("main")
    camille.screenshot("07-queue-covered")
    matching.match_run_batch()
    assert list(Assignment.objects.filter(help_request=help_request)) == [assignment]
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ACCEPTED
    assert get_user_model().objects.count() == 2
