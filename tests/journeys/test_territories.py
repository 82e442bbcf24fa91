"""Territories in levels, in a real Chromium, in French, at 390 px, against a live server,
on the Montréal demo territory (imported from the committed demo files): a resident of
the Plateau posts a request with a Canadian postcode (``H2X 1Y4``, whose forward sortation
area ``H2X`` leads to Le Plateau-Mont-Royal) and a 514 number; it is on that borough's
board, not on Westmount's. The region's coordinator sees it rolled up under "Ville de
Montréal" on the dashboard, beside Westmount, and both municipalities' requests in the
queue; Westmount's coordinator sees only Westmount's and cannot open the Plateau's case.
The same form serves Namur (Belgium): a four-digit postcode and a Namur number.

Every step is saved to var/screenshots/territories/ to be looked at.
"""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from entraide.needs import services
from entraide.needs.models import HelpRequest
from entraide.platform.models import Role
from entraide.platform.roles import role_grant
from entraide.territory.models import Area, Territory, Zone
from tests.conftest import request_input
from tests.journeys import browser

PASSWORD = "un-long-secret-42"
DATA = Path(__file__).resolve().parents[2] / "entraide" / "territory" / "data"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class Person(browser.Person):
    journey = "territories"

    def sign_in(self, email: str) -> None:
        self.goto("/volunteer/login/")
        self.page.fill("#id_username", email)
        self.page.fill("#id_password", PASSWORD)
        self.page.locator("main form button[type=submit]").click()
        self.page.wait_for_load_state()


def _montreal() -> Territory:
    """The deployment serves Montréal (one territory per deployment)."""
    Territory.objects.exclude(slug="montreal").delete()
    call_command("territory_import", str(DATA / "montreal.geojson"), verbosity=0)
    call_command(
        "territory_import", str(DATA / "montreal-fsa.csv"), territory="montreal", verbosity=0
    )
    return Territory.objects.get(slug="montreal")


def _coordinator(email: str, area_code: str):
    user = get_user_model().objects.create_user(email, email=email, password=PASSWORD)
    role_grant(user=user, role=Role.ZONE_COORDINATOR, area=Area.objects.get(code=area_code))
    return user


def test_a_request_in_montreal_reaches_its_borough_and_rolls_up_to_the_region(
    chromium, live_server
):
    montreal = _montreal()
    plateau = Zone.objects.get(territory=montreal, code="PMR")
    westmount = Zone.objects.get(territory=montreal, code="WMT")
    in_westmount = services.help_request_create(
        zone=westmount,
        data=request_input(
            description="Une épicerie pour ma voisine, elle ne sort plus.",
            contact=services.ContactInput(first_name="Ruth", phone="514 555 0142"),
        ),
    ).entry
    _coordinator("region@example.org", "R06")
    _coordinator("westmount@example.org", "M-WMT")

    # A resident of the Plateau, on a phone.
    resident = Person(chromium, live_server, 390)
    page = resident.page
    resident.goto("/request/new/")
    page.fill("#id_postcode", "H2X 1Y4")
    page.select_option("#id_category", "groceries")
    page.fill("#id_description", "Des courses pour la semaine, je ne peux plus porter les sacs.")
    page.fill("#id_first_name", "Hélène")
    page.fill("#id_phone", "514 555 0199")
    resident.screenshot("01-form")
    page.get_by_role("button", name="Envoyer ma demande").click()
    page.wait_for_selector("#private-link")
    resident.screenshot("02-sent")
    mine = HelpRequest.objects.exclude(pk=in_westmount.pk).get()
    assert mine.zone == plateau
    assert mine.contact.phone == "+15145550199"

    # On the Plateau's board, not on Westmount's.
    resident.goto(f"/zones/{plateau.code}/")
    assert "je ne peux plus porter les sacs" in page.inner_text("main")
    resident.screenshot("03-board")
    resident.goto(f"/zones/{westmount.code}/")
    assert "je ne peux plus porter les sacs" not in page.inner_text("main")

    # The region's coordinator: the dashboard rolled up by level, both queues.
    region = Person(chromium, live_server, 390)
    region.sign_in("region@example.org")
    region.goto("/coordination/")
    region.page.select_option("#id_area", "R06")
    region.page.get_by_role("button", name="Afficher").click()
    region.page.wait_for_selector("#table-levels")
    levels = region.page.locator("#table-levels")
    city = levels.locator('tr[data-area="66023"]')
    assert "Ville de Montréal" in city.inner_text()
    assert city.locator("td").first.inner_text() == "1"
    assert levels.locator('tr[data-area="M-WMT"] td').first.inner_text() == "1"
    region.screenshot("04-dashboard-region")
    region.goto("/coordination/queue/")
    queue = region.page.inner_text("main")
    assert mine.reference in queue and in_westmount.reference in queue
    region.screenshot("05-queue-region")

    # Westmount's coordinator: Westmount only; the Plateau's case is not there for her.
    local = Person(chromium, live_server, 390)
    local.sign_in("westmount@example.org")
    local.goto("/coordination/queue/")
    queue = local.page.inner_text("main")
    assert in_westmount.reference in queue and mine.reference not in queue
    local.screenshot("06-queue-westmount")
    response = local.page.goto(f"{local.base}/coordination/cases/{mine.reference}/")
    assert response.status == 404
    for person in (resident, region, local):
        person.context.close()


def test_a_request_in_namur_reaches_its_section_with_a_belgian_number(chromium, live_server):
    """The second demo city: a Belgian postcode has four digits, a Namur number is read in
    Belgium's format, and the request is on its section's board."""
    Territory.objects.exclude(slug="namur").delete()
    call_command("territory_import", str(DATA / "namur.geojson"), verbosity=0)
    call_command(
        "territory_import", str(DATA / "namur-postcodes.csv"), territory="namur", verbosity=0
    )
    namur = Territory.objects.get(slug="namur")
    saint_servais = Zone.objects.get(territory=namur, code="5002")

    resident = Person(chromium, live_server, 390)
    page = resident.page
    resident.goto("/request/new/")
    page.fill("#id_postcode", "5002")
    page.select_option("#id_category", "groceries")
    page.fill("#id_description", "Quelqu'un pour porter mes courses du marché samedi.")
    page.fill("#id_first_name", "Josée")
    page.fill("#id_phone", "081 22 33 44")
    resident.screenshot("07-namur-form")
    page.get_by_role("button", name="Envoyer ma demande").click()
    page.wait_for_selector("#private-link")
    resident.screenshot("08-namur-sent")
    mine = HelpRequest.objects.get()
    assert mine.zone == saint_servais
    assert mine.contact.phone == "+3281223344"

    resident.goto(f"/zones/{saint_servais.code}/")
    assert "porter mes courses du marché" in page.inner_text("main")
    resident.screenshot("09-namur-board")

    # A French postcode is not a Belgian one: the form says which format it expects.
    resident.goto("/request/new/")
    page.fill("#id_postcode", "75011")
    page.select_option("#id_category", "groceries")
    page.fill("#id_description", "Une autre demande.")
    page.fill("#id_first_name", "Josée")
    page.fill("#id_phone", "081 22 33 44")
    page.get_by_role("button", name="Envoyer ma demande").click()
    page.wait_for_load_state()
    assert "Un code postal belge a quatre chiffres" in page.inner_text("main")
    resident.screenshot("10-namur-wrong-postcode")
    assert HelpRequest.objects.count() == 1
    resident.context.close()
